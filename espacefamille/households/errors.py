"""Households' refusals (household files, guardians, diets, the import of a town's file): one
``HouseholdError`` with a stable ``HouseholdReason`` (see ``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, DomainError


class HouseholdReason(StrEnum):
    NAME_REQUIRED = "name_required"
    TOO_MANY_GUARDIANS = "too_many_guardians"
    NAME_TAKEN = "name_taken"
    INVALID_TEXT = "invalid_text"
    # The import of a town's CSV file.
    FILE_NOT_UTF8 = "file_not_utf8"
    MISSING_COLUMNS = "missing_columns"
    UNKNOWN_COLUMNS = "unknown_columns"
    DUPLICATE_COLUMN = "duplicate_column"
    EMPTY_FILE = "empty_file"
    UNREADABLE_FILE = "unreadable_file"
    NOTHING_TO_IMPORT = "nothing_to_import"
    FILE_HAS_ERRORS = "file_has_errors"
    # A child shared between the households of separated parents.
    ALREADY_LINKED = "already_linked"
    NOT_LINKED = "not_linked"
    OTHER_TOWN = "other_town"
    # The town's rule on authorised pickups (core.models.PickupRule).
    PICKUPS_BY_REQUEST = "pickups_by_request"
    PICKUP_ALREADY_AUTHORISED = "pickup_already_authorised"


class HouseholdError(DomainError):
    """A households service refused the operation; nothing was written."""

    statuses = {
        HouseholdReason.TOO_MANY_GUARDIANS: CONFLICT,
        HouseholdReason.NAME_TAKEN: CONFLICT,
        HouseholdReason.ALREADY_LINKED: CONFLICT,
        HouseholdReason.PICKUP_ALREADY_AUTHORISED: CONFLICT,
    }
