"""The agents' screens: settings the schema would refuse are refused in French; a month is
exported, listed, downloaded, refused a second time, cancelled and exported again; Hélios's
acknowledgement marks a bordereau rejected with its reason; régie agents do not configure."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.tenancy import municipality_scope
from espacefamille.pes.models import AcquitState, PesFile, RegieImputation, TreasurySettings

from ..backoffice.helpers import make_agent
from .acquit import acquit_xml
from .conftest import DEMO_SIRET, PesTown

pytestmark = pytest.mark.django_db

VALID = {
    "id_coll": DEMO_SIRET,
    "cod_col": "012",
    "cod_bud": "00",
    "id_post": "084000",
    "exer": "2026",
    "attach_pdf": "on",
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_coll", "218400012000190", "14 chiffres"),
        ("id_coll", "21840001200018", "clé de contrôle"),
        ("cod_bud", "0A", "code budget (CodBud)"),
        ("cod_col", "12", "3 chiffres"),
        ("id_post", "84-000", "6 ou 7 chiffres"),
        ("exer", "26", "4 chiffres"),
    ],
)
def test_broken_settings_are_refused_on_the_screen(
    town: object, field: str, value: str, message: str
) -> None:
    admin = make_agent(town, "administrator")  # type: ignore[arg-type]
    response = admin.client.post(
        reverse("backoffice:invoicing_pes_settings"), {**VALID, field: value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with municipality_scope(town):  # type: ignore[arg-type]
        assert not TreasurySettings.objects.exists()


def test_settings_saved_and_logged(town: object) -> None:
    admin = make_agent(town, "administrator")  # type: ignore[arg-type]
    response = admin.client.post(reverse("backoffice:invoicing_pes_settings"), VALID)
    assert response.status_code == 302
    with municipality_scope(town):  # type: ignore[arg-type]
        assert TreasurySettings.objects.get().id_coll == DEMO_SIRET
        assert ActionLogEntry.objects.filter(action="pes_settings.update").exists()


def test_regie_imputation_refuses_letters_in_the_nature(pes_town: PesTown) -> None:
    town, restaurant = pes_town.billing.town, pes_town.billing.restaurant
    admin = make_agent(town, "administrator")
    url = reverse("backoffice:invoicing_pes_regie", kwargs={"service_id": restaurant.pk})
    response = admin.client.post(url, {"nature": "70A7", "fonction": "251", "cod_prod_loc": "RS"})
    assert response.status_code == 200
    assert "de 1 à 12 chiffres" in response.content.decode()
    with municipality_scope(town):
        assert RegieImputation.objects.get(service=restaurant).nature == "7067"


def test_regie_agents_do_not_configure(pes_town: PesTown) -> None:
    regie = make_agent(pes_town.billing.town, "regie")
    assert regie.client.get(reverse("backoffice:invoicing_pes")).status_code == 200
    assert regie.client.get(reverse("backoffice:invoicing_pes_settings")).status_code == 403


def test_export_history_download_cancel_from_the_screen(pes_town: PesTown, pes_xsd: Path) -> None:
    town, restaurant = pes_town.billing.town, pes_town.billing.restaurant
    agent = make_agent(town, "regie")
    home = reverse("backoffice:invoicing_pes")
    page = agent.client.get(home).content.decode()
    assert "Restaurant scolaire — octobre 2026" in page
    batch = {"batch": f"{restaurant.pk}:2026-10"}
    response = agent.client.post(reverse("backoffice:invoicing_pes_create"), batch)
    assert response.status_code == 302
    with municipality_scope(town):
        pes_file = PesFile.objects.get()
    page = agent.client.get(home).content.decode()
    assert "1/2026" in page and "Aucun mois facturé définitivement" in page
    download = agent.client.get(
        reverse("backoffice:invoicing_pes_download", kwargs={"pk": pes_file.pk})
    )
    assert download.status_code == 200
    schema = etree.XMLSchema(etree.parse(str(pes_xsd / "PES_V2" / "Rev0" / "PES_Aller.xsd")))
    assert schema.validate(etree.fromstring(download.content, etree.XMLParser(huge_tree=True)))
    # the month is no longer offered; forcing it is refused in French
    again = agent.client.post(reverse("backoffice:invoicing_pes_create"), batch)
    assert again.status_code == 200
    assert "Sélectionnez un choix valide" in again.content.decode()
    cancel = reverse("backoffice:invoicing_pes_cancel", kwargs={"pk": pes_file.pk})
    assert agent.client.post(cancel, {"reason": ""}).status_code == 302
    with municipality_scope(town):
        assert PesFile.objects.get().state == "sent"
    agent.client.post(cancel, {"reason": "Mauvais exercice"})
    assert agent.client.post(reverse("backoffice:invoicing_pes_create"), batch).status_code == 302
    with municipality_scope(town):
        assert sorted(PesFile.objects.values_list("bordereau", "state")) == [
            (1, "cancelled"),
            (2, "sent"),
        ]
    page = agent.client.get(home).content.decode()
    assert "fichier PES annulé" in page  # the action log on the screen


def test_export_errors_are_listed_on_the_screen(pes_town: PesTown) -> None:
    guardian = pes_town.billing.family.guardian
    with municipality_scope(pes_town.billing.town):
        guardian.postcode = "8400"
        guardian.save()
    agent = make_agent(pes_town.billing.town, "regie")
    response = agent.client.post(
        reverse("backoffice:invoicing_pes_create"),
        {"batch": f"{pes_town.billing.restaurant.pk}:2026-10"},
    )
    assert response.status_code == 200
    assert "le code postal du responsable doit compter 5 chiffres" in response.content.decode()
    with municipality_scope(pes_town.billing.town):
        assert not PesFile.objects.exists()


def test_acquit_marks_the_bordereau(pes_town: PesTown) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from espacefamille.pes.export import pes_export

    from ..billing.conftest import OCTOBER

    town = pes_town.billing.town
    with municipality_scope(town):
        pes_export(service=pes_town.billing.restaurant, month=OCTOBER)
    agent = make_agent(town, "regie")
    content = acquit_xml(
        siret=DEMO_SIRET, bordereau=1, exer=2026, accepted=False, reason="Tiers inconnu"
    )
    response = agent.client.post(
        reverse("backoffice:invoicing_pes_acquit"),
        {"acquit": SimpleUploadedFile("acquit.xml", content, content_type="text/xml")},
    )
    assert response.status_code == 302
    with municipality_scope(town):
        pes_file = PesFile.objects.get()
        assert pes_file.acquit == AcquitState.REJECTED
        assert "Tiers inconnu" in pes_file.acquit_reason
    page = agent.client.get(reverse("backoffice:invoicing_pes")).content.decode()
    assert "rejeté" in page and "Tiers inconnu" in page
    other = acquit_xml(siret="21840001200025", bordereau=1, exer=2026, accepted=True)
    refused = agent.client.post(
        reverse("backoffice:invoicing_pes_acquit"),
        {"acquit": SimpleUploadedFile("a.xml", other, content_type="text/xml")},
    )
    assert refused.status_code == 200 and "autre collectivité" in refused.content.decode()
    broken = agent.client.post(
        reverse("backoffice:invoicing_pes_acquit"),
        {"acquit": SimpleUploadedFile("a.xml", b"<PES_ACQUIT>", content_type="text/xml")},
    )
    assert broken.status_code == 200 and "XML lisible" in broken.content.decode()
