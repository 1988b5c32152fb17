"""One action log across domains: who did what to which object, when, before → after.

Written by the domain services themselves (never by views), in the same transaction as the
change, in a table of the town (``municipality_id``) so that a town reads only its own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel


class ActionLogEntry(TenantModel):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("auteur"),
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("type d'objet"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("identifiant"), null=True, blank=True)
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    changes = models.JSONField(_("avant → après"), default=dict, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("journal des actions")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "-at"]),
            models.Index(fields=["municipality", "object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
