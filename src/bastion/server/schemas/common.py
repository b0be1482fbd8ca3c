"""Shared pieces of the wire schemas: the strict base and the error document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ErrorPublic", "Strict"]


class Strict(BaseModel):
    """A request body: unknown fields are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class ErrorPublic(BaseModel):
    """An error: one line, and the field at fault for invalid input."""

    detail: str = Field(description="What went wrong, in one line.")
    field: str | None = Field(None, description="The request field at fault, when there is one.")
