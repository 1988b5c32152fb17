"""The notifications' refusals: one ``NotificationError`` with a stable ``NotificationReason``
(see ``core.errors``)."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import DomainError


class NotificationReason(StrEnum):
    SMS_PROVIDER = "sms_provider"  # the SMS provider refused or could not be reached
    NO_RECIPIENT = "no_recipient"
    PUSH_SUBSCRIPTION = "push_subscription"
    DOCUMENT = "document"  # a message's document: not found, not the caller's, or refused
    SMS_SETTINGS = "sms_settings"  # a town's SMS settings with a bad value


class NotificationError(DomainError):
    """A notification service refused the operation; nothing was written."""
