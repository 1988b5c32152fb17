"""Categories of the inquiry tests, as the demo defines them (with the demo's rule: authorised
pickups by request with an identity document)."""

from __future__ import annotations

from espacefamille.core.models import Municipality, PickupRule
from espacefamille.core.tenancy import municipality_scope
from espacefamille.demo.inquiries import load_inquiry_categories
from espacefamille.inquiries.models import InquiryCategory


def category(town: Municipality, name: str) -> InquiryCategory:
    Municipality.objects.filter(pk=town.pk).update(pickup_rule=PickupRule.REQUEST)
    town.pickup_rule = PickupRule.REQUEST
    with municipality_scope(town):
        load_inquiry_categories(town)
        return InquiryCategory.objects.prefetch_related("required_documents").get(name=name)


PICKUP = "Autorisation de récupération d'un enfant"
ADDRESS = "Changement d'adresse"
CARE_PLAN = "Allergie / PAI"
