"""A facilitator's sites become links to the town's ``Site`` rows (issue 16, item 9): the
free-text list is kept aside as ``legacy_sites`` while the next migration links each role."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendar_version"),
        ("catalog", "0003_site_list"),
        ("accounts", "0005_login_failures_and_signup_attempts"),
    ]

    operations = [
        migrations.RenameField(model_name="agentrole", old_name="sites", new_name="legacy_sites"),
        migrations.CreateModel(
            name="AgentSite",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("agent_role", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.agentrole")),
                ("site", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.site")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.municipality", verbose_name="collectivité")),
            ],
            options={"verbose_name": "site d'un agent"},
        ),
        migrations.AddConstraint(
            model_name="agentsite",
            constraint=models.UniqueConstraint(fields=("agent_role", "site"), name="agentsite_unique"),
        ),
        migrations.AddField(
            model_name="agentrole",
            name="sites",
            field=models.ManyToManyField(blank=True, help_text="Sites des inscriptions qu'un animateur voit (les autres rôles voient tout).", related_name="+", through="accounts.AgentSite", to="catalog.site", verbose_name="sites"),
        ),
    ]
