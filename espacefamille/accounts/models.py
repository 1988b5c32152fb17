"""Logins (global: one login may hold household files in several towns), invitations and
join codes (tenant-scoped: they open one town's household file)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from espacefamille.core.models import TenantModel
from espacefamille.core.validators import validate_person_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=normalize_email(username or ""))


def normalize_email(email: str) -> str:
    """E-mail logins are compared case-insensitively; we store them lower-cased."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(
        _("prénom"), max_length=150, blank=True, validators=[validate_person_name]
    )
    last_name = models.CharField(
        _("nom"), max_length=150, blank=True, validators=[validate_person_name]
    )
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


class Invitation(TenantModel):
    """A single-use, expiring activation link sent to a guardian the town put on file."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="invitations"
    )
    guardian = models.ForeignKey(
        "households.Guardian", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.household})"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.expires_at > now


class JoinCode(TenantModel):
    """ "Code d'adhésion": ten characters a town hands a family; it links one login to the
    household file, once."""

    household = models.ForeignKey(
        "households.Household", on_delete=models.CASCADE, related_name="join_codes"
    )
    # A code for one child (separated parents): it links the child to the household of the
    # parent who enters it, in the same town. ``household`` is then the child's first one,
    # which issued it; such a code never links a login to that household.
    child = models.ForeignKey(
        "households.Child",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="join_codes",
        verbose_name=_("enfant"),
    )
    code = models.CharField(_("code d'adhésion"), max_length=10, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("code d'adhésion")
        verbose_name_plural = _("codes d'adhésion")

    def __str__(self) -> str:
        return self.code


class JoinCodeAttempt(models.Model):
    """A failed join-code entry, counted for the rate limit (per account and per address).
    Not tenant-scoped: a wrong code belongs to no town."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("tentative de code d'adhésion")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class AgentRoleKind(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrateur")
    REGIE = "regie", _("agent de régie")
    FACILITATOR = "facilitator", _("animateur")


class AgentRole(TenantModel):
    """An agent's membership of one town: the role decides the back-office screens. An agent
    of several towns holds one row per town; a facilitator sees only their sites."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agent_roles")
    role = models.CharField(_("rôle"), max_length=20, choices=AgentRoleKind.choices)
    sites = models.ManyToManyField(
        "catalog.Site",
        through="AgentSite",
        blank=True,
        related_name="+",
        verbose_name=_("sites"),
        help_text=_("Sites des inscriptions qu'un animateur voit (les autres rôles voient tout)."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user"], name="agent_one_role_per_town")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class AgentSite(TenantModel):
    """One of a facilitator's sites (the link carries the town,
    docs/architecture.md#every-row-carries-its-town)."""

    agent_role = models.ForeignKey(AgentRole, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("catalog.Site", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("site d'un agent")
        constraints = [
            models.UniqueConstraint(fields=["agent_role", "site"], name="agentsite_unique")
        ]


class HouseholdAccessLock(TenantModel):
    """A town has locked a family's access to its household file: the portal no longer opens
    that file for any of the household's logins until an agent unlocks it."""

    household = models.OneToOneField(
        "households.Household", on_delete=models.CASCADE, related_name="access_lock"
    )
    locked_at = models.DateTimeField(default=timezone.now)
    locked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("accès famille verrouillé")
        verbose_name_plural = _("accès famille verrouillés")

    def __str__(self) -> str:
        return str(self.household)


class LoginFailure(models.Model):
    """A failed sign-in on an account, whatever the address: the per-account limit across
    addresses (``accounts.login_limits``) counts these; axes counts per account and address."""

    username = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("échec de connexion")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class SignupAttempt(models.Model):
    """A sign-up sent from a client address, for the per-address sign-up limit."""

    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("demande de création de compte")
        indexes = [models.Index(fields=["address", "at"])]

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M}"


class SecondFactorThrottle(models.Model):
    """An agent's wrong second-factor codes in a row, TOTP and recovery codes together, and the
    lock they led to (``accounts.second_factor_limits``); a right code clears the count."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("compte")
    )
    failures = models.PositiveIntegerField(_("codes incorrects de suite"), default=0)
    last_failure_at = models.DateTimeField(_("dernier code incorrect"), null=True, blank=True)
    locked_until = models.DateTimeField(_("bloqué jusqu'à"), null=True, blank=True)

    class Meta:
        verbose_name = _("blocage du second facteur")
        verbose_name_plural = _("blocages du second facteur")

    def __str__(self) -> str:
        return str(self.user)
