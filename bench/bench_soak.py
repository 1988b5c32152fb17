"""(d) Soak: a weekly deadline rush replayed for ``--minutes`` (default 15) against a production
gunicorn (PostgreSQL by default). ``--families`` parents, each a thread in a closed loop with a
think time of 0.5–2.5 s, open the week agenda ("Mes réservations"), tick REPAS days (places
short: some are refused "Complet") and a morning daycare slot (the "Garderie" régie is set to
"réservations validées par un agent" for the run), validate, sometimes cancel one of the days
they booked and validate again, and empty a refused cart. ``--agents`` agents (signed in past
the second factor) list "Réservations à valider" and accept the requests through
``/agents/reservations/decider/``.

Then it checks, from the database: every accepted validation is there (each day the family's
model says booked has one active booking, each day it cancelled has none), nobody is booked
twice, no day of REPAS holds more bookings than places (the capacity count and the ledger),
``check_capacity`` is clean and no request answered 5xx. It prints the requests served, the
errors and the p95 per kind of request, and ends with one line of JSON. The database is put
back as it was (bookings, ledger, carts, sessions, capacity, the régie's setting); the soak's
agent account is kept for the next run.

    python bench/bench_soak.py [--minutes 15] [--families 40] [--agents 2] [--db postgres|sqlite]
        [--households 5000] [--places 25] [--weeks 8] [--workers 5]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

import common
import http_load
from bench_concurrent_validation import day_counts, pick_weeks
from soak_checks import SoakWorld, prepare_world, restore_world, verify

AGENDA_URL = "/reservations/"
TOGGLE_URL = "/reservations/cellule/"
VALIDATE_URL = "/reservations/panier/valider/"
CLEAR_URL = "/reservations/panier/vider/"
REQUESTS_URL = "/agents/reservations/demandes/"
DECIDE_URL = "/agents/reservations/decider/"
# A click answered as htmx does (the cell and the message): what the cart now holds.
ADDED, CANCEL_ADDED = "Ajouté au panier", "annulation ajoutée au panier"


@dataclass
class Stats:
    """Latencies per kind of request, statuses, errors; shared by every thread."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, outcome: http_load.Outcome) -> None:
        with self.lock:
            if outcome.error:
                self.errors.append(f"{kind}: {outcome.error}")
                return
            self.times[kind].append(outcome.seconds)
            self.statuses[kind][outcome.status] += 1
            if outcome.status >= 500:
                self.errors.append(f"{kind}: {outcome.status}")


def request(
    port: int, stats: Stats, kind: str, method: str, path: str, headers: dict[str, str], **form: Any
) -> http_load.Outcome:
    body = ""
    send = {key: value for key, value in headers.items() if key != "X-Token"}
    if path == TOGGLE_URL:
        send["HX-Request"] = "true"
    if method == "POST":
        pairs = [("csrfmiddlewaretoken", headers["X-Token"])]
        for key, value in form.items():
            values = value if isinstance(value, list) else [value]
            pairs += [(key, str(item)) for item in values]
        body = urlencode(pairs)
    try:
        outcome = http_load.call(port, method, path, send, body)
    except Exception as error:  # a refused or reset connection counts as an error
        outcome = http_load.Outcome(error=f"{type(error).__name__}: {error}")
    stats.record(kind, outcome)
    return outcome


