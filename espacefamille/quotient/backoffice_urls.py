from django.urls import path

from . import views

# Included in the back office's namespace ("backoffice:").
urlpatterns = [
    path(
        "configuration/api-particulier/",
        views.quotient_settings,
        name="quotient_settings",
    ),
    path(
        "foyers/<int:pk>/quotient-familial/",
        views.household_quotient,
        name="household_quotient",
    ),
]
