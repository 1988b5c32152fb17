"""Family requests ("Mes demandes", seeds 001 and 002): by category ("thématique"), with the
documents the category requires, a thread between the family and the town, and a status.
A request to change the household file carries the proposed values until an agent accepts it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel
from espacefamille.core.uploads import private_storage, private_upload_to


class ChangeKind(models.TextChoices):
    """What accepting a request of the category changes in the household file."""

    NONE = "", _("aucune modification du dossier")
    ADDRESS = "address", _("adresse d'un responsable")
    CARE_PLAN = "care_plan", _("allergie / PAI d'un enfant")
    # Accepted, the agent adds the person in the household file; refused where the town lets
    # families edit their authorised pickups freely (core.models.PickupRule).
    PICKUP = "pickup", _("personnes autorisées à récupérer l'enfant")


class InquiryStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Traitée")
    REFUSED = "refused", _("Refusée")


CLOSED_STATUSES = frozenset({InquiryStatus.DONE, InquiryStatus.REFUSED})


class InquiryCategory(TenantModel):
    name = models.CharField(_("thématique"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    text_template = models.TextField(_("modèle de texte"), blank=True)
    change_kind = models.CharField(
        _("modification du dossier"), max_length=20, choices=ChangeKind.choices, blank=True
    )
    needs_child = models.BooleanField(_("concerne un enfant"), default=False)
    is_active = models.BooleanField(_("proposée aux familles"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("thématique de demande")
        verbose_name_plural = _("thématiques de demande")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="inquirycategory_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RequiredDocument(TenantModel):
    """ "Pièce(s) jointe(s) obligatoire(s)": one document a category requires."""

    category = models.ForeignKey(
        InquiryCategory, on_delete=models.CASCADE, related_name="required_documents"
    )
    label = models.CharField(_("pièce"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("pièce jointe obligatoire")
        verbose_name_plural = _("pièces jointes obligatoires")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Inquiry(TenantModel):
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="inquiries"
    )
    category = models.ForeignKey(InquiryCategory, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "households.Child",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("enfant concerné"),
    )
    text = models.TextField(_("votre demande"))
    status = models.CharField(
        _("statut"), max_length=12, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    proposed_changes = models.JSONField(_("modifications proposées"), default=dict, blank=True)
    change_applied_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agent chargé"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Read receipts (inquiries/read_receipts.py): the town's latest message, and when the
    # household (the request's only reader: a shared child's other household never sees it)
    # last opened the thread. An answer after that reading is a "Nouvelle réponse".
    last_answer_at = models.DateTimeField(null=True, blank=True, editable=False)
    family_read_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.category} n° {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def new_answer(self) -> bool:
        """The town answered since the household last opened the request."""
        if self.last_answer_at is None:
            return False
        return self.family_read_at is None or self.last_answer_at > self.family_read_at


class InquiryMessage(TenantModel):
    """One message of the thread; ``from_town`` tells an agent's reply from the family's."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_town = models.BooleanField(default=False)
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class InquiryAttachment(TenantModel):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attachments")
    required_document = models.ForeignKey(
        RequiredDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(max_length=120, blank=True)
    file = models.FileField(storage=private_storage, upload_to=private_upload_to)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)

    UPLOAD_FOLDER = "inquiries"

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
