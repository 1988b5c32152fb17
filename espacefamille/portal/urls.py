from django.urls import path

from .views import bookings, home, household

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("contacts/", home.contacts, name="contacts"),
    path("reservations/", bookings.agenda, name="agenda"),
    path("reservations/panier/valider/", bookings.cart_validate, name="cart_validate"),
    path("commune/", home.switch_municipality, name="switch_municipality"),
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