class Family:
    """One parent's loop. ``expected`` is what the family was told: (product, day) → "booked"
    after an accepted validation, "cancelled" after an accepted cancellation."""

    def __init__(self, world: SoakWorld, index: int, headers: dict[str, str], seed: int) -> None:
        self.world, self.headers = world, headers
        self.child = world.children[index]
        self.random = random.Random(seed)
        self.expected: dict[tuple[int, date], str] = {}
        self.accepted = self.refused = 0

    def run(self, port: int, stats: Stats, stop: threading.Event) -> None:
        week_index = self.random.randrange(len(self.world.weeks))
        while not stop.is_set():
            self.cycle(port, stats, self.world.weeks[week_index])
            week_index = (week_index + 1) % len(self.world.weeks)
            stop.wait(self.random.uniform(0.5, 2.5))

    def params(self, service_id: int, monday: date) -> dict[str, str]:
        return {
            "service": str(service_id),
            "enfant": str(self.child.pk),
            "semaine": monday.isoformat(),
        }

    def cycle(self, port: int, stats: Stats, days: list[date]) -> None:
        world, meal, slot = self.world, self.world.meal, self.world.slot
        monday = days[0]
        query = urlencode(self.params(meal.service_id, monday))
        request(port, stats, "agenda GET", "GET", f"{AGENDA_URL}?{query}", self.headers)
        added: list[tuple[int, date]] = []
        for day in self.random.sample(days, self.random.randint(1, len(days))):
            if self.expected.get((meal.pk, day)) == "booked":
                continue
            outcome = request(
                port, stats, "cell POST", "POST", TOGGLE_URL, self.headers,
                cellule=f"{meal.pk}:{day.isoformat()}", **self.params(meal.service_id, monday),
            )  # fmt: skip
            if ADDED in outcome.body:
                added.append((meal.pk, day))
        slot_day = self.random.choice(days)
        if world.slot_opens(slot_day) and self.expected.get((slot.pk, slot_day)) != "booked":
            outcome = request(
                port, stats, "cell POST", "POST", TOGGLE_URL, self.headers,
                cellule=f"{slot.pk}:{slot_day.isoformat()}",
                **self.params(slot.service_id, monday),
            )  # fmt: skip
            if ADDED in outcome.body:
                added.append((slot.pk, slot_day))
        if self.validate(port, stats, "validate POST", added, "booked"):
            booked = [key for key, state in self.expected.items() if state == "booked"]
            if booked and self.random.random() < 0.3:
                product_id, day = self.random.choice(booked)
                service_id = meal.service_id if product_id == meal.pk else slot.service_id
                outcome = request(
                    port, stats, "cell POST", "POST", TOGGLE_URL, self.headers,
                    cellule=f"{product_id}:{day.isoformat()}",
                    **self.params(service_id, common_monday(day)),
                )  # fmt: skip
                if CANCEL_ADDED in outcome.body:
                    self.validate(
                        port, stats, "cancel validate POST", [(product_id, day)], "cancelled"
                    )

    def validate(
        self, port: int, stats: Stats, kind: str, lines: list[tuple[int, date]], then: str
    ) -> bool:
        outcome = request(port, stats, kind, "POST", VALIDATE_URL, self.headers)
        if outcome.status == 302:  # "Réservations et annulations validées"
            self.accepted += 1
            for key in lines:
                self.expected[key] = then
            return True
        self.refused += 1  # 303 with the refused lines ("Complet"), or busy: empty the cart
        request(port, stats, "empty cart POST", "POST", CLEAR_URL, self.headers)
        return False


def common_monday(day: date) -> date:
    from espacefamille.core.dates import monday_of

    return monday_of(day)


class Agent:
    """An agent's loop: the requests to decide, then every one listed accepted at once."""

    def __init__(self, headers: dict[str, str], seed: int) -> None:
        self.headers = headers
        self.random = random.Random(seed)
        self.decided = 0

    def run(self, port: int, stats: Stats, stop: threading.Event) -> None:
        while not stop.is_set():
            listed = request(port, stats, "agent requests GET", "GET", REQUESTS_URL, self.headers)
            ids = re.findall(r'name="booking" value="(\d+)"', listed.body)
            if ids:
                request(
                    port, stats, "agent decide POST", "POST", DECIDE_URL, self.headers,
                    decision="accept", booking=ids[:25],
                )  # fmt: skip
                self.decided += len(ids[:25])
            stop.wait(self.random.uniform(2.0, 4.0))


