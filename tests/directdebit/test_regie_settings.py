"""A régie's direct debit settings on the configuration screen: a wrong ICS key, a bad IBAN,
a régie collecting itself without an account are refused in French and write nothing; the
saved settings are logged without the full account number."""

from __future__ import annotations

from espacefamille.audit.models import ActionLogEntry
from espacefamille.directdebit.models import DirectDebitSettings
from espacefamille.directdebit.regie_settings import ics_error

from ..backoffice.helpers import Agent
from ..billing.conftest import Billing

ACCOUNT = "FR283000100794C840000000053"


def test_ics_check_digits() -> None:
    assert ics_error("FR72ZZZ123456") == ""
    assert "clé de contrôle" in ics_error("FR12ZZZ123456")
    assert ics_error("ZZZ123456")


def test_settings_screen_refuses_then_saves(billing: Billing, administrator: Agent) -> None:
    url = f"/agents/configuration/services/{billing.restaurant.pk}/prelevement/"
    good = {
        "is_enabled": "on",
        "creditor_name": "Commune de Test",
        "creditor_id": "FR72ZZZ123456",
        "collection_mode": "regie",
        "creditor_iban": ACCOUNT,
        "notice_days": "5",
    }
    client = administrator.client
    for bad, message in [
        ({"creditor_id": "FR12ZZZ123456"}, "clé de contrôle"),
        ({"creditor_iban": "FR76 1234"}, "IBAN n&#x27;est pas valide"),
        ({"creditor_iban": ""}, "indique l&#x27;IBAN du compte crédité"),
    ]:
        page = client.post(url, {**good, **bad})
        assert page.status_code == 200 and message in page.content.decode()
    assert not DirectDebitSettings.objects.exists()
    assert client.post(url, good).status_code == 302
    config = DirectDebitSettings.objects.get()
    assert (config.creditor_id, config.creditor_iban) == ("FR72ZZZ123456", ACCOUNT)
    entry = ActionLogEntry.objects.get(action="direct_debit_settings.update")
    assert ACCOUNT not in repr(entry.changes)
