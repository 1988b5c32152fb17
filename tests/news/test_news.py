"""Actualités: dates schedule a post, an audience of services hides it from other families,
agents publish with documents (files recognised by content), families download only what
they may read, and every write is in the action log."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from espacefamille.audit.models import ActionLogEntry
from espacefamille.catalog.models import Enrollment, Service
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.news.models import NewsPost
from espacefamille.news.selectors import news_for_household
from espacefamille.news.services import news_post_save, news_post_withdraw

from ..backoffice.helpers import Agent, page_text
from ..conftest import Family, make_family
from ..factories import ChildFactory, MunicipalityFactory
from ..uploads_helpers import disguised_file, pdf_file, png_file

pytestmark = pytest.mark.django_db


def _post(town: Municipality, **data: object) -> NewsPost:
    with municipality_scope(town):
        fields = {"title": "Info", "date": date(2026, 1, 5), "text": "Texte", **data}
        services = fields.pop("services", [])
        documents = fields.pop("documents", [])
        return news_post_save(
            municipality=town,
            post=None,
            data=fields,
            services=services,  # type: ignore[arg-type]
            documents=documents,  # type: ignore[arg-type]
            actor=None,
        )


def _titles(family: Family) -> list[str]:
    response = family.client.get("/actualites/")
    assert response.status_code == 200
    return [post.title for post in response.context["posts"]]


def test_a_scheduled_post_appears_and_disappears_on_its_dates(
    town: Municipality, family: Family
) -> None:
    _post(town, title="Vacances", publish_from=date(2026, 3, 2), publish_until=date(2026, 3, 6))
    with time_machine.travel(date(2026, 3, 1), tick=False):
        assert _titles(family) == []
    for day in (date(2026, 3, 2), date(2026, 3, 6)):
        with time_machine.travel(day, tick=False):
            assert _titles(family) == ["Vacances"]
    with time_machine.travel(date(2026, 3, 7), tick=False):
        assert _titles(family) == []


def test_a_post_for_one_service_is_not_shown_to_other_families(town: Municipality) -> None:
    with municipality_scope(town):
        canteen = Service.objects.create(municipality=town, name="Restaurant scolaire")
    enrolled = make_family(town, "inscrite@example.org")
    other = make_family(town, "autre@example.org")
    child = ChildFactory(household=enrolled.household)
    Enrollment.objects.create(
        municipality=town,
        child=child,
        service=canteen,
        school_year=2025,
        start_date=date(2025, 9, 1),
        end_date=date(2026, 7, 4),
    )
    post = _post(town, title="Menus de la cantine", services=[canteen])
    _post(town, title="Pour tous")
    with time_machine.travel(date(2026, 1, 10), tick=False):
        assert sorted(_titles(enrolled)) == ["Menus de la cantine", "Pour tous"]
        assert _titles(other) == ["Pour tous"]
        assert other.client.get(f"/actualites/{post.pk}/").status_code == 404


def test_a_withdrawn_post_is_hidden_and_logged(town: Municipality, family: Family) -> None:
    post = _post(town, title="Erreur")
    with municipality_scope(town):
        news_post_withdraw(post=post, withdrawn=True, actor=None)
        news_post_withdraw(post=post, withdrawn=True, actor=None)  # a repeat changes nothing
        actions = list(ActionLogEntry.objects.values_list("action", flat=True))
        assert list(news_for_household(household=family.household)) == []
    assert actions.count("news_post.withdraw") == 1
    assert "news_post.create" in actions


def test_agent_publishes_a_post_with_a_pdf_and_the_family_downloads_it(
    town: Municipality, regie: Agent, family: Family
) -> None:
    response = regie.client.post(
        "/agents/actualites/ajouter/",
        {
            "title": "RÈGLEMENT INTÉRIEUR",
            "date": "01/05/2026",
            "text": "Le règlement",
            "new_documents": [pdf_file("REGLEMENT.pdf")],
        },
    )
    assert response.status_code == 302, page_text(response)
    with municipality_scope(town):
        post = NewsPost.objects.get()
        document = post.documents.get()
        assert ActionLogEntry.objects.filter(action="news_post.create").exists()
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith("news/") and "REGLEMENT" not in document.file.name
    page = page_text(family.client.get("/actualites/"))
    assert "RÈGLEMENT INTÉRIEUR" in page and "1 fichier" in page and "Lire plus" in page
    download = family.client.get(f"/actualites/{post.pk}/documents/{document.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content.startswith(b"%PDF")


def test_a_disguised_file_is_refused_and_the_form_kept(town: Municipality, regie: Agent) -> None:
    response = regie.client.post(
        "/agents/actualites/ajouter/",
        {
            "title": "Tarifs",
            "date": "01/05/2026",
            "text": "Les tarifs",
            "new_documents": [disguised_file("TARIF.pdf")],
        },
    )
    assert response.status_code == 200
    page = page_text(response)
    assert "n'est pas un PDF, un JPEG ou un PNG" in page
    assert 'value="Tarifs"' in page
    with municipality_scope(town):
        assert not NewsPost.objects.exists()


def test_an_image_must_really_be_an_image(town: Municipality, regie: Agent) -> None:
    response = regie.client.post(
        "/agents/actualites/ajouter/",
        {"title": "T", "date": "01/05/2026", "text": "x", "image_upload": pdf_file("a.png")},
    )
    assert "L'image doit être un fichier JPEG ou PNG." in page_text(response)


def test_another_towns_family_gets_404_on_a_post_and_its_document(town: Municipality) -> None:
    post = _post(town, documents=[pdf_file()])
    with municipality_scope(town):
        document = post.documents.get()
    elsewhere = make_family(MunicipalityFactory(name="Voisine", slug="voisine"), "v@example.org")
    assert elsewhere.client.get(f"/actualites/{post.pk}/").status_code == 404
    url = f"/actualites/{post.pk}/documents/{document.pk}/"
    assert elsewhere.client.get(url).status_code == 404


def test_a_family_cannot_reach_the_agents_news(family: Family) -> None:
    response = family.client.get("/agents/actualites/")
    assert response.status_code == 302


def test_an_upload_over_the_limit_is_refused(
    town: Municipality, regie: Agent, settings: object
) -> None:
    settings.MAX_UPLOAD_SIZE = 100  # type: ignore[attr-defined]
    big = SimpleUploadedFile("gros.pdf", pdf_file().read(), content_type="application/pdf")
    response = regie.client.post(
        "/agents/actualites/ajouter/",
        {"title": "T", "date": "01/05/2026", "text": "x", "new_documents": [big]},
    )
    assert "dépasse la taille maximale" in page_text(response)


def test_an_end_before_the_start_is_refused_in_french(town: Municipality, regie: Agent) -> None:
    response = regie.client.post(
        "/agents/actualites/ajouter/",
        {
            "title": "T",
            "date": "01/05/2026",
            "text": "x",
            "publish_from": "10/05/2026",
            "publish_until": "09/05/2026",
        },
    )
    assert "La date de fin de publication doit suivre la date de début." in page_text(response)


def test_a_refused_second_file_leaves_nothing_on_disk(
    town: Municipality, regie: Agent, private_files: object
) -> None:
    regie.client.post(
        "/agents/actualites/ajouter/",
        {
            "title": "Tarifs",
            "date": "01/05/2026",
            "text": "x",
            "new_documents": [pdf_file("bon.pdf"), disguised_file("mauvais.pdf")],
        },
    )
    folder = private_files / "news"  # type: ignore[operator]
    assert not folder.exists() or not any(folder.iterdir())


def test_a_removed_document_is_gone_after_commit(
    town: Municipality, regie: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    post = _post(town, documents=[pdf_file()])
    with municipality_scope(town):
        document = post.documents.get()
    assert document.file.storage.exists(document.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = regie.client.post(
            f"/agents/actualites/{post.pk}/",
            {
                "title": "Info",
                "date": "05/01/2026",
                "text": "Texte",
                "removed_documents": [document.pk],
            },
        )
    assert response.status_code == 302
    assert not document.file.storage.exists(document.file.name)
    with municipality_scope(town):
        assert not post.documents.exists()


def test_the_image_is_served_to_the_families_who_read_the_post(
    town: Municipality, regie: Agent, family: Family
) -> None:
    response = regie.client.post(
        "/agents/actualites/ajouter/",
        {"title": "Photo", "date": "01/05/2026", "text": "x", "image_upload": png_file("a.jpg")},
    )
    assert response.status_code == 302
    with municipality_scope(town):
        post = NewsPost.objects.get()
    assert post.image_type == "image/png" and post.image.name.endswith(".png")
    assert 'class="news-thumb"' in page_text(family.client.get("/actualites/"))
    image = family.client.get(f"/actualites/{post.pk}/image/")
    assert image["Content-Type"] == "image/png" and image["X-Content-Type-Options"] == "nosniff"
    elsewhere = make_family(MunicipalityFactory(name="Voisine", slug="voisine"), "v@example.org")
    assert elsewhere.client.get(f"/actualites/{post.pk}/image/").status_code == 404
