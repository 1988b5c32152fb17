"""What a town offers: services ("régies"), the products booked on a day, closures, school
holidays the town declares, and children's enrolments."""

from __future__ import annotations

import functools
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel

from .deadlines import DeadlineRule, validate_rule


class BillingMode(models.TextChoices):
    PREPAID = "prepaid", _("prépaiement")
    POSTPAID = "postpaid", _("postfacturation")


class Service(TenantModel):
    """ "Restaurant scolaire", "Garderie", "Accueil du mercredi"…"""

    name = models.CharField(_("nom"), max_length=120)
    billing_mode = models.CharField(
        _("mode de paiement"),
        max_length=10,
        choices=BillingMode.choices,
        default=BillingMode.POSTPAID,
    )
    booking_requires_approval = models.BooleanField(
        _("réservations validées par un agent"), default=False
    )
    cancellation_requires_approval = models.BooleanField(
        _("annulations validées par un agent"), default=False
    )
    rules_text = models.TextField(_("règlement"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_prepaid(self) -> bool:
        return self.billing_mode == BillingMode.PREPAID


class FlatRatePeriod(models.TextChoices):
    NONE = "", _("à la journée")
    WEEK = "week", _("semaine")
    MONTH = "month", _("mois")
    SCHOOL_PERIOD = "school_period", _("période scolaire")


# Read for every line of a cart (a school year: 822), parsed once per text: both are pure and
# their results immutable (an invalid rule raises, and is not cached).
@functools.lru_cache(maxsize=256)
def _weekday_set(weekdays: str) -> frozenset[int]:
    return frozenset(int(c) for c in weekdays if "0" <= c <= "9")


@functools.lru_cache(maxsize=256)
def _deadline_rule(text: str) -> DeadlineRule:
    return DeadlineRule.parse(text)


class Product(TenantModel):
    """What is booked on a day ("prestation"): REPAS, GARDERIE 16H30 A 18H30…"""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("nom"), max_length=120)
    weekdays = models.CharField(
        _("jours d'ouverture"),
        max_length=7,
        default="0134",
        help_text=_("Chiffres des jours ouverts : 0 = lundi … 6 = dimanche."),
    )
    opens_in_school_periods = models.BooleanField(_("ouvert en période scolaire"), default=True)
    opens_in_holidays = models.BooleanField(_("ouvert pendant les vacances"), default=False)
    booking_deadline = models.CharField(
        _("délai de réservation"), max_length=30, default="days:2@10:00", validators=[validate_rule]
    )
    cancellation_deadline = models.CharField(
        _("délai d'annulation"), max_length=30, default="days:2@10:00", validators=[validate_rule]
    )
    capacity = models.PositiveIntegerField(_("nombre maximal de places"), null=True, blank=True)
    incompatibility_group = models.CharField(
        _("groupe d'incompatibilité"),
        max_length=40,
        blank=True,
        help_text=_("Un seul produit d'un même groupe par enfant et par jour."),
    )
    flat_rate_period = models.CharField(
        _("forfait"), max_length=15, choices=FlatRatePeriod.choices, blank=True, default=""
    )
    unit_price = models.DecimalField(_("prix à l'unité"), max_digits=8, decimal_places=2, default=0)
    price_unbooked_presence = models.DecimalField(
        _("prix si non prévu"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    price_unjustified_absence = models.DecimalField(
        _("prix si absence injustifiée"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    waiting_days = models.PositiveSmallIntegerField(
        _("jours de carence (absence justifiée)"), default=0
    )
    is_active = models.BooleanField(_("proposé aux familles"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("prestation")
        verbose_name_plural = _("prestations")
        ordering = ["service", "position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_set(self) -> frozenset[int]:
        return _weekday_set(self.weekdays)

    @property
    def booking_rule(self) -> DeadlineRule:
        return _deadline_rule(self.booking_deadline)

    @property
    def cancellation_rule(self) -> DeadlineRule:
        return _deadline_rule(self.cancellation_deadline)

    @property
    def is_flat_rate(self) -> bool:
        return bool(self.flat_rate_period)


class ClosureKind(models.TextChoices):
    """Why the town closes at short notice (an exceptional closure); a planned closure has
    none."""

    STRIKE = "greve", _("grève")
    WEATHER = "intemperies", _("intempéries")
    SANITARY = "sanitaire", _("raison sanitaire")
    OTHER = "autre", _("autre raison")


class Closure(TenantModel):
    """A day or range the town closes, for every product or some ("fermeture"). An
    exceptional closure (``kind`` set) cancels the bookings of its days when it is declared;
    re-opening it (``reopened_at``) makes the days bookable again and books nobody back."""

    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    products = models.ManyToManyField(
        Product,
        through="ClosureProduct",
        blank=True,
        verbose_name=_("prestations (toutes si vide)"),
    )
    reason = models.CharField(_("motif affiché aux familles"), max_length=200)
    sites = models.ManyToManyField(
        "catalog.Site",
        through="ClosureSite",
        blank=True,
        related_name="+",
        verbose_name=_("sites (tous si vide)"),
    )
    kind = models.CharField(
        _("fermeture exceptionnelle"), max_length=12, choices=ClosureKind.choices, blank=True
    )
    declared_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["start_date"]

    def __str__(self) -> str:
        return f"{self.reason} ({self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y})"


class ClosureProduct(TenantModel):
    """A product a closure applies to; the link row carries the town like every tenant row.
    Set with ``closure.products.set(products, through_defaults={"municipality": town})``."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("prestation fermée")
        constraints = [
            models.UniqueConstraint(fields=["closure", "product"], name="closureproduct_unique")
        ]

    def __str__(self) -> str:
        return f"{self.closure_id} — {self.product_id}"


class ClosureSite(TenantModel):
    """A site a closure applies to (none: every site); its children's bookings are cancelled
    and their days closed to them."""

    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("catalog.Site", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("site fermé")
        constraints = [
            models.UniqueConstraint(fields=["closure", "site"], name="closuresite_unique")
        ]

    def __str__(self) -> str:
        return f"{self.closure_id} — {self.site_id}"


class SchoolHoliday(TenantModel):
    """School holidays the town declares itself: beyond the official data's range, or a local
    exception (e.g. a "pont")."""

    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    name = models.CharField(_("nom"), max_length=120)

    class Meta:
        verbose_name = _("vacances scolaires (saisie locale)")
        verbose_name_plural = _("vacances scolaires (saisies locales)")
        ordering = ["start_date"]

    def __str__(self) -> str:
        return self.name


def school_year_of(day: date) -> int:
    """The school year a day belongs to, named by its first year (2026 for 2026-2027)."""
    return day.year if day.month >= 9 else day.year - 1


class Site(TenantModel):
    """A town's site ("École du Centre"): where an enrolled child is cared for, what a
    facilitator sees. Chosen from the town's list, never typed, so that a typo makes no site."""

    name = models.CharField(_("nom"), max_length=120)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="site_unique_name_per_town"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(TenantModel):
    """ "Inscription": a child admitted to a service for a school year."""

    child = models.ForeignKey(
        "households.Child", on_delete=models.CASCADE, related_name="enrollments"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="enrollments")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    school = models.CharField(_("école"), max_length=150, blank=True)
    school_class = models.CharField(_("classe"), max_length=60, blank=True)
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("site"),
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["-school_year", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "service", "school_year"], name="enrollment_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.service} {self.school_year_label}"

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}-{self.school_year + 1}"

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date
