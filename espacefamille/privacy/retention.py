"""Retention (RGPD art. 5-1-e, CNIL guidance for schools' services): a household file without
any activity for the town's ``retention_years`` (3 by default) is anonymised by
``manage.py purge_expired``.

Activity is the latest of: the file's creation, a guardian's last sign-in, a change to the
file, a booking made or booked for a day, an attendance, an invoice, a settlement, an online
payment, a request or a message on it. Each source is one grouped query for the whole town.

Anonymising keeps what accounting law requires (invoices, credit notes, settlements and
payments: 10 years, French public accounting) with their amounts and numbers, and the bookings
and attendance they rest on, but removes every name of a child and every personal detail:
guardians' and children's identities, birth dates, diets, PAI, pickups, emergency contacts,
image consents, the identities and consents of the family quotient (its values stay: they
priced invoices), requests and their documents, the file's change log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from espacefamille.accounts.models import Invitation, JoinCode
from espacefamille.attendance.models import AbsenceReport
from espacefamille.audit.models import ActionLogEntry
from espacefamille.audit.records import Actor, action_record
from espacefamille.billing.models import Invoice, InvoiceLine, IssuedInvoicePdf, Settlement
from espacefamille.bookings.models import (
    Attendance,
    Booking,
    CalendarFeed,
    CartLine,
    WaitingListEntry,
)
from espacefamille.core.models import Municipality
from espacefamille.directdebit.services import mandates_anonymise
from espacefamille.households.models import (
    AuthorizedPickup,
    Child,
    ChildDiet,
    ChildHousehold,
    EmergencyContact,
    Guardian,
    Household,
    HouseholdChange,
    ImageConsent,
)
from espacefamille.inquiries.models import Inquiry, InquiryAttachment, InquiryMessage
from espacefamille.payments.models import Payment
from espacefamille.quotient.models import GuardianIdentity, QuotientConsent

ANONYMISED_PREFIX = "Foyer anonymisé n°"
ANONYMOUS_CHILD = "Enfant anonymisé"
PLACEHOLDER_BIRTH_DATE = date(1900, 1, 1)


def _as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _latest(
    activity: dict[int, date], rows: Iterable[dict[str, Any]], *fields: str
) -> dict[int, date]:
    for row in rows:
        for name in fields:
            moment = _as_date(row[name])
            if moment is not None and moment > activity.get(row["owner"], date.min):
                activity[row["owner"]] = moment
    return activity


def last_activity(households: Iterable[Household]) -> dict[int, date]:
    """The date of each household's latest activity (see the module's docstring)."""
    ids = [household.pk for household in households]
    activity: dict[int, date] = {}
    sources: list[tuple[models.QuerySet[Any], str, dict[str, Any]]] = [
        (Household.objects.filter(pk__in=ids), "pk", {"created": Max("created_at")}),
        (
            Guardian.objects.filter(household__in=ids),
            "household",
            {"login": Max("user__last_login")},
        ),
        (
            HouseholdChange.objects.filter(household__in=ids),
            "household",
            {"changed": Max("at")},
        ),
        (
            Booking.objects.filter(household__in=ids),
            "household",
            {"booked": Max("updated_at"), "day": Max("date"), "until": Max("end_date")},
        ),
        (
            Attendance.objects.filter(child__household__in=ids),
            "child__household",
            {"attended": Max("date")},
        ),
        (
            Invoice.objects.filter(household__in=ids),
            "household",
            {"invoiced": Max("created_at"), "issued": Max("issued_on")},
        ),
        (
            Settlement.objects.filter(household__in=ids),
            "household",
            {"settled": Max("received_at")},
        ),
        (Payment.objects.filter(household__in=ids), "household", {"paid": Max("updated_at")}),
        (
            Inquiry.objects.filter(household__in=ids),
            "household",
            {"asked": Max("updated_at")},
        ),
        (
            InquiryMessage.objects.filter(inquiry__household__in=ids),
            "inquiry__household",
            {"written": Max("created_at")},
        ),
    ]
    for queryset, key, aggregates in sources:
        rows = queryset.values(owner=models.F(key)).annotate(**aggregates).order_by()
        _latest(activity, rows, *aggregates)
    return activity


def retention_cutoff(municipality: Municipality, today: date) -> date:
    """Files whose last activity is before this day have outlived the retention period."""
    years = municipality.retention_years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass(frozen=True)
class ExpiredHousehold:
    household: Household
    last_activity: date
    guardians: int
    children: int
    invoices_kept: int


def expired_households(municipality: Municipality, today: date) -> list[ExpiredHousehold]:
    """The town's files past retention, not yet anonymised (inside the town's scope)."""
    households = list(
        Household.objects.exclude(name__startswith=ANONYMISED_PREFIX).annotate(
            guardian_count=models.Count("guardians", distinct=True),
            child_count=models.Count("children", distinct=True),
            invoice_count=models.Count("invoices", distinct=True),
        )
    )
    activity = last_activity(households)
    cutoff = retention_cutoff(municipality, today)
    return [
        ExpiredHousehold(
            household=household,
            last_activity=activity[household.pk],
            guardians=household.guardian_count,
            children=household.child_count,
            invoices_kept=household.invoice_count,
        )
        for household in households
        if activity[household.pk] < cutoff
    ]


def _shared_children_hand_over(household: Household) -> None:
    """A child shared by separated parents outlives the file of one of them: the household's
    own links end, and a child it had first goes to its next live household (whose link then
    ends: it is the child's first household now). The child's record and shared data stay."""
    now = timezone.now()
    ChildHousehold.objects.filter(household=household, ended_at__isnull=True).update(ended_at=now)
    links = ChildHousehold.objects.filter(child__household=household, ended_at__isnull=True)
    for link in links.order_by("linked_at", "pk"):
        updated = Child.objects.filter(pk=link.child_id, household=household).update(
            household_id=link.household_id
        )
        if updated:
            ChildHousehold.objects.filter(pk=link.pk).update(ended_at=now)


def _remove_files(paths: list[tuple[Any, str]]) -> None:
    for storage, name in paths:
        storage.delete(name)


@transaction.atomic
def household_anonymise(household: Household, *, actor: Actor = None) -> None:
    """Anonymise one file, entirely or not at all; documents are deleted after the commit."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _shared_children_hand_over(household)
    children = list(Child.objects.filter(household=household))
    guardians = list(Guardian.objects.filter(household=household))
    attachments = list(InquiryAttachment.objects.filter(inquiry__household=household))
    files = [(item.file.storage, item.file.name) for item in attachments if item.file.name]
    reports = list(AbsenceReport.objects.filter(household=household))
    files += [
        (item.certificate.storage, item.certificate.name)
        for item in reports
        if item.certificate.name
    ]
    AbsenceReport.objects.filter(pk__in=[item.pk for item in reports]).delete()

    InquiryAttachment.objects.filter(pk__in=[item.pk for item in attachments]).delete()
    Inquiry.objects.filter(household=household).delete()
    for model in (AuthorizedPickup, EmergencyContact, HouseholdChange, Invitation, JoinCode):
        model.objects.filter(household=household).delete()
    GuardianIdentity.objects.filter(guardian__in=guardians).delete()
    QuotientConsent.objects.filter(household=household).delete()
    for child_model in (ImageConsent, ChildDiet, WaitingListEntry):
        child_model.objects.filter(child__in=children).delete()
    WaitingListEntry.objects.filter(household=household).delete()  # its shared children's
    CalendarFeed.objects.filter(household=household).delete()
    CartLine.objects.filter(cart__household=household).delete()
    mandates_anonymise(household=household)  # the bank account and its holder
    InvoiceLine.objects.filter(invoice__household=household).update(child_name=ANONYMOUS_CHILD)
    IssuedInvoicePdf.objects.filter(invoice__household=household).delete()  # names in it
    Child.objects.filter(household=household).update(
        first_name=ANONYMOUS_CHILD,
        last_name="",
        civility="",
        birth_date=PLACEHOLDER_BIRTH_DATE,
        school="",
        school_class="",
        has_care_plan=False,
    )
    Guardian.objects.filter(household=household).update(
        user=None,
        civility="",
        first_name="Responsable",
        last_name="anonymisé",
        birth_date=None,
        address="",
        address_complement="",
        postcode="",
        city="",
        mobile_phone="",
        landline_phone="",
        email="",
        employer="",
        employer_mobile_phone="",
        employer_landline_phone="",
    )
    name = f"{ANONYMISED_PREFIX}{household.pk}"
    Household.objects.filter(pk=household.pk).update(name=name, external_ref="")
    people = Q(object_type="household", object_id=household.pk)
    people |= Q(object_type="child", object_id__in=[child.pk for child in children])
    people |= Q(object_type="guardian", object_id__in=[guardian.pk for guardian in guardians])
    ActionLogEntry.objects.filter(people).update(object_repr=name, changes={})
    action_record(
        municipality_id=household.municipality_id,
        actor=actor,
        action="household.anonymise",
        object_type="household",
        object_id=household.pk,
        object_repr=name,
        changes={"enfants": [None, len(children)], "responsables": [None, len(guardians)]},
    )
    transaction.on_commit(lambda: _remove_files(files))
