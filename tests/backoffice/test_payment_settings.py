"""Payment settings screens (administrators): the provider per town and régie — secrets never
shown back in full, kept when their field is left empty, masked in the action log — and the
cancellation rule of each prepaid régie."""

from __future__ import annotations

import json
import re

import pytest

from espacefamille.audit.models import ActionLogEntry
from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.payments.models import CancellationRule, ProviderConfig

from ..factories import MunicipalityFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

SECRET = "S3cr3tKeyABCD1234"
URL = "/agents/configuration/paiement/"


def _systempay(**changes: str) -> dict[str, str]:
    data = {
        "backend": "systempayv2",
        "service": "",
        "is_active": "on",
        "option_service_url": "https://paiement.systempay.fr/vads-payment/",
        "option_secret_test": SECRET,
        "option_vads_ctx_mode": "TEST",
        "option_vads_site_id": "12345678",
        "option_vads_payment_config": "SINGLE",
    }
    data.update(changes)
    return data


def _entries(town: Municipality) -> list[ActionLogEntry]:
    with municipality_scope(town):
        return list(ActionLogEntry.objects.filter(object_type="providerconfig").order_by("pk"))


def test_a_secret_is_stored_masked_on_screen_and_in_the_log(
    administrator: Agent, town: Municipality
) -> None:
    client = administrator.client
    assert client.post(URL + "ajouter/", _systempay()).status_code == 302
    with municipality_scope(town):
        config = ProviderConfig.objects.get()
    assert config.options["secret_test"] == SECRET
    page = page_text(client.get(f"{URL}{config.pk}/"))
    assert SECRET not in page and "••••1234" in page
    assert SECRET not in page_text(client.get(URL))
    (created,) = _entries(town)
    assert SECRET not in json.dumps(created.changes, ensure_ascii=False)
    assert created.changes["options"][1]["secret_test"] == "••••1234"


def test_an_empty_secret_keeps_the_stored_one(administrator: Agent, town: Municipality) -> None:
    client = administrator.client
    client.post(URL + "ajouter/", _systempay())
    with municipality_scope(town):
        config = ProviderConfig.objects.get()
    data = _systempay(option_secret_test="", option_vads_site_id="87654321")
    assert client.post(f"{URL}{config.pk}/", data).status_code == 302
    config.refresh_from_db()
    assert config.options["secret_test"] == SECRET
    assert config.options["vads_site_id"] == "87654321"
    changed = _entries(town)[-1]
    assert changed.action == "payment_provider.update"
    assert SECRET not in json.dumps(changed.changes, ensure_ascii=False)


def test_a_missing_required_option_writes_nothing(administrator: Agent, town: Municipality) -> None:
    response = administrator.client.post(
        URL + "ajouter/", _systempay(option_secret_test="", option_vads_site_id="")
    )
    assert response.status_code == 200
    assert "Renseignez" in page_text(response)
    with municipality_scope(town):
        assert not ProviderConfig.objects.exists()
    assert not _entries(town)


def test_payfip_options_and_a_second_provider_for_the_same_regie(
    administrator: Agent, town: Municipality
) -> None:
    client = administrator.client
    with municipality_scope(town):
        load_catalog(town)
        wednesday = Service.objects.get(name="Accueil du mercredi")
    data = {
        "backend": "payfip_ws",
        "service": str(wednesday.pk),
        "is_active": "on",
        "option_numcli": "090909",
        "option_saisie": "T",
    }
    assert client.post(URL + "ajouter/", data).status_code == 302
    again = client.post(URL + "ajouter/", data)
    assert "déjà un prestataire" in page_text(again)
    with municipality_scope(town):
        assert ProviderConfig.objects.get().options == {"numcli": "090909", "saisie": "T"}


def test_another_towns_provider_is_404_and_a_regie_agent_is_403(
    administrator: Agent, regie: Agent
) -> None:
    other = MunicipalityFactory()
    with municipality_scope(other):
        config = ProviderConfig.objects.create(municipality=other, backend="dummy", options={})
    assert administrator.client.get(f"{URL}{config.pk}/").status_code == 404
    assert regie.client.get(URL).status_code == 403
    assert regie.client.post(URL + "ajouter/", _systempay()).status_code == 403


