"""``bastion webhook``: subscriptions that receive signed events (new blocking findings, SLA breaches, ...), and
``sweep``, which a cron job runs to announce SLA breaches and expiring exceptions once each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bastion.cli.store_option import DbOption, RepoOption

if TYPE_CHECKING:
    from bastion.store import Store

__all__ = ["app"]

app = typer.Typer(help="Webhooks signed with HMAC-SHA256, retried with back-off.", no_args_is_help=True)

_EVENTS = "finding.new_blocking,sla.breached,exception.expiring"


def _store(db: str | None, repo: Path) -> Store:
    from bastion.store import open_store

    return open_store(db or os.environ.get("BASTION_DATABASE_URL") or None, repo.resolve())


@app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="http(s) URL that receives the POSTs.")],
    secret_env: Annotated[str, typer.Option("--secret-env", help="Environment variable holding the HMAC secret.")],
    events: Annotated[str, typer.Option("--events", help="Comma-separated events.")] = _EVENTS,
    project: Annotated[str | None, typer.Option("--project", help="Only this project's events.")] = None,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """Subscribe a URL to events; the secret stays in the environment, only its variable's name is stored."""
    from bastion.errors import UsageError
    from bastion.importers.webhook import WebhookEvent
    from bastion.store.webhooks import add_webhook

    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{url}: a webhook URL must start with http:// or https://")
    wanted = tuple(e.strip() for e in events.split(",") if e.strip())
    known = {e.value for e in WebhookEvent}
    unknown = [e for e in wanted if e not in known]
    if unknown or not wanted:
        raise UsageError(f"--events: unknown event {', '.join(unknown) or '(none)'}; known: {', '.join(sorted(known))}")
    with _store(db, repo) as store:
        webhook = store.write(lambda s: add_webhook(s, url, secret_env, wanted, project))
    typer.echo(f"webhook {webhook.id}: {webhook.url} ({', '.join(webhook.events)})")


@app.command("list")
def list_command(db: DbOption = None, repo: RepoOption = Path()) -> None:
    """List the subscriptions."""
    from bastion.store.webhooks import list_webhooks

    with _store(db, repo) as store:
        for webhook in store.read(list_webhooks):
            scope = webhook.project or "all projects"
            typer.echo(f"{webhook.id}\t{webhook.url}\t${webhook.secret_env}\t{','.join(webhook.events)}\t{scope}")


@app.command("remove")
def remove(
    webhook_id: Annotated[int, typer.Argument(help="The id `webhook list` shows.")],
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> None:
    """Delete a subscription."""
    from bastion.store.webhooks import remove_webhook

    with _store(db, repo) as store:
        store.write(lambda s: remove_webhook(s, webhook_id))
    typer.echo(f"webhook {webhook_id} removed")


@app.command("test")
def test(db: DbOption = None, repo: RepoOption = Path()) -> int:
    """Send a ``webhook.test`` event to every subscription and report each delivery (exit 1 if any failed)."""
    from bastion.importers.webhook import DeliveryResult, WebhookEvent, WebhookSender
    from bastion.store.webhooks import list_webhooks

    with _store(db, repo) as store:
        webhooks = store.read(list_webhooks)
    results: list[DeliveryResult] = []
    tests = [w.__class__(w.id, w.url, w.secret_env, (WebhookEvent.TEST.value,), None) for w in webhooks]
    sender = WebhookSender(tests, attempts=2, backoff_s=0.2, on_result=results.append)
    sender.publish(WebhookEvent.TEST.value, None, {"message": "bastion webhook test"})
    sender.close()
    for result in results:
        state = f"delivered ({result.status})" if result.delivered else f"failed: {result.error}"
        typer.echo(f"webhook {result.webhook_id}: {state} after {result.attempts} attempt(s)")
    return 1 if any(not r.delivered for r in results) else 0


@app.command("sweep")
def sweep(
    project: Annotated[
        str | None, typer.Option("--project", help="Only this project (default: every project).")
    ] = None,
    window_days: Annotated[
        int, typer.Option("--window-days", min=0, max=365, help="Announce exceptions expiring within this many days.")
    ] = 7,
    attempts: Annotated[int, typer.Option("--attempts", min=1, max=20, help="Tries per delivery.")] = 5,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds to wait for the deliveries before giving up.")
    ] = 120.0,
    db: DbOption = None,
    repo: RepoOption = Path(),
) -> int:
    """Send sla.breached and exception.expiring for what is new since the last sweep (exit 1 if a delivery failed;
    the next sweep sends it again)."""
    from bastion.importers.webhook import DeliveryResult, Notifier

    results: list[DeliveryResult] = []
    with _store(db, repo) as store:
        notifier = Notifier(store, window_days=window_days, attempts=attempts, on_result=results.append)
        try:
            swept = notifier.sweep(project)
        finally:
            notifier.close(timeout)
    failed = [r for r in results if not r.delivered]
    pending = len(swept.deliveries) - len(results)
    typer.echo(
        f"sla.breached: {swept.breached} finding(s); exception.expiring: {swept.expiring} exception(s); "
        f"deliveries: {len(results) - len(failed)} delivered, {len(failed)} failed"
        + (f", {pending} still pending after {timeout:g}s" if pending else "")
    )
    for result in failed:
        typer.echo(f"webhook {result.webhook_id}: {result.event} failed: {result.error}", err=True)
    return 1 if failed or pending else 0
