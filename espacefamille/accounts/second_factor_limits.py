"""Wrong second-factor codes, counted per agent whatever the means (the authenticator app or a
recovery code), and the lock they lead to.

django-otp makes each device wait after a failure (1, 2, 4… seconds, doubling). On top of it,
``SECOND_FACTOR_FAILURE_LIMIT`` wrong codes in a row lock the agent's second factor for
``SECOND_FACTOR_LOCK_TIME``: every code is then refused, the right one too; the agent gets an
e-mail, and the action log of each town where the login is an agent records every failure and
the lock. A right code clears the count; a lock that has run its time starts a new count.

``two_factor.second_factor_verify`` writes these rows (and django-otp's own counters) in a
transaction that commits even when the code is refused, and raises only after it: a refusal
must never roll its own record back."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from espacefamille.audit.records import action_record
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope, scopes_disabled

from .models import AgentRole, SecondFactorThrottle, User

logger = logging.getLogger("espacefamille.security")

TOTP = "totp"
RECOVERY = "recovery"
MEANS_LABELS = {
    TOTP: gettext_lazy("application d'authentification"),
    RECOVERY: gettext_lazy("code de secours"),
}
# Say how many tries are left once this few remain.
_WARN_WHEN_LEFT = 3


def throttle_for_update(*, user: User) -> SecondFactorThrottle:
    """The login's counter, locked until the end of the transaction."""
    SecondFactorThrottle.objects.get_or_create(user=user)
    return SecondFactorThrottle.objects.select_for_update().get(user=user)


def throttle_clear(*, user: User) -> None:
    """A right code, or new devices given by an administrator: a fresh count, no lock."""
    SecondFactorThrottle.objects.filter(user=user).update(
        failures=0, last_failure_at=None, locked_until=None
    )


def retry_from(moment: datetime) -> str:
    """When to try again, in the town's time, rounded up to the minute: "à partir de 21:56"
    (with the day when it is not today)."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    hour = local.strftime("%H:%M")
    if local.date() == timezone.localdate():
        return _("à partir de %(hour)s") % {"hour": hour}
    return _("à partir du %(day)s à %(hour)s") % {"day": local.strftime("%d/%m/%Y"), "hour": hour}


def lock_minutes() -> int:
    return int(settings.SECOND_FACTOR_LOCK_TIME.total_seconds() // 60)


def lock_message(locked_until: datetime) -> str:
    return _(
        "Trop de codes incorrects de suite : la vérification en deux étapes de ce compte est "
        "bloquée. Réessayez %(retry)s ; un e-mail vous a été envoyé."
    ) % {"retry": retry_from(locked_until)}


def wait_message(until: datetime | None) -> str:
    """django-otp's delay after a failure on this device."""
    if until is None or until - timezone.now() < timedelta(minutes=1):
        return _("Trop de codes incorrects : patientez quelques secondes avant de réessayer.")
    return _("Trop de codes incorrects : réessayez %(retry)s.") % {"retry": retry_from(until)}


def current_lock(throttle: SecondFactorThrottle) -> str | None:
    """The refusal while the login is locked; a lock that has run out is cleared."""
    if throttle.locked_until is None:
        return None
    if timezone.now() < throttle.locked_until:
        return lock_message(throttle.locked_until)
    throttle.failures = 0
    throttle.locked_until = None
    throttle.save(update_fields=["failures", "locked_until"])
    return None


def _log(*, user: User, action: str, changes: dict[str, Any]) -> None:
    """One entry in the log of each town where the login is an agent (a superuser without a
    town has only the server's log)."""
    with scopes_disabled():
        roles = list(AgentRole.objects.filter(user=user).select_related("user"))
    for role in roles:
        with municipality_scope(role.municipality_id):
            action_record(
                municipality_id=role.municipality_id,
                actor=user,
                action=action,
                obj=role,
                changes=changes,
            )


def failure_record(*, throttle: SecondFactorThrottle, user: User, means: str) -> str:
    """Count one wrong code, lock at the limit; the refusal to show."""
    now = timezone.now()
    limit = settings.SECOND_FACTOR_FAILURE_LIMIT
    throttle.failures += 1
    throttle.last_failure_at = now
    locked = throttle.failures >= limit
    if locked:
        throttle.locked_until = now + settings.SECOND_FACTOR_LOCK_TIME
    throttle.save()
    logger.warning(
        "Wrong second-factor code (%s) for login %s: %s in a row.",
        means,
        user.pk,
        throttle.failures,
    )
    _log(
        user=user,
        action="agent.second_factor_failure",
        changes={
            "moyen": [None, str(MEANS_LABELS[means])],
            "codes incorrects de suite": [throttle.failures - 1, throttle.failures],
        },
    )
    if not locked:
        message = _("Code incorrect ou déjà utilisé.")
        left = limit - throttle.failures
        if left <= _WARN_WHEN_LEFT:
            message += " " + ngettext(
                "Encore %(left)s essai avant le blocage de la vérification pendant "
                "%(minutes)s minutes.",
                "Encore %(left)s essais avant le blocage de la vérification pendant "
                "%(minutes)s minutes.",
                left,
            ) % {"left": left, "minutes": lock_minutes()}
        return message
    assert throttle.locked_until is not None
    logger.warning("Second factor of login %s locked until %s.", user.pk, throttle.locked_until)
    _log(
        user=user,
        action="agent.second_factor_lock",
        changes={
            "bloqué jusqu'à": [
                None,
                timezone.localtime(throttle.locked_until).strftime("%d/%m/%Y %H:%M"),
            ]
        },
    )
    user_id = user.pk
    task_enqueue_on_commit(second_factor_lock_email_send, user_id=user_id)
    return lock_message(throttle.locked_until)


@task()
def second_factor_lock_email_send(*, user_id: int) -> None:
    """Tell the agent their second factor is locked (rendered here, from the login's id)."""
    user = User.objects.filter(pk=user_id).first()
    throttle = SecondFactorThrottle.objects.filter(user_id=user_id).first()
    if user is None or throttle is None or throttle.locked_until is None:
        return
    context = {
        "user": user,
        "failures": settings.SECOND_FACTOR_FAILURE_LIMIT,
        "retry": retry_from(throttle.locked_until),
        "password_link": settings.SITE_URL + reverse("accounts:password_reset"),
    }
    subject = render_to_string("emails/second_factor_locked_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("emails/second_factor_locked.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("emails/second_factor_locked.html", context), "text/html"
    )
    message.send()
