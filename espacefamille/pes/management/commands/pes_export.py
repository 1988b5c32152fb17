from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from espacefamille.billing.lookups import municipality_by_slug, parse_month, service_by_slug
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope
from espacefamille.pes.export import PesExportError, pes_export


class Command(BaseCommand):
    help = (
        "Titres de recettes pour la trésorerie : les factures définitives du mois d'une régie "
        "dans un fichier PES V2 (PES Aller, ORMC), validé contre les schémas de la DGFiP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="identifiant court de la collectivité")
        parser.add_argument("service", help="régie (ex. restaurant-scolaire)")
        parser.add_argument("month", help="mois facturé, AAAA-MM")
        parser.add_argument("--output", required=True, help="fichier XML à écrire")

    def handle(self, *args: Any, **options: Any) -> None:
        town = municipality_by_slug(options["municipality"])
        month = parse_month(options["month"])
        output = Path(options["output"])
        with municipality_scope(town):
            service = service_by_slug(options["service"])
            try:
                export = pes_export(service=service, month=month)
            except PesExportError as error:
                details = "".join(f"\n  - {line}" for line in error.errors)
                raise CommandError(f"{error}{details}") from error
            shutil.copyfile(export.path, output)
        pes_file = export.pes_file
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(output)s : bordereau %(number)s/%(year)s, %(count)s titre, %(total)s.",
                    "%(output)s : bordereau %(number)s/%(year)s, %(count)s titres, %(total)s.",
                    pes_file.invoice_count,
                )
                % {
                    "output": output,
                    "number": pes_file.bordereau,
                    "year": pes_file.exer,
                    "count": pes_file.invoice_count,
                    "total": format_euros(pes_file.total),
                }
            )
        )
