"""The open API's rows: the keys a town's administrator gives to other software, and the
webhook subscriptions with their deliveries.

A key is shown once when it is made and stored as the SHA-256 of its text (a 256-bit random
secret needs no slow hash); its ``prefix`` finds the row. A key acts through a login of its own
(``actor``: inactive, without password, named after the key), so the action log records the
key as the author of every write made with it (audit.records.Actor)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel


class ApiKey(TenantModel):
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    scopes = models.JSONField(_("droits"), default=list)
    allowed_addresses = models.JSONField(_("adresses autorisées"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("créée par"),
    )
    actor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key"
    )
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé API")
        verbose_name_plural = _("clés API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def is_usable(self, now: datetime | None = None) -> bool:
        at = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class WebhookSubscription(TenantModel):
    url = models.URLField(_("adresse de réception"), max_length=500)
    events = models.JSONField(_("événements"), default=list)
    secret = models.CharField(max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0)
    disabled_at = models.DateTimeField(_("désactivée le"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("abonnement aux événements")
        verbose_name_plural = _("abonnements aux événements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    DELIVERED = "delivered", _("reçu")
    FAILED = "failed", _("abandonné")


class WebhookDelivery(TenantModel):
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(_("événement"), max_length=40)
    payload = models.JSONField(default=dict)
    state = models.CharField(
        _("état"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_status = models.PositiveIntegerField(_("dernière réponse"), null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi d'événement")
        verbose_name_plural = _("envois d'événements")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"
