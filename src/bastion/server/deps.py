"""FastAPI dependencies: the store, the settings and the authenticated principal, as named ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from bastion.importers.webhook import Notifier
from bastion.server.principal import Principal
from bastion.server.settings import ServerSettings
from bastion.store import Store
from bastion.store.tokens import TokenError, TokenRegistry

__all__ = ["CurrentPrincipal", "NotifierDep", "SettingsDep", "StoreDep", "UnauthenticatedError"]

_bearer = HTTPBearer(auto_error=False, description="An API token from `bastion token create`.")


class UnauthenticatedError(Exception):
    """No token, or one that is unknown, revoked or expired (HTTP 401)."""


async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


async def _notifier(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


StoreDep = Annotated[Store, Depends(_store)]
NotifierDep = Annotated[Notifier, Depends(_notifier)]
SettingsDep = Annotated[ServerSettings, Depends(_settings)]


def _principal(
    store: StoreDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthenticatedError("an API token is required: Authorization: Bearer <token>")
    try:
        return Principal(TokenRegistry(store).authenticate(credentials.credentials))
    except TokenError as err:
        raise UnauthenticatedError(str(err)) from err


CurrentPrincipal = Annotated[Principal, Depends(_principal)]
