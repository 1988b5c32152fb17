"""(b) Server time of the week agenda page "Mes réservations"
(``/reservations/?service=…&enfant=…&semaine=<Monday>``) for random families, children,
services and weeks of the bench school year, p50/p95 after a warm-up, beside a trivial page
(``/contacts/``) measured the same way in the same run. Requests go through Django's test client
in this process: the whole middleware stack and the template, without network.

Target (issue 3): p95 ≤ 50 ms.

    python bench/bench_agenda.py [--households 5000] [--db sqlite|postgres] [--requests 300]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

import common

TARGET_P95 = 0.050
FAMILIES = 60  # signed-in clients the requests are spread over
WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page")
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from espacefamille.core.tenancy import municipality_scope
    from espacefamille.households.models import Guardian

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest of DEBUG=0
    rng = random.Random(common.SEED)
    with municipality_scope(bench.town):
        ids = list(
            Guardian.objects.filter(household__external_ref__startswith="BENCH-0")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        guardians = list(
            Guardian.objects.filter(pk__in=rng.sample(ids, min(FAMILIES, len(ids))))
            .select_related("user")
            .prefetch_related("household__children")
        )
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
    agenda, agenda_statuses = measure(agenda_url, args.requests)
    measure(contacts_url, WARM_UP)
    contacts, contacts_statuses = measure(contacts_url, args.requests)
    client, url, _tag = agenda_url(bench.services["Restaurant scolaire"])
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    slowest = max(queries.captured_queries, key=lambda q: float(q["time"]), default=None)
    for client, _children in families:
        client.logout()

    all_agenda = [t for values in agenda.values() for t in values]
    print(
        f"\n(b) Server time of one page, {args.requests} requests each after {WARM_UP} warm-up "
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
    line = f"SQL queries for one agenda page (Restaurant scolaire): {len(queries)}"
    if slowest is not None and connection.vendor == "postgresql":  # SQLite works while fetching
        line += f", the slowest {float(slowest['time']) * 1000:.0f} ms: {slowest['sql'][:160]}…"
    print(line)
    p95 = common.percentile(all_agenda, 95)
    print(
        f"agenda p95: {p95 * 1000:.1f} ms — target ≤ {TARGET_P95 * 1000:.0f} ms: "
        f"{common.verdict(p95 <= TARGET_P95)}"
    )
    if agenda_statuses != {200}:
        print("warning: the agenda page did not always answer 200")


if __name__ == "__main__":
    main()
