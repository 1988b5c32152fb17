"""The back-office dashboard ("tableau de bord") of a town: what the régie looks at first in
the morning. Every figure is read by ``bookings.statistics``, ``billing.statistics`` and one
count of the open family requests, in a fixed number of queries; the charts are drawn here from
those figures (``charts.bar_chart``), the data tables come from the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from espacefamille.billing import statistics as billing_statistics
from espacefamille.billing.statistics import MonthRevenue, Unpaid
from espacefamille.bookings import statistics as booking_statistics
from espacefamille.bookings.statistics import DayCount, Occupancy, PendingDecisions, ProductCount
from espacefamille.core.models import Municipality
from espacefamille.core.money import NBSP, format_euros
from espacefamille.inquiries.models import CLOSED_STATUSES, Inquiry

from .charts import Number, Series, bar_chart, horizontal_bar_chart

WEEKS_OF_BOOKINGS = 8
MONTHS_OF_REVENUE = 6


@dataclass(frozen=True)
class Dashboard:
    today: date
    per_product: list[ProductCount]
    occupancy: list[Occupancy]
    per_day: list[DayCount]
    revenue: list[MonthRevenue]
    unpaid: Unpaid
    open_inquiries: int
    pending: PendingDecisions

    @property
    def today_total(self) -> int:
        return sum(row.today for row in self.per_product)

    @property
    def week_total(self) -> int:
        return sum(row.week for row in self.per_product)

    @property
    def unpaid_amount(self) -> str:
        return format_euros(self.unpaid.amount)

    def per_product_chart(self) -> SafeString:
        return horizontal_bar_chart(
            chart_id="chart-per-product",
            title=_("Réservations par prestation, aujourd'hui et cette semaine"),
            labels=[row.product for row in self.per_product],
            series=[
                Series(_("Aujourd'hui"), [row.today for row in self.per_product], "chart-bar"),
                Series(_("Cette semaine"), [row.week for row in self.per_product], "chart-bar-alt"),
            ],
        )

    def occupancy_chart(self) -> SafeString:
        return horizontal_bar_chart(
            chart_id="chart-occupancy",
            title=_("Taux d'occupation par prestation cette semaine"),
            labels=[row.product for row in self.occupancy],
            series=[Series(_("Occupation"), [row.percent for row in self.occupancy])],
            format_value=percent,
            maximum=100,
        )

    def per_day_chart(self) -> SafeString:
        return bar_chart(
            chart_id="chart-per-day",
            title=_("Réservations par jour sur les %(weeks)d dernières semaines")
            % {"weeks": WEEKS_OF_BOOKINGS},
            labels=[date_format(row.day, "d/m") for row in self.per_day],
            series=[Series(_("Réservations"), [row.bookings for row in self.per_day])],
            label_every=7,
        )

    def revenue_chart(self) -> SafeString:
        return bar_chart(
            chart_id="chart-revenue",
            title=_("Facturé et encaissé par mois"),
            labels=[month_label(row.month) for row in self.revenue],
            series=[
                Series(_("Facturé"), [row.invoiced for row in self.revenue], "chart-bar"),
                Series(_("Encaissé"), [row.received for row in self.revenue], "chart-bar-alt"),
            ],
            format_value=format_euros,
        )


def percent(value: Number) -> str:
    return f"{value}{NBSP}%"


def month_label(month: date) -> str:
    return date_format(month, "F Y")


def town_dashboard(*, municipality: Municipality, today: date) -> Dashboard:
    """Every figure of the town's dashboard (inside the town's scope)."""
    products = booking_statistics.products_for_statistics()
    return Dashboard(
        today=today,
        per_product=booking_statistics.bookings_per_product(products=products, today=today),
        occupancy=booking_statistics.occupancy_per_product(
            municipality=municipality, products=products, today=today
        ),
        per_day=booking_statistics.bookings_per_day(today=today, weeks=WEEKS_OF_BOOKINGS),
        revenue=billing_statistics.revenue_per_month(today=today, months=MONTHS_OF_REVENUE),
        unpaid=billing_statistics.unpaid_invoices(),
        open_inquiries=Inquiry.objects.exclude(status__in=CLOSED_STATUSES).count(),
        pending=booking_statistics.pending_decisions(),
    )
