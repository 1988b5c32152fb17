"""A message to the families of one site reaches exactly them; a family that turned SMS off
gets none; families find it on the home page and under "Messages", never who else got it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from espacefamille.catalog.models import Enrollment, Site
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Child
from espacefamille.notifications import sms
from espacefamille.notifications.models import Channel, Delivery, Kind, Preference
from espacefamille.notifications.town_messages import message_audience, message_send

from ..backoffice.helpers import make_agent
from ..bookings.conftest import Setup
from ..conftest import make_family
from ..factories import ChildFactory

pytestmark = pytest.mark.django_db


def _other_family_at(setup: Setup, site: Site | None, email: str) -> Any:
    town = setup.family.household.municipality
    other = make_family(town, email=email)
    other.guardian.mobile_phone = "+33698765432"
    other.guardian.save()
    child: Child = ChildFactory(household=other.household, first_name="Léa")
    Enrollment.objects.create(
        municipality=town,
        child=child,
        service=setup.restaurant,
        school_year=2026,
        start_date=setup.paul.enrollments.first().start_date,
        end_date=setup.paul.enrollments.first().end_date,
        site=site,
    )
    return other


def test_a_message_to_one_site_reaches_exactly_its_families(
    setup: Setup, django_capture_on_commit_callbacks: Any
) -> None:
    town = setup.family.household.municipality
    with municipality_scope(town):
        north = Site.objects.create(municipality=town, name="École du Nord")
        south = Site.objects.create(municipality=town, name="École du Sud")
        Enrollment.objects.filter(child=setup.paul).update(site=north)
        setup.family.guardian.mobile_phone = ""
        setup.family.guardian.save()
        at_north = _other_family_at(setup, north, "nord@example.org")
        _other_family_at(setup, south, "sud@example.org")
        Preference.objects.create(
            municipality=town,
            household=at_north.household,
            kind=Kind.CLOSURE,
            channel=Channel.SMS,
            enabled=False,
        )
        count = message_audience(audience="site", target=str(north.pk))
        assert count.households == sorted([setup.family.household.pk, at_north.household.pk])
        assert count.per_channel == {"email": 2, "sms": 0, "push": 0}
        sms.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            message_send(
                municipality=town,
                subject="Sortie au musée",
                body="Pensez aux bottes.",
                link="",
                audience="site",
                target=str(north.pk),
                actor=None,
            )
        assert sorted(m.to[0] for m in mail.outbox) == ["famille@example.org", "nord@example.org"]
        assert sms.outbox == []  # DUPONT has no mobile, the other turned SMS off
        assert Delivery.objects.filter(channel=Channel.SMS).count() == 0
    home = setup.family.client.get("/")
    assert "Sortie au musée" in home.content.decode()
    page = at_north.client.get("/messages/").content.decode()
    assert "Sortie au musée" in page and "famille@example.org" not in page


def test_the_agent_counts_then_sends(setup: Setup) -> None:
    agent = make_agent(setup.family.household.municipality, "administrator")
    form = {"subject": "Info", "body": "Texte", "audience": "all"}
    page = agent.client.post("/agents/messages/nouveau/", {**form, "compter": "1"})
    assert "1 famille recevra ce message" in page.content.decode()
    done = agent.client.post("/agents/messages/nouveau/", {**form, "envoyer": "1"}, follow=True)
    assert "Le message part." in done.content.decode()
