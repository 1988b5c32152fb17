"""A family's report of an absence ("Signaler une absence") and the town's rule for it.

A report covers one child and a run of days; it pre-marks the attendance rows of that child's
bookings on those days (``absences.absence_report_create``), so the attendance sheet, the meal
counts and the invoicing read it without knowing reports exist. Whether a report alone makes the
absence justified, or only a medical certificate an agent accepts, is the town's choice
(``AbsenceSettings``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import Municipality, TenantModel
from espacefamille.core.uploads import private_storage, private_upload_to


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", _("Maladie")
    OTHER = "other", _("Autre")


class AbsenceOutcome(models.TextChoices):
    PENDING = "pending", _("certificat en cours d'examen")
    JUSTIFIED = "justified", _("Absence justifiée")
    UNJUSTIFIED = "unjustified", _("Absence non justifiée")


class JustificationRule(models.TextChoices):
    CERTIFICATE = "certificate", _("justifiée seulement avec un certificat médical accepté")
    ON_REPORT = "on_report", _("justifiée dès qu'elle est signalée")


class AbsenceSettings(models.Model):
    """One row per town (absent: ``JustificationRule.CERTIFICATE``)."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="absence_settings"
    )
    justification = models.CharField(
        _("une absence signalée est"),
        max_length=20,
        choices=JustificationRule.choices,
        default=JustificationRule.CERTIFICATE,
    )

    class Meta:
        verbose_name = _("règle des absences signalées")

    def __str__(self) -> str:
        return self.get_justification_display()


class AbsenceReport(TenantModel):
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="absence_reports"
    )
    child = models.ForeignKey(
        "households.Child", on_delete=models.CASCADE, related_name="absence_reports"
    )
    first_day = models.DateField(_("premier jour"))
    last_day = models.DateField(_("dernier jour"))
    reason = models.CharField(_("motif"), max_length=20, choices=AbsenceReason.choices)
    outcome = models.CharField(_("suite donnée"), max_length=20, choices=AbsenceOutcome.choices)
    certificate = models.FileField(storage=private_storage, upload_to=private_upload_to, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    UPLOAD_FOLDER = "absences"

    class Meta:
        verbose_name = _("absence signalée")
        ordering = ["-first_day", "-pk"]
        indexes = [models.Index(fields=["municipality", "first_day"], name="absence_town_day")]

    def __str__(self) -> str:
        return f"{self.child} — {self.first_day:%d/%m/%Y} au {self.last_day:%d/%m/%Y}"

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate)
