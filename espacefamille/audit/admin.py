from django.contrib import admin
from django.http import HttpRequest

from .models import ActionLogEntry


@admin.register(ActionLogEntry)
class ActionLogEntryAdmin(admin.ModelAdmin):
    """Read-only for superusers: the log is written by the services, never edited."""

    list_display = ["at", "municipality", "actor", "action", "object_repr"]
    list_filter = ["municipality", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ActionLogEntry | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ActionLogEntry | None = None
    ) -> bool:
        return False
