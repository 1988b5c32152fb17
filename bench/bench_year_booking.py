"""(a) A whole school year for 2 children × 3 products (~840 lines) added to the cart with
``cart_add_period`` and validated with ``cart_validate``, median of 20 runs, beside a raw
``Booking.objects.bulk_create`` of the same rows in the same run.

Target (issue 3): add + validate ≤ 300 ms and ≤ 5× the raw insert.

    python bench/bench_year_booking.py [--households 5000] [--db sqlite|postgres] [--runs 20]
                                       [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import common

PRODUCTS = ("REPAS", "GARDERIE AVANT REPAS", "GARDERIE 16H30 A 18H30")
WEEKDAYS = {0, 1, 3, 4}  # LUN MAR JEU VEN: every opening day of the three products
TARGET_SECONDS = 0.300
TARGET_RATIO = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--profile", action="store_true", help="print where one add + validate spends its time"
    )
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from espacefamille.bookings.cart import cart_add_period
    from espacefamille.bookings.models import Booking, BookingStatus, CartLine
    from espacefamille.bookings.validation import cart_validate
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Child, Guardian, Household

    town = bench.town
    with municipality_scope(town):
        household = Household.objects.get(external_ref=common.SENTINEL_REF)
        children = list(Child.objects.filter(household=household).order_by("pk"))
        user = Guardian.objects.select_related("user").get(household=household).user
        products = [bench.products[name] for name in PRODUCTS]
        patterns = {child: {product: set(WEEKDAYS) for product in products} for child in children}

        def clean() -> None:
            Booking.objects.filter(child__in=children).delete()
            CartLine.objects.filter(cart__household=household).delete()

        def add_and_validate() -> tuple[float, float, list[tuple[int, int, object]]]:
            started = time.perf_counter()
            period = cart_add_period(
                household=household, start=bench.start, end=bench.end, patterns=patterns
            )
            added = time.perf_counter()
            result = cart_validate(household=household, user=user)
            validated = time.perf_counter()
            assert result.ok, [refusal.message for _line, refusal in result.refused[:3]]
            assert len(result.booked) == period.added, (len(result.booked), period.added)
            assert not period.skipped, period.skipped[:3]
            rows = [(b.child_id, b.product_id, b.date) for b in result.booked]
            return added - started, validated - added, rows

        def raw_insert(rows: list[tuple[int, int, object]]) -> float:
            started = time.perf_counter()
            now = timezone.now()
            with transaction.atomic():
                Booking.objects.bulk_create(
                    Booking(
                        municipality=town,
                        child_id=child_id,
                        product_id=product_id,
                        date=day,
                        status=BookingStatus.VALIDATED,
                        created_by=user,
                        created_at=now,
                        updated_at=now,
                    )
                    for child_id, product_id, day in rows
                )
            return time.perf_counter() - started

        run_started = timezone.now()
        clean()
        add_and_validate()  # warm-up: caches, templates, the database's own caches
        clean()
        adds, validates, raws = [], [], []
        lines = 0
        for _run in range(args.runs):
            add, validate, rows = add_and_validate()
            clean()
            raw = raw_insert(rows)
            clean()
            adds.append(add)
            validates.append(validate)
            raws.append(raw)
            lines = len(rows)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            add_and_validate()
            profiler.disable()
            clean()
        DBTaskResult.objects.filter(enqueued_at__gte=run_started).delete()  # queued e-mails

    totals = [a + v for a, v in zip(adds, validates, strict=True)]
    total, raw = common.median(totals), common.median(raws)
    ratio = total / raw
    print(
        f"\n(a) One school year ({bench.year}-{bench.year + 1}) for 2 children × 3 products: "
        f"{lines} lines, median of {args.runs} runs ({bench.vendor})"
    )
    print(f"{'':34}{'median':>11}{'min':>11}{'max':>11}")
    for label, values in (
        ("add to cart (cart_add_period)", adds),
        ("validate (cart_validate)", validates),
        ("add + validate", totals),
        ("raw bulk_create (baseline)", raws),
    ):
        print(
            f"{label:34}{common.ms(common.median(values))}{common.ms(min(values))}"
            f"{common.ms(max(values))}"
        )
    print(
        f"add + validate: {total * 1000:.0f} ms — target ≤ {TARGET_SECONDS * 1000:.0f} ms: "
        f"{common.verdict(total <= TARGET_SECONDS)}"
    )
    print(
        f"ratio to the raw insert: {ratio:.1f}× — target ≤ {TARGET_RATIO:.0f}×: "
        f"{common.verdict(ratio <= TARGET_RATIO)}"
    )
    if args.profile:
        print("\nWhere one add + validate spends its time (cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
