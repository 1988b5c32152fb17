from django.urls import path

from .views import home, sign_in

app_name = "backoffice"

urlpatterns = [
    path("", sign_in.sign_in, name="sign_in"),
    path("code/", sign_in.sign_in_code, name="sign_in_code"),
    path("deconnexion/", sign_in.sign_out, name="sign_out"),
    path("commune/", sign_in.switch_town, name="switch_town"),
    path("accueil/", home.home, name="home"),
]
