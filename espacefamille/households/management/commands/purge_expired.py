"""``manage.py purge_expired [--dry-run]``: anonymise the household files of every town that
have had no activity for the town's retention period (espacefamille.households.retention)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import ngettext

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.retention import expired_households, household_anonymise


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count} {ngettext(singular, plural, count)}"


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
                        f"({_count(item.guardians, 'responsable', 'responsables')}, "
                        f"{_count(item.children, 'enfant', 'enfants')} ; "
                        f"{_count(item.invoices_kept, 'facture conservée', 'factures conservées')})"
                    )
                    if not dry_run:
                        household_anonymise(item.household)
                total += len(expired)
        if dry_run:
            summary = (
                _count(total, "foyer", "foyers") + " à anonymiser (simulation, rien n'est modifié)"
            )
        else:
            summary = _count(total, "foyer anonymisé", "foyers anonymisés")
        self.stdout.write(self.style.SUCCESS(f"{summary}."))
