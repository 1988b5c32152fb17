"""Invitations: the town puts a household on file, the guardian gets a single-use, expiring
link to choose a password ("Choisir un mot de passe") and finish the account wizard. The
e-mails are tasks queued after commit with ids only; the link's token is made by the task
(invitation_emails.py), so no task row ever holds it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.accounts.errors import AccountError, AccountReason
from espacefamille.accounts.models import Invitation, User, normalize_email
from espacefamille.accounts.tokens import hash_token, new_token
from espacefamille.audit.records import Actor, action_record
from espacefamille.core.task_queue import task_enqueue_on_commit
from espacefamille.core.tenancy import municipality_scope, scopes_disabled
from espacefamille.households.models import Guardian, Household

from .invitation_emails import (
    account_created_email_send,
    activation_link,
    invitation_email_send,
    invitation_token_issue,
)


@dataclass(frozen=True)
class SentInvitation:
    """The invitation whose e-mail is queued (its link is made by the task)."""

    invitation: Invitation


def household_is_activated(household: Household) -> bool:
    return Guardian.objects.filter(household=household, user__isnull=False).exists()


@transaction.atomic
def invitation_send(
    *, guardian: Guardian, base_url: str | None = None, actor: Actor = None
) -> SentInvitation:
    """Create a new activation link for this guardian, revoke the household's older ones (a
    household has one usable link at a time), e-mail it once committed, and log who sent it."""
    invitation = _invitation_create(guardian)
    municipality_id, invitation_id = invitation.municipality_id, invitation.pk
    task_enqueue_on_commit(
        invitation_email_send,
        municipality_id=municipality_id,
        invitation_id=invitation_id,
        base_url=base_url,
    )
    action_record(
        municipality_id=guardian.municipality_id,
        actor=actor,
        action="invitation.send",
        obj=guardian.household,
        changes={"destinataire": [None, invitation.email]},
    )
    return SentInvitation(invitation)


@transaction.atomic
def invitation_link_issue(*, guardian: Guardian, base_url: str | None = None) -> str:
    """A new activation link given to the caller instead of e-mailed (the demo prints it for
    whoever tries the demo); older links are revoked as by ``invitation_send``."""
    invitation = _invitation_create(guardian)
    issued = invitation_token_issue(invitation_id=invitation.pk)
    assert issued is not None  # just created, so usable
    return activation_link(issued[1], base_url)


def _invitation_create(guardian: Guardian) -> Invitation:
    """The new invitation, with the hash of a token nobody sees: the link is usable once a
    fresh token replaces it (``invitation_token_issue``)."""
    if not guardian.email:
        raise AccountError(
            AccountReason.NO_EMAIL_ADDRESS, _("Ce responsable n'a pas d'adresse e-mail.")
        )
    now = timezone.now()
    Invitation.objects.filter(
        household_id=guardian.household_id, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    return Invitation.objects.create(
        municipality_id=guardian.municipality_id,
        household=guardian.household,
        guardian=guardian,
        email=normalize_email(guardian.email),
        token_hash=hash_token(new_token()),
        created_at=now,
        expires_at=now + settings.INVITATION_VALIDITY,
    )


def invitation_find(token: str) -> Invitation:
    """The invitation behind a link, or a French message saying why it cannot be used."""
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("municipality", "household", "guardian")
            .filter(token_hash=hash_token(token))
            .first()
        )
    if invitation is None:
        raise AccountError(AccountReason.LINK_INVALID, _("Ce lien d'activation n'est pas valide."))
    if invitation.used_at is not None:
        raise AccountError(
            AccountReason.LINK_USED,
            _("Ce lien d'activation a déjà été utilisé. Connectez-vous avec votre adresse e-mail."),
        )
    if invitation.expires_at <= timezone.now():
        raise AccountError(
            AccountReason.LINK_EXPIRED,
            _("Ce lien d'activation a expiré. Demandez un nouveau lien à votre commune."),
        )
    return invitation


def account_activate(
    *,
    token: str,
    password_hash: str,
    guardian_data: dict[str, Any] | None = None,
    base_url: str | None = None,
) -> User:
    """Finish the wizard: create the login (or reuse the one with this e-mail), link it to the
    guardian, spend the link, and send "Votre compte espace famille a bien été créé", whose
    link reaches the portal the wizard ran on (``base_url``; ``SITE_URL`` without one)."""
    from espacefamille.households.services import guardian_link_account, guardian_update

    invitation = invitation_find(token)
    with municipality_scope(invitation.municipality_id), transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_usable():
            raise AccountError(
                AccountReason.LINK_USED, _("Ce lien d'activation a déjà été utilisé.")
            )
        guardian = Guardian.objects.select_for_update().get(pk=locked.guardian_id)
        if guardian.user_id is not None:
            raise AccountError(
                AccountReason.GUARDIAN_HAS_ACCOUNT, _("Ce responsable a déjà un compte.")
            )
        user = User.objects.filter(email__iexact=locked.email).first()
        if user is None:
            user = User(
                email=locked.email,
                first_name=guardian.first_name,
                last_name=guardian.last_name,
                password=password_hash,
            )
            user.save()
        elif Guardian.objects.filter(user=user).exists():
            raise AccountError(
                AccountReason.ACCOUNT_ALREADY_IN_TOWN,
                _("Ce compte a déjà un dossier famille dans cette commune."),
            )
        guardian_link_account(guardian=guardian, user=user, actor=user)
        if guardian_data:
            guardian_update(guardian=guardian, data=guardian_data, actor=user)
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        municipality_id, user_id, guardian_id = locked.municipality_id, user.pk, guardian.pk
        task_enqueue_on_commit(
            account_created_email_send,
            municipality_id=municipality_id,
            user_id=user_id,
            guardian_id=guardian_id,
            base_url=base_url,
        )
    return user
