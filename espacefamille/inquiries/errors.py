"""Requests' refusals ("Mes demandes", their categories and proposed changes): one
``InquiryError`` with a stable ``InquiryReason`` (see ``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import CONFLICT, DomainError


class InquiryReason(StrEnum):
    UNKNOWN_CATEGORY = "unknown_category"
    CHILD_NOT_IN_HOUSEHOLD = "child_not_in_household"
    CHILD_REQUIRED = "child_required"
    TEXT_REQUIRED = "text_required"
    DOCUMENTS_REFUSED = "documents_refused"
    GUARDIAN_REQUIRED = "guardian_required"
    ADDRESS_INCOMPLETE = "address_incomplete"
    INQUIRY_CLOSED = "inquiry_closed"
    UNKNOWN_STATUS = "unknown_status"
    LABEL_TOO_LONG = "label_too_long"
    PICKUPS_EDITED_FREELY = "pickups_edited_freely"
    PICKUP_PERSON_INVALID = "pickup_person_invalid"
    PICKUP_PERSON_REQUIRED = "pickup_person_required"
    NOT_OWN = "not_own"


class InquiryError(DomainError):
    """A requests service refused the operation; nothing was written."""

    statuses = {InquiryReason.INQUIRY_CLOSED: CONFLICT}
