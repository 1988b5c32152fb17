"""The database side of the live-server concurrency test (``test_concurrency.py``).

Runs in its own process against the live server's database (``DATABASE_URL``), because the
test process is tied to pytest's test database. It reads one JSON command per line on stdin and
answers one JSON line on stdout:

- ``{"cmd": "setup", "clients": 50, "places": 10, "rounds": 20}``: a town with the demo
  catalog, ``clients`` households each with an activated login (and a signed-in session) and
  one child enrolled in the school restaurant, a reserve household whose children fill some
  places before each round, and ``rounds`` future days on which REPAS can be booked;
- ``{"cmd": "round", "n": 3}``: day ``n`` gets some places already taken and a capacity of
  exactly ``places`` more; every household's cart holds one REPAS line for that day;
- ``{"cmd": "count", "n": 3}``: the active bookings of day ``n``, and whose they are;
- ``{"cmd": "quit"}``.

Run as ``python -m tests.bookings.concurrency_worker`` from the project directory.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from datetime import date, timedelta
from typing import Any

PASSWORD = "Concurrence-2026!"  # every parent's, should one want to sign in by hand
RESERVE_CHILDREN = 20  # places already taken before a round: 0 … RESERVE_CHILDREN
STATE: dict[str, Any] = {}


def _setup(clients: int, places: int, rounds: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from espacefamille.accounts.models import User
    from espacefamille.bookings.cart import cart_for
    from espacefamille.bookings.context import BookingContext
    from espacefamille.bookings.rules import check_add
    from espacefamille.catalog.models import Product, school_year_of
    from espacefamille.catalog.services import enrollment_enroll
    from espacefamille.core.dates import daterange
    from espacefamille.core.tenancy import municipality_scope, scopes_disabled
    from espacefamille.demo.catalog import load_catalog
    from espacefamille.households.models import Child, Guardian, Household
    from espacefamille.households.setup import municipality_setup

    with scopes_disabled():
        town = municipality_setup(
            name="Commune de la Concurrence", slug="concurrence", holiday_zone="C"
        )
    hashed = make_password(PASSWORD)  # one hash for every login: setting up stays fast
    today = timezone.localdate()
    years = (school_year_of(today), school_year_of(today) + 1)
    with municipality_scope(town):
        restaurant = load_catalog(town)[0]
        meal = Product.objects.get(service=restaurant, name="REPAS")
        families = []
        for i in range(clients):
            email = f"parent{i:03d}@concurrence.example.org"
            user = User.objects.create(email=email, password=hashed, last_name=f"PARENT{i}")
            household = Household.objects.create(municipality=town, name=f"FAMILLE {i:03d}")
            Guardian.objects.create(
                municipality=town,
                household=household,
                user=user,
                rank=1,
                civility="MME",
                first_name="Camille",
                last_name=household.name,
                email=email,
            )
            child = Child.objects.create(
                municipality=town,
                household=household,
                civility="F",
                first_name=f"Enfant{i:03d}",
                last_name=household.name,
                birth_date=date(2017, 4, 12),
            )
            for year in years:
                enrollment_enroll(child=child, service=restaurant, school_year=year)
            families.append((email, cart_for(household=household), child))
        reserve = Household.objects.create(municipality=town, name="RÉSERVE")
        reserve_children = []
        for j in range(RESERVE_CHILDREN):
            child = Child.objects.create(
                municipality=town,
                household=reserve,
                civility="G",
                first_name=f"Réserve{j:02d}",
                last_name="RÉSERVE",
                birth_date=date(2018, 2, 3),
            )
            for year in years:
                enrollment_enroll(child=child, service=restaurant, school_year=year)
            reserve_children.append(child)

        # Days a family can book from now until well after the test (deadline margin: 12 h).
        probe = families[0][2]
        ctx = BookingContext.load(
            municipality=town,
            children=[probe],
            products=list(Product.objects.filter(service=restaurant)),
            days=daterange(today, today + timedelta(days=400)),
            now=timezone.now() + timedelta(hours=12),
        )
        days = []
        day = today
        while len(days) < rounds and day <= today + timedelta(days=400):
            if check_add(ctx, probe.pk, meal, day) is None:
                days.append(day)
            day += timedelta(days=1)
        if len(days) < rounds:
            raise RuntimeError(f"only {len(days)} bookable days found for {rounds} rounds")

    STATE.update(
        town=town,
        meal=meal,
        places=places,
        families=families,
        reserve=reserve_children,
        days=days,
        child_email={child.pk: email for email, _cart, child in families},
        taken_before={},
    )
    return {
        "sessions": {email: _session_for(email) for email, _cart, _child in families},
        "days": [d.isoformat() for d in days],
    }


def _session_for(email: str) -> str:
    """A signed-in session, as the login page would leave it (without hashing a password 50
    times: the server's Argon2 would make signing in the slowest part of the test)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from espacefamille.accounts.models import User

    user = User.objects.get(email=email)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def cart_add_line(cart: Any, child: Any, product: Any, day: date) -> Any:
    """An unsaved "add" line of ``cart`` (the scenarios bulk-create them)."""
    from espacefamille.bookings.models import CartAction, CartLine

    return CartLine(
        municipality_id=cart.municipality_id,
        cart=cart,
        child=child,
        product=product,
        date=day,
        action=CartAction.ADD,
    )


def _round(n: int) -> dict[str, Any]:
    from espacefamille.bookings.models import Booking, BookingStatus, CartLine
    from espacefamille.catalog.models import Product
    from espacefamille.core.tenancy import municipality_scope

    town, meal, day = STATE["town"], STATE["meal"], STATE["days"][n]
    taken = (n * 7) % (RESERVE_CHILDREN + 1)  # vary the places already taken
    with municipality_scope(town):
        CartLine.objects.all().delete()
        Booking.objects.bulk_create(
            Booking(
                municipality=town,
                child=child,
                product=meal,
                date=day,
                status=BookingStatus.VALIDATED,
            )
            for child in STATE["reserve"][:taken]
        )
        capacity = taken + STATE["places"]
        Product.objects.filter(pk=meal.pk).update(capacity=capacity)
        CartLine.objects.bulk_create(
            cart_add_line(cart, child, meal, day) for _email, cart, child in STATE["families"]
        )
    STATE["taken_before"][n] = taken
    return {"day": day.isoformat(), "taken_before": taken, "capacity": capacity}


def _count(n: int) -> dict[str, Any]:
    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, CartLine
    from espacefamille.core.tenancy import municipality_scope

    town, meal, day = STATE["town"], STATE["meal"], STATE["days"][n]
    with municipality_scope(town):
        child_ids = list(
            Booking.objects.filter(product=meal, date=day, status__in=ACTIVE_STATUSES).values_list(
                "child_id", flat=True
            )
        )
        lines_left = CartLine.objects.count()
    taken = STATE["taken_before"][n]
    return {
        "active": len(child_ids),
        "new": len(child_ids) - taken,
        "booked": sorted(STATE["child_email"][c] for c in child_ids if c in STATE["child_email"]),
        "cart_lines_left": lines_left,
    }


def configure() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def serve(handlers: dict[str, Any]) -> None:
    """Answer one JSON command per stdin line until "quit"; stdout carries the answers only
    (e-mails and prints go to stderr)."""
    configure()
    answers = sys.stdout
    sys.stdout = sys.stderr
    for raw in sys.stdin:
        command = json.loads(raw)
        name = command.pop("cmd")
        if name == "quit":
            break
        try:
            answer = {"ok": handlers[name](**command)}
        except Exception:
            answer = {"error": traceback.format_exc()}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve({"setup": _setup, "round": _round, "count": _count})
