"""The catalogue's refusals (services, products, closures, sites): one ``CatalogError`` with a
stable ``CatalogReason`` (see ``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, DomainError


class CatalogReason(StrEnum):
    IMPACT_UNCONFIRMED = "impact_unconfirmed"
    END_BEFORE_START = "end_before_start"
    NAME_TAKEN = "name_taken"


class CatalogError(DomainError):
    """A catalogue service refused the operation; nothing was written."""

    statuses = {
        CatalogReason.IMPACT_UNCONFIRMED: CONFLICT,
        CatalogReason.NAME_TAKEN: CONFLICT,
    }
