"""Messages from the town to families: of a service (régie), a product, a site, a class, a
day's bookings, or all. ``message_audience`` counts the families and the messages per channel
before sending; ``message_send`` fixes the recipients and hands the deliveries to the task
queue (now, or at ``send_at`` through the periodic ``send_reminders``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.bookings.models import ACTIVE_STATUSES, Booking
from espacefamille.catalog.models import Enrollment
from espacefamille.core.bounds import parse_id
from espacefamille.core.models import Municipality
from espacefamille.households.models import Household
from espacefamille.households.sharing import households_of_children

from .channels import recipients_by_channel
from .dispatch import notify, portal_url
from .errors import NotificationError, NotificationReason
from .message_documents import message_document_upload
from .models import Audience, Channel, Kind, MessageRecipient, TownMessage, TownMessageDocument
from .preferences import channels_chosen


@dataclass(frozen=True)
class AudienceCount:
    households: list[int]
    per_channel: dict[str, int]


def audience_households(*, audience: str, target: str, today: date) -> list[int]:
    """The households a message to ``audience`` (``target``: the id, class or ISO day) reaches."""
    enrolled = Enrollment.objects.filter(end_date__gte=today)
    booked = Booking.objects.filter(status__in=ACTIVE_STATUSES)
    ids: Iterable[int]
    if audience == Audience.ALL:
        ids = Household.objects.values_list("pk", flat=True)
    elif audience == Audience.SERVICE:
        ids = households_of_children(enrolled.filter(service_id=_id(target)).values("child_id"))
    elif audience == Audience.SITE:
        ids = households_of_children(enrolled.filter(site_id=_id(target)).values("child_id"))
    elif audience == Audience.CLASS:
        ids = households_of_children(enrolled.filter(school_class=target).values("child_id"))
    elif audience == Audience.PRODUCT:
        ids = booked.filter(product_id=_id(target), date__gte=today).values_list(
            "household_id", flat=True
        )
    elif audience == Audience.DAY:
        ids = booked.filter(date=_day(target)).values_list("household_id", flat=True)
    else:
        raise NotificationError(NotificationReason.NO_RECIPIENT, _("Choisissez les destinataires."))
    return sorted(set(ids))


def _id(target: str) -> int:
    pk = parse_id(target)
    if pk is None:
        raise NotificationError(NotificationReason.NO_RECIPIENT, _("Choisissez les destinataires."))
    return pk


def _day(target: str) -> date:
    try:
        return date.fromisoformat(target)
    except ValueError as error:
        raise NotificationError(
            NotificationReason.NO_RECIPIENT, _("Choisissez le jour des réservations.")
        ) from error


def message_audience(*, audience: str, target: str, today: date | None = None) -> AudienceCount:
    ids = audience_households(audience=audience, target=target, today=today or timezone.localdate())
    chosen = channels_chosen(ids, Kind.CLOSURE)
    reachable = recipients_by_channel(ids)
    per_channel = {
        channel: sum(1 for pk in ids if channel in chosen[pk] and reachable[channel].get(pk))
        for channel in Channel.values
    }
    return AudienceCount(households=ids, per_channel=per_channel)


@transaction.atomic
def message_send(
    *,
    municipality: Municipality,
    subject: str,
    body: str,
    link: str,
    audience: str,
    target: str,
    actor: Actor,
    send_at: datetime | None = None,
    document: TownMessageDocument | None = None,
    upload: UploadedFile | None = None,
) -> TownMessage:
    """``document``: the file the agent kept for this message at "Compter"
    (``message_documents``); ``upload``: a file chosen at "Envoyer", which replaces it. Any
    refusal (no family, a bad file) writes nothing."""
    count = message_audience(audience=audience, target=target)
    if not count.households:
        raise NotificationError(
            NotificationReason.NO_RECIPIENT, _("Aucune famille ne correspond à ces destinataires.")
        )
    if document is not None and (
        document.message_id is not None
        or document.municipality_id != municipality.pk
        or document.uploaded_by_id != getattr(actor, "pk", None)
    ):
        raise NotificationError(
            NotificationReason.DOCUMENT,
            _("Ce document n'est plus disponible : choisissez-le de nouveau."),
            field="document",
        )
    if upload is not None:
        document = message_document_upload(municipality=municipality, upload=upload, actor=actor)
    message = TownMessage.objects.create(
        municipality=municipality,
        subject=subject,
        body=body,
        link=link,
        audience=audience,
        target=target,
        send_at=send_at,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if document is not None:
        document.message = message
        document.save(update_fields=["message"])
    MessageRecipient.objects.bulk_create(
        [
            MessageRecipient(municipality=municipality, message=message, household_id=pk)
            for pk in count.households
        ],
        batch_size=1000,
    )
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="notifications.message",
        obj=message,
        object_repr=subject,
        changes={
            "familles": [None, len(count.households)],
            "destinataires": [None, audience],
            **({"documents": [None, document.filename]} if document is not None else {}),
        },
    )
    if send_at is None or send_at <= timezone.now():
        _deliver(message, count.households)
    return message


def _deliver(message: TownMessage, household_ids: list[int]) -> None:
    message.sent_at = timezone.now()
    message.save(update_fields=["sent_at"])
    body, link = message.body, message.link
    document = TownMessageDocument.objects.filter(message=message).first()
    if document is not None:
        # A link to the signed-in page, never the file: it stays behind the sign-in.
        where = portal_url(reverse("portal:town_messages"))
        body += "\n\n" + _(
            "Document joint : « %(name)s », à télécharger sur Espace Famille, "
            "rubrique Messages de la commune : %(url)s"
        ) % {"name": document.filename, "url": where}
        link = link or where
    notify(
        municipality_id=message.municipality_id,
        household_ids=household_ids,
        kind=Kind.CLOSURE,
        subject=message.subject,
        body=body,
        link=link,
        message=message,
    )


def due_messages_send(*, now: datetime | None = None) -> int:
    """Send the scheduled messages whose time has come (the periodic command)."""
    due = TownMessage.objects.filter(sent_at__isnull=True, send_at__lte=now or timezone.now())
    sent = 0
    for message in due:
        with transaction.atomic():
            locked = TownMessage.objects.select_for_update().get(pk=message.pk)
            if locked.sent_at is not None:
                continue
            ids = list(
                MessageRecipient.objects.filter(message=locked).values_list(
                    "household_id", flat=True
                )
            )
            _deliver(locked, ids)
            sent += 1
    return sent


def household_messages(household: Household, limit: int | None = None) -> list[TownMessage]:
    """The messages a family received, newest first (never who else received them); the
    ``limit`` latest only (the home)."""
    ids = MessageRecipient.objects.filter(household=household).values_list("message_id", flat=True)
    received = (
        TownMessage.objects.filter(pk__in=ids, sent_at__isnull=False)
        .select_related("document")
        .order_by("-sent_at")
    )
    return list(received[:limit] if limit is not None else received)
