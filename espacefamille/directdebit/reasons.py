"""The common return reasons of SEPA core direct debits (ISO 20022 codes), in French."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

REASONS = {
    "AC01": gettext_lazy("IBAN incorrect"),
    "AC04": gettext_lazy("compte clôturé"),
    "AC06": gettext_lazy("compte bloqué"),
    "AG01": gettext_lazy("compte n'acceptant pas le prélèvement"),
    "AM04": gettext_lazy("provision insuffisante"),
    "AM05": gettext_lazy("prélèvement en double"),
    "MD01": gettext_lazy("pas de mandat valide"),
    "MD02": gettext_lazy("données du mandat incomplètes ou incorrectes"),
    "MD06": gettext_lazy("remboursement demandé par le titulaire du compte"),
    "MD07": gettext_lazy("titulaire du compte décédé"),
    "MS02": gettext_lazy("refus du titulaire du compte"),
    "MS03": gettext_lazy("raison non communiquée par la banque"),
    "RR01": gettext_lazy("identification du titulaire manquante"),
    "SL01": gettext_lazy("service particulier de la banque du débiteur"),
}


def reason_label(code: str) -> str:
    label = REASONS.get(code)
    return f"{code} — {label}" if label else code
