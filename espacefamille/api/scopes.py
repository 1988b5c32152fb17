"""What a key may do: its scopes, each the name of a family of operations (``bookings:read``).
A key holds a list of them; an operation names the one it needs (``ScopeRequired``)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Scope(StrEnum):
    HOUSEHOLDS_READ = "households:read"
    CATALOG_READ = "catalog:read"
    BOOKINGS_READ = "bookings:read"
    BOOKINGS_WRITE = "bookings:write"
    BOOKINGS_OVERRIDE = "bookings:override"
    ATTENDANCE_WRITE = "attendance:write"
    KITCHEN_READ = "kitchen:read"
    INVOICES_READ = "invoices:read"
    WEBHOOKS_MANAGE = "webhooks:manage"


SCOPE_LABELS = {
    Scope.HOUSEHOLDS_READ: _("Lire les familles et les enfants"),
    Scope.CATALOG_READ: _("Lire les services, prestations, jours et places"),
    Scope.BOOKINGS_READ: _("Lire les réservations et les inscriptions"),
    Scope.BOOKINGS_WRITE: _("Réserver et annuler pour un enfant"),
    Scope.BOOKINGS_OVERRIDE: _("Passer outre un délai dépassé, avec un motif (comme un agent)"),
    Scope.ATTENDANCE_WRITE: _("Pointer les présences"),
    Scope.KITCHEN_READ: _("Lire les effectifs de repas et leur prévision"),
    Scope.INVOICES_READ: _("Lire les factures et les soldes"),
    Scope.WEBHOOKS_MANAGE: _("Gérer les abonnements aux événements"),
}

READ_SCOPES = (
    Scope.HOUSEHOLDS_READ,
    Scope.CATALOG_READ,
    Scope.BOOKINGS_READ,
    Scope.KITCHEN_READ,
    Scope.INVOICES_READ,
)
