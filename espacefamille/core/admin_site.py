from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin is for superusers only: agents get the back office, not the admin."""

    site_header = "Espace Famille — administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    default_site = "espacefamille.core.admin_site.SuperuserAdminSite"
