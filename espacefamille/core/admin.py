from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .generic_bases import ModelAdmin
from .models import Municipality


class ReadOnlyAdmin(ModelAdmin):
    """Rows the admin shows and never writes: money, notifications, second-factor devices."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Municipality)
class MunicipalityAdmin(ModelAdmin):
    list_display = ["name", "slug", "city", "holiday_zone"]
    prepopulated_fields = {"slug": ["name"]}
