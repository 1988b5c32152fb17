"""The tenant layer (``espacefamille/core``) imports no domain app: front doors resolve their
own memberships and core only scopes the request."""

from __future__ import annotations

import ast
from pathlib import Path

import espacefamille.core

CORE = Path(espacefamille.core.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


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


def test_accounts_keeps_no_family_pages() -> None:
    """The account pages (sign-in, sign-up, passwords) know no household: the join code and
    the activation wizard are the portal's."""
    import espacefamille.accounts

    accounts = Path(espacefamille.accounts.__file__).parent
    for name in ("views.py", "forms.py", "urls.py"):
        modules = _imported_modules(accounts / name)
        assert not any(m.startswith("espacefamille.households") for m in modules), name
