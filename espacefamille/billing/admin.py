"""Read-mostly admin for superusers: prices, quotients and numbering are configured here until
the back office has its screens; invoices and money rows are shown, never edited (a correction
is a credit note, a payment goes through ``settlement_record``)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from espacefamille.core.admin import ReadOnlyAdmin
from espacefamille.core.generic_bases import ModelAdmin, TabularInline

from .models import (
    Allocation,
    CreditNote,
    HouseholdQuotient,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    NumberSequence,
    ProductPrice,
    Settlement,
)


@admin.register(ProductPrice)
class ProductPriceAdmin(ModelAdmin):
    list_display = ["product", "effective_from", "quotient_max", "is_default_bracket", "unit_price"]
    list_filter = ["municipality", "effective_from"]


@admin.register(HouseholdQuotient)
class HouseholdQuotientAdmin(ModelAdmin):
    list_display = ["household", "value", "valid_from", "source"]
    list_filter = ["municipality", "source"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(ModelAdmin):
    list_display = ["service", "year", "kind", "code", "last_number"]
    readonly_fields = ["last_number"]


class InvoiceLineInline(TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in InvoiceLine._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "household", "service", "period_start", "status", "total"]
    list_filter = ["municipality", "service", "status", "period_start"]
    search_fields = ["number", "household__name"]
    inlines = [InvoiceLineInline]


@admin.register(InvoiceRun)
class InvoiceRunAdmin(ReadOnlyAdmin):
    list_display = ["service", "month", "state", "invoice_count", "line_count", "total"]


for model in (CreditNote, Settlement, Allocation):
    admin.site.register(model, ReadOnlyAdmin)
