"""Import the household files of a town from its previous software (CSV, all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.core.errors import DomainError
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.onboarding.import_writer import (
    Counts,
    household_file_import,
    service_names,
)
from espacefamille.onboarding.importing import household_file_parse


class Command(BaseCommand):
    help = "Importe les foyers d'une commune depuis un fichier CSV (tout ou rien)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="Identifiant court (slug) de la commune.")
        parser.add_argument("file", type=Path, help="Fichier CSV UTF-8, une ligne par enfant.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(
                _("Commune « %(slug)s » inconnue.") % {"slug": options["municipality"]}
            )
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Impossible de lire le fichier « %(path)s » : %(reason)s")
                % {"path": path, "reason": _read_error(exc)}
            ) from exc
        try:
            parsed = household_file_parse(data=data, services=service_names(municipality))
            if parsed.errors:
                lines = sorted({error.line for error in parsed.errors})
                raise CommandError(
                    "\n".join(
                        [
                            ngettext(
                                "Import annulé, rien n'a été enregistré : "
                                "%(count)s ligne en erreur.",
                                "Import annulé, rien n'a été enregistré : "
                                "%(count)s lignes en erreur.",
                                len(lines),
                            )
                            % {"count": len(lines)},
                            *(str(error) for error in parsed.errors),
                        ]
                    )
                )
            with municipality_scope(municipality):
                summary = household_file_import(
                    municipality=municipality,
                    parsed=parsed,
                    actor=None,
                    file_name=path.name,
                    via="commande import_households",
                )
        except DomainError as exc:
            raise CommandError(
                _("Import annulé, rien n'a été enregistré : %(reason)s") % {"reason": exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(_("Import terminé pour %(town)s.") % {"town": municipality.name})
        )
        for label, counts in (
            (_("Foyers"), summary.households),
            (_("Responsables"), summary.guardians),
            (_("Enfants"), summary.children),
            (_("Inscriptions"), summary.enrollments),
        ):
            self.stdout.write(f"  {label} — {_format(counts)}")


def _format(counts: Counts) -> str:
    return _("créés : %(created)s, modifiés : %(updated)s, inchangés : %(unchanged)s") % {
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
    }


def _read_error(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return _("fichier introuvable.")
    if isinstance(exc, IsADirectoryError):
        return _("c'est un dossier, pas un fichier.")
    if isinstance(exc, PermissionError):
        return _("accès refusé.")
    return _("erreur de lecture.")
