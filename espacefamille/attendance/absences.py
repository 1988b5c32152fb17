"""Report an absence ("Signaler une absence") and decide on its medical certificate.

A family reports a child's absence on a run of days, even after the cancellation deadline and
up to the morning itself (``REPORT_UNTIL`` on the day). The report pre-marks the attendance rows
of the child's bookings on those days: "absence justifiée" when the town justifies on report,
"enfant absent" otherwise. With a certificate (the upload rules of every document), an agent
accepts it (the rows become "absence justifiée": free except the waiting days, the billing rules
already say so) or refuses it (the absence stays unjustified). The family is told the outcome
by e-mail and on the page. Days a final invoicing run covers are left alone (a correction
there is a credit note), and a row an agent already pointed "présent" is never overwritten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.billing.closed_days import day_is_invoiced
from espacefamille.bookings.models import ACTIVE_STATUSES, Attendance, AttendanceState, Booking
from espacefamille.catalog.deadlines import PARIS
from espacefamille.catalog.models import Enrollment
from espacefamille.core.uploads import upload_check
from espacefamille.households.models import Child, Household
from espacefamille.households.sharing import is_member

from .emails import absence_email_after_commit
from .errors import AbsenceError, AbsenceRefusal
from .models import (
    AbsenceOutcome,
    AbsenceReason,
    AbsenceReport,
    AbsenceSettings,
    JustificationRule,
)

REPORT_UNTIL = time(12, 0)  # a day may be reported until noon of that day
MAX_DAYS = 31
PRESENT_STATES = (AttendanceState.PRESENT, AttendanceState.PRESENT_UNBOOKED)


def justification_rule(*, municipality_id: int) -> str:
    found = AbsenceSettings.objects.filter(municipality_id=municipality_id).first()
    return found.justification if found else JustificationRule.CERTIFICATE


def first_reportable_day(now: datetime | None = None) -> date:
    """Today until ``REPORT_UNTIL``, then tomorrow."""
    moment = (now or timezone.now()).astimezone(PARIS)
    return moment.date() if moment.time() < REPORT_UNTIL else moment.date() + timedelta(days=1)


def _days_check(first_day: date, last_day: date) -> None:
    if last_day < first_day:
        raise AbsenceError(
            AbsenceRefusal.DAYS_REVERSED,
            _("Le dernier jour doit être le premier jour ou un jour après."),
            field="last_day",
        )
    if (last_day - first_day).days >= MAX_DAYS:
        raise AbsenceError(
            AbsenceRefusal.TOO_MANY_DAYS,
            _("Signalez au plus %(days)s jours à la fois.") % {"days": MAX_DAYS},
            field="last_day",
        )
    if first_day < first_reportable_day():
        raise AbsenceError(
            AbsenceRefusal.TOO_LATE,
            _(
                "Une absence se signale au plus tard le matin même, avant %(hour)s : "
                "choisissez un jour à partir du %(day)s."
            )
            % {"hour": REPORT_UNTIL.strftime("%Hh%M"), "day": f"{first_reportable_day():%d/%m/%Y}"},
            field="first_day",
        )


def _certificate_type(certificate: UploadedFile[bytes] | None) -> str:
    if certificate is None:
        return ""
    try:
        return upload_check(certificate)
    except ValidationError as error:
        raise AbsenceError(
            AbsenceRefusal.CERTIFICATE_REFUSED, " ".join(error.messages), field="certificate"
        ) from None


def _open_bookings(child: Child, first_day: date, last_day: date) -> list[Booking]:
    """The child's active day bookings of those days, less the days already invoiced."""
    bookings = list(
        Booking.objects.filter(
            child=child,
            status__in=ACTIVE_STATUSES,
            date__range=(first_day, last_day),
            end_date__isnull=True,
        ).select_related("product")
    )
    invoiced: dict[tuple[int, date], bool] = {}
    kept = []
    for booking in bookings:
        key = (booking.product.service_id, booking.date)
        if key not in invoiced:
            invoiced[key] = day_is_invoiced(
                municipality=child.municipality_id, service=key[0], day=key[1]
            )
        if not invoiced[key]:
            kept.append(booking)
    return kept


def _mark(*, child: Child, bookings: list[Booking], state: str, actor: Actor) -> int:
    """Pre-mark the attendance rows of those bookings; a "présent" already pointed stays."""
    existing = {
        (row.product_id, row.date): row
        for row in Attendance.objects.filter(
            child=child, date__in={booking.date for booking in bookings}
        )
    }
    marked = 0
    now = timezone.now()
    for booking in bookings:
        row = existing.get((booking.product_id, booking.date))
        if row is not None and row.state in PRESENT_STATES:
            continue
        Attendance.objects.update_or_create(
            municipality_id=child.municipality_id,
            child=child,
            product=booking.product,
            date=booking.date,
            defaults={"state": state, "recorded_by": actor, "recorded_at": now},
        )
        marked += 1
    return marked


