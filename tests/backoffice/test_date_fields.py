"""One way to type a date everywhere (issue 16, item 14): every date of the back office and
the portal is a JJ/MM/AAAA text box (``FrenchDateField``): digits keypad, the format said, a
French message for a wrong date, the ISO form of links still accepted, and a focus ring."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from espacefamille.core.form_fields import FrenchDateField

from ..conftest import make_family
from ..factories import ChildFactory
from .helpers import make_agent
from .screens import town_objects

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input[^>]*>")


def _date_inputs(html: str) -> list[str]:
    return [tag for tag in INPUT.findall(html) if "date-input" in tag or 'type="date"' in tag]


def test_the_field_reads_french_and_iso_dates_and_refuses_in_french() -> None:
    field = FrenchDateField(label="Jour")
    assert field.clean("05/01/2027") == date(2027, 1, 5)
    assert field.clean(" 5/1/2027 ") == date(2027, 1, 5)
    assert field.clean("2027-01-05") == date(2027, 1, 5)  # links and bookmarks
    for wrong in ("31/02/2027", "2027-13-01", "demain", "05-01-2027"):
        with pytest.raises(ValidationError) as refused:
            field.clean(wrong)
        assert refused.value.messages == ["Saisissez une date valide au format JJ/MM/AAAA."]
    assert field.widget.format_value(date(2027, 1, 5)) == "05/01/2027"
    assert "JJ/MM/AAAA" in str(field.help_text)


def test_every_date_is_the_same_text_box_back_office_and_portal(town: object) -> None:
    administrator = make_agent(town, "administrator")  # type: ignore[arg-type]
    objects = town_objects(town, administrator.role)  # type: ignore[arg-type]
    pages = [
        "/agents/configuration/fermetures/ajouter/",
        f"/agents/configuration/prestations/{objects.product}/tarifs/",
        "/agents/facturation/etat-encaissement/",
        f"/agents/facturation/factures/{objects.invoice}/",  # "Reçu le"
        "/agents/reservations/jour/",
        "/agents/reservations/semaine/",
        "/agents/pointage/",
        "/agents/repas/",
        "/agents/journal/",
        "/agents/actualites/ajouter/",
        f"/agents/foyers/{objects.household}/enfants/{objects.child}/",
    ]
    seen = 0
    for url in pages:
        response = administrator.client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        inputs = _date_inputs(html)
        assert inputs, url
        for tag in inputs:
            assert 'type="text"' in tag and 'inputmode="numeric"' in tag, (url, tag)
            assert 'placeholder="JJ/MM/AAAA"' in tag and 'class="date-input"' in tag, (url, tag)
        seen += len(inputs)
    family = make_family(town)  # type: ignore[arg-type]
    child = ChildFactory(household=family.household)
    for url in ("/reservations/periode/", f"/foyer/enfants/{child.pk}/"):
        html = family.client.get(url).content.decode()
        assert 'type="date"' not in html, url
    assert seen >= 15


def test_the_date_box_has_a_visible_focus_ring() -> None:
    css = Path(settings.BASE_DIR, "espacefamille/portal/static/espacefamille/portal.css")
    rule = re.search(r"input\.date-input:focus-visible\s*\{([^}]*)\}", css.read_text())
    assert rule is not None and "outline: 3px solid" in rule.group(1)
