"""The demo's posts and categories, and the family home opening on "Actualités"."""

from __future__ import annotations

import pytest

from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo import DEMO_EMAIL, load_demo
from espacefamille.inquiries.models import InquiryCategory
from espacefamille.news.models import NewsPost

from ..backoffice.helpers import page_text
from ..conftest import Family

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_seed_posts_and_categories_and_loads_twice() -> None:
    load_demo(base_url="http://testserver")
    load_demo(base_url="http://testserver")
    town = Municipality.objects.get(slug="demo")
    with municipality_scope(town):
        posts = {post.title: post for post in NewsPost.objects.all()}
        assert set(posts) == {"BIENVENUE", "RÈGLEMENT INTÉRIEUR"}
        assert "Mon espace Famille" in posts["BIENVENUE"].text
        document = posts["RÈGLEMENT INTÉRIEUR"].documents.get()
        with document.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        required = {
            category.name: [str(d) for d in category.required_documents.all()]
            for category in InquiryCategory.objects.all()
        }
    assert required == {
        "Autorisation de récupération d'un enfant": ["Pièce d'identité"],
        "Changement d'adresse": ["Justificatif de domicile"],
        "Allergie / PAI": ["Certificat médical"],
    }
    assert DEMO_EMAIL


def test_the_family_home_shows_the_current_posts(town: Municipality, family: Family) -> None:
    with municipality_scope(town):
        NewsPost.objects.create(municipality=town, title="Fête de l'école", text="Le 20 juin")
    page = page_text(family.client.get("/"))
    assert "Fête de l'école" in page and "Lire plus" in page
