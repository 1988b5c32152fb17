"""Reads of requests for both front doors (always inside the town's scope)."""

from __future__ import annotations

from django.db.models import QuerySet

from espacefamille.core.models import PickupRule
from espacefamille.households.models import Household

from .models import ChangeKind, Inquiry, InquiryCategory


def categories_offered(*, pickup_rule: str = "") -> QuerySet[InquiryCategory]:
    """The active categories; where the town lets families edit their authorised pickups
    freely (``pickup_rule`` "free"), the pickup request is not offered."""
    offered = InquiryCategory.objects.filter(is_active=True)
    if pickup_rule == PickupRule.FREE:
        offered = offered.exclude(change_kind=ChangeKind.PICKUP)
    return offered.prefetch_related("required_documents")


def inquiries_of_household(*, household: Household) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(household=household).select_related("category", "child")


def inquiry_inbox(*, status: str = "", category_id: int | None = None) -> QuerySet[Inquiry]:
    inquiries = Inquiry.objects.select_related("category", "household", "assigned_to")
    if status:
        inquiries = inquiries.filter(status=status)
    if category_id:
        inquiries = inquiries.filter(category_id=category_id)
    return inquiries


def change_request_categories() -> dict[str, InquiryCategory]:
    """The active category that changes each part of the household file ("Changement
    d'adresse", "Allergie / PAI"), keyed by its ``change_kind``: the household pages link to
    it instead of sending the family away. One query."""
    found: dict[str, InquiryCategory] = {}
    for category in (
        InquiryCategory.objects.filter(is_active=True).exclude(change_kind="").order_by("pk")
    ):
        found.setdefault(category.change_kind, category)
    return found
