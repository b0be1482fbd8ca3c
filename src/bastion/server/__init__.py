"""The findings service: a FastAPI application over the store, with token authentication and per-project roles.

``create_app(settings)`` builds it; ``bastion server`` runs it with uvicorn. FastAPI and uvicorn come with the
``server`` extra.
"""

from __future__ import annotations

from bastion.server.app import API_PREFIX, create_app
from bastion.server.settings import ServerSettings

__all__ = ["API_PREFIX", "ServerSettings", "create_app"]
