"""(closures) An exceptional closure of one REPAS day with 5,000 bookings (``closure_declare``:
one transaction, a fixed number of statements per product-day) beside the cancellation of the
same day's bookings one by one through the portal's service (``cart_toggle`` then
``payments.cancellations.cart_validate``, as a family's click and "Valider"), in the same run.

The fullest REPAS day of the bench town is topped up to 5,000 bookings inside a transaction
that is rolled back at the end, like every change the script makes (the closure, the
cancellations), so the bench database is left as it was; ``check_capacity`` then runs. The one
by one baseline runs on a sample (``--sample``, default 300) and is counted per booking: the
whole day one by one is the sample's time per booking × the day's bookings.

Target (issue 20): the closure ≥ 20× faster than one by one; its queries do not grow with the
number of bookings.

    python bench/bench_closure.py [--households 5000] [--db sqlite|postgres] [--sample 300]

Ends with one line of JSON (``closure_s``, ``closure_queries``, ``one_by_one_per_booking_ms``,
``one_by_one_day_s``, ``speed_up``, ``check_capacity``…).
"""

from __future__ import annotations

import argparse
import time

import common

DAY_BOOKINGS = 5000
TARGET_SPEED_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--sample", type=int, default=300, help="bookings cancelled one by one")
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from espacefamille.bookings.cart import cart_toggle
    from espacefamille.bookings.models import Booking, BookingStatus, ProductDay
    from espacefamille.catalog.models import ClosureKind
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.counter.closing import ClosureRequest, closure_declare
    from espacefamille.payments.cancellations import cart_validate

    meal = bench.products["REPAS"]
    with municipality_scope(bench.town), transaction.atomic():
        busiest = ProductDay.objects.filter(product=meal).order_by("-taken", "date").first()
        assert busiest is not None, "no REPAS day in the ledger"
        day = busiest.date
        _top_up(bench, meal, day)
        on_day = Booking.objects.filter(product=meal, date=day, status="validated").count()

        # (a) The closure of the day, in one transaction (a savepoint rolled back after).
        savepoint = transaction.savepoint()
        request = ClosureRequest(start=day, end=day, kind=ClosureKind.STRIKE, products=(meal,))
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            declared = closure_declare(municipality=bench.town, request=request, actor=None)
            closure_s = time.perf_counter() - started
        closure_queries = len(captured.captured_queries)
        transaction.savepoint_rollback(savepoint)

        # (b) The same day's bookings cancelled one by one through the portal's service.
        sample = list(
            Booking.objects.filter(product=meal, date=day, status=BookingStatus.VALIDATED)
            .select_related("child__household", "product__service")
            .order_by("pk")[: args.sample]
        )
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            cancelled = 0
            for booking in sample:
                household = booking.child.household
                cart_toggle(household=household, child=booking.child, product=meal, day=day)
                cancelled += len(cart_validate(household=household, user=None).cancelled)
            one_by_one_s = time.perf_counter() - started
        one_by_one_queries = len(captured.captured_queries)
        transaction.set_rollback(True)
    check = common.check_capacity()

    per_booking = one_by_one_s / max(cancelled, 1)
    day_one_by_one = per_booking * on_day
    speed_up = day_one_by_one / closure_s
    print(f"\nREPAS on {day:%a %d/%m/%Y}: {on_day:,} bookings ({bench.vendor})")
    print(
        f"(a) closure_declare: {declared.cancelled:,} cancelled in {closure_s:.2f} s, "
        f"{closure_queries} queries, one transaction"
    )
    print(
        f"(b) one by one (cart_toggle + cart_validate): {cancelled} in {one_by_one_s:.2f} s = "
        f"{per_booking * 1000:.1f} ms and {one_by_one_queries / max(cancelled, 1):.0f} queries "
        f"per booking → {day_one_by_one:.0f} s for the day"
    )
    print(
        f"speed-up: {speed_up:.0f}× — target ≥ {TARGET_SPEED_UP}×: "
        f"{common.verdict(speed_up >= TARGET_SPEED_UP)}"
    )
    common.emit(
        {
            "bench": "closure",
            "db": bench.vendor,
            "households": bench.households,
            "day": day,
            "day_bookings": on_day,
            "closure_cancelled": declared.cancelled,
            "closure_s": closure_s,
            "closure_queries": closure_queries,
            "one_by_one_sample": cancelled,
            "one_by_one_per_booking_ms": per_booking * 1000,
            "one_by_one_queries_per_booking": one_by_one_queries / max(cancelled, 1),
            "one_by_one_day_s": day_one_by_one,
            "speed_up": speed_up,
            "target_speed_up": TARGET_SPEED_UP,
            **check,
        }
    )


def _top_up(bench: common.Bench, meal: object, day: object) -> None:
    """The day topped up to 5,000 REPAS (through ``bookings_record_history``, so the ledger
    counts them); rolled back with the rest."""
    from espacefamille.bookings.history import bookings_record_history
    from espacefamille.bookings.models import Booking
    from espacefamille.households.models import Child

    eating = set(
        Booking.objects.filter(product__service=bench.services["Restaurant scolaire"], date=day)
        .exclude(status__in=["cancelled", "refused"])
        .values_list("child_id", flat=True)
    )
    booked = Booking.objects.filter(product=meal, date=day, status="validated").count()
    missing = max(0, DAY_BOOKINGS - booked)
    children = Child.objects.order_by("pk").values_list("pk", flat=True)
    free = [child_id for child_id in children if child_id not in eating][:missing]
    bookings_record_history(
        bookings=[
            Booking(
                municipality=bench.town,
                child_id=child_id,
                product=meal,
                date=day,
                status="validated",
            )
            for child_id in free
        ]
    )


if __name__ == "__main__":
    main()
