"""Online payments: one ``Payment`` row per attempt
(docs/architecture.md#payments-one-row-per-attempt), created before the family is sent to the
provider; every notification and browser return stored raw; the provider configured per town and
régie; the town's payment settings (how long places are held).

A payment's state only changes through ``payments.states.payment_transition`` under the
payment's row lock; "paid" is final (a late refusal never undoes it)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel

DEFAULT_HOLD_MINUTES = 20


class PaymentSettings(TenantModel):
    """A town's settings for online payment (a separate row so that core stays untouched)."""

    hold_minutes = models.PositiveSmallIntegerField(
        _("durée de maintien des places pendant le paiement (minutes)"),
        default=DEFAULT_HOLD_MINUTES,
    )

    class Meta:
        verbose_name = _("réglages du paiement en ligne")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="paymentsettings_one_per_town")
        ]


class ProviderConfig(TenantModel):
    """The payment provider of a régie (``service``), or the town's default (no service):
    an eopayment backend name and its options. The options hold secrets: they are never
    logged and only shown back masked (``masked_options``)."""

    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    backend = models.CharField(_("prestataire (module eopayment)"), max_length=40)
    options = models.JSONField(_("options du prestataire"), default=dict, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("prestataire de paiement")
        verbose_name_plural = _("prestataires de paiement")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "service"],
                name="providerconfig_one_per_regie",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.backend} ({self.service or _('toutes les régies')})"

    def __repr__(self) -> str:  # never the options: they hold secrets
        return f"<ProviderConfig {self.pk} {self.backend}>"

    @property
    def masked_options(self) -> dict[str, str]:
        """The options as a form may show them: secrets cut to their last two characters."""
        shown = {}
        for key, value in (self.options or {}).items():
            text = str(value)
            if any(word in key.lower() for word in ("secret", "key", "password", "cle")):
                text = "•" * 6 + text[-2:] if len(text) > 4 else "•" * 6
            shown[key] = text
        return shown


class PaymentState(models.TextChoices):
    CREATED = "created", _("créé")
    PENDING = "pending", _("en cours")
    PAID = "paid", _("payé")
    REFUSED = "refused", _("refusé")
    CANCELLED = "cancelled", _("annulé")
    EXPIRED = "expired", _("expiré")
    ERROR = "error", _("erreur")


OPEN_STATES = (PaymentState.CREATED, PaymentState.PENDING)


class PaymentKind(models.TextChoices):
    CART = "cart", _("panier prépayé")
    INVOICE = "invoice", _("facture")
    INVOICES = "invoices", _("plusieurs factures")


class Payment(TenantModel):
    """One attempt to pay: a prepaid cart (its places held under ``reference``) or an invoice.
    ``amount`` is what the provider is asked for, after the credit used (``credit_used``)."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    state = models.CharField(
        max_length=10, choices=PaymentState.choices, default=PaymentState.CREATED
    )
    reference = models.CharField(_("référence de commande"), max_length=40, unique=True)
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2)
    credit_used = models.DecimalField(
        _("avoir utilisé"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    amount = models.DecimalField(_("montant payé en ligne"), max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR")
    provider = models.ForeignKey(
        ProviderConfig, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    backend = models.CharField(max_length=40, blank=True)
    transaction_id = models.CharField(max_length=128, blank=True)
    invoice = models.ForeignKey(
        "billing.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The cart lines this payment validates when it is confirmed (prepaid and postpaid alike).
    cart_line_ids = models.JSONField(default=list, blank=True)
    # The places held for it: [child id, product id, "YYYY-MM-DD"], converted on confirmation.
    held_items = models.JSONField(default=list, blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # A provider that wants a POSTed form (SystemPay): {"url", "method", "fields": [[n, v]]}.
    provider_form = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(_("message pour la famille"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paiement en ligne")
        verbose_name_plural = _("paiements en ligne")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                condition=~Q(transaction_id=""),
                name="payment_unique_transaction",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "household", "state"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_state_display()})"


class PaymentInvoice(TenantModel):
    """One invoice of a payment that pays several at once (``PaymentKind.INVOICES``), with
    what was left to pay on it when the payment was created: the most it may receive."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="invoice_rows")
    invoice = models.ForeignKey("billing.Invoice", on_delete=models.PROTECT, related_name="+")
    balance = models.DecimalField(_("reste à payer"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("facture d'un paiement groupé")
        verbose_name_plural = _("factures d'un paiement groupé")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="paymentinvoice_once"),
            models.CheckConstraint(condition=Q(balance__gt=0), name="paymentinvoice_positive"),
        ]


class NotificationChannel(models.TextChoices):
    NOTIFICATION = "notification", _("notification du prestataire")
    RETURN = "return", _("retour du navigateur")
    POLL = "poll", _("interrogation du prestataire")


class NotificationOutcome(models.TextChoices):
    APPLIED = "applied", _("appliquée")
    REPEATED = "repeated", _("déjà appliquée")
    REJECTED = "rejected", _("rejetée")
    IGNORED = "ignored", _("ignorée")


class PaymentNotification(TenantModel):
    """What the provider (or the browser) sent, stored raw before anything is decided, with
    what we made of it: the audit trail of every payment."""

    provider = models.ForeignKey(ProviderConfig, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    channel = models.CharField(max_length=12, choices=NotificationChannel.choices)
    raw = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=NotificationOutcome.choices, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    # Where an anonymous request came from, to bound what one address makes us store
    # (``payments.notification_limits``).
    client_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification de paiement")
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(
                fields=["client_address", "received_at"], name="payments_notice_address_idx"
            )
        ]


class CancellationOutcome(models.TextChoices):
    CREDIT = "credit", _("avoir sur le compte de la famille")
    REFUND = "refund", _("remboursement par la trésorerie")
    NOTHING = "nothing", _("ni avoir ni remboursement")


class CancellationRule(TenantModel):
    """What a prepaid booking cancelled within its deadline yields, per régie (seed 001: "peuvent
    générer un remboursement ou non selon le règlement du service"). Without a rule: nothing.
    Kept here, keyed by service, so that the catalog stays untouched."""

    service = models.OneToOneField(
        "catalog.Service", on_delete=models.CASCADE, related_name="+", verbose_name=_("régie")
    )
    outcome = models.CharField(
        _("une annulation dans les délais donne"),
        max_length=10,
        choices=CancellationOutcome.choices,
        default=CancellationOutcome.NOTHING,
    )

    class Meta:
        verbose_name = _("règle d'annulation d'une régie prépayée")
        verbose_name_plural = _("règles d'annulation des régies prépayées")


class RefundDue(TenantModel):
    """A refund the treasury owes a family for a cancelled prepaid booking, listed for the
    agents until they mark it done."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    booking = models.OneToOneField("bookings.Booking", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)
    refunded_at = models.DateTimeField(_("remboursé le"), null=True, blank=True)
    reference = models.CharField(
        _("référence du remboursement (mandat, virement…)"), max_length=80, blank=True
    )
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("remboursement à effectuer")
        verbose_name_plural = _("remboursements à effectuer")
        ordering = ["refunded_at", "created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refunddue_positive")]
