"""Factories shared by the tests. Rows are created through the scoped managers' ``create``
(allowed without a scope); reads in tests run inside ``municipality_scope``."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from espacefamille.accounts.models import User
from espacefamille.catalog.models import Site
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import scopes_disabled
from espacefamille.households.models import (
    AuthorizedPickup,
    Child,
    EmergencyContact,
    Guardian,
    Household,
)
from espacefamille.households.setup import municipality_setup

PASSWORD = "Un-Mot-de-passe-2026!"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.Sequence(lambda n: f"commune-{n}")
    holiday_zone = "C"

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Municipality:
        return municipality_setup(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"parent{n}@example.org")
    first_name = "Camille"
    last_name = "MARTIN"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"FAMILLE {n}")


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    household = factory.SubFactory(HouseholdFactory)
    municipality = factory.SelfAttribute("household.municipality")
    rank = factory.Sequence(lambda n: n + 1)
    civility = "MME"
    first_name = "Camille"
    last_name = factory.SelfAttribute("household.name")
    email = factory.Sequence(lambda n: f"responsable{n}@example.org")
    mobile_phone = "+33612345678"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    household = factory.SubFactory(HouseholdFactory)
    municipality = factory.SelfAttribute("household.municipality")
    civility = "F"
    first_name = factory.Sequence(lambda n: f"Enfant{n}")
    last_name = factory.SelfAttribute("household.name")
    birth_date = date(2017, 4, 12)


class AuthorizedPickupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorizedPickup

    household = factory.SubFactory(HouseholdFactory)
    municipality = factory.SelfAttribute("household.municipality")
    last_name = "DURAND"
    first_name = "Pierre"
    phone = "+33606060606"


class EmergencyContactFactory(AuthorizedPickupFactory):
    class Meta:
        model = EmergencyContact


def site_named(municipality: Municipality | int, name: str) -> Site:
    """The town's site of that name (created the first time): sites are a town's list."""
    town_id = municipality if isinstance(municipality, int) else municipality.pk
    with scopes_disabled():
        return Site.objects.get_or_create(municipality_id=town_id, name=name)[0]