@transaction.atomic
def absence_report_create(
    *,
    household: Household,
    child: Child,
    first_day: date,
    last_day: date,
    reason: str,
    certificate: UploadedFile[bytes] | None,
    actor: Actor,
) -> AbsenceReport:
    if not is_member(child, household):
        raise AbsenceError(
            AbsenceRefusal.CHILD_NOT_IN_HOUSEHOLD,
            _("Choisissez un enfant de votre foyer."),
            field="child",
        )
    if reason not in AbsenceReason.values:
        raise AbsenceError(
            AbsenceRefusal.UNKNOWN_REASON, _("Choisissez le motif de l'absence."), field="reason"
        )
    _days_check(first_day, last_day)
    content_type = _certificate_type(certificate)
    Child.objects.select_for_update().filter(pk=child.pk).first()
    bookings = _open_bookings(child, first_day, last_day)
    if not bookings:
        raise AbsenceError(
            AbsenceRefusal.NOTHING_BOOKED,
            _("%(child)s n'a aucune réservation ces jours-là : il n'y a rien à signaler.")
            % {"child": child.first_name},
            field="first_day",
        )
    if justification_rule(municipality_id=household.municipality_id) == JustificationRule.ON_REPORT:
        outcome = AbsenceOutcome.JUSTIFIED
    elif certificate is not None:
        outcome = AbsenceOutcome.PENDING
    else:
        outcome = AbsenceOutcome.UNJUSTIFIED
    report = AbsenceReport(
        municipality_id=household.municipality_id,
        household=household,
        child=child,
        first_day=first_day,
        last_day=last_day,
        reason=reason,
        outcome=outcome,
        content_type=content_type,
        reported_by=actor,
    )
    if certificate is not None:
        report.certificate.save(certificate.name or "certificat", certificate, save=False)
    report.save()
    state = (
        AttendanceState.JUSTIFIED if outcome == AbsenceOutcome.JUSTIFIED else AttendanceState.ABSENT
    )
    marked = _mark(child=child, bookings=bookings, state=state, actor=actor)
    action_record(
        municipality_id=report.municipality_id,
        actor=actor,
        action="absence.report",
        obj=report,
        changes={
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "bookings": marked,
            "certificate": certificate is not None,
            "outcome": outcome,
        },
    )
    return report


@dataclass(frozen=True)
class Decision:
    report: AbsenceReport
    justified_rows: int


@transaction.atomic
def absence_report_decide(
    *, report: AbsenceReport, accept: bool, actor: Actor, sites: list[str] | None = None
) -> Decision:
    """An agent accepts (justified) or refuses (unjustified) a report's certificate."""
    locked = AbsenceReport.objects.select_for_update().select_related("child").get(pk=report.pk)
    if sites is not None and not _in_sites(locked, sites):
        raise AbsenceError(
            AbsenceRefusal.NOT_IN_AGENT_SITES, _("Cet enfant n'est pas dans vos sites.")
        )
    if locked.outcome != AbsenceOutcome.PENDING:
        raise AbsenceError(
            AbsenceRefusal.NOTHING_TO_DECIDE,
            _("Cette absence a déjà reçu une réponse : %(outcome)s.")
            % {"outcome": locked.get_outcome_display()},
        )
    justified = 0
    if accept:
        bookings = _open_bookings(locked.child, locked.first_day, locked.last_day)
        justified = _mark(
            child=locked.child, bookings=bookings, state=AttendanceState.JUSTIFIED, actor=actor
        )
    before = locked.outcome
    locked.outcome = AbsenceOutcome.JUSTIFIED if accept else AbsenceOutcome.UNJUSTIFIED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["outcome", "decided_by", "decided_at"])
    action_record(
        municipality_id=locked.municipality_id,
        actor=actor,
        action="absence.decide",
        obj=locked,
        changes={"outcome": [before, locked.outcome], "bookings": justified},
    )
    absence_email_after_commit(report=locked)
    return Decision(locked, justified)


def _in_sites(report: AbsenceReport, sites: list[str]) -> bool:
    return Enrollment.objects.filter(
        child_id=report.child_id,
        start_date__lte=report.last_day,
        end_date__gte=report.first_day,
        site__name__in=sites,
    ).exists()


@transaction.atomic
def absence_settings_save(*, municipality_id: int, justification: str, actor: Actor) -> str:
    """The town's rule: a reported absence is justified on report, or only with a certificate
    an agent accepts."""
    if justification not in JustificationRule.values:
        raise AbsenceError(
            AbsenceRefusal.UNKNOWN_REASON,
            _("Choisissez une des deux règles."),
            field="justification",
        )
    found, _created = AbsenceSettings.objects.get_or_create(municipality_id=municipality_id)
    before = found.justification if not _created else ""
    found.justification = justification
    found.save(update_fields=["justification"])
    action_record(
        municipality_id=municipality_id,
        actor=actor,
        action="absence_settings.update",
        obj=found,
        changes={"justification": [before, justification]},
    )
    return justification
