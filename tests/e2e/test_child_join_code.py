"""A join code for one child in Chromium: the town issued a code for Julie (DUPONT's, not
shared yet); MARTIN, Paul's other parent, types it on "Adhésion aux collectivités" and lands
on "Mes réservations", where Julie now sits beside Paul; both pages are axe-clean at 320 px;
the same code typed again is refused with its reason. (The e-mail to DUPONT, without MARTIN's
details, is checked in tests/onboarding/test_child_join_codes.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.separated import MARTIN_EMAIL, MARTIN_PASSWORD
from espacefamille.households.models import ChildHousehold
from espacefamille.onboarding.child_join_codes import child_join_code_issue

from .test_bookings import _child, _town

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_other_parent_types_the_childs_code_and_books_for_her(
    page: Page,
    login: Callable[..., None],
    live_server: Any,
    assert_accessible: Callable[[Page], None],
) -> None:
    julie = _child("Julie")
    with municipality_scope(_town()):
        code = child_join_code_issue(child=julie, actor=None).code
    login(page, MARTIN_EMAIL, MARTIN_PASSWORD)
    page.goto("/adhesion/")
    assert_accessible(page)
    page.get_by_label("Code d'adhésion").fill(code.lower())
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Julie fait désormais partie de votre foyer"
    )
    assert page.url.endswith("/reservations/")
    picker = page.get_by_role("navigation", name="Sélectionnez l’enfant")
    expect(picker.get_by_role("link", name="Julie", exact=False)).to_be_visible()
    assert_accessible(page)
    with municipality_scope(_town()):
        assert ChildHousehold.objects.filter(
            child=julie, household__name="MARTIN", ended_at__isnull=True
        ).exists()
    # The same code again: refused with its reason, on the page.
    page.goto("/adhesion/")
    page.get_by_label("Code d'adhésion").fill(code)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("main")).to_contain_text("déjà été utilisé")
