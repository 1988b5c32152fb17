"""(c) 200 parents validate their carts at the same moment behind a production server
(gunicorn, ``DEBUG=0``), each cart a week of REPAS for one child, on days with fewer places left
than parents so that some are refused ("Complet"). Prints validations per second, p50/p95
latency and the overbooking count, beside the same load on a trivial page (``/contacts/``).

Target (issue 3), on PostgreSQL: ≥ 100 validations/s, p95 ≤ 1 s, 0 overbooking.

    python bench/bench_concurrent_validation.py [--households 5000] [--db postgres|sqlite]
        [--parents 200] [--places 120] [--weeks 1] [--workers 5] [--threads 1]
        [--conn-max-age 0]
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import string
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

import common

TARGET_RATE = 100.0
TARGET_P95 = 1.0
HTTP_TIMEOUT = 120.0
VALIDATE_URL = "/reservations/panier/valider/"


@dataclass
class Outcome:
    status: int = 0
    seconds: float = 0.0
    started: float = 0.0
    ended: float = 0.0
    body: str = ""
    error: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(port: int, method: str, path: str, headers: dict[str, str], body: str = "") -> Outcome:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        started = time.perf_counter()
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        ended = time.perf_counter()
        return Outcome(response.status, ended - started, started, ended, text)
    finally:
        conn.close()


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
    before: dict[date, int]
    capacity: int
    original_capacity: int | None
    session_keys: list[str]
    parents: list[dict[str, str]]  # request headers (cookies) and the CSRF token

    @property
    def days(self) -> list[date]:
        return [day for week in self.weeks for day in week]


def prepare(bench: common.Bench, parents: int, places: int, weeks: int) -> Scenario:
    """Carts of a week of REPAS for ``parents`` children who have no canteen booking that week,
    REPAS capacity set to leave ``places`` places on the fullest day, and signed-in sessions."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from espacefamille.bookings.cart import cart_for
    from espacefamille.bookings.context import taken_places
    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking, CartAction, CartLine
    from espacefamille.catalog.models import Product
    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Child, Guardian

    town, meal = bench.town, bench.products["REPAS"]
    alphabet = string.ascii_letters + string.digits
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
        taken = taken_places(
            products=[meal], start=min(days), end=max(days), days=[(meal.pk, day) for day in days]
        )
        before = {day: taken.get((meal.pk, day), 0) for day in days}
        capacity = max(before.values()) + places
        Product.objects.filter(pk=meal.pk).update(capacity=capacity)

    session_keys, headers = [], []
    for child, _week in chosen:
        user = guardians[child.household_id].user
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        session_keys.append(session.session_key)
        token = "".join(secrets.choice(alphabet) for _ in range(32))
        headers.append(
            {
                "Cookie": f"sessionid={session.session_key}; csrftoken={token}",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Token": token,
            }
        )
    return Scenario(
        weeks=chosen_weeks,
        children=[child for child, _week in chosen],
        households=sorted(households),
        before=before,
        capacity=capacity,
        original_capacity=meal.capacity,
        session_keys=session_keys,
        parents=headers,
    )


def restore(bench: common.Bench, scenario: Scenario, started_at: object) -> None:
    """Put the bench database back as it was."""
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    from espacefamille.bookings.models import Booking, CartLine
    from espacefamille.catalog.models import Product
    from espacefamille.core.tenancy import municipality_scope

    meal = bench.products["REPAS"]
    with municipality_scope(bench.town):
        Booking.objects.filter(
            product=meal, date__in=scenario.days, child__in=scenario.children
        ).delete()
        CartLine.objects.filter(cart__household_id__in=scenario.households).delete()
        Product.objects.filter(pk=meal.pk).update(capacity=scenario.original_capacity)
    Session.objects.filter(session_key__in=scenario.session_keys).delete()
    DBTaskResult.objects.filter(enqueued_at__gte=started_at).delete()  # queued e-mails


