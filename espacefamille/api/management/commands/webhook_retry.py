"""``webhook_retry``: send the webhook deliveries whose retry time has come. Needed only with a
task backend that cannot defer a task (the database backend waits by itself); run it every few
minutes then."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from espacefamille.api.webhook_delivery import deliveries_retry
from espacefamille.core.models import Municipality


class Command(BaseCommand):
    help = "Renvoie les événements (webhooks) dont l'heure de nouvel essai est venue."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = sum(
            deliveries_retry(municipality=town) for town in Municipality.objects.order_by("pk")
        )
        self.stdout.write(f"{sent}")
