"""The API's wire schemas: ``…Create`` / ``…Update`` bodies in, ``…Public`` documents out (pydantic)."""

from __future__ import annotations
