"""The one neutraliser of spreadsheet cells (design convention 14): text a spreadsheet would
evaluate gets a leading quote, numbers and dates stay what they are, XLSX text cells are
strings; and no module writes a CSV or an XLSX row without it."""

from __future__ import annotations

import ast
import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook

import espacefamille
from espacefamille.core.spreadsheet_cells import csv_cell, csv_writer, xlsx_append, xlsx_value

ROOT = Path(espacefamille.__file__).parent
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x.example","y")', "+33 6 12", "-3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_text_a_spreadsheet_would_evaluate_is_quoted(text: str) -> None:
    assert csv_cell(text) == f"'{text}"
    assert xlsx_value(text) == f"'{text}"


@pytest.mark.parametrize("text", ["DUPONT", "l'école", "3-4 ans", "Sans porc", "", "a=b", "#N/A"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert csv_cell(text) == text
    assert xlsx_value(text) == text


def test_numbers_and_dates_stay_numbers_and_dates() -> None:
    assert csv_cell(Decimal("-3.50")) == "-3.50"
    assert csv_cell(Decimal("-3.50"), decimal_comma=True) == "-3,50"
    assert csv_cell(Decimal("7.00"), decimal_comma=True) == "7,00"
    assert csv_cell(-3) == -3 and csv_cell(-2.5) == -2.5
    assert csv_cell(date(2026, 12, 6)) == "2026-12-06"
    assert csv_cell(None) == ""
    for value in (Decimal("-3.50"), -3, -2.5, date(2026, 12, 6), datetime(2026, 12, 6, 9, 30)):
        assert xlsx_value(value) is value
    assert xlsx_value(None) is None


def test_the_csv_writer_quotes_text_and_keeps_numbers() -> None:
    out = io.StringIO()
    writer = csv_writer(out, decimal_comma=True)
    writer.writerow(["-3", Decimal("-3.50"), "=1+1", 4, "DUPONT; fils"])
    assert out.getvalue() == "'-3;-3,50;'=1+1;4;\"DUPONT; fils\"\r\n"
    assert next(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))[4] == "DUPONT; fils"


def _cells(xlsx: bytes) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        root = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314
    return {cell.get("r", ""): cell for cell in root.iter(f"{MAIN}c")}


def test_xlsx_text_cells_are_strings_never_formulas() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    row = xlsx_append(sheet, ["=1+1", "-3", Decimal("-3.50"), date(2026, 12, 6), "#N/A", 4])
    assert row == 1
    out = io.BytesIO()
    book.save(out)
    cells = _cells(out.getvalue())
    assert not any(cell.find(f"{MAIN}f") is not None for cell in cells.values())
    for ref, text in (("A1", "'=1+1"), ("B1", "'-3"), ("E1", "#N/A")):
        assert cells[ref].get("t") == "inlineStr"
        assert cells[ref].findtext(f"{MAIN}is/{MAIN}t") == text
    assert cells["C1"].get("t") == "n" and cells["C1"].findtext(f"{MAIN}v") == "-3.5"
    assert cells["D1"].get("t") in ("n", "d") and cells["F1"].findtext(f"{MAIN}v") == "4"


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _offences(path: Path) -> list[str]:
    """What in ``path`` would write a spreadsheet cell around the neutraliser."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences = []
    for call in _calls(tree):
        function = call.func
        if (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "csv"
            and function.attr in ("writer", "DictWriter")
        ):
            offences.append(f"csv.{function.attr}")
        if (
            isinstance(function, ast.Attribute)
            and function.attr == "cell"
            and (any(keyword.arg == "value" for keyword in call.keywords) or len(call.args) > 2)
        ):
            offences.append("sheet.cell(value=...)")
    source = path.read_text(encoding="utf-8")
    if "openpyxl" in source and "xlsx_append" not in source:
        offences.append("openpyxl without xlsx_append")
    if "openpyxl" in source and any(_appends_a_row(call) for call in _calls(tree)):
        offences.append("sheet.append")
    return offences


def _appends_a_row(call: ast.Call) -> bool:
    """``x.append([...])`` (a row literal) or ``sheet.append(...)``, in a module that imports
    openpyxl: a heuristic, as a list's ``append`` looks the same."""
    function = call.func
    if not isinstance(function, ast.Attribute) or function.attr != "append":
        return False
    receiver = function.value.id if isinstance(function.value, ast.Name) else ""
    row_literal = bool(call.args) and isinstance(call.args[0], (ast.List, ast.Tuple, ast.ListComp))
    return row_literal or "sheet" in receiver.lower() or receiver in ("ws", "payments", "unpaid")


def test_every_csv_and_xlsx_goes_through_the_neutraliser() -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {offence}"
        for path in ROOT.rglob("*.py")
        if path.name != "spreadsheet_cells.py" and "migrations" not in path.parts
        for offence in _offences(path)
    }
    assert not offenders, sorted(offenders)


def test_the_source_check_sees_a_raw_writer(tmp_path: Path) -> None:
    module = tmp_path / "export.py"
    module.write_text(
        "import csv\nfrom openpyxl import Workbook\n"
        "def f(out, book):\n    csv.writer(out).writerow(['=1'])\n    book.active.append(['=1'])\n"
    )
    assert _offences(module) == ["csv.writer", "openpyxl without xlsx_append", "sheet.append"]
