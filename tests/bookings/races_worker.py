"""The database side of ``test_concurrency_races.py``: agents deciding and waiting lists
promoting while families validate, and carts spanning several days and products. Runs in its
own process against the live server's database, one JSON command per line on stdin, one JSON
answer per line on stdout (as ``concurrency_worker``, whose town and families it reuses):

- ``{"cmd": "setup", "clients": 40, "days": 32}``;
- ``{"cmd": "agents_round", "n": 0}``: a day full of reserve bookings, some awaiting an agent's
  decision on their cancellation, a waiting list, and carts of one REPAS for that day;
- ``{"cmd": "agents_start", "release_at": t}`` / ``{"cmd": "agents_join"}``: agents accept the
  cancellations in threads released at the wall-clock time ``t``, then report;
- ``{"cmd": "agents_count", "n": 0}``;
- ``{"cmd": "carts_round", "n": 0, "seed": 1}`` / ``{"cmd": "carts_count", "n": 0}``: carts of
  several days × two products, each product-day with its own small capacity;
- ``{"cmd": "quit"}``.
"""

from __future__ import annotations

import random
import threading
import time
import traceback
from typing import Any

from . import concurrency_worker as base

DECISIONS = 4  # cancellations awaiting an agent, per round
WAITING = 3  # children on the waiting list, per round
CAPACITY = 10  # places of the agents' day
CART_DAYS = 4  # days per round of the multi-day carts
DAY_CAPACITY = 6  # places per product-day of the multi-day carts
STATE: dict[str, Any] = {}


def _setup(clients: int, days: int) -> dict[str, Any]:
    from espacefamille.catalog.models import Product, Service, school_year_of
    from espacefamille.catalog.services import enrollment_enroll
    from espacefamille.core.tenancy import municipality_scope

    info = base._setup(clients=clients, places=CAPACITY, rounds=days)
    town = base.STATE["town"]
    with municipality_scope(town):
        daycare = Service.objects.get(name="Garderie")
        year = school_year_of(base.STATE["days"][0])
        for _email, _cart, child in base.STATE["families"]:
            for school_year in {year, school_year_of(base.STATE["days"][-1])}:
                enrollment_enroll(child=child, service=daycare, school_year=school_year)
        STATE["products"] = [
            base.STATE["meal"],
            Product.objects.get(name="GARDERIE AVANT REPAS"),
        ]
        # Roomy product capacities: each day's own capacity is set on its ledger row.
        Product.objects.filter(pk__in=[p.pk for p in STATE["products"]]).update(capacity=1000)
    return info


def _agents_day(n: int) -> Any:
    return base.STATE["days"][n]


def _agents_round(n: int) -> dict[str, Any]:
    from espacefamille.bookings.models import (
        Booking,
        BookingStatus,
        CartLine,
        ProductDay,
        WaitingListEntry,
    )
    from espacefamille.core.tenancy import municipality_scope

    town, meal, day = base.STATE["town"], base.STATE["meal"], _agents_day(n)
    families = base.STATE["families"]
    with municipality_scope(town):
        CartLine.objects.all().delete()
        reserve = base.STATE["reserve"][:CAPACITY]
        Booking.objects.bulk_create(
            Booking(
                municipality=town,
                child=child,
                product=meal,
                date=day,
                status=BookingStatus.CANCEL_REQUESTED if i < DECISIONS else BookingStatus.VALIDATED,
            )
            for i, child in enumerate(reserve)
        )
        ProductDay.objects.create(
            municipality=town,
            product=meal,
            date=day,
            capacity=CAPACITY,
            capacity_override=CAPACITY,
            taken=CAPACITY,
        )
        waiting = [child for _email, _cart, child in families[:WAITING]]
        for child in waiting:
            WaitingListEntry.objects.create(municipality=town, child=child, product=meal, date=day)
            time.sleep(0.002)  # distinct created_at: the line has an order
        CartLine.objects.bulk_create(
            base.cart_add_line(cart, child, meal, day) for _email, cart, child in families[WAITING:]
        )
        STATE["decisions"] = list(
            Booking.objects.filter(date=day, status=BookingStatus.CANCEL_REQUESTED).select_related(
                "product__service", "child__household"
            )
        )
    return {"day": day.isoformat(), "validators": [e for e, _c, _ch in families[WAITING:]]}


