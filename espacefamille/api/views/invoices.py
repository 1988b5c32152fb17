"""Issued invoices with what is paid and left (``invoices:read``), one invoice, its PDF (the
family's own document, as the portal gives it). Drafts and cancelled invoices are not shown."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request

from espacefamille.billing.balances import with_paid_amount
from espacefamille.billing.models import Invoice, InvoiceStatus
from espacefamille.billing.pdf import invoice_pdf
from espacefamille.billing.selectors import invoice_lines
from espacefamille.directdebit.selectors import invoice_debit

from ..scopes import Scope
from ..serializers import InvoiceSerializer
from .base import found, id_param, query_params

READ = {"GET": Scope.INVOICES_READ}


def _issued() -> QuerySet[Invoice]:
    query: QuerySet[Any] = with_paid_amount(Invoice.objects.filter(status=InvoiceStatus.FINAL))
    return query


class InvoiceFilter(serializers.Serializer[dict[str, Any]]):
    household = id_param("Les factures de ce foyer.")
    service = id_param("Les factures de ce service.")
    issued_from = serializers.DateField(required=False, help_text="Émises ce jour ou après.")
    issued_to = serializers.DateField(required=False, help_text="Émises ce jour ou avant.")


@extend_schema(parameters=[InvoiceFilter])
class InvoiceList(generics.ListAPIView[Invoice]):
    scopes = READ
    serializer_class = InvoiceSerializer

    def get_queryset(self) -> QuerySet[Invoice]:
        params = query_params(self.request, InvoiceFilter)
        query = _issued().order_by("issued_on", "pk")
        for name, lookup in (
            ("household", "household_id"),
            ("service", "service_id"),
            ("issued_from", "issued_on__gte"),
            ("issued_to", "issued_on__lte"),
        ):
            if params.get(name):
                query = query.filter(**{lookup: params[name]})
        return query


class InvoiceDetail(generics.RetrieveAPIView[Invoice]):
    scopes = READ
    serializer_class = InvoiceSerializer

    def get_object(self) -> Invoice:
        return found(_issued(), self.kwargs["pk"])


class InvoicePdf(generics.GenericAPIView[Invoice]):
    scopes = READ
    serializer_class = InvoiceSerializer

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")
        }
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        invoice = found(_issued().select_related("municipality", "service"), pk)
        content = invoice_pdf(
            invoice=invoice,
            lines=invoice_lines(invoice=invoice),
            paid=invoice.paid_amount,  # type: ignore[attr-defined]
            debit_day=invoice_debit(invoice=invoice).day,
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="facture-{invoice.number}.pdf"'
        return response
