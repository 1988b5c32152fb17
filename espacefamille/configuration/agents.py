"""Agents of a town: create, change the role, disable or enable, reset a lost device.

An agent is a login with an ``AgentRole`` in the town (a family's login may also be an agent).
Every change is written to the town's action log by the function that makes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from espacefamille.accounts.errors import AccountError, AccountReason
from espacefamille.accounts.models import AgentRole, AgentRoleKind, AgentSite, User, normalize_email
from espacefamille.accounts.sessions import sessions_end
from espacefamille.accounts.two_factor import DeviceSecrets, device_provision, has_device
from espacefamille.audit.records import Actor, action_record
from espacefamille.catalog.models import Site
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import scopes_disabled


@dataclass(frozen=True)
class AgentEnrolment:
    agent_role: AgentRole
    secrets: DeviceSecrets | None  # None when the login already had its device


def agent_roles_of(*, user: User) -> list[AgentRole]:
    """The login's active roles, one per town (a cross-town read by design)."""
    with scopes_disabled():
        return list(
            AgentRole.objects.filter(user=user, is_active=True)
            .select_related("municipality")
            .order_by(Lower("municipality__name"), "municipality_id")
        )


def agent_site_names(agent_role: AgentRole) -> list[str]:
    """The names of a facilitator's sites, in order (the action log keeps names)."""
    return sorted(site.name for site in agent_role.sites.all())


def _set_sites(agent_role: AgentRole, sites: Sequence[Site]) -> None:
    """Link the role to ``sites`` (a facilitator only; the other roles see every site). A site
    of another town is refused: the form offers only the town's list."""
    wanted = (
        {site.pk: site for site in sites} if agent_role.role == AgentRoleKind.FACILITATOR else {}
    )
    if any(site.municipality_id != agent_role.municipality_id for site in wanted.values()):
        raise AccountError(
            AccountReason.SITE_OF_ANOTHER_TOWN,
            _("Ce site n'appartient pas à la commune."),
            field="sites",
        )
    AgentSite.objects.filter(agent_role=agent_role).exclude(site_id__in=list(wanted)).delete()
    linked = set(AgentSite.objects.filter(agent_role=agent_role).values_list("site_id", flat=True))
    AgentSite.objects.bulk_create(
        AgentSite(municipality_id=agent_role.municipality_id, agent_role=agent_role, site=site)
        for site_id, site in wanted.items()
        if site_id not in linked
    )


@transaction.atomic
def agent_create(
    *,
    municipality: Municipality,
    actor: Actor,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    sites: Sequence[Site],
    password: str = "",
) -> AgentEnrolment:
    """Give a login (created with ``password`` when the e-mail is new) a role in the town, and a
    TOTP device when it has none yet."""
    email = normalize_email(email)
    if role not in AgentRoleKind.values:
        raise AccountError(AccountReason.UNKNOWN_ROLE, _("Rôle inconnu."), field="role")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if not password:
            raise AccountError(
                AccountReason.PASSWORD_REQUIRED,
                _("Un mot de passe initial est nécessaire pour un nouveau compte."),
                field="password",
            )
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name
        )
    elif AgentRole.objects.filter(user=user).exists():
        raise AccountError(
            AccountReason.ALREADY_AGENT,
            _("Cette personne est déjà agent de la commune."),
            field="email",
        )
    agent_role = AgentRole.objects.create(municipality=municipality, user=user, role=role)
    _set_sites(agent_role, sites)
    device_secrets = None if has_device(user=user) else device_provision(user=user)
    action_record(
        municipality_id=municipality.pk,
        actor=actor,
        action="agent.create",
        obj=agent_role,
        changes={"rôle": [None, agent_role.role], "sites": [None, agent_site_names(agent_role)]},
    )
    return AgentEnrolment(agent_role, device_secrets)


@transaction.atomic
def agent_update(
    *, agent_role: AgentRole, actor: Actor, role: str, sites: Sequence[Site]
) -> AgentRole:
    if role not in AgentRoleKind.values:
        raise AccountError(AccountReason.UNKNOWN_ROLE, _("Rôle inconnu."), field="role")
    if agent_role.user_id == getattr(actor, "pk", None) and role != agent_role.role:
        raise AccountError(
            AccountReason.OWN_ROLE, _("Vous ne pouvez pas changer votre propre rôle."), field="role"
        )
    before = {"rôle": agent_role.role, "sites": agent_site_names(agent_role)}
    agent_role.role = role
    agent_role.save(update_fields=["role"])
    _set_sites(agent_role, sites)
    after = {"rôle": agent_role.role, "sites": agent_site_names(agent_role)}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        action_record(
            municipality_id=agent_role.municipality_id,
            actor=actor,
            action="agent.update",
            obj=agent_role,
            changes=changes,
        )
    return agent_role


@transaction.atomic
def agent_set_active(*, agent_role: AgentRole, actor: Actor, is_active: bool) -> AgentRole:
    """Disable (the back office refuses the login at its next request) or enable again."""
    if agent_role.user_id == getattr(actor, "pk", None) and not is_active:
        raise AccountError(
            AccountReason.OWN_ACCESS, _("Vous ne pouvez pas désactiver votre propre accès.")
        )
    if agent_role.is_active == is_active:
        return agent_role
    agent_role.is_active = is_active
    agent_role.save(update_fields=["is_active"])
    action_record(
        municipality_id=agent_role.municipality_id,
        actor=actor,
        action="agent.enable" if is_active else "agent.disable",
        obj=agent_role,
        changes={"actif": [not is_active, is_active]},
    )
    return agent_role


@transaction.atomic
def agent_device_reset(*, agent_role: AgentRole, actor: Actor) -> DeviceSecrets:
    """A lost phone: a new TOTP secret and new recovery codes; the agent's sessions end."""
    device_secrets = device_provision(user=agent_role.user)
    sessions_end(user_ids=[agent_role.user_id])
    action_record(
        municipality_id=agent_role.municipality_id,
        actor=actor,
        action="agent.device_reset",
        obj=agent_role,
    )
    return device_secrets
