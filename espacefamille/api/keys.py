"""API keys: made by a town's administrator (or ``api_key_create``), shown once, stored as a
hash, revoked, checked on every request.

The text is ``ef_<prefix>_<secret>``: the prefix (public, 8 hex digits) finds the row, the
SHA-256 of the whole text is compared in constant time. Every key acts through a login of its
own, inactive and without password (nobody signs in with it), named « Clé API <name> », so
the action log shows the key as the author of what it did."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.accounts.models import User
from espacefamille.audit.records import action_record
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import scopes_disabled

from .errors import ApiError, ApiReason
from .models import ApiKey
from .scopes import Scope

if TYPE_CHECKING:
    from espacefamille.audit.records import Actor

KEY_PREFIX = "ef_"
ACTOR_EMAIL_DOMAIN = "cle-api.invalid"


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    text: str  # shown once, never stored


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def scopes_parse(values: list[str] | str) -> list[str]:
    """The scopes named, in a stable order; refused when empty or unknown."""
    items = values.split(",") if isinstance(values, str) else values
    names = sorted({item.strip() for item in items if item.strip()})
    if not names:
        raise ApiError(ApiReason.NO_SCOPE, _("Choisissez au moins un droit."), field="scopes")
    known = {str(scope) for scope in Scope}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ApiError(
            ApiReason.UNKNOWN_SCOPE,
            _("Droit inconnu : %(names)s.") % {"names": ", ".join(unknown)},
            field="scopes",
        )
    return names


def addresses_parse(text: str) -> list[str]:
    """Allowed addresses, one per line or comma: an IP address or a network (``10.0.0.0/8``)."""
    found: list[str] = []
    for item in text.replace(",", "\n").split():
        try:
            found.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise ApiError(
                ApiReason.INVALID_ADDRESS,
                _("« %(value)s » n'est ni une adresse IP ni un réseau.") % {"value": item[:60]},
                field="allowed_addresses",
            ) from None
    return found


@transaction.atomic
def api_key_create(
    *,
    municipality: Municipality,
    name: str,
    scopes: list[str] | str,
    actor: Actor,
    expires_at: datetime | None = None,
    allowed_addresses: list[str] | None = None,
) -> NewKey:
    names = scopes_parse(scopes)
    prefix = secrets.token_hex(4)
    text = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    login = User.objects.create_user(
        email=f"{prefix}@{ACTOR_EMAIL_DOMAIN}",
        password=None,
        first_name=_("Clé API"),
        last_name=name[:100],
        is_active=False,
    )
    key = ApiKey.objects.create(
        municipality=municipality,
        name=name,
        prefix=prefix,
        key_hash=_hash(text),
        scopes=names,
        allowed_addresses=allowed_addresses or [],
        expires_at=expires_at,
        created_by=actor if getattr(actor, "pk", None) else None,
        actor=login,
    )
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="api_key.create",
        obj=key,
        changes={"scopes": ["", ", ".join(names)]},
    )
    return NewKey(key, text)


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: Actor) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise ApiError(ApiReason.KEY_REVOKED, _("Cette clé est déjà révoquée."))
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    action_record(
        municipality_id=key.municipality_id, actor=actor, action="api_key.revoke", obj=key
    )
    return key


def address_allowed(key: ApiKey, address: str | None) -> bool:
    if not key.allowed_addresses:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net) for net in key.allowed_addresses)


def key_from_text(text: str, *, address: str | None) -> ApiKey | None:
    """The usable key ``text`` names, from an allowed address; None otherwise. Records its
    last use (at most once a minute, so a busy key does not write on every request)."""
    if not text.startswith(KEY_PREFIX) or text.count("_") < 2:
        return None
    prefix = text[len(KEY_PREFIX) :].split("_", 1)[0]
    with scopes_disabled():
        key = ApiKey.objects.select_related("municipality", "actor").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash(text)):
        return None
    now = timezone.now()
    if not key.is_usable(now) or not address_allowed(key, address):
        return None
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        with scopes_disabled():
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now, last_used_from=address)
        key.last_used_at, key.last_used_from = now, address
    return key
