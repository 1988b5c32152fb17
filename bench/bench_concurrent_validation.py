"""(c) 200 parents validate their carts at the same moment behind a production server
(gunicorn, ``DEBUG=0``), each cart a week of REPAS for one child, on days with fewer places left
than parents so that some are refused ("Complet"). Prints validations per second, p50/p95
latency, the overbooking count (from the capacity ledger and from a count of the bookings) and
the 5xx count, beside the same 200-client load on a trivial page (``/contacts/``) measured
before and after in the same run (the baseline is their mean).

Targets (issue 10), on PostgreSQL and the same run on SQLite: validations/s ≥ 50 % of the
trivial page's throughput, p95 ≤ 2× the trivial page's p95, 0 overbooking, 0 × 5xx.

    python bench/bench_concurrent_validation.py [--households 5000] [--db postgres|sqlite]
        [--parents 200] [--places 120] [--weeks 1] [--workers 5] [--threads 1]
        [--conn-max-age S] [--profile]

Ends with one line of JSON (keys ``db``, ``rate_per_s``, ``p95_ms``, ``baseline_rate_per_s``,
``baseline_p95_ms``, ``overbooked``, ``errors_5xx``, the ratios, ``check_capacity``…).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import common
import http_load
from http_load import HTTP_TIMEOUT, Outcome, stop_server

TARGET_RATE_RATIO = 0.5  # validations/s over the trivial page's requests/s
TARGET_P95_RATIO = 2.0  # validation p95 over the trivial page's p95
VALIDATE_URL = "/reservations/panier/valider/"


def load(port: int, method: str, path: str, parents: list[dict[str, str]]) -> list[Outcome]:
    """One request per parent, all connected first and released together by a barrier."""
    barrier = threading.Barrier(len(parents), timeout=60)
    outcomes = [Outcome() for _ in parents]

    def client(outcome: Outcome, headers: dict[str, str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
        try:
            body = f"csrfmiddlewaretoken={headers.pop('X-Token')}" if method == "POST" else None
            conn.connect()
            barrier.wait()
            outcome.started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            outcome.body = response.read().decode(errors="replace")
            outcome.ended = time.perf_counter()
            outcome.status = response.status
            outcome.seconds = outcome.ended - outcome.started
        except Exception as exc:
            outcome.error = f"{type(exc).__name__}: {exc}"
            barrier.abort()
        finally:
            conn.close()

    threads = [
        threading.Thread(target=client, args=(outcome, dict(headers)), daemon=True)
        for outcome, headers in zip(outcomes, parents, strict=True)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 3 * HTTP_TIMEOUT
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    for thread, outcome in zip(threads, outcomes, strict=True):
        if thread.is_alive() and not outcome.error:
            outcome.error = "no answer in time"
    return outcomes


def summary(label: str, outcomes: list[Outcome]) -> tuple[float, float, float]:
    """Prints and returns requests/s (answers over the time from the first request sent to the
    last answer), p50 and p95 (seconds)."""
    done = [o for o in outcomes if not o.error]
    wall = max(o.ended for o in done) - min(o.started for o in done) if done else float("inf")
    times = [o.seconds for o in done] or [float("inf")]
    rate = len(done) / wall
    p50, p95 = common.percentile(times, 50), common.percentile(times, 95)
    statuses: dict[int, int] = {}
    for o in done:
        statuses[o.status] = statuses.get(o.status, 0) + 1
    errors = len(outcomes) - len(done)
    print(
        f"{label:38}{rate:8.1f}/s{common.ms(p50)}{common.ms(p95)}{common.ms(max(times))}"
        f"  {dict(sorted(statuses.items()))}" + (f", {errors} without answer" if errors else "")
    )
    return rate, p50, p95


def pick_weeks(bench: common.Bench, product: object, count: int) -> list[list[date]]:
    """School weeks of the bench year in which REPAS opens on its four days (from January)."""
    from espacefamille.catalog.calendar import TownCalendar

    calendar = TownCalendar.load(bench.town, bench.start, bench.end)
    monday = bench.start + timedelta(days=(7 - bench.start.weekday()) % 7 + 7 * 20)
    weeks = []
    for _week in range(40):
        days = [monday + timedelta(days=i) for i in (0, 1, 3, 4)]
        if all(calendar.is_open(product, d) for d in days):  # type: ignore[arg-type]
            weeks.append(days)
            if len(weeks) == count:
                return weeks
        monday += timedelta(days=7)
    raise RuntimeError(f"only {len(weeks)} full school weeks found")


@dataclass
class Scenario:
    weeks: list[list[date]]
    children: list  # one child per household, each with the week of its cart
    households: list[int]
    before: dict[date, int]  # places taken on each day, from the ledger
    capacity: int
    original_capacity: int | None
    ledger: dict  # common.ledger_snapshot of the days
    carts: set[int]  # the carts of those households before (the others are deleted after)
    session_keys: list[str]
    parents: list[dict[str, str]]  # request headers (cookies) and the CSRF token

    @property
    def days(self) -> list[date]:
        return [day for week in self.weeks for day in week]


def prepare(bench: common.Bench, parents: int, places: int, weeks: int) -> Scenario:
    """Carts of a week of REPAS for ``parents`` children who have no canteen booking that week,
    REPAS capacity set to leave ``places`` places on the fullest day, and signed-in sessions."""
    from espacefamille.bookings.cart import cart_for
    from espacefamille.bookings.models import (
        ACTIVE_STATUSES,
        Booking,
        Cart,
        CartAction,
        CartLine,
    )
    from espacefamille.catalog.models import Product
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Child, Guardian

    town, meal = bench.town, bench.products["REPAS"]
    with municipality_scope(town):
        chosen_weeks = pick_weeks(bench, meal, weeks)
        busy = [
            set(
                Booking.objects.filter(
                    product__service=meal.service, date__in=days, status__in=ACTIVE_STATUSES
                ).values_list("child_id", flat=True)
            )
            for days in chosen_weeks
        ]
        chosen: list[tuple[object, int]] = []
        households: set[int] = set()
        candidates = Child.objects.filter(household__external_ref__startswith="BENCH-0")
        for child in candidates.order_by("pk"):
            week = len(chosen) % weeks
            if child.household_id not in households and child.pk not in busy[week]:
                chosen.append((child, week))
                households.add(child.household_id)
                if len(chosen) == parents:
                    break
        guardians = {
            g.household_id: g
            for g in Guardian.objects.filter(household_id__in=households).select_related(
                "user", "household"
            )
        }
        CartLine.objects.filter(cart__household_id__in=households).delete()
        carts = set(Cart.objects.filter(household_id__in=households).values_list("pk", flat=True))
        CartLine.objects.bulk_create(
            CartLine(
                municipality=town,
                cart=cart_for(household=guardians[child.household_id].household),
                child=child,
                product=meal,
                date=day,
                action=CartAction.ADD,
            )
            for child, week in chosen
            for day in chosen_weeks[week]
        )
        days = [day for week_days in chosen_weeks for day in week_days]
        ledger = common.ledger_snapshot(date__in=days)
        before = dict.fromkeys(days, 0)  # a day without a ledger row: nothing taken yet
        before.update(
            (day, taken)
            for product_id, day, _c, _o, taken in ledger.values()
            if product_id == meal.pk
        )
        counted = day_counts(meal, days)
        assert before == counted, f"the ledger differs from the bookings: {before} ≠ {counted}"
        capacity = max(before.values()) + places
        # A queryset update, as the back office's: the ledger reads the product's capacity when
        # it locks a day (the rows' stored capacity follows at their next write).
        Product.objects.filter(pk=meal.pk).update(capacity=capacity)

    session_keys, headers = [], []
    for child, _week in chosen:
        key, header = http_load.signed_in(guardians[child.household_id].user)
        session_keys.append(key)
        headers.append(header)
    return Scenario(
        weeks=chosen_weeks,
        children=[child for child, _week in chosen],
        households=sorted(households),
        before=before,
        capacity=capacity,
        original_capacity=meal.capacity,
        ledger=ledger,
        carts=carts,
        session_keys=session_keys,
        parents=headers,
    )


def day_counts(meal: object, days: list[date]) -> dict[date, int]:
    """Active bookings of ``meal`` on each of ``days``, counted from the booking rows."""
    from django.db.models import Count

    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking

    counts = dict.fromkeys(days, 0)
    rows = (
        Booking.objects.filter(product=meal, date__in=days, status__in=ACTIVE_STATUSES)
        .values("date")
        .annotate(n=Count("*"))
    )
    for row in rows:
        counts[row["date"]] = row["n"]
    return counts


def restore(bench: common.Bench, scenario: Scenario, started_at: object) -> None:
    """Put the bench database back as it was."""
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    from espacefamille.bookings.models import Booking, Cart, CartLine
    from espacefamille.catalog.models import Product
    from espacefamille.core.tenancy import municipality_scope

    meal = bench.products["REPAS"]
    with municipality_scope(bench.town):
        Cart.objects.filter(household_id__in=scenario.households).exclude(
            pk__in=scenario.carts
        ).delete()
        Booking.objects.filter(
            product=meal, date__in=scenario.days, child__in=scenario.children
        ).delete()
        CartLine.objects.filter(cart__household_id__in=scenario.households).delete()
        Product.objects.filter(pk=meal.pk).update(capacity=scenario.original_capacity)
        common.ledger_restore(scenario.ledger, date__in=scenario.days)
    Session.objects.filter(session_key__in=scenario.session_keys).delete()
    DBTaskResult.objects.filter(enqueued_at__gte=started_at).delete()  # queued e-mails


def start_server(bench: common.Bench, args: argparse.Namespace) -> tuple[subprocess.Popen, int]:
    return http_load.start_server(
        bench.url,
        bench.vendor,
        workers=args.workers,
        threads=args.threads,
        conn_max_age=args.conn_max_age,
    )


def after_load(bench: common.Bench, scenario: Scenario) -> dict[str, object]:
    """Overbooking seen two ways on the scenario's days: the ledger rows (places taken against
    the day's capacity) and a count of the active bookings; and whether they agree."""
    from espacefamille.bookings.models import Booking, ProductDay
    from espacefamille.core.tenancy import municipality_scope

    meal = bench.products["REPAS"]
    with municipality_scope(bench.town):
        ledger = {
            row.date: row.taken
            for row in ProductDay.objects.filter(product=meal, date__in=scenario.days)
        }
        counted = day_counts(meal, scenario.days)
        booked = set(
            Booking.objects.filter(
                product=meal, date__in=scenario.days, child__in=scenario.children
            ).values_list("child_id", flat=True)
        )
    return {
        "overbooked_ledger": sum(max(0, n - scenario.capacity) for n in ledger.values()),
        "overbooked_count": sum(max(0, n - scenario.capacity) for n in counted.values()),
        "ledger_differences": sum(ledger.get(day, 0) != n for day, n in counted.items()),
        "booked_children": booked,
        "taken_after": (min(counted.values()), max(counted.values())),
    }


