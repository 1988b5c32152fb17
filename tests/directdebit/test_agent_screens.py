"""The agents' screens: a paper mandate on a household, a batch for a date under
Facturation (download, action log), a returned debit recorded from the batch; bad input
changes nothing; an animateur is refused."""

from __future__ import annotations

from typing import Any

from espacefamille.audit.models import ActionLogEntry
from espacefamille.billing.balances import invoice_balance
from espacefamille.directdebit.models import Debit, DebitBatch, Mandate

from ..backoffice.helpers import Agent
from ..billing.conftest import Billing
from .conftest import IBAN, daycare_invoice


def test_paper_mandate_batch_and_rejection_from_the_screens(
    debit_town: Billing,
    regie: Agent,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = regie.client
    household = debit_town.family.household
    url = f"/agents/foyers/{household.pk}/mandats/"
    base = {
        "service": debit_town.daycare.pk,
        "holder": "François DUPONT",
        "signed_on": "02/09/2026",
        "rum": "",
    }
    page = client.post(url, {**base, "iban": "FR76 3000 6000 0112 3456 7890 188"})
    assert page.status_code == 200 and "IBAN n&#x27;est pas valide" in page.content.decode()
    assert not Mandate.objects.exists()
    response = client.post(url, {**base, "iban": IBAN.lower()})
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert (mandate.channel, mandate.signed_by) == ("paper", regie.user)
    listing = client.get(url).content.decode()
    assert "FR76 •••• •••• 0189" in listing and IBAN not in listing

    invoice = daycare_invoice(debit_town, 1)
    batches = "/agents/facturation/prelevements/"
    day = f"{invoice.due_on:%d/%m/%Y}"
    response = client.post(batches, {"service": debit_town.daycare.pk, "collection_date": day})
    batch = DebitBatch.objects.get()
    assert response["Location"] == f"/agents/facturation/prelevements/{batch.pk}/"
    download = client.get(f"/agents/facturation/prelevements/{batch.pk}/fichier/")
    assert download.status_code == 200 and b"pain.008.001.02" in download.content
    again = client.post(batches, {"service": debit_town.daycare.pk, "collection_date": day})
    assert "Aucune facture à prélever" in again.content.decode()
    assert DebitBatch.objects.count() == 1

    debit = Debit.objects.get()
    client.post(f"/agents/facturation/prelevements/rejet/{debit.pk}/", {"reason": "nope"})
    assert Debit.objects.get().status == "sent"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/agents/facturation/prelevements/rejet/{debit.pk}/", {"reason": "MS02"})
    assert Debit.objects.get().status == "rejected"
    assert invoice_balance(invoice=invoice) == invoice.total
    actions = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert {"mandate.record_paper", "debit_batch.create", "debit.reject"} <= actions

    client.post(f"/agents/foyers/mandats/{mandate.pk}/revoquer/")
    assert Mandate.objects.get().status == "revoked"


def test_an_animateur_cannot_open_the_batches(
    debit_town: Billing,
    agent_factory: Any,
) -> None:
    animateur = agent_factory(role="facilitator")
    assert animateur.client.get("/agents/facturation/prelevements/").status_code == 403
