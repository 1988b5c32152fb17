"""Bounds on what anonymous callers can make us store at the provider-facing doors (the
notification and the browser's return): every request there used to write a row of up to
20 kB, with no limit.

The choice: **the signature is checked first, the bounds apply only to what is not signed.**
A notification that the provider's backend verifies (eopayment's ``signed``: SystemPay's HMAC,
PayFiP's confirmation by the DGFiP) is always stored and applied, whatever its size (Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` still caps a body) and however many requests came from its
address: a provider's few servers send the notifications of every town, and a forger flooding
from the same address, or a burst of real payments, must never make us drop a real payment.
Checking a signature writes nothing (an HMAC over at most a few kB; PayFiP's confirmation is a
call the notification needed anyway, made once), so an attacker gains nothing by reaching it.
What is unsigned or unreadable is never genuine, but it is kept for the audit trail, bounded:

- over ``MAX_UNSIGNED_BYTES`` (8 kB; a provider's notification is 1 to 3 kB): answered 413,
  no row;
- once ``MAX_UNSIGNED_PER_MINUTE`` rows came from the client's address (read through the
  trusted proxies, ``accounts.client_address``) in the last minute: answered 429, no row.

The rate is counted in the notifications' own table (address and time, indexed), not in
Django's cache: no ``CACHES`` is configured, so the cache is each worker's local memory and a
limit kept there would be multiplied by the number of workers; the table works the same on
SQLite and PostgreSQL, across processes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from espacefamille.core.tenancy import scopes_disabled

from .models import PaymentNotification

MAX_UNSIGNED_BYTES = 8 * 1024
MAX_UNSIGNED_PER_MINUTE = 20
WINDOW = timedelta(minutes=1)
TOO_LARGE = 413
TOO_MANY = 429


def unsigned_refusal(*, query_string: str, client_address: str | None) -> int | None:
    """The HTTP status refusing to store this unsigned request (413 or 429), or None when it
    may be stored."""
    if len(query_string.encode("utf-8", "replace")) > MAX_UNSIGNED_BYTES:
        return TOO_LARGE
    since = timezone.now() - WINDOW
    with scopes_disabled():
        recent = PaymentNotification.objects.filter(
            client_address=client_address, received_at__gte=since
        )[:MAX_UNSIGNED_PER_MINUTE].count()
    if recent >= MAX_UNSIGNED_PER_MINUTE:
        return TOO_MANY
    return None
