"""Tenancy: the Municipality and the base class of every row that belongs to one."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from phonenumber_field.modelfields import PhoneNumberField


def new_calendar_version() -> int:
    return secrets.randbits(62)


class HolidayZone(models.TextChoices):
    A = "A", _("Zone A")
    B = "B", _("Zone B")
    C = "C", _("Zone C")


class PickupRule(models.TextChoices):
    """How a family changes its "personnes autorisées à récupérer l'enfant": one rule per
    town, obeyed by "Gestion du foyer" and by the requests alike."""

    FREE = "free", _("modifiées librement par la famille dans « Gestion du foyer »")
    REQUEST = "request", _("sur demande, avec une pièce d'identité")


class Municipality(models.Model):
    """The tenant: a town, a group of towns or a syndicate ("collectivité")."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    opening_hours = models.TextField(_("horaires d'ouverture"), blank=True)
    phone = PhoneNumberField(_("téléphone"), blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    holiday_zone = models.CharField(
        _("zone de vacances scolaires"),
        max_length=1,
        choices=HolidayZone.choices,
        default=HolidayZone.C,
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    # The town's own look (configuration/town_look.py): the logo's recognised type, and the
    # main colour the portal's palette derives from (core/palette.py); empty: the default.
    logo_type = models.CharField(max_length=40, blank=True, editable=False)
    main_colour = models.CharField(_("couleur principale"), max_length=7, blank=True)
    max_guardians = models.PositiveSmallIntegerField(
        _("nombre maximal de responsables par foyer"), default=2
    )
    pickup_rule = models.CharField(
        _("personnes autorisées à récupérer l'enfant"),
        max_length=10,
        choices=PickupRule.choices,
        default=PickupRule.FREE,
        help_text=_(
            "Librement : la famille les ajoute et les retire elle-même. Sur demande : elle "
            "envoie une demande « Autorisation de récupération » avec une pièce d'identité."
        ),
    )
    # "Données personnelles": who answers the families' requests about their data, and how
    # long a household file without any activity is kept before ``purge_expired``
    # anonymises it (CNIL: the time of the service, then 3 years; invoices 10 years).
    data_protection_contact = models.CharField(
        _("contact du délégué à la protection des données"),
        max_length=255,
        blank=True,
        help_text=_("Adresse e-mail ou postale du DPO ; à défaut, l'adresse de la commune."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("durée de conservation d'un dossier sans activité (années)"), default=3
    )
    # Drawn again in the same transaction as any change of the town's closures or local
    # school holidays, so a page may reuse the calendar it read for the same version
    # (catalog.calendar). Random rather than a counter: a town deleted and recreated, or a
    # rolled-back change, never meets an old version again.
    calendar_version = models.BigIntegerField(default=new_calendar_version, editable=False)
    # The events the town's other software listens to (the names of its active webhook
    # subscriptions), rewritten in the same transaction as any change of them
    # (api.webhook_subscriptions): an event nobody listens to costs no read after its commit.
    listened_events = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base of every tenant-scoped row: it carries ``municipality`` and its default manager
    refuses to run a query unless a municipality scope is active (django-scopes)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("collectivité"), related_name="+"
    )

    objects = ScopedManager(municipality="municipality")

    class Meta:
        abstract = True
