"""A change of a town's closures or local school holidays draws a new ``calendar_version`` in
the same transaction, so pages that reuse a calendar read for a version (catalog.calendar)
see the change as soon as it is committed, from any process."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from espacefamille.core.models import Municipality, new_calendar_version

from .models import Closure, SchoolHoliday


def _bump(municipality_id: int) -> None:
    Municipality.objects.filter(pk=municipality_id).update(calendar_version=new_calendar_version())


@receiver(post_save, sender=Closure, dispatch_uid="calendar_closure_saved")
@receiver(post_delete, sender=Closure, dispatch_uid="calendar_closure_deleted")
@receiver(post_save, sender=SchoolHoliday, dispatch_uid="calendar_holiday_saved")
@receiver(post_delete, sender=SchoolHoliday, dispatch_uid="calendar_holiday_deleted")
def calendar_row_changed(sender: type, instance: Closure | SchoolHoliday, **kwargs: Any) -> None:
    _bump(instance.municipality_id)


@receiver(m2m_changed, sender=Closure.sites.through, dispatch_uid="calendar_closure_sites")
@receiver(m2m_changed, sender=Closure.products.through, dispatch_uid="calendar_closure_products")
def closure_products_changed(sender: type, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _bump(instance.municipality_id)
