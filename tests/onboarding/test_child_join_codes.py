"""A join code for one child (separated parents): the other parent, signed in with a household
of the same town, enters it and the child joins that household; the first household is told by
e-mail without the other's details. Expired, used, other-town and already-member codes are
refused with their reason, write nothing, and count towards the join codes' rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espacefamille.accounts.errors import AccountError, AccountReason
from espacefamille.accounts.models import JoinCode, JoinCodeAttempt
from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child, ChildHousehold
from espacefamille.onboarding.child_join_codes import child_join_code_issue
from espacefamille.onboarding.join_codes import join_code_for, join_code_redeem

from ..conftest import Family, make_family
from ..factories import (
    ChildFactory,
    GuardianFactory,
    HouseholdFactory,
    MunicipalityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dupont(town: Municipality) -> Family:
    return make_family(town, email="francois@example.org")


@pytest.fixture
def paul(dupont: Family) -> Child:
    with municipality_scope(dupont.household.municipality):
        return ChildFactory(household=dupont.household, first_name="Paul")


@pytest.fixture
def martin(town: Municipality) -> Family:
    user = UserFactory(email="claire@example.org")
    with municipality_scope(town):
        household = HouseholdFactory(municipality=town, name="MARTIN")
        guardian = GuardianFactory(
            household=household, user=user, rank=1, first_name="Claire", city="Platanes-sur-Mer"
        )
    client = Client()
    client.force_login(user)
    return Family(user, household, guardian, client)


def _issue(child: Child) -> str:
    with municipality_scope(child.municipality_id):
        return child_join_code_issue(child=child, actor=None).code


def _links(child: Child) -> list[int]:
    with municipality_scope(child.municipality_id):
        return list(
            ChildHousehold.objects.filter(child=child, ended_at__isnull=True).values_list(
                "household_id", flat=True
            )
        )


def test_the_other_parent_enters_the_code_and_the_child_joins_their_household(
    paul: Child, martin: Family, django_capture_on_commit_callbacks
) -> None:
    code = _issue(paul)
    with django_capture_on_commit_callbacks(execute=True):
        answer = martin.client.post(reverse("portal:join"), {"code": code.lower()})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal:agenda")
    assert _links(paul) == [martin.household.pk]
    with municipality_scope(paul.municipality_id):
        used = JoinCode.objects.get(code=code)
        assert used.used_by == martin.user and used.used_at is not None
        assert ActionLogEntry.objects.filter(action="child.link_household").exists()
    (sent,) = mail.outbox  # to the first household, without the other's details
    assert sent.to == ["francois@example.org"]
    for foreign in ("MARTIN", "Claire", "Platanes", "claire@example.org"):
        assert foreign not in sent.body and foreign not in sent.subject
    # The child is now in the second household's "Mes réservations".
    agenda = martin.client.get(reverse("portal:agenda"), follow=True)
    assert "Paul" in agenda.content.decode()


def test_a_used_code_is_refused(paul: Child, martin: Family, town: Municipality) -> None:
    code = _issue(paul)
    join_code_redeem(user=martin.user, code=code, ip_address=None)
    third = UserFactory()
    with municipality_scope(town):
        GuardianFactory(household=HouseholdFactory(municipality=town), user=third)
    with pytest.raises(AccountError, match="déjà été utilisé") as refused:
        join_code_redeem(user=third, code=code, ip_address=None)
    assert refused.value.reason == AccountReason.CODE_USED
    assert _links(paul) == [martin.household.pk]


def test_an_expired_code_is_refused(paul: Child, martin: Family) -> None:
    code = _issue(paul)
    with (
        time_machine.travel(timezone.now() + timedelta(days=31)),
        pytest.raises(AccountError, match="expiré"),
    ):
        join_code_redeem(user=martin.user, code=code, ip_address=None)
    assert _links(paul) == []


def test_a_new_code_voids_the_previous_one(paul: Child, martin: Family) -> None:
    first = _issue(paul)
    second = _issue(paul)
    with pytest.raises(AccountError, match="expiré"):
        join_code_redeem(user=martin.user, code=first, ip_address=None)
    assert join_code_redeem(user=martin.user, code=second, ip_address=None).child == paul


def test_a_parent_of_another_town_only_is_refused(paul: Child) -> None:
    elsewhere = MunicipalityFactory(name="Commune Voisine", slug="voisine")
    user = UserFactory()
    with municipality_scope(elsewhere):
        GuardianFactory(household=HouseholdFactory(municipality=elsewhere), user=user)
    with pytest.raises(
        AccountError,
        match=r"de Commune de Test à votre foyer, mais votre compte n.est rattaché à aucun foyer",
    ) as refused:
        join_code_redeem(user=user, code=_issue(paul), ip_address=None)
    assert refused.value.reason == AccountReason.CHILD_CODE_OTHER_TOWN
    assert _links(paul) == []
    # Nor does the code hand the first household's file to a login without one.
    with municipality_scope(paul.municipality_id):
        assert not paul.household.guardians.filter(user=user).exists()


def test_the_child_already_in_the_household_is_refused(
    paul: Child, dupont: Family, martin: Family
) -> None:
    code = _issue(paul)
    with pytest.raises(AccountError, match="déjà partie de votre foyer") as refused:
        join_code_redeem(user=dupont.user, code=code, ip_address=None)
    assert refused.value.reason == AccountReason.CHILD_ALREADY_IN_HOUSEHOLD
    join_code_redeem(user=martin.user, code=code, ip_address=None)
    with pytest.raises(AccountError, match="déjà partie de votre foyer"):
        join_code_redeem(user=martin.user, code=_issue(paul), ip_address=None)
    assert _links(paul) == [martin.household.pk]
    with municipality_scope(paul.municipality_id):  # the refused codes stay unused
        assert JoinCode.objects.filter(child=paul, used_at__isnull=True).count() == 1


def test_refusals_count_towards_the_rate_limit(paul: Child, martin: Family) -> None:
    code = _issue(paul)
    for _ in range(5):
        with pytest.raises(AccountError):
            join_code_redeem(user=martin.user, code="AAAAAAAAAA", ip_address=None)
    with pytest.raises(AccountError, match="Trop de codes erronés"):
        join_code_redeem(user=martin.user, code=code, ip_address=None)
    assert _links(paul) == []


def test_a_refused_child_code_is_counted(paul: Child, dupont: Family) -> None:
    with pytest.raises(AccountError):
        join_code_redeem(user=dupont.user, code=_issue(paul), ip_address="10.0.0.1")
    assert JoinCodeAttempt.objects.filter(user=dupont.user).count() == 1


def test_the_household_code_is_never_a_child_code(paul: Child) -> None:
    """Printing the household's codes never hands out the code of one of its children."""
    child_code = _issue(paul)
    with municipality_scope(paul.municipality_id):
        household_code = join_code_for(household=paul.household)
    assert household_code.code != child_code and household_code.child_id is None


def test_the_join_page_says_why_and_writes_nothing(paul: Child, dupont: Family) -> None:
    answer = dupont.client.post(reverse("portal:join"), {"code": _issue(paul)})
    assert answer.status_code == 200
    assert "fait déjà partie de votre foyer" in answer.content.decode()
    assert _links(paul) == []
