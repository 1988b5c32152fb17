"""Django's admin, for superusers whose session passed the second factor.

Signing in takes e-mail, password and a code (``settings.ADMIN_LOGIN_FORM``: the accounts app
checks the code; core imports no domain app). A superuser signed in with a password alone (on
the family portal, say) is sent to that form, never to the index."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.module_loading import import_string


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin is for superusers only: agents get the back office, not the admin."""

    site_header = "Espace Famille — administration"
    login_template = "admin/second_factor_login.html"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.login_form = import_string(settings.ADMIN_LOGIN_FORM)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
        return bool(
            user.is_active and user.is_superuser and is_verified is not None and is_verified()
        )


class SuperuserAdminConfig(AdminConfig):
    default_site = "espacefamille.core.admin_site.SuperuserAdminSite"
