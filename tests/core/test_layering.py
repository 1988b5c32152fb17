"""The apps stand in layers (docs/architecture.md, "The apps and their layers"): an app imports
only apps of lower layers, never one of its own layer or above. ``LAYERS`` below is the one
place that declares the order; the document gives the same order with its reasons.

Every import counts: absolute or relative (``from ..billing import x``), at the top of a module
or inside a function, and under ``if TYPE_CHECKING:``. A model named by a string (a foreign key
to ``"catalog.Site"``, ``apps.get_model``) is no import and is not checked."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

import espacefamille
import espacefamille.core

PACKAGE = Path(espacefamille.__file__).parent
CORE = Path(espacefamille.core.__file__).parent

# Bottom first. An app may import the apps of every layer below its own, and no other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),  # tenancy, money, dates, files: no domain at all
    ("audit",),  # the action log every service writes to
    ("accounts",),  # logins: users, passwords, sessions, second factor
    ("households",),  # families: households, guardians, children, diets, access locks
    ("catalog",),  # what a town offers: services, products, calendar, enrolments, sites
    ("inquiries", "news"),  # families' requests; the town's news
    ("bookings",),  # the booking core: rules, cart, ledger, locking, waiting list
    ("notifications",),  # telling families: preferences, e-mail, SMS, web push, deliveries
    ("billing", "kitchen", "configuration"),  # invoicing; meal counts; a town's set-up
    ("payments", "attendance"),  # online payment; taps and sheets (refuse invoiced days)
    ("counter",),  # agents' bookings for a family (refuse invoiced days)
    ("directdebit", "quotient"),  # SEPA mandates and debits; the family quotient
    ("pes",),  # PES V2 titles for the treasury (carry the debit data)
    ("privacy", "onboarding"),  # export and retention; import, invitations, join codes
    ("portal", "backoffice", "demo", "api"),  # the front doors (families, agents, other
    # software) and the demo town
)

# Pairs (importer, imported) of the same layer that may import each other's modules, one way.
SAME_LAYER_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        # The back office's Configuration › Accès API screens call the API's key and webhook
        # services; the demo town prints a demo key. The API imports neither.
        ("backoffice", "api"),
        ("demo", "api"),
    }
)

LAYER_OF = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _package_of(path: Path) -> str | None:
    """The dotted package a module of ``espacefamille`` sits in (None outside it); for an
    ``__init__.py``, the package it opens."""
    try:
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    except ValueError:
        return None
    return ".".join(parts[:-1])


def _imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Every module ``path`` imports, relative imports resolved against ``package`` (by default
    the package the file sits in)."""
    package = package or _package_of(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            assert package, f"{path}: a relative import outside a known package"
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - (node.level - 1)])
            if node.module:
                modules.add(f"{base}.{node.module}")
            else:
                modules.update(f"{base}.{alias.name}" for alias in node.names)
    return modules


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "espacefamille" else None


def _apps_on_disk() -> set[str]:
    return {path.parent.name for path in PACKAGE.glob("*/__init__.py")}


def _modules() -> list[Path]:
    return [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]


def test_every_app_has_a_layer() -> None:
    installed = {
        _app_of(entry) for entry in settings.INSTALLED_APPS if entry.startswith("espacefamille.")
    }
    missing = sorted((_apps_on_disk() | installed) - LAYER_OF.keys())
    assert not missing, (
        f"espacefamille app(s) in no layer: {missing}. Add each to LAYERS in "
        "tests/core/test_layering.py (above every app it imports, below every app that imports "
        "it) and to the table in docs/architecture.md."
    )
    unknown = sorted(LAYER_OF.keys() - _apps_on_disk())
    assert not unknown, f"LAYERS names apps that do not exist: {unknown}"


def _offence(importer: str, imported: str) -> str | None:
    if importer == imported or importer not in LAYER_OF or imported not in LAYER_OF:
        return None
    if LAYER_OF[imported] < LAYER_OF[importer]:
        return None
    if LAYER_OF[imported] == LAYER_OF[importer]:
        if (importer, imported) in SAME_LAYER_ALLOWED:
            return None
        return "its own layer"
    return "a layer above it"


def test_no_app_imports_an_app_above_it() -> None:
    offenders = set()
    for path in _modules():
        importer = _app_of(_package_of(path) or "")
        for module in _imported_modules(path):
            imported = _app_of(module)
            why = _offence(importer or "", imported or "")
            if why:
                offenders.add(
                    f"{path.relative_to(PACKAGE.parent)} imports {module}: {importer} may not "
                    f"import {imported}, of {why} (LAYERS in tests/core/test_layering.py)"
                )
    assert not offenders, "\n".join(sorted(offenders))


def test_same_layer_allowances_go_one_way() -> None:
    for importer, imported in SAME_LAYER_ALLOWED:
        assert LAYER_OF[importer] == LAYER_OF[imported], (importer, imported)
        assert (imported, importer) not in SAME_LAYER_ALLOWED, (importer, imported)


def test_core_imports_no_domain_app() -> None:
    offenders = {
        f"{path.relative_to(CORE)}: {module}"
        for path in CORE.rglob("*.py")
        if "migrations" not in path.parts
        for module in _imported_modules(path)
        if module.startswith("espacefamille.") and not module.startswith("espacefamille.core")
    }
    assert not offenders, sorted(offenders)


def test_the_layering_check_sees_a_domain_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from espacefamille.households.models import Child\n")
    assert _imported_modules(module) == {"espacefamille.households.models"}


def test_the_layering_check_sees_a_relative_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from .models import Booking\n"
        "from .. import payments\n"
        "if TYPE_CHECKING:\n"
        "    from ..billing.models import Invoice\n"
    )
    modules = _imported_modules(module, package="espacefamille.bookings")
    assert {
        "espacefamille.bookings.models",
        "espacefamille.payments",
        "espacefamille.billing.models",
    } <= modules
    assert _offence("bookings", _app_of("espacefamille.billing.models") or "")
    assert _offence("bookings", "payments")
    assert _offence("bookings", "catalog") is None


def test_the_layering_check_finds_the_package_of_a_module() -> None:
    assert _package_of(PACKAGE / "bookings" / "cart.py") == "espacefamille.bookings"
    assert _package_of(PACKAGE / "backoffice" / "views" / "__init__.py") == (
        "espacefamille.backoffice.views"
    )
    assert _package_of(PACKAGE / "backoffice" / "views" / "kitchen.py") == (
        "espacefamille.backoffice.views"
    )


def test_accounts_keeps_no_family_pages() -> None:
    """The account pages (sign-in, sign-up, passwords) know no household: the join code and
    the activation wizard are the portal's."""
    import espacefamille.accounts

    accounts = Path(espacefamille.accounts.__file__).parent
    for name in ("views.py", "forms.py", "urls.py"):
        modules = _imported_modules(accounts / name)
        assert not any(m.startswith("espacefamille.households") for m in modules), name
