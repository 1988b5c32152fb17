"""Build the capacity ledger from the bookings made before it existed: one row per capped
product and day with its active bookings counted."""

from django.db import migrations
from django.db.models import Count

ACTIVE = ["requested", "validated", "cancel_requested"]


def fill(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    Product = apps.get_model("catalog", "Product")
    ProductDay = apps.get_model("bookings", "ProductDay")
    capped = {p.pk: p for p in Product._base_manager.filter(capacity__isnull=False)}
    if not capped:
        return
    counts = (
        Booking._base_manager.filter(product_id__in=capped, status__in=ACTIVE)
        .values("product_id", "date")
        .annotate(n=Count("*"))
    )
    rows = []
    for row in counts.iterator():
        product = capped[row["product_id"]]
        rows.append(
            ProductDay(
                municipality_id=product.municipality_id,
                product_id=product.pk,
                date=row["date"],
                taken=row["n"],
                capacity=max(product.capacity, row["n"]),
            )
        )
        if len(rows) >= 5000:
            ProductDay._base_manager.bulk_create(rows, ignore_conflicts=True)
            rows = []
    ProductDay._base_manager.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0005_capacity_ledger")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
