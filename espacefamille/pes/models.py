"""Titles of receipts sent to the public treasury as PES V2 files ("PES Aller", ORMC).

The town's treasury identity (``TreasurySettings``), the imputation of each régie and product,
the gapless bordereau numbers per budget and year, and every file sent with the invoices it
holds. An invoice is in at most one file that is not cancelled: a partial unique constraint
on ``PesFileInvoice`` says so to the database itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel

from . import validators as v


class TreasurySettings(TenantModel):
    """What identifies the town's budget in Hélios (the ``EnTetePES``), filled once."""

    id_coll = models.CharField(
        _("SIRET de la collectivité (IdColl)"),
        max_length=14,
        validators=[v.validate_siret],
        help_text=_("14 chiffres, sans espace."),
    )
    cod_col = models.CharField(
        _("code collectivité (CodCol)"),
        max_length=3,
        validators=[v.validate_cod_col],
        help_text=_("3 chiffres, donnés par la trésorerie (par exemple 012)."),
    )
    cod_bud = models.CharField(
        _("code budget (CodBud)"),
        max_length=2,
        validators=[v.validate_cod_bud],
        help_text=_("2 caractères, donnés par la trésorerie (00 pour le budget principal)."),
    )
    id_post = models.CharField(
        _("poste comptable (IdPost)"),
        max_length=7,
        validators=[v.validate_id_post],
        help_text=_("Le code du poste comptable de la trésorerie : 6 ou 7 chiffres."),
    )
    exer = models.PositiveSmallIntegerField(
        _("exercice budgétaire (Exer)"),
        help_text=_("L'année du budget sur laquelle les titres sont émis, par exemple 2026."),
    )
    attach_pdf = models.BooleanField(
        _("joindre la facture PDF à chaque titre (PES_PJ)"), default=True
    )

    class Meta:
        verbose_name = _("paramètres de la trésorerie (PES)")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="treasurysettings_one_per_town"),
            models.CheckConstraint(
                condition=Q(exer__gte=2000, exer__lte=2999), name="treasurysettings_exer_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id_coll} {self.cod_col}/{self.cod_bud}"


class RegieImputation(TenantModel):
    """A régie transmitted to the treasury, with the imputation of its products by default."""

    service = models.OneToOneField(
        "catalog.Service", on_delete=models.CASCADE, related_name="+", verbose_name=_("régie")
    )
    nature = models.CharField(
        _("nature comptable"),
        max_length=12,
        validators=[v.validate_nature, v.validate_nature_not_zero],
        help_text=_("Compte de recette, par exemple 7067 (redevances périscolaires)."),
    )
    fonction = models.CharField(
        _("fonction"),
        max_length=10,
        blank=True,
        validators=[v.validate_fonction],
        help_text=_("Facultative, par exemple 251 (restauration scolaire)."),
    )
    cod_prod_loc = models.CharField(
        _("code produit local (CodProdLoc)"),
        max_length=4,
        validators=[v.validate_cod_prod_loc],
        help_text=_("1 à 4 lettres ou chiffres, convenus avec la trésorerie."),
    )
    object_label = models.CharField(
        _("objet des titres"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple « Restauration scolaire » ; le mois est ajouté."),
    )

    class Meta:
        verbose_name = _("imputation d'une régie")

    def __str__(self) -> str:
        return f"{self.service} {self.nature}"


class ProductImputation(TenantModel):
    """A product imputed otherwise than its régie (another nature, fonction or product code)."""

    product = models.OneToOneField(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("prestation")
    )
    nature = models.CharField(
        _("nature comptable"),
        max_length=12,
        validators=[v.validate_nature, v.validate_nature_not_zero],
    )
    fonction = models.CharField(
        _("fonction"), max_length=10, blank=True, validators=[v.validate_fonction]
    )
    cod_prod_loc = models.CharField(
        _("code produit local (CodProdLoc)"), max_length=4, validators=[v.validate_cod_prod_loc]
    )

    class Meta:
        verbose_name = _("imputation d'une prestation")


class BordereauSequence(TenantModel):
    """The last bordereau number given per budget and year, taken under this row's lock in the
    transaction that records the file: a rollback leaves no gap."""

    cod_bud = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cod_bud", "year"], name="bordereausequence_unique"
            )
        ]


class PesFileState(models.TextChoices):
    SENT = "sent", _("transmis")
    CANCELLED = "cancelled", _("annulé")


class AcquitState(models.TextChoices):
    WAITING = "waiting", _("en attente de l'accusé de réception")
    ACCEPTED = "accepted", _("accepté")
    REJECTED = "rejected", _("rejeté")


class PesFile(TenantModel):
    """One PES Aller file: one bordereau of titles (one per invoice) of one régie."""

    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("mois facturé"), null=True, blank=True)
    exer = models.PositiveSmallIntegerField(_("exercice"))
    cod_bud = models.CharField(_("code budget"), max_length=2)
    bordereau = models.PositiveIntegerField(_("n° de bordereau"))
    invoice_count = models.PositiveIntegerField(_("nombre de titres"))
    total = models.DecimalField(_("montant du bordereau"), max_digits=14, decimal_places=2)
    file_name = models.CharField(_("fichier"), max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    state = models.CharField(
        _("état"), max_length=10, choices=PesFileState.choices, default=PesFileState.SENT
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(_("motif de l'annulation"), max_length=200, blank=True)
    acquit = models.CharField(
        _("accusé de réception"),
        max_length=10,
        choices=AcquitState.choices,
        default=AcquitState.WAITING,
    )
    acquit_at = models.DateTimeField(_("accusé reçu le"), null=True, blank=True)
    acquit_reason = models.TextField(_("motif du rejet"), blank=True)

    class Meta:
        verbose_name = _("fichier PES")
        verbose_name_plural = _("fichiers PES")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cod_bud", "exer", "bordereau"],
                name="pesfile_bordereau_unique",
            )
        ]

    def __str__(self) -> str:
        return f"bordereau {self.bordereau}/{self.exer}"


class PesFileInvoice(TenantModel):
    """An invoice sent as a title in a file; ``active`` until the file is cancelled."""

    pes_file = models.ForeignKey(PesFile, on_delete=models.CASCADE, related_name="titles")
    invoice = models.ForeignKey("billing.Invoice", on_delete=models.PROTECT, related_name="+")
    piece = models.PositiveIntegerField()
    rum = models.CharField(max_length=35, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(active=True), name="pesfileinvoice_once"
            )
        ]
