"""Policy-exception documents: an exception to create and an exception as recorded."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from bastion.policy.exception import ExceptionScope, PolicyException
from bastion.server.schemas.common import Strict

__all__ = ["ExceptionCreate", "ExceptionPublic"]


class ExceptionCreate(Strict):
    """A time-boxed, approved exception to the policy for one finding or one rule of a project."""

    project: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, max_length=200, description="A finding id (6+ hex digits) or a rule id.")
    reason: str = Field(min_length=1, max_length=4000)
    approver: str = Field(min_length=1, max_length=200)
    expires: date = Field(description="The last day it applies (at most a year ahead).")


class ExceptionPublic(BaseModel):
    """A recorded exception."""

    id: str
    project: str
    scope: ExceptionScope
    target: str
    reason: str
    approver: str
    expires: date
    created: datetime

    @classmethod
    def of(cls, project: str, exception: PolicyException) -> ExceptionPublic:
        """The document for an exception of ``project``."""
        return cls(
            id=exception.id,
            project=project,
            scope=exception.scope,
            target=exception.target,
            reason=exception.reason,
            approver=exception.approver,
            expires=exception.expires,
            created=exception.created,
        )
