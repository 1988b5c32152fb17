"""A day already invoiced for good (issue 16, items 4 and 5): a change of its attendance is
saved but the agent is warned, on the sheet and in the tap's answer, that a correction goes
through a credit note; "Annuler pour la famille" is not offered for it and the service
refuses it with the same French reason. A draft run changes nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from espacefamille.billing.models import InvoiceRun, RunState
from espacefamille.bookings.models import Attendance, Booking, BookingStatus
from espacefamille.core.tenancy import municipality_scope

from .helpers import Agent, page_text
from .test_attendance_screens import DAY, Day, _tap, day  # noqa: F401

pytestmark = pytest.mark.django_db


def _run(day: Day, state: str) -> None:  # noqa: F811
    with municipality_scope(day.town):
        InvoiceRun.objects.create(
            municipality=day.town,
            service=day.product.service,
            month=date(DAY.year, DAY.month, 1),
            state=state,
        )


def test_changing_attendance_of_an_invoiced_month_is_refused_with_a_warning(
    day: Day,  # noqa: F811
    administrator: Agent,
) -> None:
    _run(day, RunState.FINAL)
    sheet = page_text(administrator.client.get(day.sheet))
    assert 'id="attendance-invoiced"' in sheet and "avoir" in sheet
    refused = _tap(administrator, day, day.centre, "absent")
    answer = json.loads(refused.content)
    assert refused.status_code == 400 and answer["ok"] is False and "avoir" in answer["message"]
    with municipality_scope(day.town):
        assert not Attendance.objects.filter(child=day.centre, state="absent").exists()
    administrator.client.post(day.tap, {"child": day.tilleuls.pk, "action": "absent"})
    after = page_text(administrator.client.get(day.sheet))
    assert "message-warning" in after and "déjà facturé" in after


def test_a_draft_run_does_not_warn(day: Day, administrator: Agent) -> None:  # noqa: F811
    _run(day, RunState.DRAFT)
    assert "avoir" not in page_text(administrator.client.get(day.sheet))
    assert json.loads(_tap(administrator, day, day.centre, "absent").content)["ok"] is True


def test_cancel_for_the_family_is_not_offered_on_an_invoiced_day(
    day: Day,  # noqa: F811
    administrator: Agent,
) -> None:
    url = f"/agents/reservations/jour/?product={day.product.pk}&day={DAY.isoformat()}"
    assert "/annuler/" in page_text(administrator.client.get(url))
    _run(day, RunState.FINAL)
    page = page_text(administrator.client.get(url))
    with municipality_scope(day.town):
        booking = Booking.objects.get(child=day.centre, product=day.product, date=DAY)
    assert f"/{booking.pk}/annuler/" not in page and "avoir" in page
    response = administrator.client.post(
        f"/agents/reservations/{booking.pk}/annuler/", {"reason": "erreur"}, follow=True
    )
    assert "une correction se fait par un avoir" in page_text(response).lower()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.VALIDATED
