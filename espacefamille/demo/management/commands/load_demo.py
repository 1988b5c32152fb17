"""Load the demo data (``make demo``). It lives in the demo app, at the top of the layers
(docs/architecture.md, "The apps and their layers"): the demo reads every app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from espacefamille.demo.api_key import demo_api_key
from espacefamille.demo.loading import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ADMIN_TOTP_SECRET,
    DEMO_EMAIL,
    DEMO_PASSWORD,
    load_demo,
)
from espacefamille.demo.separated import MARTIN_EMAIL, MARTIN_PASSWORD


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans doublon si on le relance)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="Adresse du portail utilisée dans les liens d'activation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo(base_url=options["base_url"])
        out = self.stdout
        out.write(self.style.SUCCESS("Données de démonstration chargées."))
        out.write(f"  Famille DUPONT : {DEMO_EMAIL} / {DEMO_PASSWORD}")
        out.write(f"  Famille MARTIN : {MARTIN_EMAIL} / {MARTIN_PASSWORD}")
        out.write(
            f"  Administration (/admin/) : {ADMIN_EMAIL} / {ADMIN_PASSWORD} / "
            f"TOTP {ADMIN_TOTP_SECRET}"
        )
        for town, household, code in report.join_codes:
            out.write(f"  Code d'adhésion de {household} ({town}) : {code}")
        for agent in report.agents:
            out.write(f"  {agent}")
        for email, link in report.activation_links:
            out.write(f"  Lien d'activation envoyé à {email} : {link}")
        key = demo_api_key()
        if key:
            out.write(f"  Clé API (lecture, Commune de Démo ; /api/v1/docs/) : {key}")
