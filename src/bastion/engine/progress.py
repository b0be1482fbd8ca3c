"""Progress of a run on stderr: a live Rich display on a terminal, plain lines otherwise, or nothing."""

from __future__ import annotations

import sys
import threading
from typing import IO, TYPE_CHECKING, Protocol

from bastion.model import ControlResult, ControlStatus, Stage

if TYPE_CHECKING:
    from rich.progress import Progress as RichBar
    from rich.progress import TaskID

__all__ = ["PlainProgress", "Progress", "QuietProgress", "RichProgress", "progress_for"]


class Progress(Protocol):
    """Receives the engine's events; implementations must be thread-safe (controls run in parallel)."""

    def stage_started(self, stage: Stage, controls: list[str]) -> None:
        """A stage begins with these controls."""

    def control_started(self, control: str) -> None:
        """A control begins."""

    def control_finished(self, result: ControlResult) -> None:
        """A control ended (in any status)."""

    def close(self) -> None:
        """The run is over."""


class QuietProgress:
    """Shows nothing (``--quiet``)."""

    def stage_started(self, stage: Stage, controls: list[str]) -> None:
        """Ignored."""

    def control_started(self, control: str) -> None:
        """Ignored."""

    def control_finished(self, result: ControlResult) -> None:
        """Ignored."""

    def close(self) -> None:
        """Ignored."""


def _summary(result: ControlResult) -> str:
    text = f"{result.control}: {result.status.value} in {result.duration_s:.2f}s, {len(result.findings)} findings"
    return text + (f" ({result.reason})" if result.reason else "")


class PlainProgress:
    """One line per event, for logs and CI output that is not a terminal."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def _line(self, text: str) -> None:
        with self._lock:
            print(text, file=self._stream, flush=True)

    def stage_started(self, stage: Stage, controls: list[str]) -> None:
        """Prints the stage and its controls."""
        self._line(f"stage {stage.value}: {', '.join(controls)}")

    def control_started(self, control: str) -> None:
        """Prints nothing: the finish line says everything."""

    def control_finished(self, result: ControlResult) -> None:
        """Prints the control's status, time and finding count."""
        self._line(f"  {_summary(result)}")

    def close(self) -> None:
        """Nothing to close."""


_STYLE = {
    ControlStatus.SUCCEEDED: "green",
    ControlStatus.PARTIAL: "yellow",
    ControlStatus.ERRORED: "red",
    ControlStatus.SKIPPED: "dim",
}


class RichProgress:
    """A spinner per running control, replaced by its outcome when it ends."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress as RichBar
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

        self._console = Console(stderr=True)
        self._bar: RichBar = RichBar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=self._console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()
        self._bar.start()

    def stage_started(self, stage: Stage, controls: list[str]) -> None:
        """Prints the stage heading."""
        self._bar.console.print(f"[bold]stage {stage.value}[/bold]")

    def control_started(self, control: str) -> None:
        """Adds a spinner for the control."""
        with self._lock:
            self._tasks[control] = self._bar.add_task(f"{control}: running", total=None)

    def control_finished(self, result: ControlResult) -> None:
        """Replaces the spinner by the control's outcome."""
        with self._lock:
            task = self._tasks.pop(result.control, None)
        style = _STYLE[result.status]
        if task is not None:
            self._bar.update(task, description=f"[{style}]{_summary(result)}[/{style}]", total=1, completed=1)
            self._bar.stop_task(task)

    def close(self) -> None:
        """Stops the live display."""
        self._bar.stop()


def progress_for(*, quiet: bool, stream: IO[str] | None = None) -> Progress:
    """Quiet, Rich on a terminal, else plain lines on ``stream`` (stderr by default)."""
    if quiet:
        return QuietProgress()
    out = stream or sys.stderr
    if out is sys.stderr and out.isatty():
        return RichProgress()
    return PlainProgress(out)
