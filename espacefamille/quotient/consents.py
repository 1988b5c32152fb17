"""The family's consent to fetch its quotient: append-only rows kept as image consents are
(wording, version, who, when). Withdrawing it stops every future fetch and deletes the
identities kept for the yearly refresh; the quotients already recorded keep pricing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor
from espacefamille.households.audit import record_change
from espacefamille.households.models import Guardian, Household, HouseholdChange

from .models import GuardianIdentity, QuotientConsent

CONSENT_VERSION = "2026-12"


def consent_wording() -> str:
    return _(
        "J'accepte que la commune interroge la CAF ou la MSA, par le service de l'État "
        "« API Particulier », pour connaître le quotient familial de mon foyer. Sont "
        "transmis : le nom de naissance, les prénoms, le sexe, la date et le lieu de "
        "naissance du responsable choisi. Sont conservés : la valeur du quotient, "
        "l'organisme (CAF ou MSA) et le mois de calcul, pour appliquer le tarif de la "
        "tranche correspondante aux factures suivantes. La commune renouvelle cette "
        "demande chaque année en janvier. Vous pouvez retirer votre accord à tout moment "
        "dans « Gestion du foyer » ; vous pouvez aussi remettre une attestation papier."
    )


def current_consent(*, household: Household) -> QuotientConsent | None:
    return (
        QuotientConsent.objects.filter(household=household).order_by("-recorded_at", "-pk").first()
    )


def has_consent(*, household: Household) -> bool:
    consent = current_consent(household=household)
    return consent is not None and consent.granted


@transaction.atomic
def quotient_consent_set(*, household: Household, granted: bool, actor: Actor) -> bool:
    """Record the answer if it differs from the current one; True when something changed."""
    previous = current_consent(household=household)
    if (previous is None and not granted) or (previous is not None and previous.granted == granted):
        return False
    consent = QuotientConsent.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        granted=granted,
        wording=consent_wording(),
        version=CONSENT_VERSION,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    if not granted:
        GuardianIdentity.objects.filter(
            guardian__in=Guardian.objects.filter(household=household)
        ).delete()
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.UPDATE,
        obj=consent,
        changes={
            "accord pour le quotient familial (API Particulier)": [
                None if previous is None else previous.granted,
                granted,
            ]
        },
    )
    return True
