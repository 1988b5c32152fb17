"""(b) Server time of the week agenda page "Mes réservations"
(``/reservations/?service=…&enfant=…&semaine=<Monday>``) for random families, children,
services and weeks of the bench school year, p50/p95 after a warm-up, beside a trivial page
(``/contacts/``) measured the same way in the same run. Requests go through Django's test client
in this process: the whole middleware stack and the template, without network.

Targets (issue 10): p95 ≤ 50 ms and ≤ 4× the p95 of ``/contacts/`` measured in the same run;
≤ 10 SQL queries per page.

    python bench/bench_agenda.py [--households 5000] [--db sqlite|postgres] [--requests 300]
                                 [--profile]

Ends with one line of JSON (keys ``db``, ``p50_ms``, ``p95_ms``, ``baseline_p95_ms``,
``queries``, the ratio, ``check_capacity``…).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from datetime import timedelta

import common

TARGET_P95 = 0.050
TARGET_RATIO = 4.0  # to the p95 of /contacts/
TARGET_QUERIES = 10
FAMILIES = 60  # signed-in clients the requests are spread over
WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page")
    parser.add_argument(
        "--profile", action="store_true", help="print where 50 agenda pages spend their time"
    )
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of DEBUG=0
    rng = random.Random(common.SEED)
    guardians = common.sample_guardians(bench, FAMILIES, rng)
    families = []
    for guardian in guardians:
        client = Client()
        client.force_login(guardian.user)
        families.append((client, list(guardian.household.children.all())))
    services = list(bench.services.values())
    mondays = [
        bench.start + timedelta(days=(7 - bench.start.weekday()) % 7 + 7 * k)
        for k in range((bench.end - bench.start).days // 7)
    ]

    def agenda_url(service: object | None = None) -> tuple[Client, str, str]:
        client, children = rng.choice(families)
        child, monday = rng.choice(children), rng.choice(mondays)
        service = service or rng.choice(services)
        return (
            client,
            f"/reservations/?service={service.pk}&enfant={child.pk}&semaine={monday.isoformat()}",
            service.name,
        )

    def contacts_url() -> tuple[Client, str, str]:
        return rng.choice(families)[0], "/contacts/", "contacts"

    def measure(pick, count: int) -> tuple[dict[str, list[float]], set[int]]:  # type: ignore[no-untyped-def]
        times: dict[str, list[float]] = {}
        statuses = set()
        for _ in range(count):
            client, url, tag = pick()
            started = time.perf_counter()
            response = client.get(url)
            times.setdefault(tag, []).append(time.perf_counter() - started)
            statuses.add(response.status_code)
        return times, statuses

    measure(agenda_url, WARM_UP)
    measure(contacts_url, WARM_UP)
    # Interleaved, one agenda page then one trivial page: both see the same load of the machine.
    agenda: dict[str, list[float]] = {}
    contacts: dict[str, list[float]] = {}
    agenda_statuses: set[int] = set()
    contacts_statuses: set[int] = set()
    for _ in range(args.requests):
        for pick, times, statuses in (
            (agenda_url, agenda, agenda_statuses),
            (contacts_url, contacts, contacts_statuses),
        ):
            measured, status = measure(pick, 1)
            for tag, values in measured.items():
                times.setdefault(tag, []).extend(values)
            statuses |= status

    def page_queries(client: Client, url: str) -> list[tuple[float, str]]:
        """The SQL statements of one page, with their times (an execute wrapper: the test
        client's request_started signal clears ``connection.queries``)."""
        seen: list[tuple[float, str]] = []

        def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            begun = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seen.append((time.perf_counter() - begun, sql))

        with connection.execute_wrapper(wrapper):
            client.get(url)
        return seen

    per_service, slowest = {}, None
    for service in services:
        for _repeat in range(3):  # three random children and weeks of each service
            client, url, _tag = agenda_url(service)
            queries = page_queries(client, url)
            per_service[service.name] = max(per_service.get(service.name, 0), len(queries))
            slowest = max([*queries, *([slowest] if slowest else [])], default=None)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        measure(agenda_url, 50)
        profiler.disable()
    for client, _children in families:
        client.logout()
    check = common.check_capacity()

    all_agenda = [t for values in agenda.values() for t in values]
    print(
        f"\n(b) Server time of one page, {args.requests} requests each (interleaved) after "
        f"{WARM_UP} warm-up "
        f"({bench.vendor}, {len(families)} families, random weeks of {bench.year}-{bench.year + 1})"
    )
    print(f"{'':50}{'p50':>11}{'p95':>11}{'max':>11}  requests")
    rows = [("week agenda /reservations/?service&enfant&semaine", all_agenda)]
    rows += [(f"  of which {name}", values) for name, values in sorted(agenda.items())]
    rows += [("trivial page /contacts/ (baseline)", contacts["contacts"])]
    for label, times in rows:
        print(
            f"{label:50}{common.ms(common.percentile(times, 50))}"
            f"{common.ms(common.percentile(times, 95))}{common.ms(max(times))}  {len(times)}"
        )
    print(f"statuses: agenda {sorted(agenda_statuses)}, contacts {sorted(contacts_statuses)}")
    line = "SQL queries of one agenda page (most of 3 pages per service): "
    line += ", ".join(f"{name} {n}" for name, n in sorted(per_service.items()))
    if slowest is not None and connection.vendor == "postgresql":  # SQLite works while fetching
        line += f"; the slowest {slowest[0] * 1000:.1f} ms: {slowest[1][:160]}…"
    print(line)
    p95 = common.percentile(all_agenda, 95)
    baseline_p95 = common.percentile(contacts["contacts"], 95)
    ratio = p95 / baseline_p95
    most = max(per_service.values())
    print(
        f"agenda p95: {p95 * 1000:.1f} ms — target ≤ {TARGET_P95 * 1000:.0f} ms: "
        f"{common.verdict(p95 <= TARGET_P95)}; {ratio:.1f}× the p95 of /contacts/ — target "
        f"≤ {TARGET_RATIO:.0f}×: {common.verdict(ratio <= TARGET_RATIO)}"
    )
    print(
        f"SQL queries per page: at most {most} — target ≤ {TARGET_QUERIES}: "
        f"{common.verdict(most <= TARGET_QUERIES)}"
    )
    if agenda_statuses != {200}:
        print("warning: the agenda page did not always answer 200")
    if args.profile:
        print("\nWhere 50 agenda pages spend their time (cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    figures = {
        "bench": "agenda",
        "db": bench.vendor,
        "households": bench.households,
        "bookings": bench.bookings,
        "requests": args.requests,
        "p50_ms": common.to_ms(common.percentile(all_agenda, 50)),
        "p95_ms": common.to_ms(p95),
        "max_ms": common.to_ms(max(all_agenda)),
        "per_service_p95_ms": {
            name: common.to_ms(common.percentile(values, 95))
            for name, values in sorted(agenda.items())
        },
        "baseline_p50_ms": common.to_ms(common.percentile(contacts["contacts"], 50)),
        "baseline_p95_ms": common.to_ms(baseline_p95),
        "ratio_p95": round(ratio, 2),
        "queries": most,
        "queries_per_service": per_service,
        "statuses": sorted(agenda_statuses | contacts_statuses),
    }
    common.emit({**figures, **check})


if __name__ == "__main__":
    main()
