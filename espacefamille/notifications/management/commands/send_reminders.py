"""``send_reminders [<commune>]``: the periodic reminders (run it every quarter of an hour);
each reminder goes once, however often and however many workers run it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import ngettext

from espacefamille.core.command_towns import towns_named
from espacefamille.core.tenancy import municipality_scope
from espacefamille.notifications.reminders import deferred_sms_resend, reminder_senders
from espacefamille.notifications.town_messages import due_messages_send


class Command(BaseCommand):
    help = (
        "Envoie les rappels (panier non validé avant le délai, pensez à réserver, facture à "
        "régler dans 3 jours) ; chacun une seule fois. "
        "Envoie aussi les SMS retenus pendant les heures calmes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", nargs="?", help="Identifiant court de la commune.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for town in towns_named(options["municipality"]):
            with municipality_scope(town):
                for sender in reminder_senders():
                    total += sender(municipality=town)
                deferred_sms_resend(municipality=town)
                due_messages_send()
        self.stdout.write(
            ngettext("%(n)s rappel envoyé.", "%(n)s rappels envoyés.", total) % {"n": total}
        )
