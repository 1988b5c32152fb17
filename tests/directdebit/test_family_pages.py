""" "Gestion du foyer" → "Prélèvement": sign a mandate online (the text shown and kept), a bad
IBAN refused in French writing nothing, the IBAN masked, change of account, revocation;
another household's mandate answers 404."""

from __future__ import annotations

from django.urls import reverse

from espacefamille.directdebit.models import Mandate, MandateAmendment
from espacefamille.directdebit.services import MANDATE_TEXT_VERSION

from ..billing.conftest import Billing, make_other_family
from .conftest import IBAN, OTHER_IBAN


def test_sign_change_and_revoke_online(debit_town: Billing) -> None:
    client = debit_town.family.client
    listing = client.get(reverse("portal:mandates")).content.decode()
    assert "Garderie" in listing and "Signer un mandat de prélèvement" in listing
    url = reverse("portal:mandate_sign", args=[debit_town.daycare.pk])
    form = client.get(url).content.decode()
    assert "FR72ZZZ123456" in form and "Texte du mandat" in form
    bad = client.post(url, {"holder": "François DUPONT", "iban": "FR76 1234", "accept": "on"})
    assert "IBAN n&#x27;est pas valide" in bad.content.decode()
    unticked = client.post(url, {"holder": "François DUPONT", "iban": IBAN})
    assert "Cochez la case" in unticked.content.decode()
    assert not Mandate.objects.exists()
    response = client.post(url, {"holder": "François DUPONT", "iban": IBAN, "accept": "on"})
    assert response.status_code == 302
    mandate = Mandate.objects.get()
    assert mandate.channel == "online" and mandate.text_version == MANDATE_TEXT_VERSION
    page = client.get(reverse("portal:mandates")).content.decode()
    assert "FR76 •••• •••• 0189" in page and IBAN not in page

    change = reverse("portal:mandate_change", args=[mandate.pk])
    assert client.post(change, {"iban": OTHER_IBAN}).status_code == 302
    assert MandateAmendment.objects.get().previous_iban == IBAN
    client.post(reverse("portal:mandate_revoke", args=[mandate.pk]))
    assert Mandate.objects.get().status == "revoked"


def test_another_households_mandate_is_404(debit_town: Billing) -> None:
    other, _child = make_other_family(debit_town)
    client = debit_town.family.client
    client.post(
        reverse("portal:mandate_sign", args=[debit_town.daycare.pk]),
        {"holder": "François DUPONT", "iban": IBAN, "accept": "on"},
    )
    mandate = Mandate.objects.get()
    for name in ("portal:mandate_change", "portal:mandate_revoke"):
        assert other.client.post(reverse(name, args=[mandate.pk])).status_code == 404
    assert Mandate.objects.get().status == "active"
    restaurant = reverse("portal:mandate_sign", args=[debit_town.restaurant.pk])
    assert client.get(restaurant).status_code == 404  # no direct debit there
