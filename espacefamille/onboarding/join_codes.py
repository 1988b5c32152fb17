"""Join codes ("code d'adhésion"): ten characters that link a login to a town's household file.
A code works once; wrong, used and expired codes get a clear message; failures are
rate-limited per account and per address. A code may also stand for one child of separated
parents (``child_join_codes``): entered here like the others, it links that child to the
household of whoever enters it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from espacefamille.accounts.errors import AccountError, AccountReason
from espacefamille.accounts.models import JoinCode, JoinCodeAttempt, User
from espacefamille.accounts.tokens import normalize_join_code
from espacefamille.audit.records import Actor, action_record
from espacefamille.core.tenancy import scopes_disabled
from espacefamille.households.models import Child, Guardian, Household

from .child_join_codes import child_join
from .join_code_draw import join_code_draw


@dataclass(frozen=True)
class Joined:
    """What a code did: ``guardian`` is the login's guardian in the town; ``child`` the child
    that a child's code linked to that guardian's household (None for a household's code)."""

    guardian: Guardian
    child: Child | None = None


@transaction.atomic
def join_code_for(*, household: Household) -> JoinCode:
    """The household's usable code, created when it has none (so printing codes twice does not
    hand out two codes; the household's row lock keeps two runs from drawing two)."""
    Household.objects.select_for_update().get(pk=household.pk)
    now = timezone.now()
    existing = (
        JoinCode.objects.filter(
            household=household, child__isnull=True, used_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
    if existing:
        return existing
    return join_code_draw(household=household, now=now, validity=settings.JOIN_CODE_VALIDITY)


@transaction.atomic
def join_code_issue(*, household: Household, actor: Actor) -> JoinCode:
    """An agent hands out the household's join code: the usable one, or a new one (logged;
    the code itself stays out of the log)."""
    Household.objects.select_for_update().get(pk=household.pk)
    had_one = JoinCode.objects.filter(
        household=household, child__isnull=True, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()
    code = join_code_for(household=household)
    if not had_one:
        action_record(
            municipality_id=household.municipality_id,
            actor=actor,
            action="join_code.create",
            obj=household,
            changes={"valable jusqu'au": [None, code.expires_at.date().isoformat()]},
        )
    return code


def _too_many_failures(user: User, ip_address: str | None) -> bool:
    since = timezone.now() - settings.JOIN_CODE_FAILURE_WINDOW
    recent = JoinCodeAttempt.objects.filter(created_at__gte=since)
    by_user = recent.filter(user=user).count()
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    return max(by_user, by_ip) >= settings.JOIN_CODE_MAX_FAILURES


def _fail(user: User, ip_address: str | None, failure: tuple[AccountReason, str]) -> AccountError:
    JoinCodeAttempt.objects.create(user=user, ip_address=ip_address)
    return AccountError(*failure, field="code")


def join_code_redeem(*, user: User, code: str, ip_address: str | None) -> Joined:
    """Link ``user`` to the household file behind ``code`` (or, for a child's code, that child
    to the user's household in the code's town), or raise ``AccountError``."""
    from espacefamille.households.services import guardian_link_account

    if _too_many_failures(user, ip_address):
        minutes = int(settings.JOIN_CODE_FAILURE_WINDOW.total_seconds() // 60)
        raise AccountError(
            AccountReason.TOO_MANY_ATTEMPTS,
            ngettext(
                "Trop de codes erronés. Réessayez dans %(minutes)s minute.",
                "Trop de codes erronés. Réessayez dans %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
            field="code",
        )
    normalized = normalize_join_code(code)
    with scopes_disabled():
        failure: tuple[AccountReason, str] | None = None
        with transaction.atomic():
            join_code = (
                JoinCode.objects.select_for_update()
                .select_related("household", "municipality")
                .filter(code=normalized)
                .first()
            )
            if join_code is None:
                failure = (
                    AccountReason.CODE_UNKNOWN,
                    _("Ce code d'adhésion n'existe pas. Vérifiez la saisie."),
                )
            elif join_code.used_at is not None:
                failure = (
                    AccountReason.CODE_USED,
                    _(
                        "Ce code d'adhésion a déjà été utilisé. Un code n'est valable "
                        "qu'une seule fois."
                    ),
                )
            elif join_code.expires_at <= timezone.now():
                failure = (
                    AccountReason.CODE_EXPIRED,
                    _("Ce code d'adhésion a expiré. Demandez un nouveau code à votre commune."),
                )
            elif join_code.child_id is not None:
                try:
                    with transaction.atomic():
                        linked = child_join(join_code=join_code, user=user)
                except AccountError as error:
                    failure = (AccountReason(error.reason), error.message)
                else:
                    return Joined(guardian=linked, child=join_code.child)
            elif Guardian.objects.filter(municipality=join_code.municipality, user=user).exists():
                failure = (
                    AccountReason.ACCOUNT_ALREADY_IN_TOWN,
                    _("Votre compte est déjà rattaché à un foyer de %(town)s.")
                    % {"town": join_code.municipality.name},
                )
            elif (guardian := _guardian_to_link(join_code.household, user)) is None:
                failure = (
                    AccountReason.NO_FREE_GUARDIAN,
                    _(
                        "Tous les responsables de ce foyer ont déjà un compte. "
                        "Contactez votre commune."
                    ),
                )
            else:
                guardian_link_account(guardian=guardian, user=user, actor=user)
                join_code.used_at = timezone.now()
                join_code.used_by = user
                join_code.save(update_fields=["used_at", "used_by"])
                return Joined(guardian=guardian)
        raise _fail(user, ip_address, failure)


def _guardian_to_link(household: Household, user: User) -> Guardian | None:
    """The guardian with the login's e-mail, else the first one without an account."""
    free = Guardian.objects.select_for_update().filter(household=household, user__isnull=True)
    return free.filter(Q(email__iexact=user.email)).first() or free.order_by("rank").first()
