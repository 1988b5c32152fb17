"""Print a join code ("code d'adhésion") for every household of a town that has no account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.core.models import Municipality
from espacefamille.core.spreadsheet_cells import csv_writer
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Household
from espacefamille.onboarding.invitations import household_is_activated
from espacefamille.onboarding.join_codes import join_code_for


class Command(BaseCommand):
    help = (
        "Affiche un code d'adhésion par foyer sans compte (CSV « ; » : référence, foyer, code). "
        "Relancée, la commande affiche les mêmes codes tant qu'ils sont valables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="Identifiant court (slug) de la commune.")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(
                _("Commune « %(slug)s » inconnue.") % {"slug": options["municipality"]}
            )
        # The codes go to stdout as CSV (ready for a mail merge); the count goes to stderr.
        writer = csv_writer(self.stdout, delimiter=";", lineterminator="\n")
        writer.writerow([_("référence"), _("foyer"), _("code d'adhésion")])
        printed = activated = 0
        with municipality_scope(municipality):
            for household in Household.objects.order_by("external_ref", "name", "pk"):
                if household_is_activated(household):
                    activated += 1
                    continue
                code = join_code_for(household=household)
                writer.writerow([household.external_ref, household.name, code.code])
                printed += 1
        self.stderr.write(
            ngettext("%(n)s code d'adhésion", "%(n)s codes d'adhésion", printed) % {"n": printed}
            + " ; "
            + ngettext(
                "%(n)s foyer déjà activé ignoré.", "%(n)s foyers déjà activés ignorés.", activated
            )
            % {"n": activated},
            style_func=self.style.SUCCESS,
        )
