"""pain.008.001.02 batches of a régie that collects its debits itself: one file per
collection date, written by sepaxml and validated by the schema it ships before anything is
kept. FRST for a mandate's first debit, RCUR after; an invoice is never debited twice; the
first debit after a mandate's RUM or account changed carries the amendment information
(``pain008_amendments``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils.translation import gettext as _
from sepaxml import SepaDD
from sepaxml.validation import ValidationError as SepaValidationError
from sepaxml.validation import try_valid_xml
from text_unidecode import unidecode

from espacefamille.audit.records import action_record
from espacefamille.billing.balances import with_paid_amount
from espacefamille.billing.models import Invoice, InvoiceStatus, SettlementMethod
from espacefamille.billing.settlements import settlement_record
from espacefamille.catalog.models import Service

from .models import (
    CollectionMode,
    Debit,
    DebitBatch,
    DirectDebitSettings,
    Mandate,
    MandateStatus,
    SequenceType,
)
from .pain008_amendments import amendment_since, with_amendments
from .selectors import debit_day
from .services import DirectDebitError

if TYPE_CHECKING:
    from espacefamille.accounts.models import User

SCHEMA = "pain.008.001.02"
UNSAFE = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


@dataclass(frozen=True)
class Candidate:
    invoice: Invoice
    mandate: Mandate
    amount: Decimal


def _settings(service: Service) -> DirectDebitSettings:
    config = DirectDebitSettings.objects.filter(service=service, is_enabled=True).first()
    if config is None:
        raise DirectDebitError("not_offered", _("Cette régie ne propose pas le prélèvement."))
    if config.collection_mode != CollectionMode.REGIE:
        raise DirectDebitError(
            "treasury",
            _(
                "Cette régie fait prélever par le Trésor public : les prélèvements partent "
                "avec les titres de recettes (PES), pas dans un fichier SEPA."
            ),
        )
    if not config.creditor_iban:
        raise DirectDebitError(
            "creditor_iban", _("Renseignez l'IBAN du compte de la régie dans ses réglages.")
        )
    return config


def batch_candidates(*, service: Service, collection_date: date) -> list[Candidate]:
    """Final invoices of the régie due on or before the date, announced for that date or
    before, with something left to pay, never debited, of households with an active
    mandate."""
    config = _settings(service)
    mandates = {
        mandate.household_id: mandate
        for mandate in Mandate.objects.filter(
            service=service, status=MandateStatus.ACTIVE
        ).prefetch_related("amendments")
    }
    debited = Debit.objects.values_list("invoice_id", flat=True)
    invoices: QuerySet[Any] = with_paid_amount(
        Invoice.objects.filter(
            service=service,
            status=InvoiceStatus.FINAL,
            household_id__in=list(mandates),
            due_on__lte=collection_date,
        ).exclude(pk__in=debited)
    )
    invoices = invoices.filter(paid_amount__lt=F("total"))
    return [
        Candidate(invoice, mandates[invoice.household_id], invoice.total - invoice.paid_amount)
        for invoice in invoices.order_by("due_on", "pk")
        if debit_day(invoice=invoice, notice_days=config.notice_days) <= collection_date
    ]


def _ascii(text: str, limit: int) -> str:
    """The SEPA character set: accents dropped ("François" → "Francois"), the rest a space."""
    return UNSAFE.sub(" ", unidecode(text))[:limit].strip() or "-"


def pain008(
    *, config: DirectDebitSettings, collection_date: date, candidates: list[Candidate]
) -> tuple[str, bytes, list[tuple[str, str]]]:
    """(message id, validated XML, [(sequence, end-to-end id)] in the order of candidates)."""
    sepa = SepaDD(
        {
            "name": _ascii(config.creditor_name, 70),
            "IBAN": config.creditor_iban,
            "BIC": config.creditor_bic,
            "batch": True,
            "creditor_id": config.creditor_id,
            "currency": "EUR",
        },
        schema=SCHEMA,
    )
    keys = []
    last_sent = dict(
        Debit.objects.filter(mandate__in={candidate.mandate for candidate in candidates})
        .values("mandate_id")
        .annotate(last=Max("batch__created_at"))
        .values_list("mandate_id", "last")
    )
    amended = {}
    for candidate in candidates:
        invoice, mandate = candidate.invoice, candidate.mandate
        end_to_end = _ascii(invoice.number or f"F{invoice.pk}", 35).replace(" ", "-")
        payment = {
            "name": _ascii(mandate.holder, 70),
            "IBAN": mandate.iban,
            "amount": int(candidate.amount * 100),
            "type": mandate.sequence,
            "collection_date": collection_date,
            "mandate_id": mandate.rum,
            "mandate_date": mandate.signed_on,
            "description": _ascii(f"Facture {invoice.number} {config.service.name}", 140),
            "endtoend_id": end_to_end,
        }
        if mandate.bic:
            payment["BIC"] = mandate.bic
        sepa.add_payment(payment)
        keys.append((mandate.sequence, end_to_end))
        if data := amendment_since(mandate, last_sent.get(mandate.pk)):
            amended[end_to_end] = data
    try:
        xml = with_amendments(sepa.export(validate=False), amended)
        try_valid_xml(xml, SCHEMA)
    except SepaValidationError as error:
        raise DirectDebitError(
            "schema",
            _("Le fichier de prélèvement ne respecte pas le schéma pain.008 : %(error)s")
            % {"error": error.__cause__ or error},
        ) from error
    return sepa.msg_id, xml, keys


@transaction.atomic
def debit_batch_create(*, service: Service, collection_date: date, user: User | None) -> DebitBatch:
    """Write the batch, its debits and their settlements, and move each mandate to RCUR."""
    config = _settings(service)
    DirectDebitSettings.objects.select_for_update().get(pk=config.pk)  # one batch at a time
    candidates = batch_candidates(service=service, collection_date=collection_date)
    if not candidates:
        raise DirectDebitError(
            "empty",
            _("Aucune facture à prélever au %(day)s pour %(service)s.")
            % {"day": f"{collection_date:%d/%m/%Y}", "service": service.name},
        )
    message_id, xml, keys = pain008(
        config=config, collection_date=collection_date, candidates=candidates
    )
    batch = DebitBatch.objects.create(
        municipality_id=service.municipality_id,
        service=service,
        collection_date=collection_date,
        message_id=message_id[:35],
        debit_count=len(candidates),
        total=sum((candidate.amount for candidate in candidates), Decimal("0.00")),
        xml=xml.decode("utf-8"),
        created_by=user if getattr(user, "pk", None) else None,
    )
    for candidate, (sequence, end_to_end) in zip(candidates, keys, strict=True):
        settlement = settlement_record(
            household=candidate.invoice.household,
            service=service,
            method=SettlementMethod.DIRECT_DEBIT,
            amount=candidate.amount,
            invoices=[candidate.invoice],
            reference=candidate.mandate.rum,
            user=user if getattr(user, "pk", None) else None,
        )
        Debit.objects.create(
            municipality_id=service.municipality_id,
            batch=batch,
            invoice=candidate.invoice,
            mandate=candidate.mandate,
            amount=candidate.amount,
            sequence=sequence,
            end_to_end_id=end_to_end,
            settlement=settlement,
        )
    Mandate.objects.filter(pk__in={c.mandate.pk for c in candidates}).update(
        sequence=SequenceType.RECURRING, last_collected_on=collection_date
    )
    action_record(
        municipality_id=service.municipality_id,
        actor=user,
        action="debit_batch.create",
        obj=batch,
        changes={
            "debits": [None, batch.debit_count],
            "total": [None, str(batch.total)],
            "collection_date": [None, collection_date.isoformat()],
        },
    )
    return batch


def batch_filename(batch: DebitBatch) -> str:
    return f"prelevements-{batch.pk}-{batch.collection_date:%Y-%m-%d}.xml"