def _agents_start(release_at: float) -> dict[str, Any]:
    from django.db import connection

    from espacefamille.bookings.errors import BookingError
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.payments.cancellations import booking_decide

    outcomes: list[str] = []

    def agent(booking: Any) -> None:
        try:
            time.sleep(max(0.0, release_at - time.time()))
            with municipality_scope(base.STATE["town"]):
                booking_decide(booking=booking, accept=True)
            outcomes.append("accepted")
        except BookingError as error:
            outcomes.append(f"refused: {error.reason}")
        except Exception:
            outcomes.append("ERROR " + traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=agent, args=(b,)) for b in STATE["decisions"]]
    for thread in threads:
        thread.start()
    STATE["agents"] = (threads, outcomes)
    return {"agents": len(threads)}


def _agents_join() -> dict[str, Any]:
    threads, outcomes = STATE["agents"]
    for thread in threads:
        thread.join(timeout=120)
    return {"outcomes": outcomes, "alive": sum(t.is_alive() for t in threads)}


def _agents_count(n: int) -> dict[str, Any]:
    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, WaitingListEntry
    from espacefamille.core.tenancy import municipality_scope

    town, meal, day = base.STATE["town"], base.STATE["meal"], _agents_day(n)
    families = base.STATE["families"]
    emails = {child.pk: email for email, _cart, child in families}
    with municipality_scope(town):
        active = list(
            Booking.objects.filter(product=meal, date=day, status__in=ACTIVE_STATUSES).values_list(
                "child_id", flat=True
            )
        )
        promoted = WaitingListEntry.objects.filter(date=day, status="promoted").count()
    waiting_ids = {child.pk for _e, _c, child in families[:WAITING]}
    return {
        "active": len(active),
        "promoted": promoted,
        "waiting_booked": sum(1 for c in active if c in waiting_ids),
        "validators_booked": sorted(
            emails[c] for c in active if c in emails and c not in waiting_ids
        ),
    }


def _cart_keys(n: int) -> list[tuple[Any, Any]]:
    start = len(base.STATE["days"]) - CART_DAYS * (n + 1)
    days = base.STATE["days"][start : start + CART_DAYS]
    return [(product, day) for product in STATE["products"] for day in days]


def _carts_round(n: int, seed: int) -> dict[str, Any]:
    from espacefamille.bookings.models import CartLine, ProductDay
    from espacefamille.core.tenancy import municipality_scope

    town = base.STATE["town"]
    keys = _cart_keys(n)
    draw = random.Random(seed)
    carts: dict[str, list[tuple[int, str]]] = {}
    with municipality_scope(town):
        CartLine.objects.all().delete()
        ProductDay.objects.bulk_create(
            ProductDay(
                municipality=town,
                product=product,
                date=day,
                capacity=DAY_CAPACITY,
                capacity_override=DAY_CAPACITY,
                taken=0,
            )
            for product, day in keys
        )
        lines = []
        for email, cart, child in base.STATE["families"]:
            chosen = draw.sample(keys, draw.randint(3, 5))
            carts[email] = [(p.pk, d.isoformat()) for p, d in chosen]
            lines += [base.cart_add_line(cart, child, product, day) for product, day in chosen]
        CartLine.objects.bulk_create(lines)
    STATE["carts"] = carts
    return {"keys": len(keys), "lines": len(lines)}


def _carts_count(n: int) -> dict[str, Any]:
    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking
    from espacefamille.core.tenancy import municipality_scope

    emails = {child.pk: email for email, _cart, child in base.STATE["families"]}
    keys = _cart_keys(n)
    booked: dict[str, list[tuple[int, str]]] = {}
    per_key: dict[str, int] = {}
    with municipality_scope(base.STATE["town"]):
        for product, day in keys:
            rows = Booking.objects.filter(product=product, date=day, status__in=ACTIVE_STATUSES)
            child_ids = list(rows.values_list("child_id", flat=True))
            per_key[f"{product.pk}|{day.isoformat()}"] = len(child_ids)
            for child_id in child_ids:
                booked.setdefault(emails[child_id], []).append((product.pk, day.isoformat()))
    return {"carts": STATE["carts"], "booked": booked, "per_key": per_key, "capacity": DAY_CAPACITY}


if __name__ == "__main__":
    base.serve(
        {
            "setup": _setup,
            "agents_round": _agents_round,
            "agents_start": _agents_start,
            "agents_join": _agents_join,
            "agents_count": _agents_count,
            "carts_round": _carts_round,
            "carts_count": _carts_count,
        }
    )