def profile(bench: common.Bench, args: argparse.Namespace) -> None:
    """In this process (Django's test client, no server): 20 validations of a fresh scenario
    with 10 places left (10 accepted, 10 refused) and 20 GETs of /contacts/, under cProfile;
    prints the server time of each kind of request and the top costs."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    started_at = timezone.now()
    scenario = prepare(bench, 20, 10, 1)
    times: dict[str, list[float]] = {}
    statements: dict[str, list[float]] = {}  # SQL of the validations (numbers elided) → times
    profiler = cProfile.Profile()

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        begun = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = re.sub(r"\b\d+\b", "N", sql)
            shape = re.sub(r"(%s|N)(, (%s|N))+", "…", shape)
            statements.setdefault(shape, []).append(time.perf_counter() - begun)

    try:
        clients = []
        for key in scenario.session_keys:
            client = Client()
            client.cookies["sessionid"] = key
            clients.append(client)
        for client in clients:  # warm-up
            client.get("/contacts/", secure=True)
        profiler.enable()
        for client in clients:
            begun = time.perf_counter()
            with connection.execute_wrapper(timed):
                response = client.post(VALIDATE_URL, secure=True)
            kind = "302" if response.status_code == 302 else f"refused ({response.status_code})"
            times.setdefault(f"validation, {kind}", []).append(time.perf_counter() - begun)
        for client in clients:
            begun = time.perf_counter()
            client.get("/contacts/", secure=True)
            times.setdefault("GET /contacts/", []).append(time.perf_counter() - begun)
        profiler.disable()
    finally:
        restore(bench, scenario, started_at)
    print("\nServer time per request in this process (under cProfile, sequential):")
    for kind, values in sorted(times.items()):
        print(f"  {kind:34}{common.ms(common.median(values))} median of {len(values)}")
    total = sum(sum(v) for v in statements.values())
    count = sum(len(v) for v in statements.values())
    print(
        f"SQL of the 20 validations: {count} statements ({count / 20:.1f} per validation), "
        f"{total * 1000:.0f} ms waiting for the database; the costliest:"
    )
    for shape, values in sorted(statements.items(), key=lambda kv: -sum(kv[1]))[:8]:
        print(f"  {sum(values) * 1000:7.1f} ms  {len(values):3}×  {shape[:150]}")
    print("Where they spend their time (cumulative):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.set_defaults(db="postgres")
    parser.add_argument("--parents", type=int, default=200)
    parser.add_argument("--places", type=int, default=120, help="places left on the fullest day")
    parser.add_argument(
        "--weeks",
        type=int,
        default=1,
        help="spread the carts over this many weeks (default 1: every cart on the same 4 days)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="what-if: database connections' lifetime in seconds (default: the settings', "
        "60 on PostgreSQL, 0 on SQLite)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="rounds, each on a fresh scenario and server; the round of the median rate ratio "
        "gives the figures (run_all: 3)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="then profile 20 validations and 20 trivial pages in this process",
    )
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of DEBUG=0
    rounds = [one_round(bench, args, number) for number in range(1, args.rounds + 1)]
    if args.profile:
        profile(bench, args)
    check = common.check_capacity()
    # The round of the median rate ratio gives the figures (its p95 with it); overbooking,
    # the ledger's differences, 5xx and missing answers are those of every round.
    chosen = sorted(rounds, key=lambda figures: figures["ratio_rate"])[len(rounds) // 2]
    figures = {
        **chosen,
        "rounds": [
            {
                key: each[key]
                for key in ("rate_per_s", "baseline_rate_per_s", "ratio_rate", "ratio_p95")
            }
            for each in rounds
        ],
        **{
            key: max(each[key] for each in rounds)
            for key in ("overbooked", "overbooked_ledger", "overbooked_count", "ledger_differences")
        },
        "errors_5xx": sum(each["errors_5xx"] for each in rounds),
        "no_answer": sum(each["no_answer"] for each in rounds),
    }
    if len(rounds) > 1:
        print(
            f"\n{len(rounds)} rounds, rate ratios "
            + ", ".join(f"{each['ratio_rate']:.0%}" for each in rounds)
            + f"; the median round: {figures['ratio_rate']:.0%} of the trivial page's rate, p95 "
            f"{figures['ratio_p95']:.1f}× — targets ≥ {TARGET_RATE_RATIO:.0%} and "
            f"≤ {TARGET_P95_RATIO:.0f}×: "
            + common.verdict(
                figures["ratio_rate"] >= TARGET_RATE_RATIO
                and figures["ratio_p95"] <= TARGET_P95_RATIO
            )
        )
    common.emit({**figures, **check})


def one_round(bench: common.Bench, args: argparse.Namespace, number: int) -> dict[str, Any]:
    """A fresh scenario, a server warmed up, the trivial page's load, the validations', the
    trivial page's again; the database put back. Prints the round and returns its figures."""
    from django.utils import timezone

    started_at = timezone.now()
    scenario = prepare(bench, args.parents, args.places, args.weeks)
    try:
        server, port = start_server(bench, args)
        try:
            baseline = [{"Cookie": p["Cookie"]} for p in scenario.parents]
            # Every worker warmed up as a production worker is when a rush comes: imports,
            # templates, its database connection and its prepared statements. One request at a
            # time would warm one or two workers; the rush itself, untimed, reaches them all.
            load(port, "GET", "/contacts/", baseline)
            first, last = scenario.days[0], scenario.days[-1]
            print(
                f"\n(c) round {number}/{args.rounds}: {len(scenario.parents)} parents at once, "
                f"gunicorn {args.workers} workers × {args.threads} threads on "
                f"{os.cpu_count()} cores, {bench.vendor}"
                + (
                    f", connections kept {args.conn_max_age} s"
                    if args.conn_max_age is not None
                    else ""
                )
                + f"; carts: 4 REPAS in {len(scenario.weeks)} week(s) "
                f"{first:%d/%m}–{last:%d/%m}, {args.places} places left on the fullest day "
                f"(capacity {scenario.capacity}, taken {min(scenario.before.values())}–"
                f"{max(scenario.before.values())})"
            )
            print(f"{'':42}{'rate':>10}{'p50':>11}{'p95':>11}{'max':>11}  statuses")
            before = summary(
                "trivial page GET /contacts/ (before)", load(port, "GET", "/contacts/", baseline)
            )
            outcomes = load(port, "POST", VALIDATE_URL, scenario.parents)
            rate, p50, p95 = summary("validation POST …/panier/valider/", outcomes)
            after = summary(
                "trivial page GET /contacts/ (after)", load(port, "GET", "/contacts/", baseline)
            )
        finally:
            stop_server(server)
        seen = after_load(bench, scenario)
    finally:
        restore(bench, scenario, started_at)

    base_rate = (before[0] + after[0]) / 2
    base_p50 = (before[1] + after[1]) / 2
    base_p95 = (before[2] + after[2]) / 2
    booked = seen["booked_children"]
    kinds: dict[str, int] = {}
    for child, outcome in zip(scenario.children, outcomes, strict=True):
        if outcome.error:
            kind = "no answer"
        elif outcome.status >= 500:
            kind = f"{outcome.status}"
        elif child.pk in booked:
            kind = f"accepted ({outcome.status})"
        elif outcome.status == 200 and "Complet" in outcome.body:
            kind = "refused « Complet » (200)"
        elif outcome.status == 303:
            kind = "refused, redirected (303)"
        else:
            kind = f"not booked ({outcome.status})"  # e.g. 302 « réessayez dans un instant »
        kinds[kind] = kinds.get(kind, 0) + 1
    errors_5xx = sum(o.status >= 500 for o in outcomes if not o.error)
    no_answer = sum(bool(o.error) for o in outcomes)
    overbooked = max(seen["overbooked_ledger"], seen["overbooked_count"])
    expected = min(args.places, len(scenario.parents)) if args.weeks == 1 else None
    print(f"outcomes: {dict(sorted(kinds.items()))}; families booked: {len(booked)}")
    print(
        f"overbooking: ledger {seen['overbooked_ledger']}, count of bookings "
        f"{seen['overbooked_count']} (days where the ledger differs from the count: "
        f"{seen['ledger_differences']}) — must be 0: {common.verdict(overbooked == 0)}"
    )
    print(
        f"5xx: {errors_5xx}, no answer: {no_answer} — must be 0: "
        f"{common.verdict(errors_5xx + no_answer == 0)}"
    )
    rate_ratio, p95_ratio = rate / base_rate, p95 / base_p95
    print(
        f"validations: {rate:.1f}/s = {rate_ratio:.0%} of the trivial page's {base_rate:.1f}/s — "
        f"target ≥ {TARGET_RATE_RATIO:.0%}: {common.verdict(rate_ratio >= TARGET_RATE_RATIO)}; "
        f"p95 {p95:.2f} s = {p95_ratio:.1f}× the trivial page's {base_p95:.2f} s — target "
        f"≤ {TARGET_P95_RATIO:.0f}×: {common.verdict(p95_ratio <= TARGET_P95_RATIO)}"
    )
    if errors_5xx or no_answer:
        log_path = common.BASE_DIR / "var" / "bench" / f"gunicorn-{bench.vendor}.log"
        print(f"server log ({log_path}):\n{log_path.read_text(errors='replace')[-4000:]}")
    figures = {
        "bench": "concurrent_validation",
        "db": bench.vendor,
        "households": bench.households,
        "bookings": bench.bookings,
        "parents": len(scenario.parents),
        "places": args.places,
        "weeks": args.weeks,
        "workers": args.workers,
        "threads": args.threads,
        "conn_max_age": args.conn_max_age,
        "rate_per_s": round(rate, 2),
        "p50_ms": common.to_ms(p50),
        "p95_ms": common.to_ms(p95),
        "baseline_rate_per_s": round(base_rate, 2),
        "baseline_p50_ms": common.to_ms(base_p50),
        "baseline_p95_ms": common.to_ms(base_p95),
        "baseline_before": {"rate_per_s": round(before[0], 2), "p95_ms": common.to_ms(before[2])},
        "baseline_after": {"rate_per_s": round(after[0], 2), "p95_ms": common.to_ms(after[2])},
        "ratio_rate": round(rate_ratio, 3),
        "ratio_p95": round(p95_ratio, 3),
        "accepted": len(booked),
        "expected_accepted": expected,
        "outcomes": dict(sorted(kinds.items())),
        "overbooked": overbooked,
        "overbooked_ledger": seen["overbooked_ledger"],
        "overbooked_count": seen["overbooked_count"],
        "ledger_differences": seen["ledger_differences"],
        "errors_5xx": errors_5xx,
        "no_answer": no_answer,
    }
    return figures


if __name__ == "__main__":
    main()
