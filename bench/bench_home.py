"""Server time of the family home ("what's next": ``/``) for random families of the bench
town, p50/p95 after a warm-up, beside a trivial page (``/contacts/``) measured the same way,
interleaved, in the same run. Requests go through Django's test client in this process: the
whole middleware stack and the template, without network.

Targets (issue 21): p95 within 2× the p95 of ``/contacts/`` measured in the same run, and the
same number of SQL queries whatever the number of children of the family.

    python bench/bench_home.py [--households 5000] [--db sqlite|postgres] [--requests 300]
                               [--profile]

Ends with one line of JSON (keys ``db``, ``p50_ms``, ``p95_ms``, ``baseline_p95_ms``,
``ratio_p95``, ``queries_by_children``…).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time

import common

TARGET_RATIO = 2.0  # to the p95 of /contacts/
FAMILIES = 60
WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page")
    parser.add_argument(
        "--profile", action="store_true", help="print where 50 home pages spend their time"
    )
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of DEBUG=0
    rng = random.Random(common.SEED)
    families = []
    for guardian in common.sample_guardians(bench, FAMILIES, rng):
        client = Client()
        client.force_login(guardian.user)
        families.append((client, len(guardian.household.children.all())))

    def timed(client: Client, url: str) -> tuple[float, float, int]:
        """Wall time and CPU time of this process (less sensitive to a loaded machine)."""
        started, cpu_started = time.perf_counter(), time.process_time()
        status = client.get(url).status_code
        return time.perf_counter() - started, time.process_time() - cpu_started, status

    for _ in range(WARM_UP):
        timed(rng.choice(families)[0], "/")
        timed(rng.choice(families)[0], "/contacts/")
    home: list[float] = []
    contacts: list[float] = []
    home_cpu: list[float] = []
    contacts_cpu: list[float] = []
    statuses: set[int] = set()
    for _ in range(args.requests):  # interleaved: both pages see the same load of the machine
        for url, times, cpu_times in (
            ("/", home, home_cpu),
            ("/contacts/", contacts, contacts_cpu),
        ):
            spent, cpu, status = timed(rng.choice(families)[0], url)
            times.append(spent)
            cpu_times.append(cpu)
            statuses.add(status)

    queries_by_children: dict[int, int] = {}
    for client, children in families:
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        queries_by_children[children] = max(queries_by_children.get(children, 0), len(queries))
    if args.profile:
        with CaptureQueriesContext(connection) as queries:
            families[0][0].get("/")
        print("\nThe SQL of one home page:")
        for query in queries.captured_queries:
            print(f"  {query['sql'][:150]}")
        profiler = cProfile.Profile()
        profiler.enable()
        for client, _children in families[:50]:
            client.get("/")
        profiler.disable()
        print("\nWhere 50 home pages spend their time (cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    for client, _children in families:
        client.logout()

    p95 = common.percentile(home, 95)
    baseline_p95 = common.percentile(contacts, 95)
    ratio = p95 / baseline_p95
    cpu_p50 = common.percentile(home_cpu, 50)
    baseline_cpu_p50 = common.percentile(contacts_cpu, 50)
    print(
        f"\nServer time of one page, {args.requests} requests each (interleaved) after "
        f"{WARM_UP} warm-up ({bench.vendor}, {len(families)} families)"
    )
    print(f"{'':40}{'p50':>11}{'p95':>11}{'max':>11}")
    for label, times in (("family home /", home), ("trivial page /contacts/ (baseline)", contacts)):
        print(
            f"{label:40}{common.ms(common.percentile(times, 50))}"
            f"{common.ms(common.percentile(times, 95))}{common.ms(max(times))}"
        )
    print(
        f"{'CPU time of this process, p50':40}{common.ms(cpu_p50)}"
        f"   (/contacts/ {common.ms(baseline_cpu_p50).strip()}, "
        f"{cpu_p50 / baseline_cpu_p50:.1f}×)"
    )
    print(
        "SQL queries of the home by number of children: "
        + ", ".join(f"{n} → {q}" for n, q in sorted(queries_by_children.items()))
    )
    same = len(set(queries_by_children.values())) == 1
    print(
        f"home p95 {ratio:.1f}× the p95 of /contacts/ — target ≤ {TARGET_RATIO:.0f}×: "
        f"{common.verdict(ratio <= TARGET_RATIO)}; queries independent of the children: "
        f"{common.verdict(same)}"
    )
    common.emit(
        {
            "bench": "home",
            "db": bench.vendor,
            "households": bench.households,
            "requests": args.requests,
            "p50_ms": common.to_ms(common.percentile(home, 50)),
            "p95_ms": common.to_ms(p95),
            "baseline_p50_ms": common.to_ms(common.percentile(contacts, 50)),
            "baseline_p95_ms": common.to_ms(baseline_p95),
            "ratio_p95": round(ratio, 2),
            "cpu_p50_ms": common.to_ms(cpu_p50),
            "baseline_cpu_p50_ms": common.to_ms(baseline_cpu_p50),
            "ratio_cpu_p50": round(cpu_p50 / baseline_cpu_p50, 2),
            "queries_by_children": {str(k): v for k, v in sorted(queries_by_children.items())},
            "statuses": sorted(statuses),
        }
    )


if __name__ == "__main__":
    main()
