"""The demo town's API key (``make demo`` prints it): read scopes only. The key is stored
hashed, so each run makes a new one and revokes the demo key of the run before."""

from __future__ import annotations

from django.utils import timezone

from espacefamille.api.keys import api_key_create
from espacefamille.api.models import ApiKey
from espacefamille.api.scopes import READ_SCOPES
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

DEMO_KEY_NAME = "Démo (lecture)"


def demo_api_key(*, slug: str = "demo") -> str | None:
    """A new read-only key of the town ``slug`` (None when the town is missing)."""
    town = Municipality.objects.filter(slug=slug).first()
    if town is None:
        return None
    with municipality_scope(town):
        ApiKey.objects.filter(name=DEMO_KEY_NAME, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        new = api_key_create(
            municipality=town,
            name=DEMO_KEY_NAME,
            scopes=[str(scope) for scope in READ_SCOPES],
            actor=None,
        )
    return new.text
