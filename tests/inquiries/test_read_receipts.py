"""Unread answers with real read receipts (issue 21): a town answer is a "Nouvelle réponse" on
the home and in "Mes demandes" until the household opens the request; a later answer brings the
badge back; the family's own messages never do; a household reads its own requests only (a
shared child's other household, issue 22, neither sees nor reads them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.child_links import child_link_household
from espacefamille.inquiries.errors import InquiryError
from espacefamille.inquiries.models import Inquiry
from espacefamille.inquiries.read_receipts import inquiry_mark_read, unread_answers
from espacefamille.inquiries.services import inquiry_create

from ..backoffice.helpers import Agent, page_text
from ..conftest import Family, make_family
from ..factories import ChildFactory
from ..uploads_helpers import pdf_file
from .helpers import PICKUP, category

pytestmark = pytest.mark.django_db

BADGE = "Nouvelle réponse"
START = timezone.make_aware(datetime(2026, 11, 10, 9, 0))


def _at(minutes: int) -> Any:
    return time_machine.travel(START + timedelta(minutes=minutes), tick=False)


def _inquiry(town: Municipality, family: Family, child: Any = None) -> Inquiry:
    chosen = category(town, PICKUP)
    with municipality_scope(town), _at(0):
        documents = {required.pk: pdf_file() for required in chosen.required_documents.all()}
        return inquiry_create(
            household=family.household,
            category=chosen,
            child=child or ChildFactory(household=family.household),
            text="Ma demande",
            documents=documents,
            actor=family.user,
        )


def _answer(regie: Agent, inquiry: Inquiry, minutes: int) -> None:
    with _at(minutes):
        regie.client.post(f"/agents/demandes/{inquiry.pk}/reponse/", {"text": "C'est noté."})


def _open(family: Family, inquiry: Inquiry, minutes: int) -> str:
    with _at(minutes):
        return page_text(family.client.get(f"/demandes/{inquiry.pk}/"))


def _badges(family: Family) -> tuple[int, int]:
    """How many "Nouvelle réponse" the home and "Mes demandes" show."""
    home = page_text(family.client.get("/"))
    listed = page_text(family.client.get("/demandes/"))
    return home.count(BADGE), listed.count(BADGE)


def test_an_answer_is_new_until_the_family_opens_the_request(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _inquiry(town, family)
    assert _badges(family) == (0, 0)
    _answer(regie, inquiry, 10)
    assert _badges(family) == (1, 1)
    assert "Réponses non lues" in page_text(family.client.get("/"))
    assert "C'est noté." in _open(family, inquiry, 20)
    # Read, and the family did not reply: the town's message is still the thread's last one.
    assert _badges(family) == (0, 0)
    _answer(regie, inquiry, 30)
    assert _badges(family) == (1, 1)


def test_the_familys_own_message_is_not_an_answer(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _inquiry(town, family)
    _answer(regie, inquiry, 10)
    _open(family, inquiry, 20)
    with _at(25):
        family.client.post(f"/demandes/{inquiry.pk}/message/", {"text": "Merci !"})
    assert _badges(family) == (0, 0)


def test_an_unread_answer_to_a_closed_request_is_still_new(
    town: Municipality, family: Family, regie: Agent
) -> None:
    inquiry = _inquiry(town, family)
    _answer(regie, inquiry, 10)
    with _at(11):
        regie.client.post(f"/agents/demandes/{inquiry.pk}/statut/", {"status": "done"})
    assert _badges(family) == (1, 1)
    _open(family, inquiry, 20)
    assert _badges(family) == (0, 0)


def test_a_read_never_goes_back_in_time(town: Municipality, family: Family) -> None:
    inquiry = _inquiry(town, family)
    with municipality_scope(town):
        inquiry_mark_read(
            inquiry=inquiry, household=family.household, at=START + timedelta(hours=2)
        )
        inquiry_mark_read(inquiry=inquiry, household=family.household, at=START)
        inquiry.refresh_from_db()
    assert inquiry.family_read_at == START + timedelta(hours=2)


def test_a_shared_childs_other_household_neither_sees_nor_reads_the_request(
    town: Municipality, family: Family, regie: Agent
) -> None:
    martin = make_family(town, email="martin@example.org")
    with municipality_scope(town):
        child = ChildFactory(household=family.household)
        child_link_household(child=child, household=martin.household, actor=None)
    inquiry = _inquiry(town, family, child=child)
    _answer(regie, inquiry, 10)
    with _at(20):
        assert martin.client.get(f"/demandes/{inquiry.pk}/").status_code == 404
    assert _badges(martin) == (0, 0)
    assert _badges(family) == (1, 1)  # MARTIN's visit read nothing for DUPONT
    with municipality_scope(town):
        with pytest.raises(InquiryError):
            inquiry_mark_read(inquiry=inquiry, household=martin.household)
        inquiry.refresh_from_db()
        assert inquiry.family_read_at is None
        assert [i.pk for i in unread_answers(household=family.household)] == [inquiry.pk]
        assert unread_answers(household=martin.household) == []
