"""The data migrations of issue 16, item 9: the free-text sites of each town's enrolments and
facilitators become that town's ``Site`` rows (one per distinct name, spaces trimmed), the
rows point at them, and going back writes the names again."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from espacefamille.catalog.models import Service
from espacefamille.core.tenancy import municipality_scope

from ..factories import ChildFactory, HouseholdFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("catalog", "0003_site_list"), ("accounts", "0006_agent_site_list")]
AFTER = [
    ("catalog", "0005_remove_enrollment_legacy_site"),
    ("accounts", "0008_remove_agentrole_legacy_sites"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_free_text_sites_become_each_towns_list_and_back() -> None:
    made = {}
    for slug in ("nord", "sud"):  # rows the migrations do not touch: today's models
        town = MunicipalityFactory(name=slug, slug=slug)
        with municipality_scope(town):
            service = Service.objects.create(municipality=town, name="Restaurant")
        made[slug] = (town, HouseholdFactory(municipality=town), service)
    user = UserFactory(email="anim@example.org")
    apps = _migrate(BEFORE)
    Enrollment = apps.get_model("catalog", "Enrollment")
    AgentRole = apps.get_model("accounts", "AgentRole")
    texts = [
        ("nord", "École du Centre"),
        ("nord", " École  du Centre "),
        ("nord", "Tilleuls"),
        ("nord", ""),
        ("sud", "École du Centre"),
    ]
    for index, (slug, text) in enumerate(texts):
        town, household, service = made[slug]
        child = ChildFactory(household=household, first_name=f"E{index}")
        Enrollment._base_manager.create(
            municipality_id=town.pk,
            child_id=child.pk,
            service_id=service.pk,
            school_year=2026,
            start_date=date(2026, 9, 1),
            end_date=date(2027, 8, 31),
            legacy_site=text,
        )
    AgentRole._base_manager.create(
        municipality_id=made["nord"][0].pk,
        user_id=user.pk,
        role="facilitator",
        legacy_sites=["Tilleuls", "Parc"],
    )

    apps = _migrate(AFTER)
    Site = apps.get_model("catalog", "Site")
    Enrollment = apps.get_model("catalog", "Enrollment")
    AgentSite = apps.get_model("accounts", "AgentSite")
    sites = sorted(Site._base_manager.values_list("municipality__slug", "name"))
    assert sites == [
        ("nord", "Parc"),
        ("nord", "Tilleuls"),
        ("nord", "École du Centre"),
        ("sud", "École du Centre"),
    ]
    pointed = sorted(
        (e.municipality.slug, e.site.name if e.site else "")
        for e in Enrollment._base_manager.select_related("site", "municipality")
    )
    assert pointed == [
        ("nord", ""),
        ("nord", "Tilleuls"),
        ("nord", "École du Centre"),
        ("nord", "École du Centre"),
        ("sud", "École du Centre"),
    ]
    assert all(
        e.site is None or e.site.municipality_id == e.municipality_id
        for e in Enrollment._base_manager.select_related("site")
    )
    linked = sorted(AgentSite._base_manager.values_list("site__name", flat=True))
    assert linked == ["Parc", "Tilleuls"]

    apps = _migrate(BEFORE)
    Enrollment = apps.get_model("catalog", "Enrollment")
    AgentRole = apps.get_model("accounts", "AgentRole")
    assert sorted(Enrollment._base_manager.values_list("legacy_site", flat=True)) == [
        "",
        "Tilleuls",
        "École du Centre",
        "École du Centre",
        "École du Centre",
    ]
    assert AgentRole._base_manager.get().legacy_sites == ["Parc", "Tilleuls"]
    _migrate(_latest())
