"""Sites become a town's list (issue 16, item 9): the ``Site`` table, and the enrolments' free
text kept aside as ``legacy_site`` while the next migration points each enrolment at its site."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendar_version"),
        ("catalog", "0002_closureproduct"),
    ]

    operations = [
        migrations.CreateModel(
            name="Site",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, verbose_name="nom")),
                ("is_active", models.BooleanField(default=True, verbose_name="actif")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.municipality", verbose_name="collectivité")),
            ],
            options={"verbose_name": "site", "verbose_name_plural": "sites", "ordering": ["name"]},
        ),
        migrations.AddConstraint(
            model_name="site",
            constraint=models.UniqueConstraint(fields=("municipality", "name"), name="site_unique_name_per_town"),
        ),
        migrations.RenameField(model_name="enrollment", old_name="site", new_name="legacy_site"),
        migrations.AddField(
            model_name="enrollment",
            name="site",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="enrollments", to="catalog.site", verbose_name="site"),
        ),
    ]
