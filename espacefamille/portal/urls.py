from django.urls import path

from .views import (
    activation,
    bookings,
    enrollments,
    home,
    household,
    invoices,
    joining,
    payments,
    period,
    service_rules,
)

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("contacts/", home.contacts, name="contacts"),
    path("reservations/", bookings.agenda, name="agenda"),
    path("reservations/cellule/", bookings.agenda_toggle, name="agenda_toggle"),
    path("reservations/liste-attente/", bookings.waiting_list, name="waiting_list"),
    path("reservations/panier/valider/", bookings.cart_validate, name="cart_validate"),
    path("reservations/panier/vider/", bookings.cart_clear, name="cart_clear"),
    path(
        "reservations/panier/retirer-refusees/",
        bookings.cart_remove_failed,
        name="cart_remove_failed",
    ),
    path("reservations/periode/", period.period, name="period"),
    path("reservations/periode/enfants/", period.period_children, name="period_children"),
    path("reservations/reglement/", service_rules.service_rules_first, name="service_rules_first"),
    path(
        "reservations/reglement/<int:service_id>/",
        service_rules.service_rules_page,
        name="service_rules",
    ),
    path("inscriptions/", enrollments.enrollments, name="enrollments"),
    path(
        "inscriptions/agenda/<int:child_id>/",
        enrollments.calendar_feed_new,
        name="calendar_feed_new",
    ),
    path("agenda/<slug:token>.ics", enrollments.calendar_feed, name="calendar_feed"),
    path("factures/", invoices.invoices, name="invoices"),
    path("factures/<int:invoice_id>/", invoices.invoice_detail, name="invoice_detail"),
    path("factures/<int:invoice_id>/pdf/", invoices.invoice_download, name="invoice_pdf"),
    path("factures/<int:invoice_id>/payer/", payments.invoice_pay, name="invoice_pay"),
    path("reservations/paiement/<slug:reference>/", payments.payment_status, name="payment_status"),
    path(
        "reservations/paiement/<slug:reference>/banque/",
        payments.payment_form,
        name="payment_form",
    ),
    path("commune/", home.switch_municipality, name="switch_municipality"),
    path("adhesion/", joining.join, name="join"),
    path("activation/<str:token>/", activation.activate, name="activate"),
    path(
        "activation/<str:token>/responsables/",
        activation.activate_guardians,
        name="activate_guardians",
    ),
    path("activation/<str:token>/enfants/", activation.activate_children, name="activate_children"),
    path("foyer/", household.account, name="household"),
    path("foyer/responsables/", household.guardians, name="guardians"),
    path("foyer/responsables/ajouter/", household.guardian_edit, name="guardian_add"),
    path("foyer/responsables/<int:pk>/", household.guardian_edit, name="guardian_edit"),
    path("foyer/enfants/", household.children, name="children"),
    path("foyer/enfants/<int:pk>/", household.child_edit, name="child_edit"),
    path("foyer/complements/", household.extras, name="extras"),
    path("foyer/complements/<slug:kind>/ajouter/", household.person_edit, name="person_add"),
    path("foyer/complements/<slug:kind>/<int:pk>/", household.person_edit, name="person_edit"),
    path(
        "foyer/complements/<slug:kind>/<int:pk>/supprimer/",
        household.person_delete,
        name="person_delete",
    ),
]
