from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from espacefamille.billing.lookups import municipality_by_slug, parse_day, service_by_slug
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope
from espacefamille.directdebit.batches import batch_filename, debit_batch_create
from espacefamille.directdebit.services import DirectDebitError


class Command(BaseCommand):
    help = (
        "Lot de prélèvements SEPA (pain.008.001.02) d'une régie qui prélève elle-même, pour une "
        "date de prélèvement : les factures échues des foyers ayant un mandat actif, jamais deux "
        "fois la même. Le fichier est validé par le schéma avant d'être écrit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="identifiant court de la collectivité")
        parser.add_argument("service", help="régie (ex. garderie)")
        parser.add_argument("date", help="date de prélèvement, AAAA-MM-JJ")
        parser.add_argument("--output", help="fichier XML à écrire (par défaut dans le dossier)")

    def handle(self, *args: Any, **options: Any) -> None:
        town = municipality_by_slug(options["municipality"])
        day = parse_day(options["date"])
        with municipality_scope(town):
            service = service_by_slug(options["service"])
            try:
                batch = debit_batch_create(service=service, collection_date=day, user=None)
            except DirectDebitError as error:
                raise CommandError(error.message) from error
            output = options["output"] or batch_filename(batch)
            Path(output).write_text(batch.xml, encoding="utf-8")
            self.stdout.write(
                ngettext(
                    "%(output)s : %(count)s prélèvement, total %(total)s, le %(day)s.",
                    "%(output)s : %(count)s prélèvements, total %(total)s, le %(day)s.",
                    batch.debit_count,
                )
                % {
                    "output": output,
                    "count": batch.debit_count,
                    "total": format_euros(batch.total),
                    "day": f"{day:%d/%m/%Y}",
                }
            )
