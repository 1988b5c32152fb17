"""``close_days <commune> <JJ/MM/AAAA> [<JJ/MM/AAAA>] --reason greve|intemperies|sanitaire|autre
[--product NAME …] [--site NAME …] [--dry-run]``: an exceptional closure from a town's scripts.
Prints the preview (first line ``N réservation(s) de M famille(s) seront annulées``) and,
without ``--dry-run``, applies it (the families are told after commit); a dry run writes and
sends nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.catalog.models import ClosureKind, Product, Site
from espacefamille.core.command_towns import town_named
from espacefamille.core.errors import DomainError
from espacefamille.core.tenancy import municipality_scope
from espacefamille.counter.closing import ClosureRequest, closure_declare, closure_preview


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as error:
        raise CommandError(
            _("Date « %(text)s » illisible : écrivez JJ/MM/AAAA.") % {"text": text}
        ) from error


class Command(BaseCommand):
    help = (
        "Ferme des jours (grève, intempéries, raison sanitaire…) : annule les réservations de "
        "ces jours, rend ce qui a été payé et prévient les familles. --dry-run n'affiche que "
        "l'aperçu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="Identifiant court de la commune.")
        parser.add_argument("start", help="Premier jour fermé (JJ/MM/AAAA).")
        parser.add_argument("end", nargs="?", help="Dernier jour fermé (JJ/MM/AAAA).")
        parser.add_argument("--reason", required=True, choices=ClosureKind.values)
        parser.add_argument("--product", action="append", default=[], help="Nom de prestation.")
        parser.add_argument("--site", action="append", default=[], help="Nom de site.")
        parser.add_argument("--dry-run", action="store_true", help="Aperçu seulement.")

    def handle(self, *args: Any, **options: Any) -> None:
        town = town_named(options["municipality"])
        start = _day(options["start"])
        end = _day(options["end"]) if options["end"] else start
        with municipality_scope(town):
            products = self._products(options["product"])
            sites = self._sites(options["site"])
            request = ClosureRequest(
                start=start, end=end, kind=options["reason"], products=products, sites=sites
            )
            try:
                preview = closure_preview(municipality=town, request=request)
                for line in preview.lines():
                    self.stdout.write(line)
                if options["dry_run"]:
                    self.stdout.write(_("Aperçu seulement (--dry-run) : rien n'est modifié."))
                    return
                declared = closure_declare(municipality=town, request=request, actor=None)
            except DomainError as error:
                raise CommandError(str(error.message)) from error
        self.stdout.write(
            ngettext(
                "Fermeture enregistrée : %(n)s réservation annulée, familles prévenues.",
                "Fermeture enregistrée : %(n)s réservations annulées, familles prévenues.",
                declared.cancelled,
            )
            % {"n": declared.cancelled}
        )

    def _products(self, names: list[str]) -> tuple[Product, ...]:
        found = {p.name.casefold(): p for p in Product.objects.select_related("service")}
        unknown = [name for name in names if name.casefold() not in found]
        if unknown:
            raise CommandError(
                _("Prestation inconnue : %(names)s.") % {"names": ", ".join(unknown)}
            )
        return tuple(found[name.casefold()] for name in names)

    def _sites(self, names: list[str]) -> tuple[Site, ...]:
        found = {s.name.casefold(): s for s in Site.objects.all()}
        unknown = [name for name in names if name.casefold() not in found]
        if unknown:
            raise CommandError(_("Site inconnu : %(names)s.") % {"names": ", ".join(unknown)})
        return tuple(found[name.casefold()] for name in names)
