"""The type checker's reach (issue 24): few ``type: ignore`` left, and the domain core checked
with every flag of ``mypy --strict`` (``make check`` runs mypy with pyproject's settings)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
IGNORE_BUDGET = 30
STRICT_APPS = ("core", "bookings", "billing", "payments")
# The per-module flags of `mypy --strict` (its global-only ones aside).
STRICT_FLAGS = (
    "disallow_any_generics",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "disallow_untyped_decorators",
    "warn_return_any",
    "no_implicit_reexport",
    "strict_equality",
    "extra_checks",
)


def _ignores(text: str) -> int:
    return len(re.findall(r"#\s*type:\s*ignore", text))


def test_type_ignores_stay_within_budget() -> None:
    found = {
        str(path.relative_to(ROOT)): count
        for folder in ("espacefamille", "config")
        for path in (ROOT / folder).rglob("*.py")
        if (count := _ignores(path.read_text(encoding="utf-8")))
    }
    assert sum(found.values()) <= IGNORE_BUDGET, found


def test_the_count_sees_an_ignore() -> None:
    assert _ignores("x = f()  # type: ignore[attr-defined]\ny = 1  #type:ignore\n") == 2


def _strict_modules(pyproject: dict[str, Any]) -> set[str]:
    mypy = pyproject["tool"]["mypy"]
    strict: set[str] = set()
    for override in mypy.get("overrides", []):
        if all(override.get(flag) is True for flag in STRICT_FLAGS):
            modules = override["module"]
            strict.update([modules] if isinstance(modules, str) else modules)
    return strict


def test_the_domain_core_is_checked_strictly() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["mypy"]["warn_unused_ignores"] is True
    strict = _strict_modules(pyproject)
    assert {f"espacefamille.{app}.*" for app in STRICT_APPS} <= strict, strict


def test_a_missing_flag_is_not_strict() -> None:
    override = dict.fromkeys(STRICT_FLAGS, True) | {"module": ["espacefamille.core.*"]}
    assert _strict_modules({"tool": {"mypy": {"overrides": [override]}}}) == {
        "espacefamille.core.*"
    }
    del override["extra_checks"]
    assert _strict_modules({"tool": {"mypy": {"overrides": [override]}}}) == set()
