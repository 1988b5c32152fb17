"""Every back-office screen with the objects its URL needs, for the role × screen table, the
other-town 404 test and the never-500 property tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from espacefamille.accounts.models import AgentRole
from espacefamille.api.keys import api_key_create
from espacefamille.api.webhook_subscriptions import subscription_create
from espacefamille.backoffice.permissions import Area
from espacefamille.billing.models import Invoice, InvoiceRun, InvoiceStatus, RunState
from espacefamille.bookings.history import bookings_record_history
from espacefamille.bookings.models import Booking, BookingStatus
from espacefamille.catalog.models import Closure, Product, Site
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.catalog import load_catalog
from espacefamille.households.models import Child, Diet, Guardian
from espacefamille.payments.models import RefundDue

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
    run: int = 0
    invoice: int = 0
    refund: int = 0
    site: int = 0
    api_key: int = 0
    webhook: int = 0


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
        run, invoice, refund = invoicing_objects(product, child)
        site = Site.objects.create(municipality=town, name="École du Centre")
        api_key = api_key_create(
            municipality=town, name="Traiteur", scopes=["kitchen:read"], actor=None
        ).key
        webhook = subscription_create(
            municipality=town,
            url="https://example.org/hook",
            events=["closure.created"],
            actor=None,
        )
    return Objects(
        household.pk,
        guardian.pk,
        child.pk,
        product.service_id,
        product.pk,
        closure.pk,
        diet.pk,
        agent.pk,
        run.pk,
        invoice.pk,
        refund.pk,
        site.pk,
        api_key.pk,
        webhook.pk,
    )


def invoicing_objects(product: Product, child: Child) -> tuple[InvoiceRun, Invoice, RefundDue]:
    """A draft run of October 2026, a final invoice of the child's household in it, and a
    refund owed for one cancelled booking."""
    run = InvoiceRun.objects.create(
        municipality_id=child.municipality_id,
        service_id=product.service_id,
        month=date(2026, 10, 1),
        state=RunState.DRAFT,
    )
    invoice = Invoice.objects.create(
        municipality_id=child.municipality_id,
        service_id=product.service_id,
        household_id=child.household_id,
        run=run,
        recipient_name="M. DUPONT François",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        status=InvoiceStatus.FINAL,
        number=f"2026-RS-{child.pk:06d}",
        issued_on=date(2026, 11, 1),
        total=Decimal("42.00"),
    )
    (booking,) = bookings_record_history(
        bookings=[
            Booking(
                municipality_id=child.municipality_id,
                child=child,
                product=product,
                date=date(2026, 10, 5),
                status=BookingStatus.CANCELLED,
            )
        ]
    )
    refund = RefundDue.objects.create(
        municipality_id=child.municipality_id,
        service_id=product.service_id,
        household_id=child.household_id,
        booking=booking,
        amount=Decimal("4.20"),
    )
    return run, invoice, refund


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
        (household + "mandats/", Area.HOUSEHOLDS),
        (household + "responsables/ajouter/", Area.HOUSEHOLDS),
        (household + f"responsables/{objects.guardian}/", Area.HOUSEHOLDS),
        (household + "enfants/ajouter/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/inscription/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/foyers/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/foyers/?q=dupont", Area.HOUSEHOLDS),
        ("/agents/foyers/inscrire-une-classe/", Area.HOUSEHOLDS),
        ("/agents/configuration/", Area.CONFIGURATION),
        ("/agents/configuration/commune/", Area.CONFIGURATION),
        ("/agents/configuration/regimes/", Area.CONFIGURATION),
        ("/agents/configuration/regimes/ajouter/", Area.CONFIGURATION),
        (f"/agents/configuration/regimes/{objects.diet}/", Area.CONFIGURATION),
        ("/agents/configuration/sites/", Area.CONFIGURATION),
        ("/agents/configuration/sites/ajouter/", Area.CONFIGURATION),
        (f"/agents/configuration/sites/{objects.site}/", Area.CONFIGURATION),
        ("/agents/configuration/services/", Area.CONFIGURATION),
        (service + "prelevement/", Area.CONFIGURATION),
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
        ("/agents/facturation/", Area.INVOICING),
        ("/agents/facturation/prelevements/", Area.INVOICING),
        (f"/agents/facturation/{objects.run}/", Area.INVOICING),
        (f"/agents/facturation/{objects.run}/avancement/", Area.INVOICING),
        ("/agents/facturation/factures/?q=dupont", Area.INVOICING),
        (f"/agents/facturation/factures/{objects.invoice}/", Area.INVOICING),
        (
            f"/agents/facturation/etat-encaissement/?service={objects.service}"
            "&start=01/10/2026&end=31/10/2026",
            Area.INVOICING,
        ),
        ("/agents/facturation/remboursements/", Area.INVOICING),
        ("/agents/tableau-de-bord/", Area.DASHBOARD),
        ("/agents/pointage/", Area.ATTENDANCE),
        (f"/agents/pointage/{objects.product}/2026-01-05/", Area.ATTENDANCE),
        (f"/agents/pointage/{objects.product}/2026-01-05/?q=a", Area.ATTENDANCE),
        ("/agents/reservations/semaine/", Area.BOOKINGS),
        (f"/agents/reservations/semaine/?service={objects.service}&day=2027-01-04", Area.BOOKINGS),
        ("/agents/repas/", Area.KITCHEN),
        (
            f"/agents/repas/?service={objects.service}&start=2027-01-04&end=2027-01-08",
            Area.KITCHEN,
        ),
        # The XLSX and PDF downloads are checked in test_kitchen_screens (binary answers).
        ("/agents/repas/telecharger/csv/?start=2027-01-04&end=2027-01-08", Area.KITCHEN),
        ("/agents/configuration/paiement/", Area.CONFIGURATION),
        ("/agents/configuration/paiement/ajouter/", Area.CONFIGURATION),
        ("/agents/configuration/paiement/ajouter/?backend=systempayv2", Area.CONFIGURATION),
        ("/agents/configuration/paiement/annulations/", Area.CONFIGURATION),
        ("/agents/configuration/api/", Area.CONFIGURATION),
        ("/agents/configuration/api/cles/ajouter/", Area.CONFIGURATION),
        ("/agents/configuration/api/evenements/ajouter/", Area.CONFIGURATION),
    ]


def post_actions(objects: Objects) -> list[tuple[str, Area]]:
    """(POST-only URL, area) of every action button."""
    household = f"/agents/foyers/{objects.household}/"
    return [
        (household + "code-adhesion/", Area.HOUSEHOLDS),
        (household + "invitation/", Area.HOUSEHOLDS),
        (household + "acces/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/foyers/rattacher/", Area.HOUSEHOLDS),
        (household + f"enfants/{objects.child}/foyers/detacher/", Area.HOUSEHOLDS),
        (f"/agents/configuration/fermetures/{objects.closure}/supprimer/", Area.CONFIGURATION),
        (f"/agents/agents/{objects.agent}/activation/", Area.AGENTS),
        (f"/agents/agents/{objects.agent}/reinitialiser-application/", Area.AGENTS),
        ("/agents/reservations/decider/", Area.BOOKINGS),
        (f"/agents/facturation/{objects.run}/finaliser/", Area.INVOICING),
        (f"/agents/facturation/factures/{objects.invoice}/renvoyer/", Area.INVOICING),
        (f"/agents/facturation/remboursements/{objects.refund}/effectue/", Area.INVOICING),
        (f"/agents/pointage/{objects.product}/2026-01-05/pointer/", Area.ATTENDANCE),
        (f"/agents/configuration/api/cles/{objects.api_key}/revoquer/", Area.CONFIGURATION),
        (f"/agents/configuration/api/evenements/{objects.webhook}/supprimer/", Area.CONFIGURATION),
        (f"/agents/configuration/api/evenements/{objects.webhook}/reactiver/", Area.CONFIGURATION),
    ]
