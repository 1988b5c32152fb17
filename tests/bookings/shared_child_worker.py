"""The database side of ``test_shared_child_concurrency.py``: two households (DUPONT and
MARTIN) share one child, Paul; each round puts a line for Paul on the same day in both carts
(REPAS, capped, on odd rounds; REPAS VEGETARIEN, uncapped, on even ones: no ledger row to lock),
so that both click "Valider" at once.

Commands (one JSON line each, as ``concurrency_worker.py``): ``setup`` (``rounds``), ``round``
(``n``), ``count`` (``n``). Run as ``python -m tests.bookings.shared_child_worker``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.bookings.concurrency_worker import _session_for, cart_add_line, serve

PASSWORD = "Concurrence-2026!"
STATE: dict[str, Any] = {}


def _setup(rounds: int) -> dict[str, Any]:
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
    from espacefamille.households.models import Child, ChildHousehold, Guardian, Household
    from espacefamille.households.setup import municipality_setup

    with scopes_disabled():
        town = municipality_setup(name="Commune partagée", slug="partagee", holiday_zone="C")
    hashed = make_password(PASSWORD)
    today = timezone.localdate()
    with municipality_scope(town):
        restaurant = load_catalog(town)[0]
        meal = Product.objects.get(service=restaurant, name="REPAS")
        Product.objects.filter(pk=meal.pk).update(capacity=30)
        veggie = Product.objects.get(service=restaurant, name="REPAS VEGETARIEN")
        Product.objects.filter(pk=veggie.pk).update(capacity=None)
        carts = {}
        households = []
        for name in ("DUPONT", "MARTIN"):
            email = f"{name.lower()}@partagee.example.org"
            user = User.objects.create(email=email, password=hashed, last_name=name)
            household = Household.objects.create(municipality=town, name=name)
            Guardian.objects.create(
                municipality=town,
                household=household,
                user=user,
                rank=1,
                first_name="Camille",
                last_name=name,
                email=email,
            )
            carts[email] = cart_for(household=household)
            households.append(household)
        paul = Child.objects.create(
            municipality=town,
            household=households[0],
            first_name="Paul",
            last_name="DUPONT",
            birth_date=date(2018, 1, 1),
        )
        ChildHousehold.objects.create(municipality=town, child=paul, household=households[1])
        for year in (school_year_of(today), school_year_of(today) + 1):
            enrollment_enroll(child=paul, service=restaurant, school_year=year)
        ctx = BookingContext.load(
            municipality=town,
            children=[paul],
            products=list(Product.objects.filter(service=restaurant)),
            days=daterange(today, today + timedelta(days=400)),
            now=timezone.now() + timedelta(hours=12),
        )
        days = [
            day
            for day in daterange(today, today + timedelta(days=400))
            if check_add(ctx, paul.pk, meal, day) is None
            and check_add(ctx, paul.pk, veggie, day) is None
        ][:rounds]
    STATE.update(
        town=town,
        meal=meal,
        veggie=veggie,
        paul=paul,
        carts=carts,
        days=days,
        households=households,
    )
    return {"sessions": {email: _session_for(email) for email in carts}}


def _round(n: int) -> dict[str, Any]:
    from espacefamille.bookings.models import CartLine
    from espacefamille.core.tenancy import municipality_scope

    town, day = STATE["town"], STATE["days"][n]
    product = STATE["meal"] if n % 2 else STATE["veggie"]
    with municipality_scope(town):
        CartLine.objects.all().delete()
        CartLine.objects.bulk_create(
            cart_add_line(cart, STATE["paul"], product, day) for cart in STATE["carts"].values()
        )
    return {"day": day.isoformat(), "product": product.name}


def _count(n: int) -> dict[str, Any]:
    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, CartLine
    from espacefamille.core.tenancy import municipality_scope

    town, day = STATE["town"], STATE["days"][n]
    with municipality_scope(town):
        booked = list(
            Booking.objects.filter(
                child=STATE["paul"], date=day, status__in=ACTIVE_STATUSES
            ).values_list("household__name", flat=True)
        )
        lines_left = CartLine.objects.count()
    return {"booked": booked, "cart_lines_left": lines_left}


if __name__ == "__main__":
    serve({"setup": _setup, "round": _round, "count": _count})
