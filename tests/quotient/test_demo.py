"""The demo: FAMILLE X has a quotient fetched from the replayed staging answer, through the
same code as a real call; the demo reads nothing outside the repository and calls nobody."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from unittest import mock

import requests

from espacefamille.billing.models import HouseholdQuotient, QuotientSource
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import load_demo
from espacefamille.households.models import Household
from espacefamille.quotient import demo
from espacefamille.quotient.models import QuotientConsent, QuotientEntry


def test_famille_x_has_a_replayed_quotient_and_a_reload_adds_nothing(db: None) -> None:
    def no_network(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the demo must not call out")

    with mock.patch.object(requests.adapters.HTTPAdapter, "send", no_network):
        load_demo(base_url="http://testserver")
        load_demo(base_url="http://testserver")
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        household = Household.objects.get(name="FAMILLE X")
        (row,) = HouseholdQuotient.objects.filter(household=household)
        assert row.value == Decimal("650.00")
        assert row.source == QuotientSource.API_CNAF
        entry = QuotientEntry.objects.get(quotient=row)
        assert entry.provider == "CNAF"
        assert QuotientConsent.objects.get(household=household).granted


def test_the_demo_module_does_not_read_the_shared_folder() -> None:
    source = Path(demo.__file__).read_text(encoding="utf-8")
    assert "shared" not in source and "open(" not in source
