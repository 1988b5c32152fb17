"""News' refusals: one ``NewsError`` with a stable ``NewsReason`` (see ``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import DomainError


class NewsReason(StrEnum):
    IMAGE_TYPE = "image_type"


class NewsError(DomainError):
    """A news service refused the operation; nothing was written."""
