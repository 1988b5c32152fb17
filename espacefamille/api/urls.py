"""``/api/v1/``: the routes of the open API (see docs in ``/api/v1/docs/``)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path, register_converter

from espacefamille.core.bounds import RowIdConverter

from .views import bookings, catalog, households, invoices, kitchen, schema, webhooks

app_name = "api"

# Ids beyond a 64-bit column match no route: the catch-all below answers its problem+json 404.
register_converter(RowIdConverter, "row_id")

urlpatterns: list[URLPattern] = [
    path("schema/", schema.SchemaView.as_view(), name="schema"),
    path("docs/", schema.DocsView.as_view(url_name="api:schema"), name="docs"),
    path("services/", catalog.ServiceList.as_view(), name="services"),
    path("products/", catalog.ProductList.as_view(), name="products"),
    path("products/<row_id:pk>/days/", catalog.ProductDays.as_view(), name="product_days"),
    path("closures/", catalog.ClosureList.as_view(), name="closures"),
    path("households/", households.HouseholdList.as_view(), name="households"),
    path("households/<row_id:pk>/", households.HouseholdDetail.as_view(), name="household"),
    path(
        "households/<row_id:pk>/balance/",
        households.HouseholdBalance.as_view(),
        name="household_balance",
    ),
    path("children/", households.ChildList.as_view(), name="children"),
    path("children/<row_id:pk>/", households.ChildDetail.as_view(), name="child"),
    path("enrolments/", households.EnrolmentList.as_view(), name="enrolments"),
    path("bookings/", bookings.BookingList.as_view(), name="bookings"),
    path("bookings/<row_id:pk>/cancel/", bookings.BookingCancel.as_view(), name="booking_cancel"),
    path("attendance/taps/", bookings.AttendanceTap.as_view(), name="attendance_taps"),
    path("kitchen/counts/", kitchen.KitchenCounts.as_view(), name="kitchen_counts"),
    path("invoices/", invoices.InvoiceList.as_view(), name="invoices"),
    path("invoices/<row_id:pk>/", invoices.InvoiceDetail.as_view(), name="invoice"),
    path("invoices/<row_id:pk>/pdf/", invoices.InvoicePdf.as_view(), name="invoice_pdf"),
    path("webhooks/", webhooks.SubscriptionList.as_view(), name="webhooks"),
    path("webhooks/<row_id:pk>/", webhooks.SubscriptionDetail.as_view(), name="webhook"),
    # Anything else under /api/v1/ (an id that is no number…): a problem+json 404, not a page.
    re_path(r"^[\s\S]*$", schema.unknown_route, name="unknown"),  # line breaks included
]
