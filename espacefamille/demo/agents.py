"""Demo agents: one per role in the Commune de Démo and an administrator of the Commune
Voisine, each with a fixed base32 TOTP secret so that any authenticator app — or a test — can
produce their codes. Published in the README: never use them outside a demo."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from espacefamille.accounts.models import AgentRole, AgentRoleKind, AgentSite, User
from espacefamille.accounts.two_factor import base32_secret, device_provision
from espacefamille.catalog.models import Site
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope

AGENT_PASSWORD = "Demo-Agent-2026!"  # noqa: S105 - published demo login (README)
ROLE_LABELS: dict[str, str] = {
    AgentRoleKind.ADMINISTRATOR: "administrateur",
    AgentRoleKind.REGIE: "régie",
    AgentRoleKind.FACILITATOR: "animateur",
}


@dataclass(frozen=True)
class DemoAgent:
    town_slug: str
    email: str
    first_name: str
    last_name: str
    role: str
    secret: str
    sites: tuple[str, ...] = ()


DEMO_AGENTS = [
    DemoAgent(
        "demo",
        "admin.demo@example.org",
        "Agnès",
        "ADMIN",
        AgentRoleKind.ADMINISTRATOR,
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ),
    DemoAgent(
        "demo",
        "regie.demo@example.org",
        "Rémi",
        "REGIE",
        AgentRoleKind.REGIE,
        "KRUGKIDROVUWG2ZAMJZG653OEBTG66BA",
    ),
    DemoAgent(
        "demo",
        "animateur.demo@example.org",
        "Anaïs",
        "ANIMATRICE",
        AgentRoleKind.FACILITATOR,
        "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U",
        ("École du Centre",),
    ),
    DemoAgent(
        "voisine",
        "admin.voisine@example.org",
        "Victor",
        "VOISIN",
        AgentRoleKind.ADMINISTRATOR,
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    ),
]


@dataclass(frozen=True)
class DemoAgentLine:
    role_label: str
    town: str
    email: str
    password: str
    secret: str

    def __str__(self) -> str:
        return (
            f"Agent {self.role_label} ({self.town}) : {self.email} / {self.password} / "
            f"TOTP {self.secret}"
        )


def demo_device(*, user: User, secret: str) -> None:
    """Give the login a TOTP device with this published secret (kept when it already has it)."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None or base32_secret(device) != secret:
        device_provision(user=user, secret=secret)


def _agent(spec: DemoAgent) -> DemoAgentLine:
    town = Municipality.objects.get(slug=spec.town_slug)
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User.objects.create_user(
            spec.email, AGENT_PASSWORD, first_name=spec.first_name, last_name=spec.last_name
        )
    with municipality_scope(town):
        role, _created = AgentRole.objects.update_or_create(
            municipality=town, user=user, defaults={"role": spec.role, "is_active": True}
        )
        for name in spec.sites:
            site, _new = Site.objects.get_or_create(municipality=town, name=name)
            AgentSite.objects.get_or_create(municipality=town, agent_role=role, site=site)
    demo_device(user=user, secret=spec.secret)
    return DemoAgentLine(ROLE_LABELS[spec.role], town.name, spec.email, AGENT_PASSWORD, spec.secret)


def load_agents() -> list[DemoAgentLine]:
    """Create (or keep) the demo agents; loading twice changes nothing."""
    return [_agent(spec) for spec in DEMO_AGENTS]
