"""``vapid_keys``: print a new VAPID key pair for web push, as environment variables to set
(``WEBPUSH_VAPID_PRIVATE_KEY`` stays secret; the public key goes to the browsers)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from espacefamille.notifications.push import vapid_keys_new


class Command(BaseCommand):
    help = "Crée une paire de clés VAPID pour les notifications web push."

    def handle(self, *args: Any, **options: Any) -> None:
        private, public = vapid_keys_new()
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={public}")
