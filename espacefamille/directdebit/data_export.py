"""The household's mandates and debits in "Mes données" (the family's own export: the IBAN
in full, as the family gave it; it is masked everywhere else)."""

from __future__ import annotations

from typing import Any

from espacefamille.households.models import Household

from .models import Debit, Mandate
from .reasons import reason_label


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def mandates_rows(household: Household) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for mandate in Mandate.objects.filter(household=household).select_related("service"):
        rows.append(
            {
                "regie": mandate.service.name,
                "rum": mandate.rum,
                "titulaire": mandate.holder,
                "iban": mandate.iban,
                "bic": mandate.bic,
                "signe_le": _day(mandate.signed_on),
                "signature": mandate.get_channel_display(),
                "texte_du_mandat": mandate.text,
                "version_du_texte": mandate.text_version,
                "etat": mandate.get_status_display(),
                "revoque_le": _day(mandate.revoked_at),
                "modifications": [
                    {
                        "ancien_iban": amendment.previous_iban,
                        "ancien_bic": amendment.previous_bic,
                        "ancienne_rum": amendment.previous_rum,
                        "le": _day(amendment.amended_at),
                    }
                    for amendment in mandate.amendments.all()
                ],
            }
        )
    return rows


def debits_rows(household: Household) -> list[dict[str, Any]]:
    debits = Debit.objects.filter(mandate__household=household).select_related(
        "batch", "invoice", "mandate"
    )
    return [
        {
            "facture": debit.invoice.number,
            "rum": debit.mandate.rum,
            "date_de_prelevement": _day(debit.batch.collection_date),
            "montant": str(debit.amount),
            "etat": debit.get_status_display(),
            "motif_du_rejet": reason_label(debit.reason_code) if debit.reason_code else None,
        }
        for debit in debits
    ]