def start_server(bench: common.Bench, args: argparse.Namespace) -> tuple[subprocess.Popen, int]:
    port = free_port()
    log_path = common.BASE_DIR / "var" / "bench" / f"gunicorn-{bench.vendor}.log"
    env = common.server_env(bench.url)
    if args.conn_max_age:
        env["BENCH_CONN_MAX_AGE"] = str(args.conn_max_age)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--backlog=2048",
        "--timeout=60",
        "--graceful-timeout=5",
        "--log-level=warning",
    ]
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=common.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log_path.read_text(errors='replace')[-4000:]}")
        try:
            if call(port, "GET", "/connexion/", {}).status == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


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
        default=0,
        help="what-if: keep database connections open this many seconds (settings: 0)",
    )
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command
    from django.utils import timezone

    from espacefamille.bookings.models import ACTIVE_STATUSES, Booking
    from espacefamille.core.tenancy import municipality_scope

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of DEBUG=0
    started_at = timezone.now()
    meal = bench.products["REPAS"]
    scenario = prepare(bench, args.parents, args.places, args.weeks)
    try:
        server, port = start_server(bench, args)
        try:
            for _ in range(4 * args.workers):  # warm every worker up (imports, templates)
                call(port, "GET", "/contacts/", {"Cookie": scenario.parents[0]["Cookie"]})
            first, last = scenario.days[0], scenario.days[-1]
            print(
                f"\n(c) {len(scenario.parents)} parents at once, gunicorn {args.workers} "
                f"workers × {args.threads} threads on {os.cpu_count()} cores, {bench.vendor}"
                + (f", connections kept {args.conn_max_age} s" if args.conn_max_age else "")
                + f"; carts: 4 REPAS in {len(scenario.weeks)} week(s) "
                f"{first:%d/%m}–{last:%d/%m}, {args.places} places left on the fullest day "
                f"(capacity {scenario.capacity}, taken {min(scenario.before.values())}–"
                f"{max(scenario.before.values())})"
            )
            print(f"{'':38}{'rate':>10}{'p50':>11}{'p95':>11}{'max':>11}  statuses")
            baseline = [{"Cookie": p["Cookie"]} for p in scenario.parents]
            summary(
                "trivial page GET /contacts/ (baseline)",
                load(port, "GET", "/contacts/", baseline),
            )
            outcomes = load(port, "POST", VALIDATE_URL, scenario.parents)
            rate, _p50, p95 = summary("validation POST …/panier/valider/", outcomes)
        finally:
            stop_server(server)
        with municipality_scope(bench.town):
            after = {
                day: Booking.objects.filter(
                    product=meal, date=day, status__in=ACTIVE_STATUSES
                ).count()
                for day in scenario.days
            }
            booked = (
                Booking.objects.filter(
                    product=meal, date__in=scenario.days, child__in=scenario.children
                )
                .values("child_id")
                .distinct()
                .count()
            )
    finally:
        restore(bench, scenario, started_at)

    overbooked = sum(max(0, n - scenario.capacity) for n in after.values())
    accepted = sum(o.status == 302 for o in outcomes)
    refused = [o for o in outcomes if o.status == 200]
    failed = [o for o in outcomes if o.status >= 500 or o.error]
    print(
        f"accepted (302): {accepted}, refused (200): {len(refused)} "
        f"({sum('Complet' in o.body for o in refused)} with « Complet »), "
        f"5xx or no answer: {len(failed)}; families booked: {booked}"
    )
    print(f"overbooking: {overbooked} — must be 0: {common.verdict(overbooked == 0)}")
    print(
        f"validations: {rate:.1f}/s — target ≥ {TARGET_RATE:.0f}/s: "
        f"{common.verdict(rate >= TARGET_RATE)}; p95 {p95:.2f} s — target ≤ {TARGET_P95:.0f} s: "
        f"{common.verdict(p95 <= TARGET_P95)}"
    )
    if failed:
        log_path = common.BASE_DIR / "var" / "bench" / f"gunicorn-{bench.vendor}.log"
        print(f"server log ({log_path}):\n{log_path.read_text(errors='replace')[-4000:]}")


if __name__ == "__main__":
    main()
