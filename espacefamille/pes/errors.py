"""The treasury export's refusals (see ``core.errors``): one ``PesError`` with a stable
``PesReason``; ``errors`` lists every problem found, in French, for the agent."""

from __future__ import annotations

from enum import StrEnum

from espacefamille.core.errors import UNAVAILABLE, DomainError


class PesReason(StrEnum):
    EXPORT_REFUSED = "pes_export_refused"
    HISTORY_REFUSED = "pes_history_refused"
    SCHEMA_UNAVAILABLE = "pes_schema_unavailable"


class PesError(DomainError):
    statuses = {PesReason.SCHEMA_UNAVAILABLE: UNAVAILABLE}
    reason_of_class = PesReason.EXPORT_REFUSED

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(self.reason_of_class, message)
        self.errors = errors or []


class PesExportError(PesError):
    """An export refused: no file was written, no invoice marked as sent."""


class PesHistoryError(PesError):
    """A cancellation or an acknowledgement refused; nothing changed."""

    reason_of_class = PesReason.HISTORY_REFUSED


class PesSchemaUnavailable(PesError):
    """No schema set to validate against: the export refuses (never an unvalidated file)."""

    reason_of_class = PesReason.SCHEMA_UNAVAILABLE
