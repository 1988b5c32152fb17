"""Every back-office screen with the objects its URL needs, for the role × screen table, the
other-town 404 test and the never-500 property tests."""

from __future__ import annotations

from dataclasses import dataclass

from espacefamille.accounts.models import AgentRole
from espacefamille.backoffice.permissions import Area
from espacefamille.catalog.models import Closure, Product
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.households.models import Child, Diet, Guardian

from ..factories import ChildFactory, GuardianFactory, HouseholdFactory


@dataclass(frozen=True)
class Objects:
    household: int
    guardian: int
    child: int
    service: int
    product: int
    closure: int
    diet: int
    agent: int


def town_objects(town: Municipality, agent: AgentRole) -> Objects:
    household = HouseholdFactory(municipality=town)
    guardian: Guardian = GuardianFactory(household=household)
    child: Child = ChildFactory(household=household)
    with municipality_scope(town):
        load_catalog(town)
        product = Product.objects.get(name="REPAS")
        closure = Closure.objects.create(
            municipality=town, start_date="2027-01-04", end_date="2027-01-04", reason="Grève"
        )
        diet = Diet.objects.first()
        assert diet is not None
    return Objects(
        household.pk,
        guardian.pk,
        child.pk,
        product.service_id,
        product.pk,
        closure.pk,
        diet.pk,
        agent.pk,
    )


def screens(objects: Objects) -> list[tuple[str, Area]]:
    """(GET URL, area) of every screen."""
    household = f"/agents/foyers/{objects.household}/"
    service = f"/agents/configuration/services/{objects.service}/"
    return [
        ("/agents/accueil/", Area.HOME),
        ("/agents/foyers/", Area.HOUSEHOLDS),
        ("/agents/foyers/?q=dupont", Area.HOUSEHOLDS),
        ("/agents/foyers/nouveau/", Area.HOUSEHOLDS),
        ("/agents/foyers/import/", Area.HOUSEHOLDS),
        (household, Area.HOUSEHOLDS),
        (household + "nom/", Area.HOUSEHOLDS),
        (household + "responsables/ajouter/", Area.HOUSEHOLDS),
        (household + f"responsables/{objects.guardian}/", Area.HOUSEHOLDS),
        (household + "enfants/ajouter/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/inscription/", Area.HOUSEHOLDS),
        ("/agents/foyers/inscrire-une-classe/", Area.HOUSEHOLDS),
        ("/agents/configuration/", Area.CONFIGURATION),
        ("/agents/configuration/commune/", Area.CONFIGURATION),
        ("/agents/configuration/regimes/", Area.CONFIGURATION),
        ("/agents/configuration/regimes/ajouter/", Area.CONFIGURATION),
        (f"/agents/configuration/regimes/{objects.diet}/", Area.CONFIGURATION),
        ("/agents/configuration/services/", Area.CONFIGURATION),
        ("/agents/configuration/services/ajouter/", Area.CONFIGURATION),
        (service, Area.CONFIGURATION),
        (service + "prestations/ajouter/", Area.CONFIGURATION),
        (service + f"prestations/{objects.product}/", Area.CONFIGURATION),
        (f"/agents/configuration/prestations/{objects.product}/tarifs/", Area.CONFIGURATION),
        ("/agents/configuration/fermetures/", Area.CONFIGURATION),
        ("/agents/configuration/fermetures/ajouter/", Area.CONFIGURATION),
        (f"/agents/configuration/fermetures/{objects.closure}/", Area.CONFIGURATION),
        ("/agents/agents/", Area.AGENTS),
        ("/agents/agents/ajouter/", Area.AGENTS),
        (f"/agents/agents/{objects.agent}/", Area.AGENTS),
        ("/agents/journal/", Area.ACTION_LOG),
        ("/agents/actualites/", Area.NEWS),
        ("/agents/actualites/ajouter/", Area.NEWS),
        ("/agents/demandes/", Area.INQUIRIES),
        ("/agents/demandes/thematiques/", Area.INQUIRIES),
        ("/agents/demandes/thematiques/ajouter/", Area.INQUIRIES),
        ("/agents/reservations/demandes/", Area.BOOKINGS),
        ("/agents/reservations/jour/", Area.BOOKINGS),
        (f"/agents/reservations/jour/?product={objects.product}&day=2027-01-04", Area.BOOKINGS),
        ("/agents/configuration/paiement/", Area.CONFIGURATION),
        ("/agents/configuration/paiement/ajouter/", Area.CONFIGURATION),
        ("/agents/configuration/paiement/ajouter/?backend=systempayv2", Area.CONFIGURATION),
        ("/agents/configuration/paiement/annulations/", Area.CONFIGURATION),
    ]


def post_actions(objects: Objects) -> list[tuple[str, Area]]:
    """(POST-only URL, area) of every action button."""
    household = f"/agents/foyers/{objects.household}/"
    return [
        (household + "code-adhesion/", Area.HOUSEHOLDS),
        (household + "invitation/", Area.HOUSEHOLDS),
        (household + "acces/", Area.HOUSEHOLDS),
        (f"/agents/configuration/fermetures/{objects.closure}/supprimer/", Area.CONFIGURATION),
        (f"/agents/agents/{objects.agent}/activation/", Area.AGENTS),
        (f"/agents/agents/{objects.agent}/reinitialiser-application/", Area.AGENTS),
        ("/agents/reservations/decider/", Area.BOOKINGS),
    ]
