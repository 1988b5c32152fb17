"""``debit_data_for_invoices``: the mandate of invoices of a régie collecting through the
treasury, with the previous account and RUM when amended since its last collection."""

from __future__ import annotations

from datetime import date, timedelta

from espacefamille.directdebit.debit_data import DebitData
from espacefamille.directdebit.models import CollectionMode, DirectDebitSettings, Mandate
from espacefamille.directdebit.selectors import debit_data_for_invoices
from espacefamille.directdebit.services import (
    mandate_amend,
    mandate_revoke,
    treasury_debits_mark_collected,
)

from ..billing.conftest import Billing
from .conftest import IBAN, OTHER_IBAN, daycare_invoice, sign


def test_treasury_debit_data_and_amendments(debit_town: Billing) -> None:
    invoice = daycare_invoice(debit_town, 1)
    mandate = sign(debit_town)
    assert debit_data_for_invoices([invoice]) == {}  # the régie collects itself
    DirectDebitSettings.objects.update(collection_mode=CollectionMode.TREASURY)
    data = debit_data_for_invoices([invoice])[invoice.pk]
    assert data == DebitData(
        rum=mandate.rum,
        iban=IBAN,
        bic=mandate.bic,
        holder="François DUPONT",
        signed_on=mandate.signed_on,
        previous_rum=None,
        previous_iban=None,
        previous_bic=None,
    )
    # Collected once, then amended: the previous values travel with the next title.
    Mandate.objects.filter(pk=mandate.pk).update(last_collected_on=date.today() - timedelta(1))
    mandate_amend(mandate=mandate, user=None, iban=OTHER_IBAN, rum="RUM-2")
    data = debit_data_for_invoices([invoice])[invoice.pk]
    assert (data.iban, data.rum) == (OTHER_IBAN, "RUM-2")
    assert (data.previous_iban, data.previous_rum) == (IBAN, mandate.rum)
    # Once the title has left, the amendment is no longer announced.
    assert treasury_debits_mark_collected(invoices=[invoice], on=date.today() + timedelta(1)) == 1
    data = debit_data_for_invoices([invoice])[invoice.pk]
    assert (data.previous_iban, data.previous_rum) == (None, None)
    mandate_revoke(mandate=mandate, user=None)
    assert debit_data_for_invoices([invoice]) == {}
