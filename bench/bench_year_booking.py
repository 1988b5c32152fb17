"""(a) A whole school year for 2 children × 3 products (~822 lines) added to the cart with
``cart_add_period`` and validated with ``cart_validate``, median of 20 runs, beside inserts of
the same rows in the same run: an ORM ``Booking.objects.bulk_create`` (the baseline of the
target) and the raw driver's ``executemany`` (and ``COPY`` on PostgreSQL). With
``--compare-households N`` the same runs are made, alternately, in a town of N households
(its own bench database, in a second process): the cost must not grow with the town.

Targets (issue 10): add + validate ≤ 300 ms, ≤ 2.5× the ORM bulk_create; the median for a town
of 500 households within ±15 % of the 5,000-household one.

    python bench/bench_year_booking.py [--households 5000] [--db sqlite|postgres] [--runs 20]
                                       [--compare-households 500] [--profile]

Ends with one line of JSON (keys ``db``, ``households``, ``total_ms``, ``bulk_create_ms``,
``raw_ms``, the ratios, ``check_capacity``…).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import subprocess
import sys
import time
from typing import Any

import common
from town_data import BOOKING_COLUMNS, insert_sql

PRODUCTS = ("REPAS", "GARDERIE AVANT REPAS", "GARDERIE 16H30 A 18H30")
WEEKDAYS = {0, 1, 3, 4}  # LUN MAR JEU VEN: every opening day of the three products
TARGET_SECONDS = 0.300
TARGET_RATIO = 2.5  # to the ORM bulk_create
TARGET_SIZE_SPREAD = 0.15  # the small town's median within ±15 % of the big one's


class YearRun:
    """One family's school year, added and validated, then removed again (bookings, cart
    lines and the capacity-ledger rows the validation changed)."""

    def __init__(self, bench: common.Bench) -> None:
        from django.utils import timezone

        from espacefamille.bookings.models import Cart
        from espacefamille.core.tenancy import municipality_scope
        from espacefamille.households.models import Child, Guardian, Household

        self.bench = bench
        self.started_at = timezone.now()
        self.scope = municipality_scope(bench.town)
        self.scope.__enter__()
        self.household = Household.objects.get(external_ref=common.SENTINEL_REF)
        self.children = list(Child.objects.filter(household=self.household).order_by("pk"))
        self.user = Guardian.objects.select_related("user").get(household=self.household).user
        products = [bench.products[name] for name in PRODUCTS]
        self.patterns = {child: {p: set(WEEKDAYS) for p in products} for child in self.children}
        self.ledger_filter = {"date__range": (bench.start, bench.end)}
        self.ledger = common.ledger_snapshot(**self.ledger_filter)
        self.had_cart = Cart.objects.filter(household=self.household).exists()
        self.clean()

    def clean(self) -> None:
        from espacefamille.bookings.models import Booking, CartLine

        Booking.objects.filter(child__in=self.children).delete()
        CartLine.objects.filter(cart__household=self.household).delete()
        common.ledger_restore(self.ledger, **self.ledger_filter)

    def run(self, *, clean: bool = True) -> tuple[float, float, list[tuple[int, int, Any]]]:
        """add, validate (seconds) and the rows booked; cleaned up afterwards (untimed)."""
        from espacefamille.bookings.cart import cart_add_period
        from espacefamille.payments.cancellations import cart_validate

        started = time.perf_counter()
        period = cart_add_period(
            household=self.household,
            start=self.bench.start,
            end=self.bench.end,
            patterns=self.patterns,
        )
        added = time.perf_counter()
        result = cart_validate(household=self.household, user=self.user)
        validated = time.perf_counter()
        assert result.ok, [refusal.message for _line, refusal in result.refused[:3]]
        assert len(result.booked) == period.added, (len(result.booked), period.added)
        assert not period.skipped, period.skipped[:3]
        rows = [(b.child_id, b.product_id, b.date) for b in result.booked]
        if clean:
            self.clean()
        return added - started, validated - added, rows

    def inserts(self, rows: list[tuple[int, int, Any]]) -> dict[str, float]:
        """The same rows inserted (each in one transaction, then deleted): ORM bulk_create,
        the driver's executemany, and COPY on PostgreSQL. Seconds."""
        from django.db import connection, transaction
        from django.utils import timezone

        from espacefamille.bookings.models import Booking, BookingStatus

        town, user, household_id = self.bench.town, self.user, self.household.pk
        timings = {}
        started = time.perf_counter()
        now = timezone.now()
        with transaction.atomic():
            Booking.objects.bulk_create(
                Booking(
                    municipality=town,
                    child_id=child_id,
                    household_id=household_id,
                    product_id=product_id,
                    date=day,
                    status=BookingStatus.VALIDATED,
                    created_by=user,
                    created_at=now,
                    updated_at=now,
                )
                for child_id, product_id, day in rows
            )
        timings["bulk_create"] = time.perf_counter() - started
        self.clean()

        columns = BOOKING_COLUMNS
        table = Booking._meta.db_table
        ops = connection.ops
        postgres = connection.vendor == "postgresql"
        started = time.perf_counter()
        now = timezone.now()
        stamp = now if postgres else ops.adapt_datetimefield_value(now)
        values = [
            (
                town.pk,
                child_id,
                household_id,
                product_id,
                day if postgres else ops.adapt_datefield_value(day),
                None,
                BookingStatus.VALIDATED.value,
                stamp,
                stamp,
                user.pk,
                None,
                "",
                None,
                "",
            )
            for child_id, product_id, day in rows
        ]
        sql = insert_sql(table, columns, "%s" if postgres else "?")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.cursor.executemany(sql, values)  # the driver's cursor, no Django wrapper
        timings["executemany"] = time.perf_counter() - started
        self.clean()

        if postgres:
            started = time.perf_counter()
            now = timezone.now()
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
                cursor.cursor.copy(sql) as copy,
            ):
                for child_id, product_id, day in rows:
                    copy.write_row(
                        (
                            town.pk,
                            child_id,
                            household_id,
                            product_id,
                            day,
                            None,
                            "validated",
                            now,
                            now,
                            user.pk,
                            None,
                            "",
                            None,
                            "",
                        )
                    )
            timings["copy"] = time.perf_counter() - started
            self.clean()
        return timings

    def finish(self) -> dict[str, str]:
        from django_tasks_db.models import DBTaskResult

        from espacefamille.bookings.models import Cart

        self.clean()
        if not self.had_cart:
            Cart.objects.filter(household=self.household).delete()
        DBTaskResult.objects.filter(enqueued_at__gte=self.started_at).delete()  # queued e-mails
        self.scope.__exit__(None, None, None)
        return common.check_capacity()


