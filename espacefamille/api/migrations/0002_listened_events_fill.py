"""Data: each town's ``listened_events`` (core 0006) filled from its active webhook
subscriptions, as ``webhook_subscriptions.listened_events_refresh`` keeps it from now on."""

from django.db import migrations


def listened_from_subscriptions(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    WebhookSubscription = apps.get_model("api", "WebhookSubscription")
    listened: dict[int, set[str]] = {}
    for town_id, events in WebhookSubscription._base_manager.filter(is_active=True).values_list(
        "municipality_id", "events"
    ):
        listened.setdefault(town_id, set()).update(events or [])
    for town_id, names in listened.items():
        Municipality._base_manager.filter(pk=town_id).update(listened_events=sorted(names))


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_keys_and_webhooks"),
        ("core", "0006_municipality_listened_events"),
    ]

    operations = [migrations.RunPython(listened_from_subscriptions, migrations.RunPython.noop)]
