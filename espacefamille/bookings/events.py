"""Signals other domains listen to without bookings knowing them (payments turns a cancelled
prepaid booking into a credit or a refund owed). Sent inside the transaction that made the
change, so a receiver's writes commit or roll back with it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``bookings``: the bookings a family's cancellation (within its deadline, as the
# rules require) or an agent's acceptance has just moved to "cancelled".
bookings_cancelled = Signal()
