"""``manage.py restore FILE [--force]``: restore a backup archive, then check the database and
the files against its manifest; any difference ends in an error (exit status 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from espacefamille.core.backups.archive import restore_archive


class Command(BaseCommand):
    help = (
        "Restaure une archive de sauvegarde dans une base vide (ou --force), puis vérifie "
        "chaque table et chaque fichier par rapport au manifeste."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="Archive écrite par « backup ».")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remplacer le contenu d'une base qui n'est pas vide.",
        )
        parser.add_argument(
            "--database-url",
            default="",
            help="Restaurer dans cette base plutôt que dans celle du portail (DATABASE_URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = restore_archive(
            options["archive"], force=options["force"], database_url=options["database_url"]
        )
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                f"La restauration ne correspond pas à la sauvegarde ({len(problems)} écarts)."
            )
        self.stdout.write(self.style.SUCCESS("Restauration terminée et vérifiée."))
