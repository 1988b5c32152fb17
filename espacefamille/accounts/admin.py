from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

# django-otp's own admin pages show a TOTP device's key (hex, and as a QR code) and the recovery
# codes: imported here so that they are registered before being replaced below, whatever the
# order of the apps.
from django_otp.plugins.otp_static import admin as _otp_static_admin  # noqa: F401
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _otp_totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from espacefamille.core.admin import ReadOnlyAdmin

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


_DEVICE_FIELDS = (
    "user",
    "name",
    "confirmed",
    "created_at",
    "last_used_at",
    "throttling_failure_timestamp",
    "throttling_failure_count",
)


class SecretFreeDeviceAdmin(ReadOnlyAdmin):
    """Second-factor devices, read only and without their secrets (the TOTP key, the recovery
    codes): an agent's device is replaced in the back office ("Réinitialiser l'application")."""

    list_display = ["user", "name", "confirmed", "last_used_at", "throttling_failure_count"]
    search_fields = ["user__email"]
    fields = _DEVICE_FIELDS
    readonly_fields = _DEVICE_FIELDS


for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
    admin.site.register(_device_model, SecretFreeDeviceAdmin)
