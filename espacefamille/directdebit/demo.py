"""Direct debit in the demo: Garderie collects its own debits (pain.008), Restaurant scolaire
through the treasury (the PES title carries the mandate); the DUPONT household has an active
Garderie mandate on a test IBAN. Loading again creates nothing twice."""

from __future__ import annotations

from django.utils import timezone

from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality
from espacefamille.households.models import Guardian, Household

from .models import CollectionMode, DirectDebitSettings, Mandate
from .services import mandate_create

DEMO_IBAN = "FR7630006000011234567890189"  # a well-formed test IBAN, no real account
CREDITOR_IBAN = "FR283000100794C840000000053"  # the town's account at the Banque de France
CREDITOR_ID = "FR72ZZZ123456"
MODES = {
    "Garderie": CollectionMode.REGIE,
    "Restaurant scolaire": CollectionMode.TREASURY,
}


def load_direct_debit_demo(town: Municipality) -> None:
    """Call inside the town's scope, after the demo's households and invoices."""
    for name, mode in MODES.items():
        service = Service.objects.filter(name=name).first()
        if service is None:
            continue
        DirectDebitSettings.objects.get_or_create(
            service=service,
            defaults={
                "municipality": town,
                "creditor_name": town.name,
                "creditor_id": CREDITOR_ID,
                "creditor_iban": CREDITOR_IBAN,
                "creditor_bic": "BDFEFRPP",
                "collection_mode": mode,
                "notice_days": 5,
            },
        )
    daycare = Service.objects.filter(name="Garderie").first()
    dupont = Household.objects.filter(external_ref="DEMO-001").first()
    if daycare is None or dupont is None:
        return
    if Mandate.objects.filter(household=dupont, service=daycare).exists():
        return
    guardian = Guardian.objects.filter(household=dupont).order_by("rank").first()
    mandate_create(
        household=dupont,
        service=daycare,
        holder=str(guardian) if guardian else dupont.name,
        iban=DEMO_IBAN,
        channel="paper",
        user=None,
        signed_on=timezone.localdate(),
    )
