"""SEPA direct debit ("prélèvement automatique"): a régie's creditor settings, the mandates
households sign (online or on paper), their amendments, and the debits a régie collects
itself in pain.008 batches (a régie collecting through the treasury sends no file: the PES
title carries the mandate)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel

from .ibans import mask_iban


class CollectionMode(models.TextChoices):
    TREASURY = "treasury", _("par le Trésor public (le titre PES porte le prélèvement)")
    REGIE = "regie", _("par la régie (fichier de prélèvement SEPA pain.008)")


class DirectDebitSettings(TenantModel):
    """One per régie offering direct debit; without it the régie offers none."""

    service = models.OneToOneField(
        "catalog.Service", on_delete=models.CASCADE, related_name="direct_debit_settings"
    )
    is_enabled = models.BooleanField(_("prélèvement proposé aux familles"), default=True)
    creditor_name = models.CharField(_("nom du créancier"), max_length=70)
    creditor_id = models.CharField(
        _("identifiant créancier SEPA (ICS)"),
        max_length=35,
        help_text=_("Par exemple FR72ZZZ123456, attribué par la Banque de France."),
    )
    creditor_iban = models.CharField(_("IBAN du compte crédité"), max_length=34, blank=True)
    creditor_bic = models.CharField(_("BIC du compte crédité"), max_length=11, blank=True)
    collection_mode = models.CharField(
        _("prélèvement effectué"),
        max_length=10,
        choices=CollectionMode.choices,
        default=CollectionMode.REGIE,
    )
    notice_days = models.PositiveSmallIntegerField(
        _("préavis (jours avant l'échéance)"),
        default=5,
        help_text=_("La facture annonce le prélèvement au moins ce nombre de jours avant."),
    )

    class Meta:
        verbose_name = _("réglages du prélèvement")
        verbose_name_plural = _("réglages du prélèvement")

    def __str__(self) -> str:
        return f"{self.service} — {self.creditor_id}"


class MandateChannel(models.TextChoices):
    ONLINE = "online", _("signé en ligne")
    PAPER = "paper", _("mandat papier saisi par un agent")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("actif")
    REVOKED = "revoked", _("révoqué")


class SequenceType(models.TextChoices):
    FIRST = "FRST", _("premier prélèvement")
    RECURRING = "RCUR", _("prélèvement récurrent")


class Mandate(TenantModel):
    """A household's authorisation to debit one account for one régie ("mandat SEPA"). The
    text the signer saw and its version are kept, as image consents keep theirs."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    holder = models.CharField(_("titulaire du compte"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    rum = models.CharField(_("référence unique du mandat (RUM)"), max_length=35)
    signed_on = models.DateField(_("signé le"))
    channel = models.CharField(_("signature"), max_length=8, choices=MandateChannel.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("texte du mandat"))
    text_version = models.CharField(_("version du texte"), max_length=20)
    status = models.CharField(
        max_length=8, choices=MandateStatus.choices, default=MandateStatus.ACTIVE
    )
    sequence = models.CharField(
        _("prochain prélèvement"),
        max_length=4,
        choices=SequenceType.choices,
        default=SequenceType.FIRST,
    )
    last_collected_on = models.DateField(_("dernier prélèvement"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mandat de prélèvement")
        verbose_name_plural = _("mandats de prélèvement")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "rum"], name="mandate_unique_rum"),
            models.UniqueConstraint(
                fields=["household", "service"],
                condition=Q(status="active"),
                name="mandate_one_active_per_regie",
            ),
        ]

    def __str__(self) -> str:
        return self.rum

    @property
    def masked_iban(self) -> str:
        return mask_iban(self.iban)

    @property
    def is_active(self) -> bool:
        return self.status == MandateStatus.ACTIVE


class MandateAmendment(TenantModel):
    """What a mandate was before an amendment (new account or new RUM): the next debit tells
    the bank (``Ancien*`` in a PES title)."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="amendments")
    previous_iban = models.CharField(max_length=34)
    previous_bic = models.CharField(max_length=11, blank=True)
    previous_rum = models.CharField(max_length=35)
    amended_at = models.DateTimeField(default=timezone.now)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("modification de mandat")
        ordering = ["amended_at", "pk"]


class DebitBatch(TenantModel):
    """One pain.008 file of a régie for one collection date."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    collection_date = models.DateField(_("date de prélèvement"))
    message_id = models.CharField(max_length=35)
    debit_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    xml = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lot de prélèvements")
        verbose_name_plural = _("lots de prélèvements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.service} {self.collection_date:%d/%m/%Y}"


class DebitStatus(models.TextChoices):
    SENT = "sent", _("transmis")
    REJECTED = "rejected", _("rejeté")


class Debit(TenantModel):
    """One invoice debited in a batch. An invoice has at most one debit that is not rejected."""

    batch = models.ForeignKey(DebitBatch, on_delete=models.PROTECT, related_name="debits")
    invoice = models.ForeignKey("billing.Invoice", on_delete=models.PROTECT, related_name="+")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="debits")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    sequence = models.CharField(max_length=4, choices=SequenceType.choices)
    end_to_end_id = models.CharField(max_length=35)
    settlement = models.ForeignKey(
        "billing.Settlement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=DebitStatus.choices, default=DebitStatus.SENT)
    reason_code = models.CharField(_("motif du rejet"), max_length=4, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("prélèvement")
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "invoice"], name="debit_once_per_batch"),
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(status="sent"), name="debit_one_live_per_invoice"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="debit_positive"),
        ]

    def get_reason_label(self) -> str:
        from .reasons import reason_label

        return reason_label(self.reason_code)
