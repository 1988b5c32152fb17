"""No health data ever reaches the application logs (docs/architecture.md#personal-and-health-data).
With every logger at DEBUG, the demo's DUPONT family and a demo agent go through every page that
shows a diet or a PAI — the family's children pages and data export, the agent's household file,
child file and PAI request — and not one log record holds the diet's name or the PAI text; the
agents' reads are in the action log instead."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.urls import reverse

from espacefamille.accounts.models import User
from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.tenancy import municipality_scope
from espacefamille.inquiries.models import Inquiry

from ..backoffice.helpers import sign_in_client
from .conftest import CARE_PLAN_TEXT, DIET, DemoFamily

HEALTH_VALUES = [DIET, CARE_PLAN_TEXT, "arachide"]


def _pages(demo_family: DemoFamily) -> list[tuple[str, str]]:
    household, paul = demo_family.household, demo_family.paul
    with municipality_scope(demo_family.town):
        inquiry = Inquiry.objects.get(household=household)
    return [
        ("family", reverse("portal:children")),
        ("family", reverse("portal:child_edit", kwargs={"pk": paul.pk})),
        ("family", reverse("inquiries:detail", kwargs={"pk": inquiry.pk})),
        ("agent", reverse("backoffice:household", kwargs={"pk": household.pk})),
        (
            "agent",
            reverse("backoffice:child_edit", kwargs={"pk": household.pk, "child_id": paul.pk}),
        ),
        ("agent", reverse("backoffice:inquiry", kwargs={"pk": inquiry.pk})),
    ]


@pytest.fixture
def every_logger_at_debug(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every logger at DEBUG for the test, then back to its own level (some are kept quiet on
    purpose, e.g. the one eopayment writes its signed fields to)."""
    caplog.set_level(logging.DEBUG)
    levels = {name: logging.getLogger(name).level for name in list(logging.root.manager.loggerDict)}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("every_logger_at_debug")
def test_pages_showing_health_data_log_none_of_it(
    demo_family: DemoFamily, caplog: pytest.LogCaptureFixture
) -> None:
    clients = {
        "family": demo_family.client,
        "agent": sign_in_client(User.objects.get(email="admin.demo@example.org")),
    }
    shown = []
    for who, url in _pages(demo_family):
        response = clients[who].get(url)
        assert response.status_code == 200, url
        shown.append(DIET in response.content.decode() or "PAI" in response.content.decode())
    export = demo_family.client.post(reverse("portal:my_data"))
    b"".join(export.streaming_content)
    assert all(shown), "each page shows the health data it must keep out of the logs"
    assert caplog.records, "the capture sees the run's log records"
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r} {getattr(record, 'request', '')}"
        for record in caplog.records
    ).lower()
    for value in HEALTH_VALUES:
        assert value.lower() not in logged, value
    with municipality_scope(demo_family.town):
        assert ActionLogEntry.objects.filter(action="health_data.read").count() >= 2


def test_the_check_sees_a_health_value_that_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("espacefamille.example").debug("régime %s", DIET)
    logged = "\n".join(record.getMessage() for record in caplog.records).lower()
    assert DIET.lower() in logged
