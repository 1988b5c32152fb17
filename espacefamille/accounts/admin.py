from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AgentRole, Invitation, JoinCode, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "household", "municipality", "created_at", "expires_at", "used_at"]
    exclude = ["token_hash"]


@admin.register(JoinCode)
class JoinCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "household", "municipality", "expires_at", "used_at"]


@admin.register(AgentRole)
class AgentRoleAdmin(admin.ModelAdmin):
    """For superusers; a town's administrators manage their agents in the back office."""

    list_display = ["user", "municipality", "role", "is_active"]
    list_filter = ["municipality", "role", "is_active"]