class Comparison:
    """The same runs in a town of another size, in a second process (its own bench database),
    one run there after each run here so both see the same load of the machine."""

    def __init__(self, households: int, db: str) -> None:
        command = [sys.executable, __file__, "--worker", f"--households={households}"]
        command.append(f"--db={db}")
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.describe = self._answer()["describe"]

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                return json.loads(line)
            print(f"  [compare] {line.rstrip()}")
        raise SystemExit(f"the comparison process stopped (exit {self.process.wait()})")

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> dict[str, Any]:
        answer = self.ask("quit")
        self.process.wait(timeout=120)
        return answer


def worker(bench: common.Bench) -> None:
    """--worker: runs on demand for ``Comparison`` (one JSON line per answer)."""
    year = YearRun(bench)
    common.emit({"describe": bench.describe()})
    for command in sys.stdin:
        if command.strip() == "run":
            add, validate, rows = year.run()
            common.emit(
                {"add_ms": common.to_ms(add), "validate_ms": common.to_ms(validate)}
                | {"lines": len(rows)}
            )
        elif command.strip() == "quit":
            common.emit({"households": bench.households, **year.finish()})
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--compare-households",
        type=int,
        metavar="N",
        help="also run the same median in a town of N households (e.g. 500), alternately",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print where one add + validate spends its time"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.stdout = sys.stderr  # the set-up's messages; answers go to the real stdout
        bench = common.setup(args.households, args.db)
        sys.stdout = sys.__stdout__
        worker(bench)
        return
    bench = common.setup(args.households, args.db)
    print(bench.describe())
    compare = None
    if args.compare_households:
        compare = Comparison(args.compare_households, args.db)
        print(f"compared with: {compare.describe}")

    year = YearRun(bench)
    other: list[float] = []
    other_check: dict[str, Any] = {}
    try:
        year.run()  # warm-up: caches, templates, the database's own caches
        if compare:
            compare.ask("run")
        adds, validates = [], []
        inserts: dict[str, list[float]] = {}
        lines = 0
        for _run in range(args.runs):
            add, validate, rows = year.run()
            adds.append(add)
            validates.append(validate)
            lines = len(rows)
            for name, seconds in year.inserts(rows).items():
                inserts.setdefault(name, []).append(seconds)
            if compare:
                answer = compare.ask("run")
                other.append((answer["add_ms"] + answer["validate_ms"]) / 1000)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            year.run(clean=False)
            profiler.disable()
            year.clean()
    finally:
        if compare:
            other_check = compare.close()
        check = year.finish()

    totals = [a + v for a, v in zip(adds, validates, strict=True)]
    total = common.median(totals)
    medians = {name: common.median(values) for name, values in inserts.items()}
    print(
        f"\n(a) One school year ({bench.year}-{bench.year + 1}) for 2 children × 3 products: "
        f"{lines} lines, median of {args.runs} runs ({bench.vendor}, {bench.households} "
        "households)"
    )
    print(f"{'':40}{'median':>11}{'min':>11}{'max':>11}")
    table = [
        ("add to cart (cart_add_period)", adds),
        ("validate (cart_validate)", validates),
        ("add + validate", totals),
        ("ORM bulk_create (baseline)", inserts["bulk_create"]),
        ("raw driver executemany", inserts["executemany"]),
    ]
    if "copy" in inserts:
        table.append(("raw COPY", inserts["copy"]))
    if other:
        table.append((f"add + validate, {args.compare_households} households", other))
    for label, values in table:
        print(
            f"{label:40}{common.ms(common.median(values))}{common.ms(min(values))}"
            f"{common.ms(max(values))}"
        )
    ratio = total / medians["bulk_create"]
    print(
        f"add + validate: {total * 1000:.0f} ms — target ≤ {TARGET_SECONDS * 1000:.0f} ms: "
        f"{common.verdict(total <= TARGET_SECONDS)}"
    )
    print(
        f"ratio to the ORM bulk_create: {ratio:.1f}× — target ≤ {TARGET_RATIO}×: "
        f"{common.verdict(ratio <= TARGET_RATIO)}"
    )
    print(f"ratio to the raw executemany: {total / medians['executemany']:.1f}×")
    if "copy" in medians:
        print(f"ratio to the raw COPY: {total / medians['copy']:.1f}×")
    figures: dict[str, Any] = {
        "bench": "year_booking",
        "db": bench.vendor,
        "households": bench.households,
        "bookings": bench.bookings,
        "lines": lines,
        "runs": args.runs,
        "add_ms": common.to_ms(common.median(adds)),
        "validate_ms": common.to_ms(common.median(validates)),
        "total_ms": common.to_ms(total),
        "bulk_create_ms": common.to_ms(medians["bulk_create"]),
        "raw_ms": common.to_ms(medians["executemany"]),
        "copy_ms": common.to_ms(medians["copy"]) if "copy" in medians else None,
        "ratio_bulk_create": round(ratio, 2),
        "ratio_raw": round(total / medians["executemany"], 2),
        "ratio_copy": round(total / medians["copy"], 2) if "copy" in medians else None,
    }
    if other:
        small = common.median(other)
        spread = small / total
        print(
            f"{args.compare_households} households: {small * 1000:.0f} ms, "
            f"{spread:.2f}× the {bench.households}-household median — target within "
            f"±{TARGET_SIZE_SPREAD:.0%}: {common.verdict(abs(spread - 1) <= TARGET_SIZE_SPREAD)}"
        )
        figures.update(
            compare_households=args.compare_households,
            compare_total_ms=common.to_ms(small),
            compare_ratio=round(spread, 3),
            compare_check_capacity=other_check.get("check_capacity"),
        )
    if args.profile:
        print("\nWhere one add + validate spends its time (cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    common.emit({**figures, **check})


if __name__ == "__main__":
    main()
