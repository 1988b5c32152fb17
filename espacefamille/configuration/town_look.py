"""A town's own look: its administrator uploads the logo and picks the main colour; the
portal's palette derives from it (core/palette.py). A colour that would break WCAG AA contrast
is refused with the contrast measured, a logo that is not really a PNG or JPEG too. Both
changes are in the town's action log."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.core.errors import CoreReason, DomainError
from espacefamille.core.models import Municipality
from espacefamille.core.palette import main_colour_check
from espacefamille.core.uploads import upload_check

LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg"}


def _logo_type(logo: UploadedFile) -> str:
    try:
        content_type = upload_check(logo)
    except ValidationError as refused:
        raise DomainError(CoreReason.LOGO_TYPE, " ".join(refused.messages), field="logo") from None
    if content_type not in LOGO_TYPES:
        raise DomainError(
            CoreReason.LOGO_TYPE, _("Le logo doit être une image PNG ou JPEG."), field="logo"
        )
    return content_type


@transaction.atomic
def town_look_update(
    *,
    municipality: Municipality,
    main_colour: str,
    logo: UploadedFile | None,
    remove_logo: bool,
    actor: Actor,
) -> Municipality:
    """Set the town's main colour (empty: the portal's default) and its logo."""
    colour = main_colour_check(main_colour) if main_colour.strip() else ""
    logo_type = _logo_type(logo) if logo is not None else ""
    stored = Municipality.objects.select_for_update().get(pk=municipality.pk)
    changes: dict[str, list[str]] = {}
    if colour != stored.main_colour:
        changes["main_colour"] = [stored.main_colour, colour]
        stored.main_colour = colour
    if logo is not None:
        changes["logo"] = [_("ancien") if stored.logo else "", _("nouveau")]
        stored.logo_type = logo_type
        stored.logo.save(
            f"{stored.slug}-{uuid.uuid4().hex[:12]}.{LOGO_TYPES[logo_type]}", logo, save=False
        )
    elif remove_logo and stored.logo:
        changes["logo"] = [_("ancien"), ""]
        stored.logo = ""
        stored.logo_type = ""
    stored.save(update_fields=["main_colour", "logo", "logo_type"])
    if changes:
        action_record(
            municipality_id=stored.pk,
            actor=actor,
            action="municipality.look",
            obj=stored,
            changes=changes,
        )
    return stored
