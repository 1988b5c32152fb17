"""Commands a town runs after importing its families: activation e-mails (send_invitations) and
join codes to hand out (create_join_codes). Households that already have an account get
neither."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import resolve
from django.utils import timezone

from espacefamille.accounts.errors import AccountError
from espacefamille.accounts.models import Invitation, JoinCode
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian, Household
from espacefamille.onboarding.invitations import invitation_find

from ..factories import GuardianFactory, HouseholdFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # e-mails leave after commit

LINK_RE = re.compile(r"https?://\S+/activation/[^/\s]+/")


@dataclass
class Town:
    municipality: Municipality
    fresh: Household  # guardian 1 has an e-mail
    activated: Household  # a guardian already has a login
    second: Household  # only guardian 2 has an e-mail
    no_email: Household  # no guardian has an e-mail
    fresh_guardian: Guardian
    second_guardian: Guardian
    activated_guardian: Guardian


@pytest.fixture
def families(town: Municipality) -> Town:
    fresh = HouseholdFactory(municipality=town, name="MARTIN", external_ref="F001")
    fresh_guardian = GuardianFactory(household=fresh, rank=1, email="claire@example.org")
    GuardianFactory(household=fresh, rank=2, email="julien@example.org")
    activated = HouseholdFactory(municipality=town, name="DUPONT", external_ref="F002")
    activated_guardian = GuardianFactory(
        household=activated, rank=1, email="dupont@example.org", user=UserFactory()
    )
    second = HouseholdFactory(municipality=town, name="PETIT", external_ref="F003")
    GuardianFactory(household=second, rank=1, email="")
    second_guardian = GuardianFactory(household=second, rank=2, email="antoine@example.org")
    no_email = HouseholdFactory(municipality=town, name="BERNARD", external_ref="F004")
    GuardianFactory(household=no_email, rank=1, email="")
    # A household of another town is never touched by this town's commands.
    other = HouseholdFactory(municipality=MunicipalityFactory(slug="voisine"), external_ref="V1")
    GuardianFactory(household=other, rank=1, email="voisin@example.org")
    return Town(
        municipality=town,
        fresh=fresh,
        activated=activated,
        second=second,
        no_email=no_email,
        fresh_guardian=fresh_guardian,
        second_guardian=second_guardian,
        activated_guardian=activated_guardian,
    )


def _run(name: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _links(mailoutbox: list[Any]) -> dict[str, str]:
    """The activation link of each e-mail, by recipient."""
    links = {}
    for message in mailoutbox:
        (link,) = LINK_RE.findall(message.body)
        (recipient,) = message.to
        links[recipient] = link
    return links


# --- send_invitations -------------------------------------------------------------------------


def test_invitations_go_to_the_first_guardian_with_an_email(
    families: Town, mailoutbox: list[Any]
) -> None:
    out, _err = _run("send_invitations", "test")

    links = _links(mailoutbox)
    assert set(links) == {"claire@example.org", "antoine@example.org"}
    for email, guardian in (
        ("claire@example.org", families.fresh_guardian),
        ("antoine@example.org", families.second_guardian),
    ):
        link = links[email]
        assert link.startswith(settings.SITE_URL + "/")
        match = resolve(urlsplit(link).path)
        assert match.view_name == "portal:activate"
        invitation = invitation_find(match.kwargs["token"])
        assert invitation.guardian_id == guardian.pk
        assert invitation.household_id == guardian.household_id
    assert "Invitations envoyées : 2" in out
    assert "Foyers déjà activés : 1" in out
    assert "Foyers sans adresse e-mail : 1" in out
    assert "BERNARD (référence « F004 »)" in out
    with municipality_scope(families.municipality):
        assert not Invitation.objects.filter(household=families.activated).exists()
        assert not Invitation.objects.filter(household=families.no_email).exists()


def test_a_second_run_sends_nothing_unless_resend(families: Town, mailoutbox: list[Any]) -> None:
    _run("send_invitations", "test")
    first_links = _links(mailoutbox)
    mailoutbox.clear()

    out, _err = _run("send_invitations", "test")
    assert mailoutbox == []
    assert "Invitations envoyées : 0" in out
    assert "Foyers avec un lien encore valable (--resend pour renvoyer) : 2" in out

    out, _err = _run("send_invitations", "test", "--resend")
    assert set(_links(mailoutbox)) == {"claire@example.org", "antoine@example.org"}
    assert "Invitations envoyées : 2" in out
    for link in first_links.values():  # the new links revoke the old ones
        with pytest.raises(AccountError):
            invitation_find(resolve(urlsplit(link).path).kwargs["token"])


def test_an_expired_link_is_replaced_without_resend(families: Town, mailoutbox: list[Any]) -> None:
    _run("send_invitations", "test")
    with municipality_scope(families.municipality):
        expired = timezone.now() - timedelta(minutes=1)
        Invitation.objects.filter(household=families.fresh).update(expires_at=expired)
    mailoutbox.clear()
    out, _err = _run("send_invitations", "test")
    assert set(_links(mailoutbox)) == {"claire@example.org"}
    assert "Invitations envoyées : 1" in out


def test_activated_households_get_no_invitation(families: Town, mailoutbox: list[Any]) -> None:
    with municipality_scope(families.municipality):
        Guardian.objects.filter(pk=families.fresh_guardian.pk).update(user=UserFactory())
    _run("send_invitations", "test", "--resend")
    assert set(_links(mailoutbox)) == {"antoine@example.org"}
    assert "dupont@example.org" not in {m.to[0] for m in mailoutbox}


def test_send_invitations_to_an_unknown_town(families: Town, mailoutbox: list[Any]) -> None:
    with pytest.raises(CommandError, match="Commune « nulle-part » inconnue"):
        _run("send_invitations", "nulle-part")
    assert mailoutbox == []


# --- create_join_codes ------------------------------------------------------------------------


def _codes(out: str) -> dict[str, tuple[str, str]]:
    header, *lines = out.strip().splitlines()
    assert header == "référence;foyer;code d'adhésion"
    return {ref: (name, code) for ref, name, code in (line.split(";") for line in lines)}


def test_one_join_code_per_household_without_account(families: Town) -> None:
    out, err = _run("create_join_codes", "test")

    codes = _codes(out)
    assert set(codes) == {"F001", "F003", "F004"}  # not F002 (activated), not the other town
    assert codes["F001"][0] == "MARTIN"
    with municipality_scope(families.municipality):
        for ref, (_name, code) in codes.items():
            join_code = JoinCode.objects.get(code=code)
            assert join_code.household.external_ref == ref
            assert join_code.used_at is None
            assert join_code.expires_at > timezone.now()
        assert JoinCode.objects.count() == 3
        assert not JoinCode.objects.filter(household=families.activated).exists()
    assert "3 codes d'adhésion ; 1 foyer déjà activé ignoré." in err


def test_a_second_run_prints_the_same_codes(families: Town) -> None:
    first, _err = _run("create_join_codes", "test")
    second, _err = _run("create_join_codes", "test")
    assert second == first
    assert len({code for _name, code in _codes(first).values()}) == 3
    with municipality_scope(families.municipality):
        assert JoinCode.objects.count() == 3


def test_create_join_codes_for_an_unknown_town(families: Town) -> None:
    with pytest.raises(CommandError, match="Commune « nulle-part » inconnue"):
        _run("create_join_codes", "nulle-part")
