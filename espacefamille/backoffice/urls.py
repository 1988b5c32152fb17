from django.urls import path

from .views import action_log, agents, home, sign_in

app_name = "backoffice"

urlpatterns = [
    path("", sign_in.sign_in, name="sign_in"),
    path("code/", sign_in.sign_in_code, name="sign_in_code"),
    path("deconnexion/", sign_in.sign_out, name="sign_out"),
    path("commune/", sign_in.switch_town, name="switch_town"),
    path("accueil/", home.home, name="home"),
    path("agents/", agents.agent_list, name="agents"),
    path("agents/ajouter/", agents.agent_add, name="agent_add"),
    path("agents/<int:pk>/", agents.agent_edit, name="agent_edit"),
    path("agents/<int:pk>/activation/", agents.agent_toggle, name="agent_toggle"),
    path(
        "agents/<int:pk>/reinitialiser-application/",
        agents.agent_device_reset,
        name="agent_device_reset",
    ),
    path("journal/", action_log.action_log, name="action_log"),
]
