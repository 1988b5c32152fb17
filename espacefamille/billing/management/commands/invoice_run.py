from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from espacefamille.billing.lookups import municipality_by_slug, parse_month, service_by_slug
from espacefamille.billing.run_tasks import invoice_run_compute
from espacefamille.billing.runs import (
    invoice_run_review,
)
from espacefamille.core.errors import DomainError
from espacefamille.core.money import format_euros
from espacefamille.core.tenancy import municipality_scope

VIA = "commande invoice_run"


class Command(BaseCommand):
    help = (
        "Facturation mensuelle d'un service postfacturé : calcule le brouillon (relancer le "
        "remplace), puis avec --final numérote et émet les factures (une seule fois)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="identifiant court de la collectivité")
        parser.add_argument("service", help="service (ex. restaurant-scolaire)")
        parser.add_argument("month", help="mois facturé, AAAA-MM")
        parser.add_argument("--final", action="store_true", help="émettre les factures")

    def handle(self, *args: Any, **options: Any) -> None:
        town = municipality_by_slug(options["municipality"])
        month = parse_month(options["month"])
        with municipality_scope(town):
            service = service_by_slug(options["service"])
            started = time.perf_counter()
            try:
                # The same refusals ("already final", "already being computed") and the
                # same action log as a run started from the back office; --final asks for the
                # invoices to be issued once the draft is computed.
                run = invoice_run_compute(
                    service=service, month=month, final=options["final"], via=VIA
                )
                review = invoice_run_review(run=run)
                self.stdout.write(
                    f"Brouillon {service.name} {month:%m/%Y} : "
                    + ngettext("%(n)s facture", "%(n)s factures", run.invoice_count)
                    % {"n": run.invoice_count}
                    + ", "
                    + ngettext("%(n)s ligne", "%(n)s lignes", run.line_count)
                    % {"n": run.line_count}
                    + f", total {format_euros(run.total)}, "
                    + ngettext("%(n)s anomalie", "%(n)s anomalies", run.anomaly_count)
                    % {"n": run.anomaly_count}
                    + f" ({time.perf_counter() - started:.1f} s)."
                )
                for line in review["anomalies"][:20]:
                    self.stdout.write(
                        f"  anomalie : {line.invoice.household.name} — {line.child_name} — "
                        f"{line.product_name} le {line.date:%d/%m/%Y} : réservé, pointage absent"
                    )
                if options["final"]:
                    self.stdout.write(self.style.SUCCESS(f"Factures émises : {run.invoice_count}."))
            except DomainError as error:
                raise CommandError(str(error)) from error
