"""The ``with:`` options of the bandit ``sast`` control: thresholds and which bandit tests run."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["BanditLevel", "BanditOptions"]

_TEST_ID = re.compile(r"^B\d{3}$")


class BanditLevel(StrEnum):
    """bandit's three ranks, used for both severity and confidence thresholds."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def bandit_name(self) -> str:
        """The spelling bandit uses (``LOW``, ``MEDIUM``, ``HIGH``)."""
        return self.value.upper()


class BanditOptions(BaseModel):
    """Options of the ``sast`` control; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    severity: BanditLevel = Field(BanditLevel.LOW, description="Lowest severity reported.")
    confidence: BanditLevel = Field(BanditLevel.LOW, description="Lowest confidence reported.")
    skip: list[str] = Field(default_factory=list, description="bandit test ids never run (e.g. B101).")
    tests: list[str] = Field(default_factory=list, description="Run only these bandit test ids; empty: all.")

    @field_validator("skip", "tests")
    @classmethod
    def _test_ids(cls, ids: list[str]) -> list[str]:
        normalised = [i.strip().upper() for i in ids]
        bad = [i for i in normalised if not _TEST_ID.match(i)]
        if bad:
            raise ValueError(f"'{bad[0]}' is not a bandit test id such as B602")
        return normalised

    @model_validator(mode="after")
    def _disjoint(self) -> BanditOptions:
        both = sorted(set(self.skip) & set(self.tests))
        if both:
            raise ValueError(f"{', '.join(both)} cannot be in both 'skip' and 'tests'")
        return self
