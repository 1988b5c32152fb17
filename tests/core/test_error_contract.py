"""The error contract (``core.errors``), read from the source of every module of the project:

1. Every exception class the project defines derives from ``DomainError``.
2. ``ValidationError`` is raised only by form and field code (Django's form API): a module named
   ``forms.py``/``*_forms.py``/``validators.py`` or inside a ``forms`` package, a method of a
   form or field class (its bases end in ``Form`` or ``Field``), a ``clean``/``clean_*``/
   ``validate``/``to_python`` method (a model's ``clean``, a password validator), or the few
   validator helpers of ``VALIDATOR_CODE``. A service says no with a ``DomainError``.
3. A built-in exception (``ValueError``, ``RuntimeError``, ``Exception``…) is raised only for a
   programming error, never for a refusal a person can cause: the ``PROGRAMMING_ERRORS``
   allow-list names each one and why.

Migrations and tests are not read."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "espacefamille"

# (module path relative to espacefamille/, function or "*") -> why ValidationError is right there.
VALIDATOR_CODE = {
    ("core/uploads.py", "*"): "the upload validators that form fields run on each file",
    ("catalog/deadlines.py", "parse"): "the deadline rule's parser is the model field's validator",
}
# (module path, function) -> why a built-in exception is raised there (a programming error).
PROGRAMMING_ERRORS = {
    ("backoffice/charts.py", "*"): "a chart's series must match its labels (our own code)",
    ("bookings/locking.py", "*"): "a ledger write outside the product-day lock is a bug",
    ("bookings/attendance.py", "attendance_record"): "states come from AttendanceState",
    ("accounts/two_factor.py", "_hex_key"): "the demo's fixed TOTP secrets are base32",
    ("accounts/emails.py", "account_email_queue"): "the e-mail kinds are ours",
    ("accounts/models.py", "_create_user"): "Django's user manager contract",
    ("core/tenancy.py", "*"): "a scope needs a saved town (our own code)",
    ("core/prepared_reads.py", "*"): "a slot's value and scope come from our own code",
    ("core/prepared_writes.py", "*"): "the model of a prepared delete is chosen in our own code",
    ("core/uploads.py", "*"): "private files have no URL (our own code)",
    ("core/bounds.py", "to_python"): "Django's URL converters say 'no match' with ValueError",
}
BUILTIN_EXCEPTIONS = {
    name
    for name in dir(builtins)
    if isinstance(getattr(builtins, name), type)
    and issubclass(getattr(builtins, name), BaseException)
}
# Exceptions of Django and libraries a class of ours might derive from.
OUTSIDE_EXCEPTIONS = BUILTIN_EXCEPTIONS | {
    "ValidationError",
    "ObjectDoesNotExist",
    "PermissionDenied",
    "SuspiciousOperation",
    "Http404",
    "CommandError",
    "IntegrityError",
    "DatabaseError",
}
FORM_METHODS = {"clean", "validate", "to_python", "_check_values", "confirm_login_allowed"}


@dataclass(frozen=True)
class Finding:
    module: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.what}"


def _name(node: ast.expr) -> str:
    """The last name of ``ValidationError``, ``forms.ValidationError``, ``ValidationError(…)``."""
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def python_modules(root: Path) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in f"/{relative}" or relative.startswith("tests/"):
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def _is_form_module(module: str) -> bool:
    name = module.rsplit("/", 1)[-1]
    return (
        "/forms/" in f"/{module}"
        or name in {"forms.py", "validators.py"}
        or name.endswith("_forms.py")
    )


class _Walker(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.classes: list[ast.ClassDef] = []
        self.functions: list[str] = []
        self.raises: list[Finding] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node)
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def _allowed(self, table: dict[tuple[str, str], str]) -> bool:
        function = self.functions[-1] if self.functions else ""
        return (self.module, "*") in table or (self.module, function) in table

    def _in_form_code(self) -> bool:
        if _is_form_module(self.module) or self._allowed(VALIDATOR_CODE):
            return True
        function = self.functions[-1] if self.functions else ""
        if function in FORM_METHODS or function.startswith("clean_"):
            return True
        return any(
            _name(base).endswith(("Form", "Field")) for cls in self.classes for base in cls.bases
        )

    def visit_Raise(self, node: ast.Raise) -> None:
        raised = _name(node.exc) if node.exc is not None else ""
        if raised == "ValidationError" and not self._in_form_code():
            self.raises.append(
                Finding(self.module, node.lineno, "ValidationError raised outside form code")
            )
        elif (
            raised in BUILTIN_EXCEPTIONS
            and raised != "NotImplementedError"
            and not self._allowed(PROGRAMMING_ERRORS)
        ):
            self.raises.append(
                Finding(self.module, node.lineno, f"{raised} raised: use a DomainError")
            )
        self.generic_visit(node)


def contract_findings(root: Path) -> list[Finding]:
    """Every breach of the contract in the modules under ``root``."""
    findings: list[Finding] = []
    bases: dict[str, list[str]] = {}
    where: dict[str, Finding] = {}
    for module, tree in python_modules(root):
        walker = _Walker(module)
        walker.visit(tree)
        findings.extend(walker.raises)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = [_name(base) for base in node.bases]
                where[node.name] = Finding(module, node.lineno, node.name)

    def is_exception(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in OUTSIDE_EXCEPTIONS or name == "DomainError":
            return True
        if name in seen or name not in bases:
            return False
        return any(is_exception(base, seen | {name}) for base in bases[name])

    def is_domain_error(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == "DomainError":
            return True
        if name in seen or name not in bases:
            return False
        return any(is_domain_error(base, seen | {name}) for base in bases[name])

    for name, found in where.items():
        if name == "DomainError" and found.module == "core/errors.py":
            continue
        if is_exception(name) and not is_domain_error(name):
            findings.append(
                Finding(found.module, found.line, f"class {name} does not derive from DomainError")
            )
    return findings


def test_the_project_keeps_the_error_contract() -> None:
    findings = contract_findings(ROOT)
    assert not findings, "\n".join(str(finding) for finding in findings)


def test_the_allow_lists_name_code_that_exists() -> None:
    """An entry left behind by a refactoring would silently allow the next breach there."""
    modules = dict(python_modules(ROOT))
    for module, function in [*VALIDATOR_CODE, *PROGRAMMING_ERRORS]:
        assert module in modules, module
        if function != "*":
            names = {
                node.name
                for node in ast.walk(modules[module])
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            }
            assert function in names, (module, function)


BAD_MODULE = '''
from django.core.exceptions import ValidationError
from espacefamille.core.errors import DomainError


class QuotaError(ValueError):
    """An ad-hoc refusal."""


class ShadowError(QuotaError):
    pass


class FineError(DomainError):
    pass


def cart_add(quantity):
    if quantity < 0:
        raise ValidationError("Quantité négative.")
    if quantity > 9:
        raise ValueError("Trop de places.")
    raise FineError("reason", "Refusé.")


class CartForm:
    def clean_quantity(self):
        raise ValidationError("Allowed: a form's clean method.")
'''


def test_the_walker_finds_a_module_that_breaks_the_contract(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "services.py").write_text(BAD_MODULE, encoding="utf-8")
    (tmp_path / "shop" / "forms.py").write_text(
        "from django.core.exceptions import ValidationError\n\n\n"
        "def check(value):\n    raise ValidationError('Allowed in a forms module.')\n",
        encoding="utf-8",
    )
    found = sorted((finding.module, finding.what) for finding in contract_findings(tmp_path))
    assert found == [
        ("shop/services.py", "ValidationError raised outside form code"),
        ("shop/services.py", "ValueError raised: use a DomainError"),
        ("shop/services.py", "class QuotaError does not derive from DomainError"),
        ("shop/services.py", "class ShadowError does not derive from DomainError"),
    ]


@pytest.mark.parametrize("module", ["shop/forms.py", "shop/forms/people.py", "shop/validators.py"])
def test_form_modules_may_raise_validation_errors(module: str) -> None:
    assert _is_form_module(module)
