"""Join codes: single use, expiry, wrong codes, rate limit, one file per town."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from espacefamille.accounts.errors import AccountError
from espacefamille.accounts.models import JoinCode, JoinCodeAttempt
from espacefamille.accounts.tokens import JOIN_CODE_ALPHABET
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian
from espacefamille.onboarding.join_codes import join_code_for, join_code_redeem

from ..factories import GuardianFactory, HouseholdFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(town):  # type: ignore[no-untyped-def]
    household = HouseholdFactory(municipality=town, name="FAMILLE X")
    GuardianFactory(household=household, rank=1, email="famille.x@example.org")
    return household


def _code(household) -> str:  # type: ignore[no-untyped-def]
    with municipality_scope(household.municipality):
        return join_code_for(household=household).code


def test_code_has_ten_unambiguous_characters(household) -> None:  # type: ignore[no-untyped-def]
    code = _code(household)
    assert len(code) == 10
    assert set(code) <= set(JOIN_CODE_ALPHABET)
    assert _code(household) == code  # asking twice gives the same usable code


def test_code_links_the_login_to_the_household(household) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(email="autre.adresse@example.org")
    joined = join_code_redeem(user=user, code=_code(household).lower(), ip_address="10.0.0.1")
    guardian = joined.guardian
    assert joined.child is None
    assert guardian.household == household
    with municipality_scope(household.municipality):
        assert Guardian.objects.get(user=user).household == household
        assert JoinCode.objects.get(household=household).used_by == user


def test_guardian_with_the_same_email_is_preferred(household) -> None:  # type: ignore[no-untyped-def]
    second = GuardianFactory(household=household, rank=2, email="parent2@example.org")
    user = UserFactory(email="Parent2@example.org")
    guardian = join_code_redeem(user=user, code=_code(household), ip_address=None).guardian
    assert guardian.pk == second.pk


def test_code_works_once(household) -> None:  # type: ignore[no-untyped-def]
    code = _code(household)
    join_code_redeem(user=UserFactory(), code=code, ip_address="10.0.0.1")
    with pytest.raises(AccountError, match="déjà été utilisé"):
        join_code_redeem(user=UserFactory(), code=code, ip_address="10.0.0.2")


def test_expired_code_is_refused(household) -> None:  # type: ignore[no-untyped-def]
    code = _code(household)
    with (
        time_machine.travel(timezone.now() + timedelta(days=181)),
        pytest.raises(AccountError, match="expiré"),
    ):
        join_code_redeem(user=UserFactory(), code=code, ip_address=None)


def test_wrong_code_is_refused_and_counted(household) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    with pytest.raises(AccountError, match="n'existe pas"):
        join_code_redeem(user=user, code="AAAAAAAAAA", ip_address="10.0.0.1")
    assert JoinCodeAttempt.objects.filter(user=user).count() == 1


def test_failures_are_rate_limited_per_account(household) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    for _ in range(5):
        with pytest.raises(AccountError):
            join_code_redeem(user=user, code="AAAAAAAAAA", ip_address=None)
    # Even the right code is refused while the account is cooling off…
    with pytest.raises(AccountError, match="Trop de codes erronés"):
        join_code_redeem(user=user, code=_code(household), ip_address=None)
    # …and accepted once the window has passed.
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert join_code_redeem(user=user, code=_code(household), ip_address=None)


def test_failures_are_rate_limited_per_address(household) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        with pytest.raises(AccountError):
            join_code_redeem(user=UserFactory(), code="AAAAAAAAAA", ip_address="10.9.9.9")
    with pytest.raises(AccountError, match="Trop de codes erronés"):
        join_code_redeem(user=UserFactory(), code=_code(household), ip_address="10.9.9.9")


def test_one_household_file_per_town_and_login(household) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    join_code_redeem(user=user, code=_code(household), ip_address=None)
    other = HouseholdFactory(municipality=household.municipality)
    GuardianFactory(household=other, rank=1)
    with pytest.raises(AccountError, match="déjà rattaché"):
        join_code_redeem(user=user, code=_code(other), ip_address=None)


def test_one_login_may_join_several_towns(household) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    join_code_redeem(user=user, code=_code(household), ip_address=None)
    neighbour = HouseholdFactory(municipality=MunicipalityFactory(name="Commune Voisine"))
    GuardianFactory(household=neighbour, rank=1)
    assert join_code_redeem(user=user, code=_code(neighbour), ip_address=None)


def test_household_whose_guardians_all_have_accounts(household) -> None:  # type: ignore[no-untyped-def]
    join_code_redeem(user=UserFactory(), code=_code(household), ip_address=None)
    with municipality_scope(household.municipality):
        JoinCode.objects.update(used_at=None)  # even with a reusable code
    with pytest.raises(AccountError, match="déjà un compte"):
        join_code_redeem(user=UserFactory(), code=_code(household), ip_address=None)


def test_join_page_shows_the_message_and_writes_nothing(client, household) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("portal:join"), {"code": "ZZZZZZZZZZ"})
    assert response.status_code == 200
    assert "Ce code d&#x27;adhésion n&#x27;existe pas" in response.content.decode()
    with municipality_scope(household.municipality):
        assert not Guardian.objects.filter(user=user).exists()
    response = client.post(reverse("portal:join"), {"code": _code(household)})
    assert response.status_code == 302
    assert client.get(reverse("portal:children")).status_code == 200
