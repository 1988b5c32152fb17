"""The family quotient in "Mes données": the quotients recorded and how each came, the
consents given or withdrawn (with the text shown), the identities kept for the refresh."""

from __future__ import annotations

from typing import Any

from espacefamille.billing.models import HouseholdQuotient
from espacefamille.core.plain_values import plain
from espacefamille.households.models import Household

from .models import GuardianIdentity, QuotientConsent, QuotientEntry

Row = dict[str, Any]


def quotients_section(household: Household) -> list[Row]:
    rows = list(HouseholdQuotient.objects.filter(household=household).order_by("valid_from", "pk"))
    entries = {e.quotient_id: e for e in QuotientEntry.objects.filter(quotient__in=rows)}
    result = []
    for row in rows:
        entry = entries.get(row.pk)
        result.append(
            {
                "quotient": plain(row.value),
                "source": str(row.get_source_display()),
                "applique_a_partir_du": plain(row.valid_from),
                "organisme": entry.provider if entry else None,
                "mois_de_calcul": plain(entry.computed_month) if entry else None,
                "enregistre_le": plain(row.recorded_at),
            }
        )
    return result


def quotient_consents_section(household: Household) -> list[Row]:
    return [
        {
            "accord": consent.granted,
            "texte_presente": consent.wording,
            "version": consent.version,
            "enregistre_le": plain(consent.recorded_at),
            "enregistre_par": str(consent.recorded_by) if consent.recorded_by else None,
        }
        for consent in QuotientConsent.objects.filter(household=household)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    ]


def quotient_identities_section(household: Household) -> list[Row]:
    return [
        {
            "responsable": str(identity.guardian),
            "nom_de_naissance": identity.birth_name,
            "prenoms": identity.first_names,
            "sexe": identity.sex,
            "date_de_naissance": plain(identity.birth_date),
            "pays_de_naissance": identity.birth_country,
            "commune_de_naissance": identity.birth_commune,
        }
        for identity in GuardianIdentity.objects.filter(guardian__household=household)
        .select_related("guardian")
        .order_by("guardian__rank", "pk")
    ]
