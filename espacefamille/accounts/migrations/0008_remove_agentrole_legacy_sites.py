"""The roles' free-text sites are gone (they now link to ``Site`` rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_agent_sites_from_names")]

    operations = [migrations.RemoveField(model_name="agentrole", name="legacy_sites")]
