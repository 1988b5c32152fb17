"""``manage.py purge_expired [--dry-run]``: anonymise the household files of every town that
have had no activity for the town's retention period (espacefamille.privacy.retention)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import ngettext

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.privacy.retention import expired_households, household_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise les dossiers famille sans activité depuis la durée de conservation de "
        "chaque commune (factures et paiements conservés, sans nom d'enfant)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Afficher ce qui serait anonymisé, sans rien modifier.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        today = timezone.localdate()
        total = 0
        for town in Municipality.objects.all():
            with municipality_scope(town):
                expired = expired_households(town, today)
                for item in expired:
                    verb = "serait anonymisé" if dry_run else "anonymisé"
                    self.stdout.write(
                        f"{town.name} : foyer n°{item.household.pk} ({item.household.name}), "
                        f"dernière activité le {item.last_activity:%d/%m/%Y} — {verb} "
                        "("
                        + ngettext("%(n)s responsable", "%(n)s responsables", item.guardians)
                        % {"n": item.guardians}
                        + ", "
                        + ngettext("%(n)s enfant", "%(n)s enfants", item.children)
                        % {"n": item.children}
                        + " ; "
                        + ngettext(
                            "%(n)s facture conservée",
                            "%(n)s factures conservées",
                            item.invoices_kept,
                        )
                        % {"n": item.invoices_kept}
                        + ")"
                    )
                    if not dry_run:
                        household_anonymise(item.household)
                total += len(expired)
        if dry_run:
            summary = (
                ngettext("%(n)s foyer", "%(n)s foyers", total) % {"n": total}
                + " à anonymiser (simulation, rien n'est modifié)"
            )
        else:
            summary = ngettext("%(n)s foyer anonymisé", "%(n)s foyers anonymisés", total) % {
                "n": total
            }
        self.stdout.write(self.style.SUCCESS(f"{summary}."))
