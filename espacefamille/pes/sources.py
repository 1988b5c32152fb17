"""Reads the export needs: which invoices go, their lines by product and imputation, their
debtor (the invoice's recipient, a guardian: never a child) and their PDF (stored when the run
became final, ``billing.issued_pdfs``, or drawn if not yet). Invoices are read
in chunks so that a 10,000-invoice month is never all in memory at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from espacefamille.billing.issued_pdfs import issued_pdfs
from espacefamille.billing.models import Invoice, InvoiceLine, InvoiceStatus
from espacefamille.catalog.models import Service

from .debit_data import DebitData
from .models import ProductImputation, RegieImputation
from .titles import Attachment, Debtor, Title, TitleLine

CHUNK = 500
ZERO = Decimal("0.00")


def month_invoices(*, service: Service, month: date) -> QuerySet[Invoice]:
    """The month's final invoices of the régie (its final run), with something to collect."""
    return Invoice.objects.filter(
        service=service, run__month=month, status=InvoiceStatus.FINAL, total__gt=0
    ).order_by("number", "pk")


@dataclass(frozen=True)
class Imputation:
    nature: str
    fonction: str
    cod_prod_loc: str


def imputations(service: Service, regie: RegieImputation) -> dict[int, Imputation]:
    own = {
        row.product_id: Imputation(row.nature, row.fonction, row.cod_prod_loc)
        for row in ProductImputation.objects.filter(product__service=service)
    }
    return defaultdict(lambda: Imputation(regie.nature, regie.fonction, regie.cod_prod_loc), own)


DEBTOR_FIELDS = (
    "pk",
    "number",
    "period_start",
    "period_end",
    "due_on",
    "household__name",
    "household__external_ref",
    "recipient_id",
    "recipient__civility",
    "recipient__last_name",
    "recipient__first_name",
    "recipient__address",
    "recipient__address_complement",
    "recipient__postcode",
    "recipient__city",
)


def invoices_with_debtors(ids: list[int]) -> QuerySet[Invoice, dict[str, Any]]:
    """The invoices with what a title and its debtor need, and nothing else, as plain rows
    (10,000 of them are read twice by an export: once checked, once written; building model
    instances cost more than the query)."""
    return Invoice.objects.filter(pk__in=ids).values(*DEBTOR_FIELDS)


def debtor_of(invoice: Mapping[str, Any]) -> Debtor:
    """``invoice``: a row of ``invoices_with_debtors``."""
    reference = invoice["household__external_ref"] or ""
    if invoice["recipient_id"] is None:
        return Debtor("", "", "", "", "", "", "", reference)
    return Debtor(
        civility=invoice["recipient__civility"],
        last_name=invoice["recipient__last_name"],
        first_name=invoice["recipient__first_name"],
        street=invoice["recipient__address"],
        complement=invoice["recipient__address_complement"],
        postcode=invoice["recipient__postcode"].replace(" ", ""),
        city=invoice["recipient__city"],
        reference=reference,
    )


def debtor_problems(invoice: Mapping[str, Any], debtor: Debtor) -> list[str]:
    """What Hélios would refuse in a debtor, said in French before any file is written."""
    name = _("Facture %(number)s (%(household)s)") % {
        "number": invoice["number"],
        "household": invoice["household__name"],
    }
    if invoice["recipient_id"] is None:
        return [name + " : " + _("aucun responsable destinataire de la facture.")]
    problems = []
    if not debtor.last_name.strip():
        problems.append(_("le nom du responsable est vide"))
    if not debtor.civility:
        problems.append(_("la civilité du responsable n'est pas renseignée"))
    if not debtor.street.strip():
        problems.append(_("l'adresse du responsable est vide"))
    if len(debtor.postcode) != 5 or not debtor.postcode.isdigit():
        problems.append(_("le code postal du responsable doit compter 5 chiffres"))
    if not debtor.city.strip():
        problems.append(_("la ville du responsable est vide"))
    return [f"{name} : {problem}." for problem in problems]


def _lines_by_invoice(ids: list[int], imputed: Mapping[int, Imputation]) -> dict[int, list[Any]]:
    rows = (
        InvoiceLine.objects.filter(invoice_id__in=ids)
        .values("invoice_id", "product_id", "product_name")
        .annotate(amount=Sum("amount"))
        .order_by("invoice_id", "product_name", "product_id")
    )
    grouped: dict[tuple[int, Imputation], dict[str, Any]] = {}
    for row in rows:
        imputation = imputed[row["product_id"]]
        key = (row["invoice_id"], imputation)
        entry = grouped.setdefault(key, {"labels": [], "amount": ZERO})
        if row["product_name"] not in entry["labels"]:
            entry["labels"].append(row["product_name"])
        entry["amount"] += row["amount"] or ZERO
    lines: dict[int, list[Any]] = defaultdict(list)
    for (invoice_id, imputation), entry in grouped.items():
        if entry["amount"] == 0:
            continue
        lines[invoice_id].append(
            TitleLine(
                label=", ".join(entry["labels"]),
                nature=imputation.nature,
                fonction=imputation.fonction,
                cod_prod_loc=imputation.cod_prod_loc,
                amount=entry["amount"],
            )
        )
    return lines


def iter_titles(
    *,
    invoice_ids: list[int],
    service: Service,
    regie: RegieImputation,
    label: str,
    debits: Mapping[int, DebitData],
    recurring_rums: frozenset[str],
) -> Iterator[Title]:
    """Titles numbered 1… in ``invoice_ids`` order, read ``CHUNK`` invoices at a time."""
    imputed = imputations(service, regie)
    piece = 0
    for start in range(0, len(invoice_ids), CHUNK):
        ids = invoice_ids[start : start + CHUNK]
        by_id = {invoice["pk"]: invoice for invoice in invoices_with_debtors(ids)}
        lines = _lines_by_invoice(ids, imputed)
        for invoice_id in ids:
            invoice = by_id[invoice_id]
            piece += 1
            debit = debits.get(invoice_id)
            yield Title(
                piece=piece,
                invoice_id=invoice_id,
                invoice_number=invoice["number"],
                label=label,
                period_start=invoice["period_start"],
                period_end=invoice["period_end"],
                due_on=invoice["due_on"],
                debtor=debtor_of(invoice),
                lines=lines.get(invoice_id, []),
                debit=debit,
                debit_recurring=debit is not None and debit.rum in recurring_rums,
            )


def iter_attachments(invoice_ids: list[int]) -> Iterator[Attachment]:
    """The invoices' PDFs as issued, in title order (pieces 1…), ``CHUNK`` at a time: only
    their numbers and the stored PDFs are read (``billing.issued_pdfs``)."""
    piece = 0
    for start in range(0, len(invoice_ids), CHUNK):
        ids = invoice_ids[start : start + CHUNK]
        numbers = dict(Invoice.objects.filter(pk__in=ids).values_list("pk", "number"))
        pdfs = issued_pdfs(ids)
        for invoice_id in ids:
            piece += 1
            yield Attachment(piece, invoice_id, numbers[invoice_id], pdfs[invoice_id])
