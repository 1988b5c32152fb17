"""``poll_pending_payments``: ask the providers that can say (PayFiP) about the online
payments still open after a few minutes, town by town, and apply their answers as a
notification would be. Run it every few minutes beside ``expire_payments``; ``--enqueue``
hands each town to the task worker instead (``payments.polling.poll_pending_payments``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.payments.polling import pending_payments_poll, poll_pending_payments


class Command(BaseCommand):
    help = "Interroge le prestataire sur les paiements en ligne restés en cours."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Confier chaque commune au gestionnaire de tâches.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        asked = changed = failed = 0
        for town in Municipality.objects.order_by("pk"):
            if options["enqueue"]:
                poll_pending_payments.enqueue(municipality_id=town.pk)
                continue
            with municipality_scope(town):
                report = pending_payments_poll()
            asked, changed, failed = (
                asked + report.asked,
                changed + report.changed,
                failed + report.failed,
            )
        if options["enqueue"]:
            self.stdout.write(_("Interrogations confiées au gestionnaire de tâches."))
            return
        self.stdout.write(
            ngettext(
                "%(asked)s paiement interrogé, %(changed)s mis à jour, %(failed)s sans réponse.",
                "%(asked)s paiements interrogés, %(changed)s mis à jour, %(failed)s sans réponse.",
                asked,
            )
            % {"asked": asked, "changed": changed, "failed": failed}
        )
