"""The demo town's news (seed 002 "BIENVENUE", seed 004 "RÈGLEMENT INTÉRIEUR" with a PDF)."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from espacefamille.core.minimal_pdf import minimal_pdf
from espacefamille.core.models import Municipality
from espacefamille.news.models import NewsDocument, NewsPost

WELCOME_TEXT = """Madame, Monsieur,

les équipes de la Mairie, de l'École des Sautarochs et du Centre de Loisirs Les P'tits Bouts sont heureux de partager avec vous ce tout nouvel outil Mon espace Famille.

Il vous permettra :
- de réserver la cantine et garderie de l'école pour votre (vos) enfant(s)
- de réserver la cantine et le centre de loisirs pour les mercredis et vacances scolaires via Mes réservations
- de consulter et régler vos factures en attente de règlements via Mes factures
- de voir les messages globaux que nous aurons besoin de vous communiquer via Mes actualités
- de dialoguer avec nous pour les documents administratifs liés à ces prestations via Mes demandes

En espérant un gain de temps pour tous.

Cordialement"""  # noqa: E501

RULES_FILENAME = "REGLEMENT centre de loisirs.pdf"


def load_news(town: Municipality) -> None:
    NewsPost.objects.get_or_create(
        municipality=town,
        title="BIENVENUE",
        defaults={"date": date(2020, 6, 17), "text": WELCOME_TEXT},
    )
    rules, _ = NewsPost.objects.get_or_create(
        municipality=town,
        title="RÈGLEMENT INTÉRIEUR",
        defaults={
            "date": date(2024, 5, 1),
            "text": "Règlement intérieur du restaurant scolaire, de la garderie et du centre "
            "de loisirs.",
        },
    )
    if not NewsDocument.objects.filter(post=rules).exists():
        content = minimal_pdf(
            title="Règlement intérieur",
            lines=[
                "Restaurant scolaire, garderie et centre de loisirs de la Commune de Démo.",
                "Les réservations et annulations se font sur Mon Espace Famille,",
                "dans les délais fixés pour chaque prestation.",
            ],
        )
        document = NewsDocument(
            municipality=town,
            post=rules,
            filename=RULES_FILENAME,
            content_type="application/pdf",
            size=len(content),
        )
        document.file.save(RULES_FILENAME, ContentFile(content), save=False)
        document.save()
