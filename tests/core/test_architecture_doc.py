"""docs/architecture.md is what the code points to: every ``docs/architecture.md#<section>`` in the
code names one of its headings, no reference to a design document outside the repository is
left, and its table of layers is the order the layering test enforces."""

from __future__ import annotations

import re
from pathlib import Path

from tests.core.test_layering import LAYERS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
SEARCHED = ("espacefamille", "tests", "bench", "config", "docs", "README.md")
REFERENCE = re.compile(r"docs/architecture\.md#([a-z0-9-]+)")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    return {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("## ")}


def _texts() -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for name in SEARCHED:
        base = ROOT / name
        paths = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in paths:
            if path.suffix in {".py", ".md", ".html", ".txt"} and path.is_file():
                found.append((path, path.read_text(encoding="utf-8")))
    return found


def test_every_reference_names_a_section() -> None:
    anchors = _anchors(DOC.read_text(encoding="utf-8"))
    broken = {
        f"{path.relative_to(ROOT)}: #{anchor}"
        for path, text in _texts()
        for anchor in REFERENCE.findall(text)
        if anchor not in anchors
    }
    assert not broken, sorted(broken)


def test_the_code_cites_no_design_document_outside_the_repository() -> None:
    cited = {str(path.relative_to(ROOT)) for path, text in _texts() if "DESIGN §" in text}
    cited.discard("tests/core/test_architecture_doc.py")
    assert not cited, sorted(cited)


def test_the_table_of_layers_is_the_enforced_order() -> None:
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    documented = [tuple(re.findall(r"`([a-z_]+)`", apps)) for _rank, apps in rows]
    assert [int(rank) for rank, _apps in rows] == list(range(len(rows)))
    assert documented == [tuple(layer) for layer in LAYERS]


def test_the_slug_is_githubs() -> None:
    assert _slug(" Who acts, and in which town") == "who-acts-and-in-which-town"
    assert _slug("Payments: one row per attempt") == "payments-one-row-per-attempt"
    assert _slug("E-mails and tasks") == "e-mails-and-tasks"
