"""Cells of the CSV and XLSX files the portal writes, made safe to open (design convention 14).

A spreadsheet evaluates a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, after
a tab or a carriage return, the same): a household renamed ``=HYPERLINK(...)`` would become a
live formula in the régie's treasury statement. OWASP's rule ("CSV injection"), applied here
and only here:

- text (anything that is not a number, a date or empty) starting with one of those characters
  gets a leading single quote, in CSV and in XLSX alike;
- numbers (``int``, ``float``, ``Decimal``) and dates stay numbers and dates: ``Decimal("-3.50")``
  is the number -3,50, while the text ``"-3"`` typed as a name is quoted;
- an XLSX cell built from text is written as a string (``t="inlineStr"``), never as a formula,
  whatever its first character.

Every export goes through :func:`csv_writer` or :func:`xlsx_append`; no other module calls
``csv.writer`` or appends rows to a worksheet itself (``tests/core/test_spreadsheet_cells.py``
checks the source)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# OWASP's list, plus the line feed (a cell may hold several lines).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
QUOTE = "'"
NUMBERS = (int, float, Decimal)
DATES = (date, datetime, time, timedelta)


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


def neutralised_text(text: str) -> str:
    """``text`` with a leading quote when a spreadsheet would read it as a formula."""
    return QUOTE + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: object, *, decimal_comma: bool = False) -> str | int | float:
    """A CSV field: numbers as numbers (a ``Decimal`` with a comma when ``decimal_comma``, as
    French spreadsheets read it), dates in ISO 8601, ``None`` empty, anything else as text,
    neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, DATES):
        return value.isoformat() if not isinstance(value, timedelta) else str(value)
    return neutralised_text(str(value))


class SpreadsheetCsvWriter:
    """``csv.writer`` whose every field goes through :func:`csv_cell`."""

    def __init__(
        self,
        out: TextSink,
        *,
        delimiter: str = ";",
        lineterminator: str = "\r\n",
        decimal_comma: bool = False,
    ) -> None:
        self._writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
        self._decimal_comma = decimal_comma

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_cell(v, decimal_comma=self._decimal_comma) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(
    out: TextSink,
    *,
    delimiter: str = ";",
    lineterminator: str = "\r\n",
    decimal_comma: bool = False,
) -> SpreadsheetCsvWriter:
    """The one CSV writer of the project (French spreadsheets: ``;`` by default)."""
    return SpreadsheetCsvWriter(
        out, delimiter=delimiter, lineterminator=lineterminator, decimal_comma=decimal_comma
    )


def xlsx_value(value: object) -> object:
    """The value of an XLSX cell: numbers, dates, booleans and ``None`` as they are, anything
    else as neutralised text."""
    if value is None or isinstance(value, (bool, *NUMBERS, *DATES)):
        return value
    return neutralised_text(str(value))


def xlsx_append(sheet: Worksheet, row: Sequence[object]) -> int:
    """Append ``row`` to ``sheet``, every text cell typed as a string (openpyxl would otherwise
    read a ``str`` starting with ``=`` as a formula); returns the new row's number."""
    values = [xlsx_value(value) for value in row]
    sheet.append(values)
    number: int = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            sheet.cell(row=number, column=column).data_type = "s"
    return number
