"""The capacity ledger follows a product's capacity whatever changes it (back office, admin,
import). A day's capacity is re-read from the product each time its row is locked, so a new
capacity needs nothing here; but the ledger is only kept for capped products, so when a product
loses its capacity its rows are dropped — they would be stale if it were capped again, and
the next lock then recounts each day from the bookings."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from espacefamille.catalog.models import Product
from espacefamille.core.tenancy import municipality_scope

from .models import ProductDay


@receiver(post_save, sender=Product, dispatch_uid="ledger_follows_product_capacity")
def drop_ledger_of_uncapped_product(
    sender: type[Product], instance: Product, **kwargs: Any
) -> None:
    if instance.capacity is None:
        with municipality_scope(instance.municipality_id):
            ProductDay.objects.filter(product_id=instance.pk).delete()
