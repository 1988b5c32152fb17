"""The invoice as a PDF (reportlab platypus: no system package, ~5 ms a page): French, the
town's identity, every line, the amount due and how to pay, with a text layer, a title and a
language set for assistive technologies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from espacefamille.core.money import NARROW_NBSP, NBSP, format_euros

from .models import Invoice, InvoiceLine, LineKind

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle, StyleSheet1


@cache
def _styles() -> tuple[StyleSheet1, ParagraphStyle]:
    """reportlab (about 7 MB of a worker's memory) is imported by the first invoice drawn, not
    by the URLconf that every worker loads; its styles are made once."""
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    styles = getSampleStyleSheet()
    return styles, ParagraphStyle("small", parent=styles["Normal"], fontSize=8.5, leading=10.5)


def _euros(value: Decimal) -> str:
    """The standard PDF fonts have no narrow no-break space: use the plain no-break space."""
    return format_euros(value).replace(NARROW_NBSP, NBSP)


def _text(value: object) -> str:
    return escape(str(value)).replace("\n", "<br/>")


@dataclass
class Group:
    """Lines of one child, product, kind and unit price: one row of the PDF with its dates.
    Its amount is the sum of the lines' stored amounts, never recomputed."""

    child_name: str
    product_name: str
    kind: str
    unit_price: Decimal
    days: list[tuple[date, date | None]] = field(default_factory=list)
    quantity: int = 0
    amount: Decimal = Decimal("0.00")

    @property
    def dates(self) -> str:
        if any(end and end != start for start, end in self.days):
            return ", ".join(
                f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" if end else f"{start:%d/%m/%Y}"
                for start, end in self.days
            )
        months = {(start.year, start.month) for start, _end in self.days}
        if len(months) == 1:
            last = self.days[-1][0]
            return (
                ", ".join(f"{start:%d}" for start, _end in self.days[:-1])
                + (", " if len(self.days) > 1 else "")
                + f"{last:%d/%m/%Y}"
            )
        return ", ".join(f"{start:%d/%m/%Y}" for start, _end in self.days)


def grouped(lines: list[InvoiceLine]) -> list[Group]:
    """A row per child, product, kind and price (the web page keeps one row per day): a month
    of daily meals fits on one page and lays out in a few milliseconds."""
    groups: dict[tuple[str, str, str, Decimal], Group] = {}
    for line in lines:
        key = (line.child_name, line.product_name, line.kind, line.unit_price)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(*key)
        group.days.append((line.date, line.end_date))
        group.quantity += line.quantity
        group.amount += line.amount
    return list(groups.values())


def invoice_pdf(
    *,
    invoice: Invoice,
    lines: list[InvoiceLine],
    paid: Decimal = Decimal("0.00"),
    debit_day: date | None = None,
) -> bytes:
    """``debit_day``: the household pays by direct debit on that day (the pre-notification
    replaces how to pay)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles, small = _styles()
    town = invoice.municipality
    title = _("Facture %(number)s") % {"number": invoice.number}
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title} — {town.name}",
        author=town.name,
        subject=_("Facture %(service)s") % {"service": invoice.service.name},
        lang="fr-FR",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    identity = [town.name, town.address, f"{town.postcode} {town.city}".strip()]
    contact = " — ".join(str(part) for part in (town.phone, town.email) if part)
    header = Table(
        [
            [
                Paragraph(
                    "<br/>".join(_text(p) for p in identity if p) + f"<br/>{_text(contact)}",
                    styles["Normal"],
                ),
                Paragraph(
                    f"<b>{_text(invoice.recipient_name)}</b><br/>{_text(invoice.recipient_address)}",
                    styles["Normal"],
                ),
            ]
        ],
        colWidths=[95 * mm, 79 * mm],
    )
    month = date_format(invoice.period_start, "F Y")
    facts = [
        _("Régie : %(service)s") % {"service": invoice.service.name},
        _("Période : %(month)s") % {"month": month},
        _("Date de facture : %(day)s") % {"day": f"{invoice.issued_on:%d/%m/%Y}"},
        _("À régler avant le : %(day)s") % {"day": f"{invoice.due_on:%d/%m/%Y}"},
    ]
    kinds = dict(LineKind.choices)
    rows: list[list[object]] = [
        [_("Enfant"), _("Prestation"), _("Date(s)"), _("Qté"), _("Prix unitaire"), _("Montant")]
    ]
    for group in grouped(lines):
        rows.append(
            [
                group.child_name,
                f"{group.product_name}\n{kinds[group.kind]}",
                Paragraph(_text(group.dates), small),
                str(group.quantity),
                _euros(group.unit_price),
                _euros(group.amount),
            ]
        )
    rows.append(["", "", "", "", _("Total"), _euros(invoice.total)])
    table = Table(
        rows,
        colWidths=[34 * mm, 56 * mm, 36 * mm, 10 * mm, 20 * mm, 20 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    due = invoice.total - paid
    story: list[object] = [
        header,
        Spacer(1, 8 * mm),
        Paragraph(_text(title), styles["Title"]),
        Paragraph("<br/>".join(_text(fact) for fact in facts), styles["Normal"]),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 5 * mm),
    ]
    if paid:
        story.append(
            Paragraph(_text(_("Déjà réglé : %(paid)s") % {"paid": _euros(paid)}), styles["Normal"])
        )
    story += [
        Paragraph(
            f"<b>{_text(_('Reste à payer : %(due)s') % {'due': _euros(due)})}</b>",
            styles["Heading3"],
        ),
    ]
    if debit_day is not None and due > 0:
        story.append(
            Paragraph(
                f"<b>{_text(_('Prélèvement le %(day)s') % {'day': f'{debit_day:%d/%m/%Y}'})}</b>",
                styles["Normal"],
            )
        )
    else:
        story += [
            Paragraph(_text(_("Comment régler cette facture")), styles["Heading4"]),
            Paragraph(
                _text(
                    _(
                        "Au guichet de %(town)s (espèces, chèque à l'ordre du Trésor public, "
                        "CESU) ou par virement, en indiquant la référence %(number)s."
                    )
                    % {"town": town.name, "number": invoice.number}
                ),
                styles["Normal"],
            ),
        ]
    if town.opening_hours:
        story.append(Paragraph(_text(town.opening_hours), small))
    document.build(story)
    return buffer.getvalue()