def run_load(args: argparse.Namespace, world: SoakWorld, port: int) -> tuple[Stats, float, list]:
    stats, stop = Stats(), threading.Event()
    families = [
        Family(world, index, headers, seed=index)
        for index, headers in enumerate(world.family_headers)
    ]
    agents = [Agent(headers, seed=1000 + n) for n, headers in enumerate(world.agent_headers)]
    threads = [
        threading.Thread(target=actor.run, args=(port, stats, stop), daemon=True)
        for actor in [*families, *agents]
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
        time.sleep(0.01)  # a rush, not a single instant
    stop.wait(args.minutes * 60)
    stop.set()
    for thread in threads:
        thread.join(timeout=http_load.HTTP_TIMEOUT)
    wall = time.perf_counter() - started
    # Requests still waiting at the end: the agents' last decisions, then nothing pending.
    for _round in range(5):
        if not agents:
            break
        listed = request(port, stats, "agent requests GET", "GET", REQUESTS_URL, agents[0].headers)
        ids = re.findall(r'name="booking" value="(\d+)"', listed.body)
        if not ids:
            break
        request(
            port, stats, "agent decide POST", "POST", DECIDE_URL, agents[0].headers,
            decision="accept", booking=ids[:25],
        )  # fmt: skip
    return stats, wall, [*families, *agents]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.set_defaults(db="postgres")
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--families", type=int, default=40)
    parser.add_argument("--agents", type=int, default=2)
    parser.add_argument("--weeks", type=int, default=8, help="school weeks the families book")
    parser.add_argument("--places", type=int, default=25, help="REPAS places left per day")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command
    from django.utils import timezone

    call_command("collectstatic", interactive=False, verbosity=0)
    started_at = timezone.now()
    world = prepare_world(bench, args, pick_weeks)
    try:
        server, port = http_load.start_server(
            bench.url, bench.vendor, workers=args.workers, log_name="gunicorn-soak"
        )
        try:
            print(
                f"\n(d) soak: {len(world.family_headers)} families and {args.agents} agents for "
                f"{args.minutes:g} min, gunicorn {args.workers} workers on {os.cpu_count()} "
                f"cores (shared with other jobs), {bench.vendor}; REPAS capacity "
                f"{world.capacity} ({args.places} places left on the fullest day) over "
                f"{len(world.weeks)} weeks {world.days[0]:%d/%m/%Y}–{world.days[-1]:%d/%m/%Y}"
            )
            stats, wall, actors = run_load(args, world, port)
        finally:
            http_load.stop_server(server)
        expected: dict[tuple[int, int, date], str] = {}
        for actor in actors:
            if isinstance(actor, Family):
                for (product_id, day), state in actor.expected.items():
                    expected[(actor.child.pk, product_id, day)] = state
        checks = verify(bench, world, expected, day_counts)
    finally:
        restore_world(bench, world, started_at)
    check = common.check_capacity()
    families = [actor for actor in actors if isinstance(actor, Family)]
    agents = [actor for actor in actors if isinstance(actor, Agent)]
    served = sum(len(values) for values in stats.times.values())
    print(f"\n{'kind of request':32}{'count':>8}{'p50':>11}{'p95':>11}{'max':>11}  statuses")
    per_kind = {}
    for kind, values in sorted(stats.times.items()):
        p50, p95 = common.percentile(values, 50), common.percentile(values, 95)
        print(
            f"{kind:32}{len(values):8}{common.ms(p50)}{common.ms(p95)}{common.ms(max(values))}"
            f"  {dict(sorted(stats.statuses[kind].items()))}"
        )
        per_kind[kind] = {
            "count": len(values),
            "p50_ms": common.to_ms(p50),
            "p95_ms": common.to_ms(p95),
        }
    errors_5xx = sum(
        count
        for kinds in stats.statuses.values()
        for status, count in kinds.items()
        if status >= 500
    )
    no_answer = len(stats.errors) - errors_5xx
    accepted = sum(family.accepted for family in families)
    print(
        f"requests served: {served:,} in {wall:.0f} s ({served / wall:.1f}/s); errors: "
        f"{len(stats.errors)} (5xx {errors_5xx}, no answer {no_answer}) — must be 0: "
        f"{common.verdict(not stats.errors)}"
    )
    for line in stats.errors[:10]:
        print(f"  {line}")
    print(
        f"validations accepted: {accepted:,}, refused or busy: "
        f"{sum(family.refused for family in families):,}; requests accepted by agents: "
        f"{sum(agent.decided for agent in agents):,}"
    )
    print(
        f"accepted validations missing from the database: {checks['missing']}, cancellations "
        f"still active: {checks['not_cancelled']} — must be 0: "
        f"{common.verdict(checks['missing'] + checks['not_cancelled'] == 0)}"
    )
    print(
        f"booked twice: {checks['booked_twice']}; overbooking: count {checks['overbooked_count']}"
        f", ledger {checks['overbooked_ledger']}; requests left undecided: "
        f"{checks['still_requested']} — must be 0: "
        + common.verdict(
            checks["booked_twice"] + checks["overbooked_count"] + checks["overbooked_ledger"] == 0
        )
    )
    common.emit(
        {
            "bench": "soak",
            "db": bench.vendor,
            "households": bench.households,
            "minutes": args.minutes,
            "families": len(families),
            "agents": len(agents),
            "workers": args.workers,
            "cpus": os.cpu_count(),
            "requests": served,
            "requests_per_s": round(served / wall, 2),
            "errors": len(stats.errors),
            "errors_5xx": errors_5xx,
            "no_answer": no_answer,
            "validations_accepted": accepted,
            "agent_decisions": sum(agent.decided for agent in agents),
            "p95_ms": {kind: figures["p95_ms"] for kind, figures in per_kind.items()},
            "per_kind": per_kind,
            **checks,
            **check,
        }
    )


if __name__ == "__main__":
    main()
