"""The yearly refresh (January): the quotient of every consenting household fetched again,
one call at a time with a pause between calls, with the identity kept at its last fetch.
A household without a kept identity is skipped; a refusal is counted and changes nothing;
a 429 stops the run (the API asks us to slow down) and says so."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery

from espacefamille.core.models import Municipality
from espacefamille.households.models import Guardian, Household

from .client import Identity
from .errors import QuotientError
from .models import EntryChannel, GuardianIdentity, QuotientConsent
from .services import active_settings, quotient_fetch

if TYPE_CHECKING:
    import requests


@dataclass
class RefreshReport:
    consenting: int = 0
    fetched: int = 0
    without_identity: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    stopped: str = ""


def consenting_households(municipality: Municipality) -> list[Household]:
    latest = QuotientConsent.objects.filter(household=OuterRef("pk")).order_by(
        "-recorded_at", "-pk"
    )
    return list(
        Household.objects.filter(municipality=municipality)
        .annotate(consent=Subquery(latest.values("granted")[:1]))
        .filter(consent=True)
        .order_by("pk")
    )


def kept_identity(household: Household) -> tuple[Guardian, Identity] | None:
    found = (
        GuardianIdentity.objects.filter(guardian__household=household)
        .select_related("guardian")
        .order_by("guardian__rank", "guardian__pk")
        .first()
    )
    if found is None:
        return None
    return found.guardian, Identity(
        birth_name=found.birth_name,
        first_names=found.first_names.split(),
        sex=found.sex,
        birth_date=found.birth_date,
        birth_country=found.birth_country,
        birth_commune=found.birth_commune,
    )


def quotients_refresh(
    *,
    municipality: Municipality,
    pause: float | None = None,
    sleep: Callable[[float], None] | None = None,
    session: requests.Session | None = None,
    today: date | None = None,
) -> RefreshReport:
    """Call inside the town's scope. Raises ``QuotientError`` when the service is off."""
    report = RefreshReport()
    households = consenting_households(municipality)
    report.consenting = len(households)
    if not households:
        return report
    config = active_settings(household=households[0])
    wait = float(config.refresh_pause) if pause is None else pause
    called = False
    for household in households:
        found = kept_identity(household)
        if found is None:
            report.without_identity += 1
            continue
        if called:
            (sleep or time.sleep)(wait)
        called = True
        guardian, identity = found
        try:
            quotient_fetch(
                household=household,
                guardian=guardian,
                identity=identity,
                actor=None,
                channel=EntryChannel.REFRESH,
                session=session,
                today=today,
            )
        except QuotientError as error:
            report.refused[error.reason] += 1
            if error.reason in ("rate_limited", "token_refused", "service_off"):
                report.stopped = error.reason
                break
            continue
        report.fetched += 1
    return report
