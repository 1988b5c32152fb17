"""``api_key_create <commune-slug> --name NAME --scopes a,b,c [--expires AAAA-MM-JJ]
[--addresses 10.0.0.0/8,…]``: make an API key for a town and print it once, alone on the last
line (for scripts and the demo). The key is stored hashed: it cannot be shown again."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from espacefamille.api.errors import ApiError
from espacefamille.api.keys import addresses_parse, api_key_create
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope


class Command(BaseCommand):
    help = "Crée une clé API pour une commune et l'affiche une seule fois (dernière ligne)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="Identifiant court de la commune (slug).")
        parser.add_argument("--name", required=True, help="Nom de la clé (le logiciel appelant).")
        parser.add_argument("--scopes", required=True, help="Droits séparés par des virgules.")
        parser.add_argument("--expires", default="", help="Date d'expiration (AAAA-MM-JJ).")
        parser.add_argument("--addresses", default="", help="Adresses IP ou réseaux autorisés.")

    def handle(self, *args: Any, **options: Any) -> None:
        town = Municipality.objects.filter(slug=options["municipality"]).first()
        if town is None:
            raise CommandError(f"Commune inconnue : {options['municipality']}")
        expires = None
        if options["expires"]:
            try:
                day = datetime.strptime(options["expires"], "%Y-%m-%d").date()
            except ValueError:
                raise CommandError("Date d'expiration : AAAA-MM-JJ.") from None
            expires = timezone.make_aware(datetime.combine(day, time.max))
        with municipality_scope(town):
            try:
                new = api_key_create(
                    municipality=town,
                    name=options["name"],
                    scopes=options["scopes"],
                    actor=None,
                    expires_at=expires,
                    allowed_addresses=addresses_parse(options["addresses"]),
                )
            except ApiError as error:
                raise CommandError(error.message) from None
        self.stderr.write(f"Clé API « {new.key.name} » ({', '.join(new.key.scopes)}) :")
        self.stdout.write(new.text)
