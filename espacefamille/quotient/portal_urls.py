from django.urls import path

from . import views

# Included in the portal's namespace ("portal:").
urlpatterns = [
    path("foyer/quotient-familial/", views.family_quotient, name="quotient"),
]
