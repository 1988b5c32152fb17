"""The project's one way to say no (DESIGN convention 12).

Every refusal a service can give, and every technical failure it reports, is a ``DomainError``
(or a subclass such as ``bookings.errors.BookingError``): a stable ``reason`` code (a member of
the app's own ``StrEnum``: ``BillingReason``, ``PaymentReason``…), a French ``message`` for the
person in front of the screen, and, when the message belongs to one input, the ``field`` it
belongs to. No other exception class is defined in the project (``tests/core/test_error_contract``
walks every module), so a front door learns one thing: ``core.service_calls.call_service`` puts
the message on the page or on the form's field, ``problem_details`` gives the API its
``application/problem+json`` body.

HTTP status. ``status`` says which class of answer the API gives:

- ``422`` (the default): the request was understood and a rule refused it (a past deadline, an
  amount that is not one, a period too long); asking again unchanged gives the same answer.
- ``409``: the thing is not in a state that allows it (an invoice already paid, a run already
  final, an illegal booking transition); it may change when someone else acts.
- ``404``: the thing is not the caller's to see (another town's child, a site outside the
  agent's); the front door answers as if it did not exist.
- ``429``: too many attempts (join codes).
- ``503``: a technical failure that is not the caller's fault (a payment provider that does not
  answer, the booking lock busy); asking again later may work.

An app's error class sets the status of its reasons once, in its ``statuses`` mapping (a reason
not in it gets the class's ``default_status``); a raise site may pass ``status=`` for a one-off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import ClassVar

UNPROCESSABLE = 422
CONFLICT = 409
NOT_FOUND = 404
TOO_MANY = 429
UNAVAILABLE = 503


class CoreReason(StrEnum):
    """Refusals of the shared helpers of ``core`` (amounts typed by people, uploaded files)."""

    INVALID_AMOUNT = "invalid_amount"
    TOO_MANY_DECIMALS = "too_many_decimals"
    AMOUNT_TOO_LARGE = "amount_too_large"
    NEGATIVE_AMOUNT = "negative_amount"
    UNREADABLE_PDF = "unreadable_pdf"
    INVALID_COLOUR = "invalid_colour"
    COLOUR_CONTRAST = "colour_contrast"
    LOGO_TYPE = "logo_type"


class DomainError(Exception):
    """A service refused the whole operation (nothing was written), or could not do it.

    ``reason``: the stable code (an app's ``StrEnum`` member), for programs: the API, tests, a
    front door that answers differently for one reason.
    ``message``: French, for people; shown as is.
    ``field``: the form field the message belongs to, or None for the whole operation.
    ``field_errors``: when one refusal concerns several inputs at once (two required documents
    missing), their messages by field; ``message`` then sums them up (for the API and logs)
    and a form shows the field messages instead.
    ``status``: the HTTP status class (see the module's docstring): given, else the class's
    ``statuses`` entry for the reason, else its ``default_status``.
    """

    default_status: ClassVar[int] = UNPROCESSABLE
    statuses: ClassVar[Mapping[StrEnum, int]] = {}

    def __init__(
        self,
        reason: StrEnum,
        message: str,
        *,
        field: str | None = None,
        status: int | None = None,
        field_errors: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = str(message)
        self.field = field
        self.field_errors = {
            name: [str(m) for m in found] for name, found in (field_errors or {}).items()
        }
        self.status = status or self.statuses.get(reason, self.default_status)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reason!s}, {self.message!r}, field={self.field!r})"
