"""What a parent found trying the demo on a phone (issue 21): each finding fails on the code
before the fix. The agenda keeps the child shown across its controls and names it; a refused
payment does not say "payé"; the invoice list gives the due date and the total due."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from espacefamille.payments.models import Payment, PaymentState

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import THU_12, Setup
from ..payments.conftest import fill_wednesdays, provider  # noqa: F401
from .booking_helpers import AGENDA, click, page_text, params

pytestmark = pytest.mark.django_db

frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


def _filters_form(html: str) -> str:
    start = html.index('class="agenda-filters"')
    return html[start : html.index("</form>", start)]


def _other_child(setup: Setup) -> object:
    """The child the week view does not show by default: the one a parent must choose."""
    html = page_text(setup.family.client.get(AGENDA, {"service": setup.restaurant.pk}))
    shown = re.search(r'<a href="[^"]*enfant=(\d+)[^"]*" aria-current=', html)
    assert shown is not None
    return setup.julie if int(shown.group(1)) == setup.paul.pk else setup.paul


def test_afficher_and_4_semaines_keep_the_child_chosen(setup: Setup) -> None:
    child = _other_child(setup)
    html = page_text(setup.family.client.get(AGENDA, params(setup, child)))
    form = _filters_form(html)
    assert f'name="enfant" value="{child.pk}"' in form  # type: ignore[attr-defined]
    # What "4 semaines" then "Afficher" sends: every field of that form.
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.update(service=str(setup.restaurant.pk), semaines="4")
    again = page_text(setup.family.client.get(AGENDA, fields))
    current = re.search(r'aria-current="true">([^<]+)</a>', again)
    assert current is not None and current.group(1).startswith(child.first_name)  # type: ignore[attr-defined]


def test_the_child_shown_is_marked_and_named(setup: Setup) -> None:
    html = page_text(setup.family.client.get(AGENDA, params(setup, setup.julie)))
    # The picker names each child by first name and class (phone first); the week's caption
    # gives the full name.
    assert re.search(r'aria-current="true">Julie\b', html)
    caption = re.search(r"<caption>(.*?)</caption>", html, re.S)
    assert caption is not None and "Julie DUPONT" in caption.group(1)
    assert "Paul" not in caption.group(1)


def test_the_service_list_says_how_it_applies(setup: Setup) -> None:
    form = _filters_form(page_text(setup.family.client.get(AGENDA, params(setup))))
    assert "l’enfant affiché reste le même" in form
    assert "data-live-text" in form  # bookings.js applies a change at once


def test_cart_lines_name_the_child(setup: Setup) -> None:
    click(setup, "REPAS", THU_12, setup.julie)
    html = page_text(setup.family.client.get(AGENDA, params(setup, setup.paul)))
    assert re.search(r"<strong>1 REPAS</strong> — pour Julie", html)


def test_a_refused_payment_never_says_paid(setup: Setup, provider) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    fill_wednesdays(setup)
    data = {"service": setup.wednesday.pk, "enfant": setup.paul.pk, "semaine": "2026-11-16"}
    setup.family.client.post(reverse("portal:cart_validate"), data)
    payment = Payment.objects.get()
    Payment.objects.filter(pk=payment.pk).update(state=PaymentState.REFUSED)
    url = reverse("portal:payment_status", args=[payment.reference])
    html = page_text(setup.family.client.get(url))
    assert "Paiement refusé" in html
    assert "Montant payé en ligne" not in html and "Montant non payé" in html


def test_mes_inscriptions_this_year_first_grouped_without_repetition(setup: Setup) -> None:
    html = page_text(setup.family.client.get(reverse("portal:enrollments")))
    start = html.index(f'id="enfant-{setup.paul.pk}"')
    paul = html[start : html.index("</section>", start)]
    this_year, next_year = paul.find("Année scolaire 2026-2027"), paul.find("2027-2028")
    assert 0 <= this_year < next_year  # the current school year (NOW is 10/11/2026) first
    assert "en cours" in paul[this_year:next_year]
    # Three services a year: the period is said once per year, not on every service.
    assert paul.count("<dt>Période</dt>") == 2
    assert paul.count("Restaurant scolaire") == 2


def test_the_period_wizard_refuses_incompatible_choices_at_their_step(setup: Setup) -> None:
    from .booking_helpers import PERIOD_CHILDREN, cart_lines, period_dates

    period_dates(setup, "16/11/2026", "27/11/2026")
    repas, veg = setup.p("REPAS").pk, setup.p("REPAS VEGETARIEN").pk
    data = {"enfant": setup.paul.pk, f"jours-{repas}": ["0", "1"], f"jours-{veg}": ["0"]}
    for action in ("suivant", "terminer"):
        response = setup.family.client.post(PERIOD_CHILDREN, {**data, "action": action})
        assert response.status_code == 200  # the same step, not the next child nor the cart
        html = page_text(response)
        assert "REPAS et REPAS VEGETARIEN ne peuvent pas être réservés le même jour : lundi" in html
        assert f'id="jours-{veg}-0" checked' in html  # what was ticked stays ticked
    assert cart_lines(setup) == []


@pytest.mark.parametrize(
    ("outcome", "before"),
    [
        ("credit", "un avoir de 12,00 €"),
        ("refund", "un remboursement de 12,00 €"),
        (None, "rien n'est rendu"),
    ],
)
def test_a_prepaid_cancellation_says_what_the_family_gets_back(  # type: ignore[no-untyped-def]
    setup: Setup,
    provider,  # noqa: F811
    outcome,
    before,
) -> None:
    from espacefamille.bookings.cart import cart_toggle
    from espacefamille.payments.models import CancellationRule

    from ..payments.conftest import WED_25
    from ..payments.test_cancellations_and_mixed_carts import pay

    if outcome:
        CancellationRule.objects.create(
            municipality=setup.wednesday.municipality, service=setup.wednesday, outcome=outcome
        )
    fill_wednesdays(setup)
    pay(setup, provider)
    cart_toggle(
        household=setup.family.household,
        child=setup.paul,
        product=setup.p("MERCREDI JOURNEE"),
        day=WED_25,
    )
    week = {"service": setup.wednesday.pk, "enfant": setup.paul.pk, "semaine": "2026-11-23"}
    panel = page_text(setup.family.client.get(AGENDA, week)).replace("\xa0", " ")
    assert "Ce que vous récupérez en annulant" in panel and before in panel
    after = setup.family.client.post(reverse("portal:cart_validate"), week, follow=True)
    assert before in page_text(after).replace("\xa0", " ")
