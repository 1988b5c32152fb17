"""Telling families: ``notify`` writes one ``Delivery`` per family and channel it chose (and
has: an e-mail address, a mobile, a subscribed browser) and queues their sending after commit;
``deliveries_send`` (a task) sends them in batches and keeps each one's status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope

from .channels import channel_send, recipients_by_channel
from .models import Delivery, DeliveryStatus, TownMessage
from .preferences import channels_chosen

BATCH = 200


def notify(
    *,
    municipality_id: int,
    household_ids: Iterable[int],
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    urgent: bool = False,
    key: str = "",
    message: TownMessage | None = None,
) -> list[Delivery]:
    """Write the deliveries (none twice for the same ``key``) and send them after commit."""
    ids = sorted(set(household_ids))
    chosen = channels_chosen(ids, kind)
    reachable = recipients_by_channel(ids)
    rows = [
        Delivery(
            municipality_id=municipality_id,
            household_id=pk,
            kind=kind,
            channel=channel,
            subject=subject[:200],
            body=body,
            link=link,
            urgent=urgent,
            key=key,
            message=message,
        )
        for pk in ids
        for channel in sorted(chosen[pk])
        if reachable[channel].get(pk)
    ]
    created = _insert_once(rows) if key else Delivery.objects.bulk_create(rows, batch_size=500)
    pks = [d.pk for d in created]
    if pks:
        task_enqueue_on_commit(deliveries_send, municipality_id=municipality_id, delivery_ids=pks)
    return created


def _insert_once(rows: list[Delivery]) -> list[Delivery]:
    """One insert per row in its own savepoint: a row whose key is taken (a rerun, or another
    worker right now) is skipped, and the unique constraint decides who sends."""
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(row)
    return created


@task()
def deliveries_send(*, municipality_id: int, delivery_ids: list[int]) -> None:
    with municipality_scope(municipality_id):
        for start in range(0, len(delivery_ids), BATCH):
            _send_batch(delivery_ids[start : start + BATCH], timezone.now())


def _send_batch(ids: list[int], now: datetime) -> None:
    pending = Delivery.objects.filter(
        pk__in=ids, status__in=[DeliveryStatus.PENDING, DeliveryStatus.DEFERRED]
    ).select_related("household", "municipality")
    reachable = recipients_by_channel({d.household_id for d in pending})
    for delivery in pending:
        status, error, segments = channel_send(
            delivery, reachable[delivery.channel].get(delivery.household_id, []), now=now
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status,
            error=error[:200],
            segments=segments,
            sent_at=now if status == DeliveryStatus.SENT else None,
        )


def portal_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
