"""The invitation's e-mails, rendered by tasks after commit from ids (DESIGN convention 11).

The activation link's token is made in the task itself: ``invitation_send`` stores only the
hash of a token nobody ever sees, and the task replaces it with the hash of a fresh token that
it puts in the e-mail. So neither the task's arguments nor its return value (both kept in the
task table by the database backend) hold a token or a link that signs someone in; the
invitation row holds a hash, as always. Should the task run again (a retry), the newer link
replaces the older one: a household has one usable link at a time."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from espacefamille.accounts.models import Invitation, User
from espacefamille.accounts.tokens import hash_token, new_token
from espacefamille.core.emails import templated_email_send
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import Guardian


def activation_link(token: str, base_url: str | None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + reverse(
        "portal:activate", kwargs={"token": token}
    )


@transaction.atomic
def invitation_token_issue(*, invitation_id: int) -> tuple[Invitation, str] | None:
    """A fresh token for a still usable invitation: its hash replaces the stored one and the
    raw token is returned to the caller only (None when the link was used, has expired or was
    revoked by a newer one meanwhile)."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("guardian", "household__municipality")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    return invitation, token


@task()
def invitation_email_send(
    *, municipality_id: int, invitation_id: int, base_url: str | None
) -> None:
    with municipality_scope(municipality_id):
        issued = invitation_token_issue(invitation_id=invitation_id)
        if issued is None:
            return
        invitation, token = issued
        templated_email_send(
            to=[invitation.email],
            template="invitation",
            context={
                "municipality": invitation.household.municipality,
                "guardian": invitation.guardian,
                "link": activation_link(token, base_url),
                "expires_at": invitation.expires_at,
            },
        )


@task()
def account_created_email_send(
    *, municipality_id: int, user_id: int, guardian_id: int, base_url: str | None
) -> None:
    """ "Votre compte espace famille a bien été créé", with a link to the sign-in page of the
    portal the wizard ran on (``base_url``; ``SITE_URL`` without one)."""
    with municipality_scope(municipality_id):
        user = User.objects.filter(pk=user_id).first()
        guardian = Guardian.objects.filter(pk=guardian_id).first()
        if user is None or guardian is None:
            return
        templated_email_send(
            to=[user.email],
            template="account_created",
            context={
                "user": user,
                "guardian": guardian,
                "municipality": Municipality.objects.get(pk=municipality_id),
                "link": (base_url or settings.SITE_URL).rstrip("/") + reverse("accounts:login"),
            },
        )
