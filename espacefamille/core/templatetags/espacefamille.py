from __future__ import annotations

from decimal import Decimal

from django import template

from espacefamille.core.money import format_euros

register = template.Library()


@register.filter
def euros(value: Decimal | int | str | None) -> str:
    return format_euros(value)


@register.filter
def phone(value: object) -> str:
    """A phone number in national format for French numbers, international otherwise."""
    if not value:
        return ""
    national = getattr(value, "as_national", None)
    if national and getattr(value, "country_code", None) == 33:
        return str(national)
    return str(getattr(value, "as_international", value))


@register.simple_tag
def accessibility_compliance() -> str:
    """The accessibility statement's status for "Accessibilité : …" in every footer."""
    from django.conf import settings

    return str(settings.ACCESSIBILITY_COMPLIANCE)
