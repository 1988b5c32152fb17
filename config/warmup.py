"""What every request may need, loaded when a worker starts rather than on a parent's first
click (issue 17: the first ``holidays.France()`` alone imported 302 modules, 0.5 s to several
seconds on a loaded machine, paid by whoever booked first on each fresh worker).

``config/wsgi.py`` and ``config/asgi.py`` call ``warm_up()`` once the application is built:
gunicorn imports them in each worker after the fork (or once in the master with
``--preload``, the workers then sharing the pages). Nothing here touches the database, so a
worker still starts when the database is down, and ``manage.py`` commands do not pay for it.
"""

from __future__ import annotations

import gc
from importlib import import_module

from django.conf import settings
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.utils import timezone, translation
from django.utils.module_loading import import_string


def warm_up() -> None:
    """Import and load now what the first requests would; never touches the database."""
    # The holidays first: computing them holds about 25 MB for a moment (the ``holidays``
    # library imports its 280 countries), freed at once and reused by the imports below; made
    # last, they raised the worker's peak by as much over its resting memory (issue 17).
    _calendars()
    # Every view module, through the URLconf, and the resolver's reverse tables.
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (imports the URLconf)
    resolver.reverse_dict  # noqa: B018  (populates the reverse tables)
    # The template engines and their tag libraries.
    for engine in engines.all():
        engine.get_template("base.html")
    # The French catalogues.
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Réservations")
    # What Django imports on the first query, session and message (no connection is opened).
    for connection in connections.all(initialized_only=False):
        connection.ops.compiler("SQLCompiler")
    import_module(settings.SESSION_ENGINE)
    import_string(settings.SESSION_SERIALIZER)
    import_string(settings.MESSAGE_STORAGE)
    # Who hears the domain's events after a commit (the webhooks' deliveries).
    from espacefamille.core.events import event_receivers

    event_receivers()
    # What is loaded now lives as long as the worker: out of the collector's way. A full
    # collection otherwise walks these ~150,000 objects again (60–90 ms of a parent's request,
    # every few dozen requests); frozen, the 200-parent rush on PostgreSQL went from 34–38 %
    # to 39–42 % of the trivial page's rate, its p95 from 2.7–2.9× to 2.4–2.6× (issue 17).
    gc.collect()
    gc.freeze()


def _calendars() -> None:
    """Public holidays and official school holidays (both cached per civil year) of the
    school years in use: the one before (history, invoices), this one and the next (bookings
    open ahead)."""
    from espacefamille.catalog.calendar import official_school_holidays, public_holidays
    from espacefamille.catalog.models import school_year_of
    from espacefamille.core.models import HolidayZone

    year = school_year_of(timezone.localdate())
    for civil_year in range(year - 1, year + 3):
        public_holidays(civil_year)
        for zone in HolidayZone.values:
            official_school_holidays(civil_year, zone)
