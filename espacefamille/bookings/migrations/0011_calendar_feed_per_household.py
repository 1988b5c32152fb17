"""A child's calendar address belongs to one household: a child shared by separated parents has
one address per household, each listing that household's days only. An existing address goes
to the child's first household."""

import django.db.models.deletion
from django.db import migrations, models


def feeds_to_first_household(apps, schema_editor):
    CalendarFeed = apps.get_model("bookings", "CalendarFeed")
    for feed in CalendarFeed.objects.select_related("child").iterator():
        feed.household_id = feed.child.household_id
        feed.save(update_fields=["household"])


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0010_booking_closure"),
        ("households", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="household",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_feeds",
                to="households.household",
            ),
        ),
        migrations.RunPython(feeds_to_first_household, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calendarfeed",
            name="household",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_feeds",
                to="households.household",
            ),
        ),
        migrations.AlterField(
            model_name="calendarfeed",
            name="child",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_feeds",
                to="households.child",
            ),
        ),
        migrations.AddConstraint(
            model_name="calendarfeed",
            constraint=models.UniqueConstraint(
                fields=("child", "household"), name="calendarfeed_child_household_unique"
            ),
        ),
    ]
