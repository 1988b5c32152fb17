"""``release_expired_holds``: tidy the places held by payments that never finished. Not needed
for correctness (the next writer of a day releases its expired holds under the lock), but it
frees the places for display at once and keeps the table small; run it every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from espacefamille.bookings.holds import release_expired_holds
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope


class Command(BaseCommand):
    help = "Libère les places retenues dont le paiement a expiré."

    def handle(self, *args: Any, **options: Any) -> None:
        released = 0
        for town in Municipality.objects.order_by("pk"):
            with municipality_scope(town):
                released += release_expired_holds(municipality=town)
        self.stdout.write(
            ngettext("%(n)s place libérée.", "%(n)s places libérées.", released) % {"n": released}
        )
