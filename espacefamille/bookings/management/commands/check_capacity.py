"""``check_capacity [<commune>] [--fix]``: compare the capacity ledger with the bookings and
holds it counts, print every difference, exit non-zero when there is one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.bookings.ledger_check import ledger_differences, ledger_fix
from espacefamille.core.command_towns import towns_named
from espacefamille.core.tenancy import municipality_scope


class Command(BaseCommand):
    help = (
        "Compare le registre des places (ProductDay) avec les réservations actives et les places "
        "retenues ; affiche chaque écart et sort en erreur s'il y en a un (--fix les corrige)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", nargs="?", help="Identifiant court de la commune.")
        parser.add_argument("--fix", action="store_true", help="Corriger les écarts trouvés.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for town in towns_named(options["municipality"]):
            with municipality_scope(town):
                differences = ledger_differences()
                for difference in differences:
                    self.stdout.write(
                        _("%(town)s : %(product)s le %(day)s — registre %(ledger)s, compté %(n)s")
                        % {
                            "town": town.slug,
                            "product": difference.product.name,
                            "day": f"{difference.day:%d/%m/%Y}",
                            "ledger": "—" if difference.ledger is None else difference.ledger,
                            "n": difference.counted,
                        }
                    )
                if differences and options["fix"]:
                    ledger_fix(differences)
            total += len(differences)
        if total and not options["fix"]:
            raise CommandError(
                ngettext(
                    "%(n)s écart dans le registre des places.",
                    "%(n)s écarts dans le registre des places.",
                    total,
                )
                % {"n": total}
            )
        self.stdout.write(
            ngettext("%(n)s écart corrigé.", "%(n)s écarts corrigés.", total) % {"n": total}
            if total
            else _("Registre des places conforme.")
        )
