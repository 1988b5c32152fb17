"""Recording a household's family quotient: fetched from API Particulier with the family's
consent, or copied by an agent from a paper certificate. Either way one ``HouseholdQuotient``
row (append-only, it prices the invoices) and one ``QuotientEntry`` saying how it came.

Which day the new quotient applies from: the first day of the month after the one it is
recorded in. A month under way may already be partly invoiced (prepaid carts, a draft run,
an agent's review), so a quotient never reprices it; the next monthly invoicing on prices
every day at the new bracket, the same rule for every family and every door. An agent who
copies a paper certificate may choose another date (a correction of a past mistake)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor
from espacefamille.billing.models import HouseholdQuotient, QuotientSource
from espacefamille.households.audit import record_change
from espacefamille.households.models import Guardian, Household, HouseholdChange

from .client import Identity, Quotient, quotient_request
from .consents import has_consent
from .errors import QuotientError
from .models import EntryChannel, EntryMethod, GuardianIdentity, QuotientEntry, QuotientSettings

if TYPE_CHECKING:
    import requests

PAPER_SOURCES = (QuotientSource.CAF, QuotientSource.MSA, QuotientSource.TAX_NOTICE)
API_SOURCES = {"CNAF": QuotientSource.API_CNAF, "MSA": QuotientSource.API_MSA}


def next_invoicing_start(today: date | None = None) -> date:
    """The first day of the month after ``today``: where a new quotient starts to price."""
    day = today or timezone.localdate()
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def active_settings(*, household: Household) -> QuotientSettings:
    config = QuotientSettings.objects.filter(municipality_id=household.municipality_id).first()
    if config is None or not config.is_enabled or not config.token or not config.recipient:
        raise QuotientError(
            "service_off",
            _("La commune n'a pas activé la consultation du quotient familial en ligne."),
        )
    return config


def identity_of(guardian: Guardian) -> GuardianIdentity | None:
    return GuardianIdentity.objects.filter(guardian=guardian).first()


def _check_identity(identity: Identity) -> None:
    if not identity.birth_name.strip() or not any(n.strip() for n in identity.first_names):
        raise QuotientError(
            "bad_identity", _("Indiquez le nom de naissance et les prénoms."), "birth_name"
        )
    if identity.sex not in ("F", "M"):
        raise QuotientError("bad_identity", _("Indiquez le sexe à l'état civil."), "sex")
    if identity.birth_country == "99100" and not identity.birth_commune:
        raise QuotientError(
            "bad_identity",
            _("Pour une naissance en France, indiquez le code INSEE de la commune."),
            "birth_commune",
        )


def _store(
    *,
    household: Household,
    guardian: Guardian,
    identity: Identity,
    quotient: Quotient,
    actor: Actor,
    channel: str,
    valid_from: date,
) -> QuotientEntry:
    row = HouseholdQuotient.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        value=Decimal(quotient.value),
        valid_from=valid_from,
        source=API_SOURCES[quotient.provider],
    )
    GuardianIdentity.objects.update_or_create(
        guardian=guardian,
        defaults={
            "municipality_id": household.municipality_id,
            "birth_name": identity.birth_name,
            "first_names": " ".join(identity.first_names),
            "sex": identity.sex,
            "birth_date": identity.birth_date,
            "birth_country": identity.birth_country,
            "birth_commune": identity.birth_commune,
        },
    )
    entry = QuotientEntry.objects.create(
        municipality_id=household.municipality_id,
        quotient=row,
        household=household,
        guardian=guardian,
        method=EntryMethod.API,
        channel=channel,
        provider=quotient.provider,
        reference_month=quotient.reference_month,
        computed_month=quotient.computed_month,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.CREATE,
        obj=row,
        changes={
            "quotient familial": [None, str(quotient.value)],
            "source": [None, str(API_SOURCES[quotient.provider].label)],
            "appliqué à partir du": [None, valid_from.strftime("%d/%m/%Y")],
        },
    )
    return entry


def quotient_fetch(
    *,
    household: Household,
    guardian: Guardian,
    identity: Identity,
    actor: Actor,
    channel: str,
    session: requests.Session | None = None,
    today: date | None = None,
) -> QuotientEntry:
    """Fetch and record the quotient of ``guardian``. Refuses (``QuotientError``) without the
    household's consent, when the town has not turned the service on, or on any answer
    but a quotient: then nothing is written. The call is made outside any transaction."""
    if guardian.household_id != household.pk:
        raise QuotientError("unknown_guardian", _("Ce responsable n'est pas de ce foyer."))
    if not has_consent(household=household):
        raise QuotientError(
            "no_consent",
            _("Le foyer n'a pas donné son accord pour la consultation de son quotient."),
            "consent",
        )
    config = active_settings(household=household)
    _check_identity(identity)
    quotient = quotient_request(
        base_url=settings.API_PARTICULIER_URL,
        token=config.token,
        recipient=config.recipient,
        identity=identity,
        session=session,
    )
    with transaction.atomic():
        # The consent may have been withdrawn while the API answered.
        if not has_consent(household=household):
            raise QuotientError(
                "no_consent",
                _("Le foyer a retiré son accord pendant la consultation : rien n'est gardé."),
            )
        return _store(
            household=household,
            guardian=guardian,
            identity=identity,
            quotient=quotient,
            actor=actor,
            channel=channel,
            valid_from=next_invoicing_start(today),
        )


@transaction.atomic
def paper_quotient_record(
    *, household: Household, value: Decimal, source: str, valid_from: date, actor: Actor
) -> QuotientEntry:
    """An agent copies a paper certificate (CAF, MSA or tax notice); marked as paper."""
    if source not in PAPER_SOURCES:
        raise QuotientError("bad_source", _("Choisissez le justificatif présenté."), "source")
    if value < 0 or value >= Decimal("1000000"):
        raise QuotientError("bad_value", _("Le quotient doit être entre 0 et 999 999."), "value")
    row = HouseholdQuotient.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        value=value.quantize(Decimal("0.01")),
        valid_from=valid_from,
        source=source,
    )
    entry = QuotientEntry.objects.create(
        municipality_id=household.municipality_id,
        quotient=row,
        household=household,
        method=EntryMethod.PAPER,
        channel=EntryChannel.AGENT,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(
        household=household,
        actor=actor,
        action=HouseholdChange.Action.CREATE,
        obj=row,
        changes={
            "quotient familial": [None, str(row.value)],
            "source": [None, str(QuotientSource(source).label)],
            "appliqué à partir du": [None, valid_from.strftime("%d/%m/%Y")],
        },
    )
    return entry
