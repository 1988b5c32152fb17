"""``manage.py backup --output FILE``: the database and every uploaded file in one archive
(espacefamille.core.backups.archive), safe to run while the portal serves requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from espacefamille.core.backups.archive import backup_create


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les fichiers déposés dans une archive .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, type=Path, help="Archive à écrire.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = backup_create(options["output"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde écrite : {result.path} ({result.tables} tables, "
                f"{result.rows} lignes, {result.files} fichiers)."
            )
        )
