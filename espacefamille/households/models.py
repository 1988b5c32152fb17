"""The household file ("Gestion du foyer"): guardians, children, pickups, emergency contacts,
image consents and the change log the town reads."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from espacefamille.core.models import TenantModel
from espacefamille.core.validators import (
    postcode_error,
    validate_birth_date,
    validate_child_birth_date,
    validate_person_name,
    validate_single_line_text,
)

NAME = [validate_person_name]
LINE = [validate_single_line_text]


class Civility(models.TextChoices):
    MR = "M", _("Monsieur")
    MRS = "MME", _("Madame")


class ChildCivility(models.TextChoices):
    BOY = "G", _("Garçon")
    GIRL = "F", _("Fille")


class Household(TenantModel):
    name = models.CharField(_("nom du foyer"), max_length=150, validators=LINE)
    external_ref = models.CharField(
        _("référence dans le logiciel précédent"), max_length=64, blank=True, default=""
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("foyer")
        verbose_name_plural = _("foyers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="household_unique_ref_per_town",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Guardian(TenantModel):
    """A parent or legal guardian ("responsable légal"); receives the invoices."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="guardians")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardianships",
    )
    rank = models.PositiveSmallIntegerField(_("rang"), default=1)
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100, validators=NAME)
    last_name = models.CharField(_("nom"), max_length=100, validators=NAME)
    birth_date = models.DateField(
        _("date de naissance"), null=True, blank=True, validators=[validate_birth_date]
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True, validators=LINE)
    address_complement = models.CharField(
        _("complément"), max_length=255, blank=True, validators=LINE
    )
    postcode = models.CharField(_("code postal"), max_length=10, blank=True, validators=LINE)
    city = models.CharField(_("ville"), max_length=120, blank=True, validators=LINE)
    country = models.CharField(
        _("pays"), max_length=80, default="France", blank=True, validators=LINE
    )
    mobile_phone = PhoneNumberField(_("téléphone mobile"), blank=True)
    landline_phone = PhoneNumberField(_("téléphone fixe"), blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    employer = models.CharField(_("employeur"), max_length=150, blank=True, validators=LINE)
    employer_mobile_phone = PhoneNumberField(_("téléphone mobile de l'employeur"), blank=True)
    employer_landline_phone = PhoneNumberField(_("téléphone fixe de l'employeur"), blank=True)

    class Meta:
        verbose_name = _("responsable")
        verbose_name_plural = _("responsables")
        ordering = ["rank", "pk"]
        constraints = [
            # One login has at most one household file per town.
            models.UniqueConstraint(fields=["municipality", "user"], name="guardian_one_per_town"),
            models.UniqueConstraint(fields=["household", "rank"], name="guardian_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        super().clean()
        error = postcode_error(self.postcode, country=self.country)
        if error:
            raise ValidationError({"postcode": error})


class Diet(TenantModel):
    """A diet a town offers ("sans porc", "végétarien"…): never a religious category (CNIL)."""

    label = models.CharField(_("libellé"), max_length=80)
    is_active = models.BooleanField(_("proposé aux familles"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("régime alimentaire")
        verbose_name_plural = _("régimes alimentaires")
        ordering = ["position", "label"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "label"], name="diet_unique_label")
        ]

    def __str__(self) -> str:
        return self.label


class Child(TenantModel):
    # The child's first (home) household. A child of separated parents may also belong to other
    # households of the town (``ChildHousehold``, households/sharing.py); the child's own data
    # (name, birth date, school, diets, PAI, image consents) is this one record, shared.
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="children")
    civility = models.CharField(
        _("civilité"), max_length=1, choices=ChildCivility.choices, blank=True
    )
    first_name = models.CharField(_("prénom"), max_length=100, validators=NAME)
    last_name = models.CharField(_("nom"), max_length=100, validators=NAME)
    birth_date = models.DateField(_("date de naissance"), validators=[validate_child_birth_date])
    school = models.CharField(_("école"), max_length=150, blank=True)
    school_class = models.CharField(_("classe"), max_length=60, blank=True)
    diets = models.ManyToManyField(
        Diet, through="ChildDiet", blank=True, verbose_name=_("régime alimentaire")
    )
    has_care_plan = models.BooleanField(_("PAI (projet d'accueil individualisé)"), default=False)

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["birth_date", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ChildHousehold(TenantModel):
    """A child's membership of a household other than its first one (separated parents, each
    household booking and paying its own days). Unlinking ends the membership
    (``ended_at``) and keeps the row: past bookings and invoices stay with the household
    that made them."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="shared_children"
    )
    linked_at = models.DateTimeField(default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("autre foyer de l'enfant")
        verbose_name_plural = _("autres foyers de l'enfant")
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "household"],
                condition=models.Q(ended_at__isnull=True),
                name="childhousehold_one_live",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} — {self.household_id}"


class CustodyKind(models.TextChoices):
    FREE = "free", _("libre")
    ALTERNATE_WEEKS = "weeks", _("une semaine sur deux")
    WEEKDAYS = "weekdays", _("jours de la semaine")


class CustodyPattern(TenantModel):
    """Who has the child which day ("garde alternée"): week A (from ``start_date``'s week)
    with the first household and week B with the other, or the first household's weekdays
    (the other household has the rest), or free. It pre-fills "Réserver pour une période"
    and warns; it never refuses a booking."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="custody")
    kind = models.CharField(
        _("rythme de garde"), max_length=8, choices=CustodyKind.choices, default=CustodyKind.FREE
    )
    start_date = models.DateField(_("début de la semaine A"), null=True, blank=True)
    # "0,1" = Monday and Tuesday with the first household (``WEEKDAYS``).
    home_weekdays = models.CharField(max_length=20, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rythme de garde")

    def __str__(self) -> str:
        return f"{self.child_id}: {self.kind}"


class PresenceBilling(models.TextChoices):
    CUSTODY = "custody", _("au foyer qui a la garde ce jour-là (sinon au premier foyer)")
    FIRST = "first", _("toujours au premier foyer de l'enfant")


class SharingSettings(TenantModel):
    """A town's choice for the children of separated parents: to which household a presence
    without booking (or another attendance rule on a day nobody booked) is billed."""

    presence_billed_to = models.CharField(
        _("présence sans réservation facturée"),
        max_length=8,
        choices=PresenceBilling.choices,
        default=PresenceBilling.CUSTODY,
    )

    class Meta:
        verbose_name = _("réglages des enfants en garde partagée")
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="sharingsettings_one_per_town")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.presence_billed_to}"


class ChildDiet(TenantModel):
    """A child's diet: the link row carries the town like every tenant row
    (docs/architecture.md#every-row-carries-its-town). Set it with ``child.diets.set(diets,
    through_defaults={"municipality": town})``."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    diet = models.ForeignKey(Diet, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("régime d'un enfant")
        constraints = [models.UniqueConstraint(fields=["child", "diet"], name="childdiet_unique")]

    def __str__(self) -> str:
        return f"{self.child_id} — {self.diet_id}"


class ConsentPurpose(TenantModel):
    """One use of a child's image the town asks consent for ("Droit à l'image")."""

    label = models.CharField(_("libellé"), max_length=120)
    wording = models.TextField(_("texte soumis aux familles"))
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("usage de l'image")
        verbose_name_plural = _("usages de l'image")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class ImageConsent(TenantModel):
    """Append-only record: the latest row per child and purpose is the current answer; every
    row keeps who answered, when, and the exact wording they saw."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="image_consents")
    purpose = models.ForeignKey(ConsentPurpose, on_delete=models.PROTECT, related_name="+")
    granted = models.BooleanField()
    wording = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consentement droit à l'image")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["child", "purpose", "-recorded_at"])]


class HouseholdPerson(TenantModel):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    last_name = models.CharField(_("nom"), max_length=100, validators=NAME)
    first_name = models.CharField(_("prénom"), max_length=100, validators=NAME)
    phone = PhoneNumberField(_("téléphone"))
    relationship = models.CharField(
        _("lien avec l'enfant"), max_length=80, blank=True, validators=LINE
    )

    class Meta:
        abstract = True
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"


class AuthorizedPickup(HouseholdPerson):
    """ "Personne autorisée à venir chercher l'enfant"."""

    class Meta(HouseholdPerson.Meta):
        verbose_name = _("personne autorisée à récupérer l'enfant")
        verbose_name_plural = _("personnes autorisées à récupérer l'enfant")


class EmergencyContact(HouseholdPerson):
    """ "Personne à prévenir en cas d'urgence"."""

    class Meta(HouseholdPerson.Meta):
        verbose_name = _("personne à prévenir en cas d'urgence")
        verbose_name_plural = _("personnes à prévenir en cas d'urgence")


class HouseholdChange(TenantModel):
    """The change log a town reads: who changed what in a household file, old → new."""

    class Action(models.TextChoices):
        CREATE = "create", _("ajout")
        UPDATE = "update", _("modification")
        DELETE = "delete", _("suppression")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=6, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField(null=True)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict)
    # A change of a shared child's data made by its other household: shown to this household
    # as made by "l'autre foyer", never by name.
    by_other_household = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("modification du dossier")
        verbose_name_plural = _("modifications du dossier")
        ordering = ["-at", "-pk"]
