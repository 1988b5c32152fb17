"""Post-billing: prices by date and family-quotient bracket, monthly invoicing runs, invoices
and their lines, credit notes ("avoirs"), counter payments and gapless numbering.

An invoice line stores its unit price and amount; an invoice's total is the sum of its lines;
a final invoice is never edited: a correction is a credit note. What has been paid is never
stored on the invoice: it is the sum of the settlements allocated to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel


class ProductPrice(TenantModel):
    """A product's prices from a date, optionally for one family-quotient bracket. Without any
    row the product's own price fields apply."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    effective_from = models.DateField(_("applicable à partir du"))
    quotient_max = models.DecimalField(
        _("quotient familial jusqu'à (inclus)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : tranche la plus haute (au-delà de toutes les autres)."),
    )
    is_default_bracket = models.BooleanField(
        _("tranche appliquée si le quotient est inconnu"), default=False
    )
    unit_price = models.DecimalField(_("prix à l'unité"), max_digits=10, decimal_places=2)
    price_unbooked_presence = models.DecimalField(
        _("prix si non prévu"), null=True, blank=True, max_digits=10, decimal_places=2
    )
    price_unjustified_absence = models.DecimalField(
        _("prix si absence injustifiée"), null=True, blank=True, max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["product", "-effective_from", "quotient_max"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "effective_from", "quotient_max"],
                name="productprice_unique_bracket",
                nulls_distinct=False,
            )
        ]


class QuotientSource(models.TextChoices):
    """Paper proofs an agent copies (CAF, MSA, tax notice) or what API Particulier answered."""

    CAF = "caf", _("attestation CAF (papier)")
    MSA = "msa", _("attestation MSA (papier)")
    TAX_NOTICE = "tax_notice", _("avis d'imposition")
    AGENT = "agent", _("saisie par un agent")
    API_CNAF = "api_cnaf", _("API Particulier (CAF)")
    API_MSA = "api_msa", _("API Particulier (MSA)")


