"""Admin for superusers until the back office has its screens: providers (options masked),
payments and notifications read-only, refunds owed listed for the agents."""

from django.contrib import admin

from espacefamille.core.admin import ReadOnlyAdmin
from espacefamille.core.generic_bases import ModelAdmin

from .forms import ProviderConfigForm
from .models import (
    CancellationRule,
    Payment,
    PaymentNotification,
    PaymentSettings,
    ProviderConfig,
    RefundDue,
)


@admin.register(ProviderConfig)
class ProviderConfigAdmin(ModelAdmin):
    form = ProviderConfigForm
    list_display = ["municipality", "service", "backend", "is_active"]
    fields = ["municipality", "service", "backend", "is_active", "masked_options", "new_options"]
    readonly_fields = ["masked_options"]


@admin.register(PaymentSettings)
class PaymentSettingsAdmin(ModelAdmin):
    list_display = ["municipality", "hold_minutes"]


@admin.register(CancellationRule)
class CancellationRuleAdmin(ModelAdmin):
    list_display = ["service", "outcome"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "household", "service", "kind", "state", "amount", "created_at"]
    list_filter = ["municipality", "state", "kind"]
    exclude = ["provider_form"]


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "payment", "channel", "outcome", "detail"]
    list_filter = ["municipality", "channel", "outcome"]


@admin.register(RefundDue)
class RefundDueAdmin(ModelAdmin):
    list_display = ["household", "service", "booking", "amount", "created_at", "refunded_at"]
    list_filter = ["municipality", "refunded_at"]
    readonly_fields = ["service", "household", "booking", "amount", "created_at"]
