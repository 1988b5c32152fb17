"""One way to say no for the family quotient. Until ``core.errors.DomainError`` lands this
class stands in for it, with the same shape: a stable ``reason`` code, a French ``message``
for the person, and the form ``field`` it belongs to, if any."""

from __future__ import annotations


class QuotientError(Exception):
    def __init__(self, reason: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"<QuotientError {self.reason}>"
