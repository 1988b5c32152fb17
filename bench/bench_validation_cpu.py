"""The CPU of one "Valider" (issue 17, item 3) beside the CPU of the trivial page ``/contacts/``
measured in the same run, in this process (Django's test client: the whole middleware stack,
no network), with ``time.process_time`` — CPU, not wall time, so the figure holds on a loaded
machine. Each family's POST of its cart is followed by a GET of ``/contacts/`` with the same
session (interleaved: both see the same machine). The SQL statements of each validation are
counted. Then a school year (``bench_year_booking``'s 822 lines) is validated by the service
alone (``cart_validate``, the lines added untimed), its CPU and statements printed too.

Target (issue 17): one validation's CPU ≤ 2× the trivial page's (median of each).

    python bench/bench_validation_cpu.py [--households 5000] [--db sqlite|postgres]
        [--families 40] [--days 4] [--years 5] [--profile families|year]

Ends with one line of JSON (``validation_cpu_ms``, ``contacts_cpu_ms``, ``ratio``,
``statements``, ``year_cpu_ms``, ``year_statements``, ``check_capacity``…).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from typing import Any

import common

TARGET_RATIO = 2.0  # a validation's CPU over the trivial page's
VALIDATE_URL = "/reservations/panier/valider/"


class Counter:
    """An execute wrapper counting the statements."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        self.statements.append(sql)
        return execute(sql, params, many, context)


def families(bench: common.Bench, args: argparse.Namespace, profiler: Any) -> dict[str, Any]:
    """``--families`` carts of ``--days`` REPAS each (places for all), validated one by one,
    each followed by ``/contacts/``."""
    from bench_concurrent_validation import prepare, restore
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    started_at = timezone.now()
    scenario = prepare(bench, args.families, args.families, 1)
    if args.days < 4:  # fewer lines per cart: drop the last days of the week
        from espacefamille.bookings.models import CartLine

        CartLine.objects.filter(
            cart__household_id__in=scenario.households, date__in=scenario.weeks[0][args.days :]
        ).delete()
    validations: list[float] = []
    trivial: list[float] = []
    statements: list[int] = []
    trivial_statements: list[int] = []
    statuses: dict[int, int] = {}
    try:
        client = Client()  # one handler (a new one loads the middleware: whitenoise's scan)
        for key in scenario.session_keys:  # each session used once, as a family's would be
            client.cookies["sessionid"] = key  # (its first request writes its timestamps)
            client.get("/contacts/", secure=True)
        for key in scenario.session_keys:
            client.cookies["sessionid"] = key
            counter = Counter()
            if profiler is not None:
                profiler.enable()
            begun = time.process_time()
            with connection.execute_wrapper(counter):
                response = client.post(VALIDATE_URL, secure=True)
            validations.append(time.process_time() - begun)
            if profiler is not None:
                profiler.disable()
            statements.append(counter.count)
            last_statements = counter.statements
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            counter = Counter()
            begun = time.process_time()
            with connection.execute_wrapper(counter):
                client.get("/contacts/", secure=True)
            trivial.append(time.process_time() - begun)
            trivial_statements.append(counter.count)
    finally:
        restore(bench, scenario, started_at)
    if profiler is not None:
        print("The statements of the last validation:")
        for sql in last_statements:
            print("  ", sql[:160])
    return {
        "validations": validations[1:],  # the first one warms the code paths up
        "trivial": trivial[1:],
        "statements": statements[1:],
        "trivial_statements": trivial_statements[1:],
        "statuses": statuses,
    }


def years(bench: common.Bench, runs: int, profiler: Any) -> dict[str, Any]:
    """A school year's 822 lines validated by the service alone (added untimed)."""
    from bench_year_booking import YearRun
    from django.db import connection

    from espacefamille.bookings.cart import cart_add_period
    from espacefamille.payments.cancellations import cart_validate

    year = YearRun(bench)
    cpu: list[float] = []
    statements: list[int] = []
    lines = 0
    try:
        for run in range(runs + 1):
            period = cart_add_period(
                household=year.household,
                start=bench.start,
                end=bench.end,
                patterns=year.patterns,
            )
            counter = Counter()
            if profiler is not None:
                profiler.enable()
            begun = time.process_time()
            with connection.execute_wrapper(counter):
                result = cart_validate(household=year.household, user=year.user)
            spent = time.process_time() - begun
            if profiler is not None:
                profiler.disable()
            assert result.ok and len(result.booked) == period.added
            lines = period.added
            year.clean()
            if run:  # the first one warms up
                cpu.append(spent)
                statements.append(counter.count)
    finally:
        check = year.finish()
    return {"cpu": cpu, "statements": statements, "lines": lines, "check": check}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--families", type=int, default=40, help="validations (default 40)")
    parser.add_argument("--days", type=int, default=4, help="REPAS lines per cart, 1–4")
    parser.add_argument("--years", type=int, default=5, help="school years validated")
    parser.add_argument(
        "--profile",
        choices=["families", "year"],
        help="cProfile of the families' validations or of the school years' (then the CPU "
        "figures are the profiler's, not the code's)",
    )
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of DEBUG=0
    print(bench.describe())
    profiler = cProfile.Profile() if args.profile == "families" else None
    small = families(bench, args, profiler)
    if args.profile == "year":
        profiler = cProfile.Profile()
    year = years(bench, args.years, profiler) if args.years else None

    validation = common.median(small["validations"])
    contacts = common.median(small["trivial"])
    ratio = validation / contacts
    print(
        f"\nCPU per request ({bench.vendor}, {len(small['validations'])} validations of "
        f"{args.days} REPAS lines, each followed by /contacts/; medians, time.process_time):"
    )
    print(
        f"  validation {common.ms(validation)}   {common.median(small['statements']):.0f} "
        f"statements   (min {common.ms(min(small['validations']))})"
    )
    print(
        f"  /contacts/ {common.ms(contacts)}   {common.median(small['trivial_statements']):.0f} "
        f"statements   (min {common.ms(min(small['trivial']))})"
    )
    print(
        f"  ratio {ratio:.2f}× — target ≤ {TARGET_RATIO}×: {common.verdict(ratio <= TARGET_RATIO)}"
    )
    print(f"  answers: {small['statuses']}")
    print("  each validation (ms):", " ".join(f"{v * 1000:.0f}" for v in small["validations"]))
    figures: dict[str, Any] = {
        "bench": "validation_cpu",
        "db": bench.vendor,
        "households": bench.households,
        "lines_per_cart": args.days,
        "validations": len(small["validations"]),
        "validation_cpu_ms": common.to_ms(validation),
        "contacts_cpu_ms": common.to_ms(contacts),
        "ratio": round(ratio, 2),
        "statements": common.median(small["statements"]),
        "contacts_statements": common.median(small["trivial_statements"]),
        "statuses": small["statuses"],
    }
    check = {}
    if year is not None:
        year_cpu = common.median(year["cpu"])
        print(
            f"  a school year ({year['lines']} lines, cart_validate alone): "
            f"{common.ms(year_cpu)} CPU, {common.median(year['statements']):.0f} statements, "
            f"{year_cpu / contacts:.1f}× /contacts/"
        )
        figures.update(
            year_lines=year["lines"],
            year_cpu_ms=common.to_ms(year_cpu),
            year_statements=common.median(year["statements"]),
        )
        check = year["check"]
    else:
        check = common.check_capacity()
    if profiler is not None:
        print("\nWhere the validations spend their time (cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("espacefamille|tasks", 60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    common.emit({**figures, **check})


if __name__ == "__main__":
    main()
