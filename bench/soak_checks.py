"""The soak benchmark's world (``bench_soak.py``): the families and agents it signs in, the
weeks and places it plays on, what it changes for the run and puts back afterwards, and the
checks it makes in the database once the load has stopped."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import common
import http_load

AGENT_EMAIL = "agent.soak@banc-essai.invalid"
SLOT_NAME = "GARDERIE AVANT REPAS"  # its régie asks an agent to approve, for the run


@dataclass
class SoakWorld:
    meal: Any  # Product REPAS (capped)
    slot: Any  # Product of the daycare régie, approved by an agent during the run
    weeks: list[list[date]]
    children: list[Any]
    households: list[int]
    carts: set[int]
    capacity: int
    original_capacity: int | None
    original_approval: bool
    ledger: dict
    session_keys: list[str]
    family_headers: list[dict[str, str]]
    agent_headers: list[dict[str, str]]
    slot_days: set[date] = field(default_factory=set)

    @property
    def days(self) -> list[date]:
        return [day for week in self.weeks for day in week]

    def slot_opens(self, day: date) -> bool:
        return day in self.slot_days


def prepare_world(bench: common.Bench, args: argparse.Namespace, pick_weeks: Callable) -> SoakWorld:
    """Children with nothing booked on the soak's days (one per household), REPAS capacity
    leaving ``args.places`` places on the fullest day, the daycare régie on approval, and
    signed-in sessions for the families and the agents."""
    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, Cart, CartLine
    from espacefamille.catalog.calendar import TownCalendar
    from espacefamille.catalog.models import Product, Service
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Child, Guardian

    town, meal, slot = bench.town, bench.products["REPAS"], bench.products[SLOT_NAME]
    with municipality_scope(town):
        weeks = pick_weeks(bench, meal, args.weeks)
        days = [day for week in weeks for day in week]
        busy = set(
            Booking.objects.filter(
                product__in=[meal, slot], date__in=days, status__in=ACTIVE_STATUSES
            ).values_list("child_id", flat=True)
        )
        children: list[Any] = []
        households: set[int] = set()
        for child in Child.objects.filter(household__external_ref__startswith="BENCH-0").order_by(
            "pk"
        ):
            if child.household_id not in households and child.pk not in busy:
                children.append(child)
                households.add(child.household_id)
                if len(children) == args.families:
                    break
        guardians = {
            guardian.household_id: guardian
            for guardian in Guardian.objects.filter(household_id__in=households).select_related(
                "user"
            )
        }
        CartLine.objects.filter(cart__household_id__in=households).delete()
        carts = set(Cart.objects.filter(household_id__in=households).values_list("pk", flat=True))
        ledger = common.ledger_snapshot(date__in=days)
        capacity = max(day_counts_of(meal, days).values()) + args.places
        Product.objects.filter(pk=meal.pk).update(capacity=capacity)
        original_approval = slot.service.booking_requires_approval
        Service.objects.filter(pk=slot.service_id).update(booking_requires_approval=True)
        calendar = TownCalendar.load(town, bench.start, bench.end)
        slot_days = {day for day in days if calendar.is_open(slot, day)}
        agent_keys, agent_headers = _agent_sessions(town, args.agents)
    session_keys, family_headers = list(agent_keys), []
    for child in children:
        key, headers = http_load.signed_in(guardians[child.household_id].user)
        session_keys.append(key)
        family_headers.append(headers)
    return SoakWorld(
        meal=meal,
        slot=slot,
        weeks=weeks,
        children=children,
        households=sorted(households),
        carts=carts,
        capacity=capacity,
        original_capacity=meal.capacity,
        original_approval=original_approval,
        ledger=ledger,
        session_keys=session_keys,
        family_headers=family_headers,
        agent_headers=agent_headers,
        slot_days=slot_days,
    )


def _agent_sessions(town: Any, count: int) -> tuple[list[str], list[dict[str, str]]]:
    """Sessions of the soak's administrator as the sign-in leaves them after the second factor
    (the TOTP step itself is not replayed: ``tests/backoffice`` covers it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from espacefamille.accounts.models import AgentRole
    from espacefamille.backoffice.acting import LAST_SEEN_KEY
    from espacefamille.configuration.agents import agent_create

    role = AgentRole.objects.filter(user__email=AGENT_EMAIL).select_related("user").first()
    if role is None:
        enrolment = agent_create(
            municipality=town,
            actor=None,
            email=AGENT_EMAIL,
            first_name="Agent",
            last_name="SOAK",
            role="administrator",
            sites=[],
            password=http_load.csrf_token(),
        )
        role = enrolment.agent_role
    device = TOTPDevice.objects.get(user=role.user)
    keys, headers = [], []
    for _n in range(count):
        key, header = http_load.signed_in(
            role.user, second_factor=device.persistent_id, **{LAST_SEEN_KEY: time.time()}
        )
        keys.append(key)
        headers.append(header)
    return keys, headers


def day_counts_of(product: Any, days: list[date]) -> dict[date, int]:
    from bench_concurrent_validation import day_counts

    return day_counts(product, days)


def verify(
    bench: common.Bench,
    world: SoakWorld,
    expected: dict[tuple[int, int, date], str],
    day_counts: Callable,
) -> dict[str, int]:
    """What the database says after the load, against what the families were told."""
    from django.db.models import Count

    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus, ProductDay
    from espacefamille.core.tenancy import municipality_scope

    with municipality_scope(bench.town):
        active = Booking.objects.filter(
            child__in=world.children,
            product__in=[world.meal, world.slot],
            date__in=world.days,
            status__in=ACTIVE_STATUSES,
        )
        counts = {
            (row["child_id"], row["product_id"], row["date"]): row["n"]
            for row in active.values("child_id", "product_id", "date").annotate(n=Count("*"))
        }
        still_requested = active.filter(status=BookingStatus.REQUESTED).count()
        counted = day_counts(world.meal, world.days)
        ledger = {
            row.date: row.taken
            for row in ProductDay.objects.filter(product=world.meal, date__in=world.days)
        }
    return {
        "expected_booked": sum(state == "booked" for state in expected.values()),
        "expected_cancelled": sum(state == "cancelled" for state in expected.values()),
        "missing": sum(
            1 for key, state in expected.items() if state == "booked" and not counts.get(key)
        ),
        "not_cancelled": sum(
            1 for key, state in expected.items() if state == "cancelled" and counts.get(key)
        ),
        "booked_twice": sum(1 for n in counts.values() if n > 1),
        "overbooked_count": sum(max(0, n - world.capacity) for n in counted.values()),
        "overbooked_ledger": sum(max(0, n - world.capacity) for n in ledger.values()),
        "ledger_differences": sum(ledger.get(day, 0) != n for day, n in counted.items()),
        "still_requested": still_requested,
    }


def restore_world(bench: common.Bench, world: SoakWorld, started_at: Any) -> None:
    """Put the bench database back: the run's bookings (and their history), carts, ledger rows,
    capacity, the régie's setting, sessions and queued e-mails."""
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from espacefamille.bookings.models import Booking, Cart, CartLine
    from espacefamille.catalog.models import Product, Service
    from espacefamille.core.tenancy import municipality_scope

    with municipality_scope(bench.town), transaction.atomic():
        Cart.objects.filter(household_id__in=world.households).exclude(pk__in=world.carts).delete()
        CartLine.objects.filter(cart__household_id__in=world.households).delete()
        run = Booking.objects.filter(
            child__in=world.children,
            product__in=[world.meal, world.slot],
            date__in=world.days,
            created_at__gte=started_at,
        )
        _delete_history(run)
        run.delete()
        Product.objects.filter(pk=world.meal.pk).update(capacity=world.original_capacity)
        Service.objects.filter(pk=world.slot.service_id).update(
            booking_requires_approval=world.original_approval
        )
        common.ledger_restore(world.ledger, date__in=world.days)
    Session.objects.filter(session_key__in=world.session_keys).delete()
    DBTaskResult.objects.filter(enqueued_at__gte=started_at).delete()


def _delete_history(bookings: Any) -> None:
    """Rows that point at the run's bookings (history, decisions), whatever their models."""
    from django.db.models import ForeignKey

    from espacefamille.bookings.models import Booking

    for related in Booking._meta.related_objects:
        if isinstance(related.field, ForeignKey) or related.one_to_one:
            related.related_model._base_manager.filter(
                **{f"{related.field.name}__in": bookings}
            ).delete()
