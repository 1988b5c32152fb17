"""Read receipts of requests: the town's latest message (``last_answer_at``) and the
household's last reading (``family_read_at``). For the requests already there, the reading keeps
what the home showed before: an open request is read up to the family's last message (or its
creation), so a town answer after it is still a "Nouvelle réponse"; a closed one is read now
(no badge on the history). Going back drops the two columns."""

from django.db import migrations, models
from django.db.models import Max, Q
from django.utils import timezone

CLOSED = ("done", "refused")


def read_so_far(apps, schema_editor):
    Inquiry = apps.get_model("inquiries", "Inquiry")
    now = timezone.now()
    answered = Inquiry._base_manager.annotate(
        answer_at=Max("messages__created_at", filter=Q(messages__from_town=True)),
        family_at=Max("messages__created_at", filter=Q(messages__from_town=False)),
    ).filter(answer_at__isnull=False)
    for inquiry in answered.iterator():
        inquiry.last_answer_at = inquiry.answer_at
        if inquiry.status in CLOSED:
            inquiry.family_read_at = now
        else:
            inquiry.family_read_at = max(filter(None, (inquiry.created_at, inquiry.family_at)))
        inquiry.save(update_fields=["last_answer_at", "family_read_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('inquiries', '0002_pickup_rule'),
    ]

    operations = [
        migrations.AddField(
            model_name='inquiry',
            name='family_read_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='inquiry',
            name='last_answer_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(read_so_far, migrations.RunPython.noop),
    ]
