"""E-mail an activation link to every household of a town that has no account yet."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.accounts.models import Invitation
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian, Household
from espacefamille.onboarding.invitations import household_is_activated, invitation_send


class Command(BaseCommand):
    help = (
        "Envoie un lien d'activation au premier responsable (avec une adresse e-mail) de chaque "
        "foyer sans compte de la commune."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="Identifiant court (slug) de la commune.")
        parser.add_argument(
            "--resend",
            action="store_true",
            help="Renvoie un nouveau lien même si le précédent est encore valable.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(
                _("Commune « %(slug)s » inconnue.") % {"slug": options["municipality"]}
            )
        sent = activated = pending = 0
        without_email: list[Household] = []
        with municipality_scope(municipality):
            for household in Household.objects.order_by("name", "pk"):
                if household_is_activated(household):
                    activated += 1
                    continue
                if not options["resend"] and _has_usable_invitation(household):
                    pending += 1
                    continue
                guardian = (
                    Guardian.objects.filter(household=household)
                    .exclude(email="")
                    .order_by("rank", "pk")
                    .first()
                )
                if guardian is None:
                    without_email.append(household)
                    continue
                # One transaction per household: its e-mail leaves as soon as it commits.
                invitation_send(guardian=guardian, base_url=settings.SITE_URL)
                sent += 1
        out = self.stdout
        out.write(self.style.SUCCESS(_("Invitations envoyées : %(n)s") % {"n": sent}))
        out.write(_("Foyers déjà activés : %(n)s") % {"n": activated})
        out.write(
            _("Foyers avec un lien encore valable (--resend pour renvoyer) : %(n)s")
            % {"n": pending}
        )
        out.write(_("Foyers sans adresse e-mail : %(n)s") % {"n": len(without_email)})
        for household in without_email:
            out.write(
                _("  - %(name)s (référence « %(ref)s ») : aucun responsable n'a d'adresse e-mail")
                % {"name": household.name, "ref": household.external_ref}
            )


def _has_usable_invitation(household: Household) -> bool:
    return Invitation.objects.filter(
        household=household, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()
