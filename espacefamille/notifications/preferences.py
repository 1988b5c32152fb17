"""What a family receives: its own choices over ``DEFAULTS``, read for many families at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from espacefamille.audit.records import Actor, action_record
from espacefamille.households.models import Household

from .models import DEFAULTS, Channel, Kind, Preference


def channels_chosen(household_ids: Iterable[int], kind: str) -> dict[int, set[str]]:
    """The channels each household wants for ``kind`` (one query)."""
    ids = list(household_ids)
    chosen: dict[int, set[str]] = {pk: set(DEFAULTS[kind]) for pk in ids}
    for row in Preference.objects.filter(household_id__in=ids, kind=kind):
        if row.enabled:
            chosen[row.household_id].add(row.channel)
        else:
            chosen[row.household_id].discard(row.channel)
    return chosen


def preference_table(household: Household) -> dict[str, dict[str, bool]]:
    """Every kind × channel for the settings page."""
    table = {kind: {ch: ch in DEFAULTS[kind] for ch in Channel.values} for kind in Kind.values}
    for row in Preference.objects.filter(household=household):
        table[row.kind][row.channel] = row.enabled
    return table


@transaction.atomic
def preferences_save(
    *, household: Household, chosen: set[tuple[str, str]], actor: Actor
) -> dict[str, list[object]]:
    """Keep the family's choice: ``chosen`` holds the (kind, channel) pairs it ticked."""
    before = preference_table(household)
    changes: dict[str, list[object]] = defaultdict(list)
    for kind in Kind.values:
        for channel in Channel.values:
            enabled = (kind, channel) in chosen
            Preference.objects.update_or_create(
                municipality_id=household.municipality_id,
                household=household,
                kind=kind,
                channel=channel,
                defaults={"enabled": enabled},
            )
            if before[kind][channel] != enabled:
                changes[f"{Kind(kind).label} — {Channel(channel).label}"] = [
                    before[kind][channel],
                    enabled,
                ]
    if changes:
        action_record(
            municipality_id=household.municipality_id,
            actor=actor,
            action="notifications.preferences",
            obj=household,
            changes=dict(changes),
        )
    return dict(changes)