class HouseholdQuotient(TenantModel):
    """A household's family quotient ("quotient familial") from a date, and where it comes from.
    Append-only: the value in force on a day is the latest row starting on or before it."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(_("quotient familial"), max_digits=8, decimal_places=2)
    valid_from = models.DateField(_("valable à partir du"))
    source = models.CharField(_("source"), max_length=12, choices=QuotientSource.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quotient familial")
        verbose_name_plural = _("quotients familiaux")
        ordering = ["household", "-valid_from", "-pk"]


class SequenceKind(models.TextChoices):
    INVOICE = "invoice", _("facture")
    CREDIT_NOTE = "credit_note", _("avoir")


class NumberSequence(TenantModel):
    """The last number given per régie, year and kind: numbers are taken under this row's lock,
    in the transaction that issues the documents, so a rollback leaves no gap."""

    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=SequenceKind.choices)
    code = models.CharField(
        _("code de la régie dans les numéros"),
        max_length=12,
        help_text=_("Par exemple RS : 2026-RS-000123."),
    )
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("numérotation")
        constraints = [
            models.UniqueConstraint(fields=["service", "year", "kind"], name="sequence_unique")
        ]


class RunState(models.TextChoices):
    RUNNING = "running", _("en cours de calcul")
    DRAFT = "draft", _("brouillon")
    FINAL = "final", _("définitive")


class InvoiceRun(TenantModel):
    """One month's post-billing of one régie: drafted (again as often as needed), then final."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("mois facturé"), help_text=_("Premier jour du mois."))
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    household_count = models.PositiveIntegerField(default=0)
    invoice_count = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    anomaly_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(default=0, max_digits=14, decimal_places=2)
    drafted_at = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Progress of a run started from the back office (a task): the page reads it from here,
    # so it survives a reload and shows what the worker has done.
    households_done = models.PositiveIntegerField(_("foyers calculés"), default=0)
    started_at = models.DateTimeField(_("lancée le"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalize_when_drafted = models.BooleanField(
        _("rendre définitive à la fin du calcul"), default=False
    )
    failure = models.CharField(_("échec du calcul"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("facturation mensuelle")
        constraints = [
            models.UniqueConstraint(fields=["service", "month"], name="invoicerun_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.month:%m/%Y}"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    FINAL = "final", _("émise")
    CANCELLED = "cancelled", _("annulée")


class Invoice(TenantModel):
    """ "Facture" of one household for one régie; ``number`` is given when it becomes final."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="invoices"
    )
    run = models.ForeignKey(
        InvoiceRun, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    recipient = models.ForeignKey(
        "households.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(_("destinataire"), max_length=220)
    recipient_address = models.TextField(_("adresse du destinataire"), blank=True)
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    status = models.CharField(
        max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    number = models.CharField(_("référence"), max_length=40, blank=True, default="")
    issued_on = models.DateField(_("date de facture"), null=True, blank=True)
    due_on = models.DateField(_("à régler avant le"), null=True, blank=True)
    total = models.DecimalField(_("montant"), default=0, max_digits=10, decimal_places=2)
    anomaly_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number"], condition=~Q(number=""), name="invoice_number"
            )
        ]
        indexes = [models.Index(fields=["municipality", "household", "status"])]

    def __str__(self) -> str:
        return self.number or f"brouillon {self.pk}"


class LineKind(models.TextChoices):
    BOOKED_PRESENT = "booked_present", _("réservé, présent")
    UNJUSTIFIED_ABSENCE = "unjustified_absence", _("absence injustifiée")
    WAITING_DAY = "waiting_day", _("jour de carence")
    UNBOOKED_PRESENCE = "unbooked_presence", _("présent sans réservation")
    FLAT_RATE = "flat_rate", _("forfait")


class InvoiceLine(TenantModel):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    child = models.ForeignKey(
        "households.Child", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    child_name = models.CharField(max_length=210)
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(max_length=120)
    date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    is_anomaly = models.BooleanField(
        default=False, help_text=_("Réservé mais aucun pointage saisi : facturé comme réservé.")
    )

    class Meta:
        verbose_name = _("ligne de facture")
        ordering = ["invoice", "child_name", "product_name", "date", "pk"]


class IssuedInvoicePdf(TenantModel):
    """The PDF of a final invoice as issued (nothing paid, no debit notice), drawn once after
    its run becomes final (``billing.issued_pdfs``): what a PES title attaches. The family's
    page draws its own, with the current balance."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    content = models.BinaryField()
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("facture PDF émise")


class CreditNote(TenantModel):
    """ "Avoir": money the régie owes a household, used first on its next invoices."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    invoice = models.ForeignKey(
        Invoice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        help_text=_("La facture corrigée, s'il y en a une."),
    )
    number = models.CharField(_("référence"), max_length=40)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("motif"), max_length=200)
    issued_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("avoir")
        verbose_name_plural = _("avoirs")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="creditnote_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="creditnote_positive"),
        ]


class SettlementMethod(models.TextChoices):
    CASH = "cash", _("espèces")
    CHEQUE = "cheque", _("chèque")
    CESU = "cesu", _("CESU")
    TRANSFER = "transfer", _("virement")
    CREDIT = "credit", _("avoir")
    ONLINE = "online", _("paiement en ligne")
    DIRECT_DEBIT = "debit", _("prélèvement")


class Settlement(TenantModel):
    """ "Règlement" received for a household's invoices of one régie (or a credit used)."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(
        _("mode de règlement"), max_length=10, choices=SettlementMethod.choices
    )
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    reference = models.CharField(_("référence (n° de chèque…)"), max_length=80, blank=True)
    credit_note = models.ForeignKey(
        CreditNote, null=True, blank=True, on_delete=models.PROTECT, related_name="uses"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("règlement")
        verbose_name_plural = _("règlements")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="settlement_positive")
        ]


class Allocation(TenantModel):
    """The part of a settlement applied to one invoice."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("imputation")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive")
        ]


class EmailSendStatus(models.TextChoices):
    SENDING = "sending", _("en cours d'envoi")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")


class InvoiceEmail(TenantModel):
    """One sending of an invoice's e-mail, claimed before it goes out (billing.emails): the
    unique ``(invoice, key)`` makes a rerun of the task, or a second worker at the same time,
    send nothing twice. ``key`` is "issued" for the run's e-mail, "resend-<action log entry
    id>" for an agent's."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="emails")
    key = models.CharField(max_length=60)
    address = models.EmailField()
    status = models.CharField(
        max_length=10, choices=EmailSendStatus.choices, default=EmailSendStatus.SENDING
    )
    # The task's result id that holds the claim: a retry of the same task (its worker died)
    # takes it over, another task leaves it alone until ``billing.emails.CLAIM_LEASE``.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("envoi de facture")
        verbose_name_plural = _("envois de factures")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "key"], name="invoice_email_once_per_key")
        ]
        indexes = [models.Index(fields=["municipality", "status"])]
