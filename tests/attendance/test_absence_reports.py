""" "Signaler une absence" (issue 21): a family reports a child's absence up to the morning
itself, the days are pre-marked on the attendance sheet, an agent accepts or refuses the
certificate, the town chooses whether a report alone is justified; the family is told, the
action log keeps each step. (NOW = Tuesday 10/11/2026, 09:00 in Paris.)"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from espacefamille.attendance.absences import absence_report_create, absence_settings_save
from espacefamille.attendance.errors import AbsenceError, AbsenceRefusal
from espacefamille.attendance.models import AbsenceOutcome, AbsenceReport
from espacefamille.audit.models import ActionLogEntry
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Attendance, AttendanceState, Booking, BookingStatus
from espacefamille.catalog.deadlines import PARIS
from espacefamille.core.tenancy import municipality_scope

from ..backoffice.helpers import make_agent
from ..bookings.conftest import FRI_13, THU_12, Setup
from ..uploads_helpers import disguised_file, pdf_file

pytestmark = pytest.mark.django_db

TUE_10 = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def booked(setup: Setup):  # type: ignore[no-untyped-def]
    with municipality_scope(setup.paul.municipality):
        bookings_record_history(
            bookings=[
                Booking(
                    municipality_id=setup.paul.municipality_id,
                    child=setup.paul,
                    product=setup.p(name),
                    date=day,
                    status=BookingStatus.VALIDATED,
                )
                for day in (TUE_10, THU_12, FRI_13)
                for name in ("REPAS",)
            ]
        )
        yield setup


def _report(setup: Setup, first: date = THU_12, last: date = FRI_13, certificate=None):  # type: ignore[no-untyped-def]
    return absence_report_create(
        household=setup.family.household,
        child=setup.paul,
        first_day=first,
        last_day=last,
        reason="illness",
        certificate=certificate,
        actor=setup.family.user,
    )


def _states(setup: Setup) -> dict[date, str]:
    return dict(
        Attendance.objects.filter(child=setup.paul, product=setup.p("REPAS")).values_list(
            "date", "state"
        )
    )


def test_a_report_with_a_certificate_waits_for_the_agent_then_becomes_justified(
    booked: Setup, django_capture_on_commit_callbacks
) -> None:
    report = _report(booked, certificate=pdf_file("certificat.pdf"))
    assert report.outcome == AbsenceOutcome.PENDING and report.has_certificate
    assert _states(booked) == {THU_12: AttendanceState.ABSENT, FRI_13: AttendanceState.ABSENT}
    agent = make_agent(booked.paul.municipality, "administrator")
    sheet_url = reverse(
        "backoffice:attendance_sheet", kwargs={"pk": booked.p("REPAS").pk, "day": "2026-11-12"}
    )
    sheet = agent.client.get(sheet_url).content.decode()
    assert "absence signalée" in sheet and "Accepter le certificat" in sheet
    with django_capture_on_commit_callbacks(execute=True):
        answer = agent.client.post(
            reverse("backoffice:absence_decide", args=[report.pk]),
            {"decision": "accept", "next": sheet_url},
        )
    assert answer.status_code == 302 and answer["Location"] == sheet_url
    report.refresh_from_db()
    assert report.outcome == AbsenceOutcome.JUSTIFIED
    assert _states(booked) == {
        THU_12: AttendanceState.JUSTIFIED,
        FRI_13: AttendanceState.JUSTIFIED,
    }
    assert [m.subject for m in mail.outbox] == ["Absence de Paul : Absence justifiée"]
    page = booked.family.client.get(reverse("portal:absence_report")).content.decode()
    assert "Absence justifiée" in page
    actions = list(ActionLogEntry.objects.values_list("action", flat=True))
    assert "absence.report" in actions and "absence.decide" in actions
    again = agent.client.post(
        reverse("backoffice:absence_decide", args=[report.pk]), {"decision": "refuse"}
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.outcome == AbsenceOutcome.JUSTIFIED  # a decision is taken once


def test_without_a_certificate_it_stays_unjustified_unless_the_town_justifies_on_report(
    booked: Setup,
) -> None:
    assert _report(booked, THU_12, THU_12).outcome == AbsenceOutcome.UNJUSTIFIED
    assert _states(booked)[THU_12] == AttendanceState.ABSENT
    absence_settings_save(
        municipality_id=booked.paul.municipality_id, justification="on_report", actor=None
    )
    assert _report(booked, FRI_13, FRI_13).outcome == AbsenceOutcome.JUSTIFIED
    assert _states(booked)[FRI_13] == AttendanceState.JUSTIFIED


def test_up_to_the_morning_itself_then_refused(booked: Setup) -> None:
    assert _report(booked, TUE_10, TUE_10).first_day == TUE_10  # 09:00: still the morning
    afternoon = datetime(2026, 11, 10, 12, 30, tzinfo=PARIS)
    with time_machine.travel(afternoon, tick=False), pytest.raises(AbsenceError) as refused:
        _report(booked, TUE_10, TUE_10)
    assert refused.value.reason == AbsenceRefusal.TOO_LATE


def test_refusals(booked: Setup) -> None:
    with pytest.raises(AbsenceError) as no_booking:
        _report(booked, date(2026, 11, 16), date(2026, 11, 16))
    assert no_booking.value.reason == AbsenceRefusal.NOTHING_BOOKED
    with pytest.raises(AbsenceError) as reversed_days:
        _report(booked, FRI_13, THU_12)
    assert reversed_days.value.field == "last_day"
    with pytest.raises(AbsenceError) as bad_file:
        _report(booked, certificate=disguised_file())
    assert bad_file.value.reason == AbsenceRefusal.CERTIFICATE_REFUSED
    assert not AbsenceReport.objects.exists() and not Attendance.objects.exists()


def test_the_portal_page_reports_and_tells_the_outcome(booked: Setup) -> None:
    client = booked.family.client
    url = reverse("portal:absence_report")
    form = client.get(url, {"enfant": booked.paul.pk, "jour": "2026-11-12"}).content.decode()
    assert 'value="2026-11-12"' in form and 'type="date"' in form and "Maladie" in form
    answer = client.post(
        url,
        {
            "child": booked.paul.pk,
            "first_day": "2026-11-12",
            "last_day": "2026-11-12",
            "reason": "illness",
            "certificate": pdf_file("certificat.pdf"),
        },
        follow=True,
    )
    text = answer.content.decode()
    assert "La commune examine votre certificat médical" in text
    report = AbsenceReport.objects.get()
    assert client.get(reverse("portal:absence_certificate", args=[report.pk])).status_code == 200


def test_another_households_child_or_certificate_is_refused(booked: Setup) -> None:
    from ..conftest import make_family

    report = _report(booked, certificate=pdf_file())
    other = make_family(booked.paul.municipality, email="autre@example.org")
    url = reverse("portal:absence_report")
    answer = other.client.post(
        url,
        {
            "child": booked.paul.pk,
            "first_day": "2026-11-12",
            "last_day": "2026-11-12",
            "reason": "illness",
        },
    )
    assert answer.status_code == 200 and AbsenceReport.objects.count() == 1
    assert (
        other.client.get(reverse("portal:absence_certificate", args=[report.pk])).status_code == 404
    )


def test_the_family_export_holds_the_reports_and_their_certificates(booked: Setup) -> None:
    import json
    import zipfile

    from espacefamille.privacy.data_export import household_export

    report = _report(booked, certificate=pdf_file("certificat.pdf"))
    with zipfile.ZipFile(household_export(booked.family.household, actor=None)) as archive:
        data = json.loads(archive.read("donnees.json"))
        assert f"certificats/certificat-{report.pk}.pdf" in archive.namelist()
    [row] = data["absences_signalees"]
    assert row["du"] == "2026-11-12" and row["motif"] == "Maladie"
    assert row["suite_donnee"] == "certificat en cours d'examen"


def test_the_action_log_reads_french(booked: Setup) -> None:
    from espacefamille.backoffice.audit_labels import change_rows

    _report(booked, certificate=pdf_file())
    entry = ActionLogEntry.objects.get(action="absence.report")
    rows = change_rows(entry.object_type, entry.changes)
    assert ("premier jour", "—", "12/11/2026") in rows
    assert ("suite donnée", "—", "certificat en cours d'examen") in rows
    assert ("certificat médical", "—", "Oui") in rows
