"""Children's diets move to a link table that carries the town
(docs/architecture.md#every-row-carries-its-town): the rows of the automatic table are copied with
their child's municipality, then the field is re-declared through the new table."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Child = apps.get_model("households", "Child")
    ChildDiet = apps.get_model("households", "ChildDiet")
    Link = Child.diets.through
    towns = dict(Child._base_manager.values_list("pk", "municipality_id"))
    ChildDiet._base_manager.bulk_create(
        ChildDiet(municipality_id=towns[link.child_id], child_id=link.child_id, diet_id=link.diet_id)
        for link in Link.objects.all()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendar_version"),
        ("households", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChildDiet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("child", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="households.child")),
                ("diet", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="households.diet")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.municipality", verbose_name="collectivité")),
            ],
            options={"verbose_name": "régime d'un enfant"},
        ),
        migrations.AddConstraint(
            model_name="childdiet",
            constraint=models.UniqueConstraint(fields=("child", "diet"), name="childdiet_unique"),
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="child", name="diets"),
        migrations.AddField(
            model_name="child",
            name="diets",
            field=models.ManyToManyField(blank=True, through="households.ChildDiet", to="households.diet", verbose_name="régime alimentaire"),
        ),
    ]
