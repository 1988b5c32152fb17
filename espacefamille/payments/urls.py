from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("notification/<int:config_id>/", views.notify, name="notify"),
    path("retour/<int:config_id>/", views.browser_return, name="return"),
    path("banque-demo/", views.demo_bank, name="demo_bank"),
]
