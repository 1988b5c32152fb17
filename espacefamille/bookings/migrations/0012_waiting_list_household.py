"""A waiting-list entry's household: the household that joined the list, for which a freed
place is booked (a child may be shared between the households of separated parents). Filled
from the child's household, which every existing entry was made for; one entry per child,
household, product and day."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_households(apps, schema_editor):
    WaitingListEntry = apps.get_model("bookings", "WaitingListEntry")
    Child = apps.get_model("households", "Child")
    homes = Child.objects.filter(pk=OuterRef("child_id")).values("household_id")[:1]
    WaitingListEntry.objects.filter(household__isnull=True).update(household_id=Subquery(homes))


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0011_calendar_feed_per_household"),
        ("households", "0004_shared_children"),
    ]

    operations = [
        migrations.AddField(
            model_name="waitinglistentry",
            name="household",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="households.household",
            ),
        ),
        migrations.RunPython(fill_households, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="waitinglistentry",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="households.household",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="waitinglistentry",
            name="waiting_one_per_day",
        ),
        migrations.AddConstraint(
            model_name="waitinglistentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "waiting")),
                fields=("child", "household", "product", "date"),
                name="waiting_one_per_household_day",
            ),
        ),
    ]
