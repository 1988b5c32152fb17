"""(api) Server time of the open API beside the back-office page that shows the same data,
measured interleaved in the same run through Django's test client (the whole middleware stack,
no network): (a) the caterer's day of kitchen counts for 50 sites
(``/api/v1/kitchen/counts/?service&start`` vs ``/agents/repas/?service&start&end``) and (b) a
page of 100 bookings of a product-day (``/api/v1/bookings/?product&start&end&page_size=100``
vs the day overview ``/agents/reservations/jour/?product&day`` of that day, ~100 bookings).
The sites, diets and PAI of ``bench_kitchen`` are set up for the run and put back after.

Target (issue 19): each API p95 ≤ 1.2 × its back-office page's p95.

    python bench/bench_api.py [--households 5000] [--db sqlite|postgres] [--requests 40]

Ends with one line of JSON (``api_kitchen_p95_ms``, ``page_kitchen_p95_ms``, ``ratio_kitchen``,
``api_bookings_p95_ms``, ``page_bookings_p95_ms``, ``ratio_bookings``, queries…)."""

from __future__ import annotations

import argparse
import time

import bench_kitchen
import common

TARGET_RATIO = 1.2
WARM_UP = 5
PAGE = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_arguments(parser)
    parser.add_argument("--requests", type=int, default=40, help="measured requests per URL")
    args = parser.parse_args()
    bench = common.setup(args.households, args.db)
    print(bench.describe())

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from espacefamille.api.keys import api_key_create
    from espacefamille.api.models import ApiKey
    from espacefamille.api.scopes import Scope
    from espacefamille.bookings.models import ProductDay
    from espacefamille.core.tenancy import municipality_scope

    call_command("collectstatic", interactive=False, verbosity=0)
    restaurant = bench.services["Restaurant scolaire"]
    meal = bench.products["REPAS"]
    with municipality_scope(bench.town):
        busiest = ProductDay.objects.filter(product=meal).order_by("-taken", "date").first()
        assert busiest is not None, "no REPAS day in the ledger"
        day = busiest.date
        near_page = (
            ProductDay.objects.filter(taken__gte=PAGE).order_by("taken", "date", "pk").first()
        )
        assert near_page is not None, f"no product-day with {PAGE} bookings"
        snapshot = common.ledger_snapshot(product=meal, date=day)
        agent, cleanup = bench_kitchen._agent_client(bench)
        new = api_key_create(
            municipality=bench.town,
            name="Banc d'essai",
            scopes=[str(Scope.KITCHEN_READ), str(Scope.BOOKINGS_READ)],
            actor=None,
        )
        api = Client(HTTP_AUTHORIZATION=f"Bearer {new.text}")
        added = bench_kitchen._prepare(bench, restaurant, meal, day)
        urls = {
            "api_kitchen": (api, f"/api/v1/kitchen/counts/?service={restaurant.pk}&start={day}"),
            "page_kitchen": (
                agent,
                f"/agents/repas/?service={restaurant.pk}&start={day}&end={day}",
            ),
            "api_bookings": (
                api,
                f"/api/v1/bookings/?product={near_page.product_id}&start={near_page.date}"
                f"&end={near_page.date}&page_size={PAGE}",
            ),
            "page_bookings": (
                agent,
                f"/agents/reservations/jour/?product={near_page.product_id}&day={near_page.date}",
            ),
        }
        times: dict[str, list[float]] = {tag: [] for tag in urls}
        statuses: dict[str, set[int]] = {tag: set() for tag in urls}
        try:

            def get(tag: str) -> None:
                client, url = urls[tag]
                started = time.perf_counter()
                response = client.get(url)
                times[tag].append(time.perf_counter() - started)
                statuses[tag].add(response.status_code)

            for tag in urls:
                for _ in range(WARM_UP):
                    get(tag)
                times[tag].clear()
            for _ in range(args.requests):
                for tag in urls:
                    get(tag)
            queries = {
                tag: bench_kitchen._page_queries(connection, client, url)
                for tag, (client, url) in urls.items()
            }
            rows = len(api.get(urls["api_bookings"][1]).json()["results"])
            sites = len({row["site"] for row in api.get(urls["api_kitchen"][1]).json()})
        finally:
            bench_kitchen._restore(bench, restaurant, added)
            common.ledger_restore(snapshot, product=meal, date=day)
            cleanup()
            user = new.key.actor
            ApiKey.objects.filter(pk=new.key.pk).delete()
            user.delete()
    check = common.check_capacity()

    p95 = {tag: common.percentile(values, 95) for tag, values in times.items()}
    print(f"\nServer time, {args.requests} requests each, interleaved ({bench.vendor})")
    print(f"{'':70}{'p50':>11}{'p95':>11}  queries")
    for tag, (_client, url) in urls.items():
        print(
            f"{tag + ' ' + url[:56]:70}{common.ms(common.percentile(times[tag], 50))}"
            f"{common.ms(p95[tag])}  {queries[tag]}"
        )
    print(f"statuses: {', '.join(f'{tag} {sorted(s)}' for tag, s in statuses.items())}")
    ratio_kitchen = p95["api_kitchen"] / p95["page_kitchen"]
    ratio_bookings = p95["api_bookings"] / p95["page_bookings"]
    for what, ratio in (
        (f"kitchen counts, {sites} sites", ratio_kitchen),
        (f"page of {rows} bookings", ratio_bookings),
    ):
        print(
            f"{what}: API p95 = {ratio:.2f}× the back-office page — target ≤ {TARGET_RATIO}×: "
            f"{common.verdict(ratio <= TARGET_RATIO)}"
        )
    figures = {
        "bench": "api",
        "db": bench.vendor,
        "households": bench.households,
        "day": day,
        "sites": sites,
        "page_rows": rows,
        "requests": args.requests,
        **{f"{tag}_p50_ms": common.to_ms(common.percentile(v, 50)) for tag, v in times.items()},
        **{f"{tag}_p95_ms": common.to_ms(p95[tag]) for tag in times},
        "ratio_kitchen": round(ratio_kitchen, 2),
        "ratio_bookings": round(ratio_bookings, 2),
        "queries": queries,
        "statuses": {tag: sorted(s) for tag, s in statuses.items()},
    }
    common.emit({**figures, **check})


if __name__ == "__main__":
    main()
