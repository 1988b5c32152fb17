"""``python manage.py refresh_family_quotients <commune> [--pause 1.5]``: the yearly refresh
of the family quotients of the households that consent (January)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.quotient.errors import QuotientError
from espacefamille.quotient.refresh import quotients_refresh


class Command(BaseCommand):
    help = "Renouvelle le quotient familial des foyers qui ont donné leur accord (API Particulier)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("commune", help="Identifiant (slug) de la commune.")
        parser.add_argument(
            "--pause",
            type=float,
            default=None,
            help="Secondes entre deux appels (par défaut : le réglage de la commune).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        town = Municipality.objects.filter(slug=options["commune"]).first()
        if town is None:
            raise CommandError(f"Commune inconnue : {options['commune']}")
        pause = options["pause"]
        if pause is not None and not 0 <= pause <= 60:
            raise CommandError("La pause doit être entre 0 et 60 secondes.")
        with municipality_scope(town):
            try:
                report = quotients_refresh(municipality=town, pause=pause)
            except QuotientError as error:
                raise CommandError(error.message) from error
        self.stdout.write(
            f"Foyers ayant donné leur accord : {report.consenting}\n"
            f"Quotients renouvelés : {report.fetched}\n"
            f"Sans identité enregistrée (à consulter une première fois) : "
            f"{report.without_identity}\n"
            f"Refus : {sum(report.refused.values())}"
            + "".join(f"\n  {reason} : {count}" for reason, count in sorted(report.refused.items()))
        )
        if report.stopped:
            self.stdout.write(f"Arrêté avant la fin : {report.stopped}")
