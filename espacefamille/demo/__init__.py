"""The demo town (``manage.py load_demo``). The loader lives in ``demo.loading``: this package is
an installed app (for its command), so it imports no model when Django starts; the names stay
importable from ``espacefamille.demo`` for the callers that used them there."""

from __future__ import annotations

from importlib import import_module
from typing import Any


def __getattr__(name: str) -> Any:
    return getattr(import_module("espacefamille.demo.loading"), name)
