"""The kitchen counts as files the kitchen or its supplier reads: CSV (semicolons and a byte
order mark, as French spreadsheets expect), XLSX (one sheet each for the meals, the diets and
the PAI children) and a printable PDF (reportlab, with a text layer, a title and its language
set for assistive technologies). Built from ``kitchen.counts.KitchenCounts``, no query. The
CSV and XLSX cells go through ``core.spreadsheet_cells``: a product, a diet or a child named
like a formula is written as text."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.utils.formats import date_format

from espacefamille.core.spreadsheet_cells import csv_writer, xlsx_append

from .counts import KitchenCounts

if TYPE_CHECKING:
    from reportlab.lib.styles import StyleSheet1
    from reportlab.platypus import Table

MEAL_HEADER = ["Date", "Site", "Prestation", "Réservés", "À valider", "Prévision"]
DIET_HEADER = ["Date", "Site", "Régime", "Enfants"]
CARE_PLAN_HEADER = ["Date", "Site", "Enfant", "Classe", "Prestation"]


@cache
def _styles() -> StyleSheet1:
    """reportlab and openpyxl (about 15 MB of a worker's memory) are imported by the download
    that uses them, not by the URLconf that every worker loads."""
    from reportlab.lib.styles import getSampleStyleSheet

    return getSampleStyleSheet()


def counts_title(counts: KitchenCounts) -> str:
    if counts.start == counts.end:
        period = _long(counts.start)
    else:
        period = f"du {_long(counts.start)} au {_long(counts.end)}"
    return f"Commande de repas — {counts.service.name} — {period}"


def counts_filename(counts: KitchenCounts, extension: str) -> str:
    return f"repas-{counts.start.isoformat()}-{counts.end.isoformat()}.{extension}"


def _long(day: date) -> str:
    return date_format(day, "l j F Y")


def meal_rows(counts: KitchenCounts) -> Iterator[list[object]]:
    for kitchen_day in counts.days:
        for site_day in kitchen_day.sites:
            for count in site_day.products:
                yield [
                    kitchen_day.day,
                    site_day.site_label,
                    count.product.name,
                    count.booked,
                    count.requested,
                    count.forecast,
                ]


def diet_rows(counts: KitchenCounts) -> Iterator[list[object]]:
    for kitchen_day in counts.days:
        for site_day in kitchen_day.sites:
            for label, children in site_day.diets:
                yield [kitchen_day.day, site_day.site_label, label, children]


def care_plan_rows(counts: KitchenCounts) -> Iterator[list[object]]:
    for kitchen_day in counts.days:
        for site_day in kitchen_day.sites:
            for child in site_day.care_plan:
                yield [
                    kitchen_day.day,
                    site_day.site_label,
                    child.name,
                    child.school_class,
                    child.product_name,
                ]


def counts_csv(counts: KitchenCounts) -> bytes:
    """One table: a "Type" column tells the meal lines from the diet and PAI lines."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";")
    writer.writerow(["Type", "Date", "Site", "Libellé", "Réservés", "À valider", "Prévision"])
    for day, site, name, booked, requested, forecast in meal_rows(counts):
        writer.writerow(["Repas", _iso(day), site, name, booked, requested, forecast])
    for day, site, label, children in diet_rows(counts):
        writer.writerow(["Régime", _iso(day), site, label, children, "", ""])
    for day, site, name, school_class, product in care_plan_rows(counts):
        label = f"{name} ({school_class}) — {product}" if school_class else f"{name} — {product}"
        writer.writerow(["PAI", _iso(day), site, label, "", "", ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _iso(day: object) -> str:
    return day.isoformat() if isinstance(day, date) else str(day)


def counts_xlsx(counts: KitchenCounts) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.title = counts_title(counts)
    workbook.properties.language = "fr-FR"
    sheets = [
        ("Repas", MEAL_HEADER, meal_rows(counts)),
        ("Régimes", DIET_HEADER, diet_rows(counts)),
        ("PAI", CARE_PLAN_HEADER, care_plan_rows(counts)),
    ]
    for index, (name, header, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = name
        xlsx_append(sheet, header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            xlsx_append(sheet, row)
            sheet.cell(row=sheet.max_row, column=1).number_format = "DD/MM/YYYY"
        sheet.column_dimensions["A"].width = 12
        sheet.column_dimensions["B"].width = 28
        sheet.column_dimensions["C"].width = 28
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table(header: list[str], rows: Sequence[Sequence[object]], widths: list[float]) -> Table:
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    data = [header, *[[_cell(value) for value in row] for row in rows]]
    table = Table(data, colWidths=[width * mm for width in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _cell(value: object) -> object:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return value


def counts_pdf(counts: KitchenCounts, *, town_name: str) -> bytes:
    """A page per day: the meals per site and product, the diets, the PAI children."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    buffer = io.BytesIO()
    title = counts_title(counts)
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title} — {town_name}",
        author=town_name,
        lang="fr-FR",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    story: list[object] = [Paragraph(escape(title), styles["Title"])]
    for kitchen_day in counts.days:
        story.append(Paragraph(escape(_long(kitchen_day.day).capitalize()), styles["Heading2"]))
        meals = [
            [site_day.site_label, count.product.name, count.booked, count.requested, count.forecast]
            for site_day in kitchen_day.sites
            for count in site_day.products
        ]
        meals += [
            ["Total", count.product.name, count.booked, count.requested, count.forecast]
            for count in kitchen_day.totals
        ]
        if not kitchen_day.sites:
            story.append(Paragraph("Aucun repas réservé.", styles["Normal"]))
            continue
        story.append(_table(MEAL_HEADER[1:], meals, [55, 55, 22, 22, 22]))
        diets = [
            [site_day.site_label, label, children]
            for site_day in kitchen_day.sites
            for label, children in site_day.diets
        ]
        if diets:
            story += [Spacer(1, 4 * mm), Paragraph("Régimes", styles["Heading3"])]
            story.append(_table(DIET_HEADER[1:], diets, [70, 70, 30]))
        children = [
            [site_day.site_label, child.name, child.school_class, child.product_name]
            for site_day in kitchen_day.sites
            for child in site_day.care_plan
        ]
        if children:
            story += [Spacer(1, 4 * mm), Paragraph("Enfants avec un PAI", styles["Heading3"])]
            story.append(_table(CARE_PLAN_HEADER[1:], children, [50, 55, 30, 45]))
    document.build(story)
    return buffer.getvalue()
