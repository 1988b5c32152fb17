"""The family quotient fetched from API Particulier: the town's settings (its token is a
secret, never shown back in full nor logged), the family's consent (append-only, with the
wording and version shown), the identity a guardian's quotient is asked with, and one entry
per quotient recorded through this app (fetched or copied from a paper certificate), beside
billing's ``HouseholdQuotient`` row that prices the invoices."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel

DIGITS_5 = RegexValidator(r"^[0-9][0-9AB][0-9]{3}$", _("Un code INSEE a cinq caractères."))


class QuotientSettings(TenantModel):
    """API Particulier for one town: its token, its SIRET (sent as ``recipient``), on or off."""

    is_enabled = models.BooleanField(_("service activé"), default=False)
    token = models.CharField(_("jeton API Particulier"), max_length=4000, blank=True)
    recipient = models.CharField(
        _("SIRET de la collectivité"),
        max_length=14,
        blank=True,
        help_text=_("Les 14 chiffres du SIRET de la commune, transmis à chaque appel."),
    )
    refresh_pause = models.DecimalField(
        _("pause entre deux appels du renouvellement annuel (secondes)"),
        max_digits=5,
        decimal_places=2,
        default=1,
    )

    class Meta:
        verbose_name = _("réglages API Particulier")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="quotientsettings_one_per_town")
        ]

    def __str__(self) -> str:
        return str(_("API Particulier"))

    def __repr__(self) -> str:  # never the token
        return f"<QuotientSettings {self.pk} enabled={self.is_enabled}>"


class QuotientConsent(TenantModel):
    """Append-only: the latest row of a household is its current answer; every row keeps the
    wording and version shown, who answered and when."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    granted = models.BooleanField()
    wording = models.TextField()
    version = models.CharField(max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consentement quotient familial")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["household", "-recorded_at"])]


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")


class GuardianIdentity(TenantModel):
    """What the CAF and the MSA match a person with ("identité pivot"), kept for the yearly
    refresh while the household consents; deleted when the consent is withdrawn."""

    guardian = models.OneToOneField(
        "households.Guardian", on_delete=models.CASCADE, related_name="+"
    )
    birth_name = models.CharField(_("nom de naissance"), max_length=100)
    first_names = models.CharField(_("prénoms"), max_length=200)
    sex = models.CharField(_("sexe à l'état civil"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))
    birth_country = models.CharField(
        _("code INSEE du pays de naissance"), max_length=5, validators=[DIGITS_5]
    )
    birth_commune = models.CharField(
        _("code INSEE de la commune de naissance"),
        max_length=5,
        blank=True,
        validators=[DIGITS_5],
    )

    class Meta:
        verbose_name = _("identité pour le quotient familial")

    def __str__(self) -> str:
        return f"{self.birth_name} {self.first_names}"


class EntryMethod(models.TextChoices):
    API = "api", _("API Particulier")
    PAPER = "paper", _("attestation papier saisie par un agent")


class EntryChannel(models.TextChoices):
    AGENT = "agent", _("agent")
    FAMILY = "family", _("famille")
    REFRESH = "refresh", _("renouvellement annuel")


class Provider(models.TextChoices):
    CNAF = "CNAF", _("CAF")
    MSA = "MSA", _("MSA")


class QuotientEntry(TenantModel):
    """How one ``HouseholdQuotient`` came: fetched (provider, the months the CAF or the MSA
    gave) or copied from paper; by whom, through which door, when."""

    quotient = models.OneToOneField(
        "billing.HouseholdQuotient", on_delete=models.CASCADE, related_name="+"
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="+"
    )
    guardian = models.ForeignKey(
        "households.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=5, choices=EntryMethod.choices)
    channel = models.CharField(max_length=7, choices=EntryChannel.choices)
    provider = models.CharField(max_length=4, choices=Provider.choices, blank=True)
    reference_month = models.DateField(_("mois du quotient"), null=True, blank=True)
    computed_month = models.DateField(_("mois de calcul"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quotient familial enregistré")
        ordering = ["-recorded_at", "-pk"]
