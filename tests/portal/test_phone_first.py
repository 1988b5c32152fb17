"""Phone first: the period wizard's dates open the phone's own calendar; the week view's child
picker says the first name and the class; the header has one "Menu" button for the town and
the account."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from espacefamille.catalog.models import Enrollment
from espacefamille.core.tenancy import municipality_scope

from ..bookings import conftest as booking_fixtures
from ..bookings.conftest import Setup
from .booking_helpers import AGENDA, PERIOD, params

pytestmark = pytest.mark.django_db
frozen = booking_fixtures.frozen
setup = booking_fixtures.setup


def test_period_dates_use_the_native_date_picker(setup: Setup) -> None:
    html = setup.family.client.get(PERIOD).content.decode()
    for name in ("start", "end"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert field is not None
        assert 'type="date"' in field.group(0)
        assert 'min="2026-11-10"' in field.group(0)  # NOW: Tuesday 10/11/2026


def test_period_dates_in_iso_and_french_forms_are_accepted(setup: Setup) -> None:
    data = {"service": setup.restaurant.pk, "start": "2026-11-16", "end": "20/11/2026"}
    response = setup.family.client.post(PERIOD, data)
    assert response.status_code == 302 and response["Location"] == reverse("portal:period_children")


def test_child_picker_says_first_name_and_class(setup: Setup) -> None:
    with municipality_scope(setup.paul.municipality):
        Enrollment.objects.filter(child=setup.paul).update(school_class="CE1")
        Enrollment.objects.filter(child=setup.julie).update(school_class="CM2")
    html = setup.family.client.get(AGENDA, params(setup)).content.decode()
    picker = html[html.index('class="tabs child-tabs"') :]
    picker = picker[: picker.index("</ul>")]
    assert re.search(r">Paul <span class=\"child-class\">· CE1</span></a>", picker)
    assert re.search(r">Julie <span class=\"child-class\">· CM2</span></a>", picker)


def test_header_has_one_menu_button_for_town_and_account(setup: Setup) -> None:
    html = setup.family.client.get(AGENDA).content.decode()
    assert 'class="menu-button" aria-expanded="false" aria-controls="account-menu"' in html
    menu = html[html.index('id="account-menu"') :]
    assert "Se déconnecter" in menu[: menu.index("</header>")]
