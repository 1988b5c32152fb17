"""No back-office form answers 500, whatever is posted: hypothesis fills every field of every
form with arbitrary text, numbers, dates and huge values (the test client re-raises any
exception a view lets escape)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from espacefamille.core.models import Municipality

from .helpers import Agent, make_agent
from .screens import Objects, screens, town_objects

pytestmark = pytest.mark.django_db

FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789-/:h ", max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.sampled_from(["", "on", "0", "1", "days", "prevweek", "prevmonth", "workdays", "A", "MME"]),
)
PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _field_names(html: str) -> list[str]:
    return sorted({name for name in FIELD_NAME.findall(html) if name != "csrfmiddlewaretoken"})


FORM_COUNT = len(screens(Objects(1, 1, 1, 1, 1, 1, 1, 1)))


@pytest.fixture
def form_urls(town: Municipality, administrator: Agent) -> list[str]:
    colleague = make_agent(town, "regie", email="collegue@example.org")
    return [url for url, _area in screens(town_objects(town, colleague.role))]


@pytest.mark.parametrize("index", range(FORM_COUNT))
@PROPERTY
@given(data=st.data())
def test_no_form_answers_500(
    administrator: Agent, form_urls: list[str], index: int, data: st.DataObject
) -> None:
    url = form_urls[index]
    page = administrator.client.get(url)
    assert page.status_code == 200
    names = _field_names(page.content.decode())
    values = data.draw(st.fixed_dictionaries(dict.fromkeys(names, VALUES)), label="fields")
    is_search = "?" in url or url.endswith(("/foyers/", "/journal/", "/accueil/"))
    send = administrator.client.get if is_search else administrator.client.post
    response = send(url.split("?")[0], values)
    assert response.status_code < 500


@PROPERTY
@given(content=st.binary(max_size=2000))
def test_no_import_file_answers_500(administrator: Agent, content: bytes) -> None:
    upload = SimpleUploadedFile("foyers.csv", content, "text/csv")
    response = administrator.client.post("/agents/foyers/import/", {"file": upload})
    assert response.status_code == 200


@PROPERTY
@given(
    code=st.text(max_size=30),
    email=st.text(max_size=60),
    password=st.text(max_size=60),
)
def test_sign_in_never_answers_500(
    administrator: Agent, code: str, email: str, password: str
) -> None:
    from django.test import Client

    client = Client()
    assert client.post("/agents/", {"username": email, "password": password}).status_code < 500
    client.post(
        "/agents/", {"username": administrator.user.email, "password": "Un-Mot-de-passe-2026!"}
    )
    assert client.post("/agents/code/", {"code": code}).status_code < 500


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "9223372036854775808"])
def test_huge_ids_are_404(administrator: Agent, pk: str) -> None:
    for url in (
        f"/agents/foyers/{pk}/",
        f"/agents/agents/{pk}/",
        f"/agents/configuration/fermetures/{pk}/",
    ):
        assert administrator.client.get(url).status_code == 404, url


def test_ids_beyond_64_bits_in_choices_are_invalid_choices(
    administrator: Agent, form_urls: list[str]
) -> None:
    """Found by hypothesis: SQLite cannot hold such an id and Django's fields let it through."""
    huge = str(2**64)
    closure = administrator.client.post(
        "/agents/configuration/fermetures/ajouter/",
        {"start_date": "01/01/2027", "end_date": "01/01/2027", "reason": "X", "products": [huge]},
    )
    assert closure.status_code == 200
    assert closure.context["form"].errors["products"]
    enrolment = next(url for url in form_urls if url.endswith("/inscription/"))
    response = administrator.client.post(enrolment, {"service": huge, "school_year": "2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["service"]
