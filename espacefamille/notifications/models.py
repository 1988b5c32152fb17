"""What each family chose to receive and by which channel, every delivery with its status, the
browsers subscribed to web push, and a town's SMS settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel
from espacefamille.core.uploads import private_storage, private_upload_to


class Kind(models.TextChoices):
    CLOSURE = "closure", _("Fermetures et messages de la commune")
    BOOKING = "booking", _("Confirmations de réservation")
    REMINDER = "reminder", _("Rappels")
    INVOICE = "invoice", _("Factures et paiements")
    REPLY = "reply", _("Réponses à vos demandes")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    PUSH = "push", _("notification sur ce navigateur")


# Without a choice of its own a family gets closures on every channel it has, the rest by
# e-mail, and no reminders until it asks for them.
DEFAULTS: dict[str, frozenset[str]] = {
    Kind.CLOSURE: frozenset({Channel.EMAIL, Channel.SMS, Channel.PUSH}),
    Kind.BOOKING: frozenset({Channel.EMAIL}),
    Kind.REMINDER: frozenset(),
    Kind.INVOICE: frozenset({Channel.EMAIL}),
    Kind.REPLY: frozenset({Channel.EMAIL, Channel.PUSH}),
}


class Preference(TenantModel):
    """A family's choice for one kind and channel (no row: ``DEFAULTS``)."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    enabled = models.BooleanField()

    class Meta:
        verbose_name = _("préférence de notification")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind", "channel"], name="notification_pref_unique"
            )
        ]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")
    BOUNCED = "bounced", _("rejeté par le destinataire")
    DEFERRED = "deferred", _("reporté (heures calmes)")


class Delivery(TenantModel):
    """One notice to one family by one channel. ``key`` makes a reminder unique: a second
    run, or a second worker at the same time, inserts nothing."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(default=False)  # a same-day closure: SMS even in quiet hours
    key = models.CharField(max_length=120, blank=True)
    message = models.ForeignKey(
        "notifications.TownMessage", null=True, blank=True, on_delete=models.CASCADE
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    segments = models.PositiveSmallIntegerField(default=0)  # SMS counted for the month's cost

    class Meta:
        verbose_name = _("envoi")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "channel", "key"],
                condition=~Q(key=""),
                name="delivery_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["municipality", "status", "channel"])]


class PushSubscription(TenantModel):
    """A browser that asked for web push from "Gestion du foyer"; dropped when its push
    service answers 410 Gone."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=500)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("abonnement aux notifications du navigateur")
        constraints = [
            models.UniqueConstraint(fields=["household", "endpoint"], name="push_endpoint_unique")
        ]


class SmsProviderName(models.TextChoices):
    CONSOLE = "console", _("console (démonstration)")
    BREVO = "brevo", _("Brevo")


class SmsSettings(TenantModel):
    """A town's SMS: sender name (11 characters at most, what the phone shows), provider and
    its key (kept like the payment providers' secrets: never shown, never logged)."""

    provider = models.CharField(
        max_length=10, choices=SmsProviderName.choices, default=SmsProviderName.CONSOLE
    )
    sender = models.CharField(_("nom d'expéditeur"), max_length=11)
    api_key = models.CharField(_("clé d'API du fournisseur"), max_length=200, blank=True)
    max_length = models.PositiveSmallIntegerField(_("longueur maximale"), default=320)
    unit_cost = models.DecimalField(_("coût d'un SMS"), max_digits=6, decimal_places=4, default=0)

    class Meta:
        verbose_name = _("réglages SMS")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="sms_one_per_town")]

    def __repr__(self) -> str:  # never the key
        return f"<SmsSettings {self.municipality_id} {self.provider} {self.sender}>"


class Audience(models.TextChoices):
    ALL = "all", _("toutes les familles")
    SERVICE = "service", _("les familles inscrites à une régie")
    PRODUCT = "product", _("les familles ayant réservé une prestation")
    SITE = "site", _("les familles d'un site")
    CLASS = "class", _("les familles d'une classe")
    DAY = "day", _("les familles ayant une réservation un jour")


class TownMessage(TenantModel):
    """A message from the town to a set of families ("Messages")."""

    subject = models.CharField(_("objet"), max_length=150)
    body = models.TextField(_("texte"))
    link = models.URLField(_("lien"), blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    target = models.CharField(max_length=120, blank=True)  # the id, class or day chosen
    send_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("message aux familles")
        ordering = ["-created_at", "-pk"]


class MessageRecipient(TenantModel):
    """A family a town message went to (what its "Messages" page lists; nobody sees the
    others)."""

    message = models.ForeignKey(TownMessage, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("destinataire d'un message")
        constraints = [
            models.UniqueConstraint(fields=["message", "household"], name="message_recipient_once")
        ]


class TownMessageDocument(TenantModel):
    """The document (PDF, JPEG or PNG) a town message carries, kept in private media. It is
    uploaded when the agent counts the recipients (``message`` still empty, ``uploaded_by``
    the agent) and attached when the message is sent; only the message's families and the
    town's agents download it."""

    message = models.OneToOneField(
        TownMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="document"
    )
    file = models.FileField(storage=private_storage, upload_to=private_upload_to)
    filename = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    UPLOAD_FOLDER = "messages"

    class Meta:
        verbose_name = _("document d'un message aux familles")

    def __str__(self) -> str:
        return self.filename