def test_the_cancellation_rule_of_a_prepaid_regie(administrator: Agent, town: Municipality) -> None:
    client = administrator.client
    with municipality_scope(town):
        load_catalog(town)
        wednesday = Service.objects.get(name="Accueil du mercredi")
        canteen = Service.objects.get(name="Restaurant scolaire")
    page = page_text(client.get(URL + "annulations/"))
    assert "Accueil du mercredi" in page and "Restaurant scolaire" not in page
    data = {"service": str(wednesday.pk), "outcome": "credit"}
    assert client.post(URL + "annulations/", data).status_code == 302
    with municipality_scope(town):
        assert CancellationRule.objects.get(service=wednesday).outcome == "credit"
        entry = ActionLogEntry.objects.order_by("-pk").first()
    assert entry is not None and entry.action == "cancellation_rule.update"
    assert entry.changes == {"outcome": ["", "credit"]}
    # A postpaid régie or a made-up outcome: nothing written.
    client.post(URL + "annulations/", {"service": str(canteen.pk), "outcome": "refund"})
    client.post(URL + "annulations/", {"service": str(wednesday.pk), "outcome": "cash"})
    with municipality_scope(town):
        assert not CancellationRule.objects.filter(service=canteen).exists()
        assert CancellationRule.objects.get(service=wednesday).outcome == "credit"


@pytest.mark.parametrize("backend", ["paybox", "ogone", "sips2"])
def test_backends_listing_bare_choices_get_their_form(administrator: Agent, backend: str) -> None:
    """eopayment lists some choices as bare values (Paybox's capture mode, Ogone's
    environment): their form shows them as options rather than failing."""
    response = administrator.client.get(
        f"/agents/configuration/paiement/ajouter/?backend={backend}"
    )
    assert response.status_code == 200
    assert "<select" in response.content.decode()


def _visible(response: object) -> str:
    """The text a person reads (no tags, so no field names in attributes)."""
    return re.sub(r"<[^>]+>", " ", page_text(response))


# Words eopayment gives its backends' options for developers (issue 16, item 7).
ENGLISH = [
    "capture_day",
    "name of the requesting service",
    "dummy integer input test",
    "dummy choice",
    "considered as signed",
    "Capture Mode",
    "Default Timezone",
    "Characters encoding",
    "Language",
    "API key",
    "General description",
    "URL of the payment service",
    "Merchant ID",
    "Secret Key",
    "Key Version",
    "Currency code",
    "Payment Means",
    "vads_ctx_mode",
    "vads_payment_config",
    "Backup",
]


@pytest.mark.parametrize(
    "backend", ["payfip_ws", "systempayv2", "payzen", "paybox", "ogone", "sips2", "mollie"]
)
def test_every_option_of_a_towns_backend_has_a_french_label_and_help(
    administrator: Agent, backend: str
) -> None:
    from espacefamille.payments.option_texts import OPTION_TEXTS
    from espacefamille.payments.provider_settings import backend_parameters

    page = _visible(administrator.client.get(f"{URL}ajouter/?backend={backend}"))
    assert [word for word in ENGLISH if word in page] == []
    parameters = backend_parameters(backend)
    assert parameters and all(parameter.name in OPTION_TEXTS for parameter in parameters)
    for parameter in parameters:
        assert parameter.caption in page and parameter.help in page


def test_the_demo_bank_and_its_test_inputs_are_hidden_outside_the_demo(
    administrator: Agent, settings: object, town: Municipality
) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    settings.DEMO_BANK = False  # type: ignore[attr-defined]
    client = administrator.client
    page = page_text(client.get(f"{URL}ajouter/?backend=dummy"))
    assert 'value="dummy"' not in page and "Démonstration" not in page
    assert "Numéro de client PayFiP" in page  # the default backend's options instead
    refused = client.post(URL + "ajouter/", {"backend": "dummy", "service": "", "is_active": "on"})
    assert refused.status_code == 200
    with municipality_scope(town):
        assert not ProviderConfig.objects.exists()
    settings.DEMO_BANK = True  # type: ignore[attr-defined]
    demo_response = client.get(f"{URL}ajouter/?backend=dummy")
    demo_page, demo = page_text(demo_response), _visible(demo_response)
    assert "Nom affiché par la banque de démonstration" in demo
    assert [word for word in ENGLISH if word in demo] == []
    assert "option_number" not in demo_page
    assert "option_consider_all_response_signed" not in demo_page
