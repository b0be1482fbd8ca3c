"""Errors → HTTP: each bastion error becomes a status and a one-line ``ErrorPublic`` document.

| error | status |
| --- | --- |
| no, unknown, revoked or expired token | 401 (with ``WWW-Authenticate: Bearer``) |
| role does not allow the action | 403 |
| no such finding or token (or not visible to the caller) | 404 |
| ambiguous short id | 409 |
| invalid parameters or body, incomplete triage decision, bad rules or signal file | 422 (with the field) |
| request body over the configured limit | 413 |
| the database cannot be reached or written | 503 |
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from bastion.errors import BastionError, StoreError
from bastion.server.deps import UnauthenticatedError
from bastion.server.principal import AccessDeniedError
from bastion.server.schemas.common import ErrorPublic
from bastion.store.lookup import AmbiguousFindingError, FindingNotFoundError

__all__ = [
    "ERROR_RESPONSES",
    "NotFoundError",
    "UnknownParameterError",
    "install_error_handlers",
    "reject_unknown_query",
]


class NotFoundError(BastionError):
    """The thing named in the path does not exist, or the caller may not see it (HTTP 404)."""


class UnknownParameterError(BastionError):
    """A query parameter the route does not take: a misspelt filter must not silently match everything (422)."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"{name}: unknown query parameter; this route takes: {', '.join(known) or 'none'}")
        self.field = name


def _error(status: int, detail: str, field: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail, "field": field}, status_code=status, headers=headers)


def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if not errors:
        return _error(422, "invalid request")
    first = errors[0]
    location = [str(part) for part in first.get("loc", ())]
    # A query parameter is named as sent (``severity``, not ``severity.0``); a body field by its path in the body.
    parts = location[1:2] if location and location[0] in ("query", "path", "header") else location[1:]
    field = ".".join(parts) if parts else (location[0] if location else None)
    return _error(422, f"{field or 'request'}: {first.get('msg', 'invalid')}", field or None)


def _bastion(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BastionError)
    if isinstance(exc, UnknownParameterError):
        return _error(422, str(exc), exc.field)
    if isinstance(exc, FindingNotFoundError | NotFoundError):
        return _error(404, str(exc))
    if isinstance(exc, AmbiguousFindingError):
        return _error(409, str(exc))
    # A store error is an unreachable or failing database unless a subclass says the input was at fault.
    if type(exc) is StoreError:
        return _error(503, str(exc))
    return _error(422, str(exc))


_KNOWN: dict[int, tuple[Dependant, frozenset[str]]] = {}
"""Query parameter names by route (its ``Dependant``, kept so that its id is not reused)."""


def _route_query_names(route: APIRoute) -> frozenset[str]:
    """The query parameters a route declares, its dependencies' included (routes are fixed once the app starts)."""
    known = _KNOWN.get(id(route.dependant))
    if known is None or known[0] is not route.dependant:
        known = _KNOWN[id(route.dependant)] = (route.dependant, frozenset(_query_names(route.dependant)))
    return known[1]


def _query_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_query(request: Request) -> None:
    """A router dependency: ``UnknownParameterError`` for a query parameter the matched route does not declare."""
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    known = _route_query_names(route)
    for name in request.query_params:
        if name not in known:
            raise UnknownParameterError(name[:100], sorted(known))


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(BastionError, _bastion)
    app.add_exception_handler(
        UnauthenticatedError,
        lambda _request, exc: _error(401, str(exc), headers={"WWW-Authenticate": "Bearer"}),
    )
    app.add_exception_handler(AccessDeniedError, lambda _request, exc: _error(403, str(exc)))


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorPublic, "description": "No valid token."},
    403: {"model": ErrorPublic, "description": "The token's role does not allow this."},
    404: {"model": ErrorPublic, "description": "Not found, or not visible to the token."},
    409: {"model": ErrorPublic, "description": "The short id matches several findings."},
    413: {"model": ErrorPublic, "description": "The request body is over the limit."},
    422: {"model": ErrorPublic, "description": "Invalid input; `field` names it."},
    503: {"model": ErrorPublic, "description": "The database cannot be reached or written."},
}
"""Documented on every authenticated route."""
