"""Tenant scoping: an unscoped query raises, a scope only shows its own town's rows."""

from __future__ import annotations

import pytest
from django_scopes.exceptions import ScopeError

from espacefamille.core.tenancy import municipality_scope, scopes_disabled
from espacefamille.households.models import Child, Household

from ..factories import ChildFactory, HouseholdFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_unscoped_query_raises() -> None:
    HouseholdFactory()
    with pytest.raises(ScopeError):
        list(Household.objects.all())
    with pytest.raises(ScopeError):
        Household.objects.filter(name="X").exists()
    with pytest.raises(ScopeError):
        Child.objects.count()


def test_scope_shows_only_its_town() -> None:
    town_a, town_b = MunicipalityFactory(), MunicipalityFactory()
    child_a = ChildFactory(household=HouseholdFactory(municipality=town_a))
    child_b = ChildFactory(household=HouseholdFactory(municipality=town_b))
    with municipality_scope(town_a):
        assert list(Child.objects.all()) == [child_a]
        assert not Child.objects.filter(pk=child_b.pk).exists()
    with municipality_scope(town_b):
        assert list(Child.objects.all()) == [child_b]


def test_scope_refuses_none() -> None:
    """``scope(municipality=None)`` would disable filtering in django-scopes: refused."""
    with pytest.raises(ValueError), municipality_scope(0):
        pass


def test_commands_and_tasks_may_disable_scopes_explicitly() -> None:
    HouseholdFactory()
    HouseholdFactory()
    with scopes_disabled():
        assert Household.objects.count() == 2


def test_every_tenant_table_carries_municipality() -> None:
    """Every model of the tenant apps except the global ones has a municipality column."""
    from django.apps import apps

    global_models = {
        "accounts.user",
        "accounts.user_groups",
        "accounts.user_user_permissions",
        "accounts.joincodeattempt",
        "accounts.loginfailure",  # per login, across towns (accounts.login_limits)
        "accounts.secondfactorthrottle",  # per login, across towns (second_factor_limits)
        "accounts.signupattempt",  # per client address, before any town
        "core.municipality",
    }
    tenant_apps = [
        config for config in apps.get_app_configs() if config.name.startswith("espacefamille.")
    ]
    assert {"core", "accounts", "households", "catalog", "bookings"} <= {
        c.label for c in tenant_apps
    }
    for config in tenant_apps:
        # include_auto_created: the link tables of many-to-many fields need the town too.
        for model in config.get_models(include_auto_created=True):
            label = model._meta.label_lower
            if label in global_models:
                continue
            field_names = {f.name for f in model._meta.get_fields()}
            assert "municipality" in field_names, label
