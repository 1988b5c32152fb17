"""``expire_payments``: mark "expired" the cart payments whose held places ran out and give
the places back. The places are free for the next check without it (an expired hold is
released under the product-day lock); this makes the payment answer "expired" to the family
and to a late notification. Run it every few minutes, with ``release_expired_holds``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.checkout import payments_expire


class Command(BaseCommand):
    help = "Expire les paiements en ligne dont les places retenues ont expiré."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = 0
        for town in Municipality.objects.order_by("pk"):
            with municipality_scope(town):
                expired += payments_expire()
        self.stdout.write(
            ngettext("%(n)s paiement expiré.", "%(n)s paiements expirés.", expired) % {"n": expired}
        )
