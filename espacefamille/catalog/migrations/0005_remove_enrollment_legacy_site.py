"""The enrolments' free-text site is gone (its values now live in ``Site``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_sites_from_enrolments")]

    operations = [migrations.RemoveField(model_name="enrollment", name="legacy_site")]
