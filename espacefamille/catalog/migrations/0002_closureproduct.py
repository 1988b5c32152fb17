"""Closures' products move to a link table that carries the town
(docs/architecture.md#every-row-carries-its-town): the rows of the automatic table are copied with
their closure's municipality, then the field is re-declared through the new table."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Closure = apps.get_model("catalog", "Closure")
    ClosureProduct = apps.get_model("catalog", "ClosureProduct")
    Link = Closure.products.through
    towns = dict(Closure._base_manager.values_list("pk", "municipality_id"))
    ClosureProduct._base_manager.bulk_create(
        ClosureProduct(
            municipality_id=towns[link.closure_id],
            closure_id=link.closure_id,
            product_id=link.product_id,
        )
        for link in Link.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendar_version"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClosureProduct",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("closure", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.closure")),
                ("product", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.product")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.municipality", verbose_name="collectivité")),
            ],
            options={"verbose_name": "prestation fermée"},
        ),
        migrations.AddConstraint(
            model_name="closureproduct",
            constraint=models.UniqueConstraint(fields=("closure", "product"), name="closureproduct_unique"),
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="closure", name="products"),
        migrations.AddField(
            model_name="closure",
            name="products",
            field=models.ManyToManyField(blank=True, through="catalog.ClosureProduct", to="catalog.product", verbose_name="prestations (toutes si vide)"),
        ),
    ]
