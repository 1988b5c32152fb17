"""News posts ("Actualités", seeds 002 §4 and 004 §B): what the town tells its families, for
all of them or for the families of some services, between optional dates, with documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel
from espacefamille.core.uploads import private_storage, private_upload_to


class NewsPost(TenantModel):
    title = models.CharField(_("titre"), max_length=200)
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("texte"))
    image = models.FileField(
        _("image"), storage=private_storage, upload_to=private_upload_to, blank=True
    )
    image_type = models.CharField(max_length=40, blank=True)
    services = models.ManyToManyField(
        "catalog.Service",
        through="NewsPostService",
        blank=True,
        related_name="+",
        verbose_name=_("réservée aux familles des services"),
        help_text=_("Aucun service choisi : l'actualité s'adresse à toutes les familles."),
    )
    publish_from = models.DateField(_("publiée à partir du"), null=True, blank=True)
    publish_until = models.DateField(_("publiée jusqu'au"), null=True, blank=True)
    is_withdrawn = models.BooleanField(_("retirée"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    UPLOAD_FOLDER = "news"

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publish_from__isnull=True)
                | models.Q(publish_until__isnull=True)
                | models.Q(publish_until__gte=models.F("publish_from")),
                name="newspost_dates_in_order",
                violation_error_message=_(
                    "La date de fin de publication doit suivre la date de début."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def content_type(self) -> str:
        """The image's recognised type (read by ``private_upload_to`` for its extension)."""
        return self.image_type


class NewsPostService(TenantModel):
    """A service whose families a post is for; the link row carries the town
    (docs/architecture.md#every-row-carries-its-town)."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("service visé par une actualité")
        constraints = [
            models.UniqueConstraint(fields=["post", "service"], name="newspostservice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} — {self.service_id}"


class NewsDocument(TenantModel):
    """A document attached to a post ("RÈGLEMENT INTÉRIEUR", "TARIF 2024")."""

    post = models.ForeignKey(NewsPost, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=private_storage, upload_to=private_upload_to)
    filename = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)

    UPLOAD_FOLDER = "news"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
