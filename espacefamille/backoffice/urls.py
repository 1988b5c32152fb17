from django.urls import path

from .views import (
    action_log,
    agents,
    home,
    household_access,
    household_import,
    household_people,
    households,
    sign_in,
)

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
    path("foyers/", households.household_list, name="households"),
    path("foyers/nouveau/", households.household_add, name="household_add"),
    path("foyers/import/", household_import.household_import, name="household_import"),
    path("foyers/<int:pk>/", households.household_detail, name="household"),
    path("foyers/<int:pk>/nom/", households.household_rename, name="household_rename"),
    path(
        "foyers/<int:pk>/responsables/ajouter/",
        household_people.guardian_edit,
        name="guardian_add",
    ),
    path(
        "foyers/<int:pk>/responsables/<int:guardian_id>/",
        household_people.guardian_edit,
        name="guardian_edit",
    ),
    path("foyers/<int:pk>/enfants/ajouter/", household_people.child_edit, name="child_add"),
    path(
        "foyers/<int:pk>/enfants/<int:child_id>/",
        household_people.child_edit,
        name="child_edit",
    ),
    path("foyers/<int:pk>/code-adhesion/", household_access.join_code, name="household_join_code"),
    path("foyers/<int:pk>/invitation/", household_access.invitation, name="household_invitation"),
    path("foyers/<int:pk>/acces/", household_access.access, name="household_access"),
]
