from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from espacefamille.billing.lookups import municipality_by_slug, parse_day, service_by_slug
from espacefamille.billing.treasury import statement_csv, statement_xlsx, treasury_statement
from espacefamille.core.tenancy import municipality_scope


class Command(BaseCommand):
    help = (
        "État d'encaissement récapitulatif d'une régie pour la trésorerie : règlements par mode "
        "et par jour avec les totaux, et factures impayées à la fin de la période."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="identifiant court de la collectivité")
        parser.add_argument("service", help="service (ex. restaurant-scolaire)")
        parser.add_argument("start", help="du (AAAA-MM-JJ)")
        parser.add_argument("end", help="au (AAAA-MM-JJ), inclus")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", help="fichier à écrire (par défaut : CSV à l'écran, XLSX dans le dossier)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        town = municipality_by_slug(options["municipality"])
        start, end = parse_day(options["start"]), parse_day(options["end"])
        if end < start:
            raise CommandError("La date de fin précède la date de début.")
        with municipality_scope(town):
            service = service_by_slug(options["service"])
            statement = treasury_statement(service=service, start=start, end=end)
        output = options["output"]
        if options["format"] == "csv":
            text = statement_csv(statement)
            if output:
                Path(output).write_text(text, encoding="utf-8-sig")
            else:
                self.stdout.write(text, ending="")
                return
        else:
            output = output or f"etat-encaissement-{options['service']}-{start}-{end}.xlsx"
            Path(output).write_bytes(statement_xlsx(statement))
        self.stdout.write(
            f"{output} : {len(statement.payments)} règlements, {len(statement.unpaid)} impayées."
        )
