"""A booking's household: the household that booked it, pays it and alone may cancel it
(a child may be shared between the households of separated parents). Filled from the
child's household, which every existing booking belongs to."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_households(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    Child = apps.get_model("households", "Child")
    homes = Child.objects.filter(pk=OuterRef("child_id")).values("household_id")[:1]
    Booking.objects.filter(household__isnull=True).update(household_id=Subquery(homes))


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0008_attendance_history_index"),
        ("households", "0004_shared_children"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="household",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="bookings",
                to="households.household",
            ),
        ),
        migrations.RunPython(fill_households, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="booking",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="bookings",
                to="households.household",
            ),
        ),
    ]
