"""Export a régie's final invoices as one PES Aller file (one bordereau, one title per invoice).

In one transaction: refuse invoices already in a file that is not cancelled, take the next
bordereau number of the budget and year under its row's lock, record the file and its titles
(a partial unique index keeps an invoice in one live file), write the file beside its final
place, check it against the DGFiP's schema and the arrival rules, and only then move it into
place. Any error rolls everything back (the number too: no gap) and deletes what was written:
an invalid file is never left behind, and the agent gets the list of errors in French."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import action_record
from espacefamille.billing.models import Invoice
from espacefamille.catalog.models import Service

from .builder import write_pes
from .checks import PesSchemaUnavailable, check_pes_file, schema_folder
from .debit_data import DebitData, debits_for_invoices, debits_mark_sent
from .errors import PesExportError
from .models import (
    BordereauSequence,
    PesFile,
    PesFileInvoice,
    RegieImputation,
    TreasurySettings,
)
from .sources import (
    debtor_of,
    debtor_problems,
    invoices_with_debtors,
    iter_attachments,
    iter_titles,
    month_invoices,
)
from .titles import BordereauInfo, Header, Title


@dataclass(frozen=True)
class PesExport:
    pes_file: PesFile
    path: Path


def pes_storage_dir(municipality_id: int) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "pes" / str(municipality_id)


def pes_file_path(pes_file: PesFile) -> Path:
    return pes_storage_dir(pes_file.municipality_id) / pes_file.file_name


def _bordereau_number(*, municipality_id: int, cod_bud: str, year: int) -> int:
    BordereauSequence.objects.get_or_create(
        municipality_id=municipality_id, cod_bud=cod_bud, year=year
    )
    sequence = BordereauSequence.objects.select_for_update().get(
        municipality_id=municipality_id, cod_bud=cod_bud, year=year
    )
    BordereauSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db(fields=["last_number"])
    return sequence.last_number


def _setup(service: Service) -> tuple[TreasurySettings, RegieImputation]:
    treasury = TreasurySettings.objects.filter(municipality_id=service.municipality_id).first()
    if treasury is None:
        raise PesExportError(
            _("Renseignez d'abord les paramètres de la trésorerie (SIRET, codes, exercice).")
        )
    regie = RegieImputation.objects.filter(service=service).first()
    if regie is None:
        raise PesExportError(
            _("La régie %(service)s n'est pas paramétrée pour la trésorerie (imputation).")
            % {"service": service.name}
        )
    try:
        schema_folder()
    except PesSchemaUnavailable as error:
        raise PesExportError(str(error)) from error
    return treasury, regie


def _already_sent(invoice_ids: list[int]) -> None:
    sent = (
        PesFileInvoice.objects.filter(invoice_id__in=invoice_ids, active=True)
        .select_related("pes_file")
        .order_by("pes_file_id")
    )
    files = {row.pes_file for row in sent[:200]}
    if files:
        names = ", ".join(
            f"{pes_file.bordereau}/{pes_file.exer}"
            for pes_file in sorted(files, key=lambda f: f.pk)
        )
        raise PesExportError(
            _(
                "Ces factures ont déjà été transmises à la trésorerie (bordereau %(names)s). "
                "Annulez d'abord ce fichier pour en produire un nouveau."
            )
            % {"names": names}
        )


def _precheck(invoice_ids: list[int]) -> None:
    problems: list[str] = []
    for start in range(0, len(invoice_ids), 1000):
        for invoice in invoices_with_debtors(invoice_ids[start : start + 1000]):
            problems += debtor_problems(invoice, debtor_of(invoice))
    if problems:
        raise PesExportError(_("Le fichier n'a pas été produit."), problems[:50])


def _label(regie: RegieImputation, service: Service, month: date | None) -> str:
    base = regie.object_label or service.name
    return f"{base} {month:%m/%Y}" if month else base


def pes_export(
    *,
    service: Service,
    month: date | None = None,
    invoice_ids: Iterable[int] | None = None,
    user: Any = None,
    today: date | None = None,
    debits: Mapping[int, DebitData] | None = None,
    tamper: Callable[[Title], Title] | None = None,
) -> PesExport:
    """The month's final invoices of ``service`` (or the agent's choice ``invoice_ids``) as one
    PES file. ``tamper`` alters each title before it is written: tests use it to force an
    invalid file and see that it is never written."""
    treasury, regie = _setup(service)
    if invoice_ids is None:
        if month is None:
            raise PesExportError(_("Indiquez le mois ou les factures à transmettre."))
        chosen = month_invoices(service=service, month=month)
    else:
        chosen = Invoice.objects.filter(pk__in=list(invoice_ids), service=service, total__gt=0)
        chosen = chosen.filter(status="final").order_by("number", "pk")
    ids = list(chosen.values_list("pk", flat=True))
    if not ids:
        raise PesExportError(_("Aucune facture définitive à transmettre pour cette période."))
    _already_sent(ids)
    _precheck(ids)
    # SQLite sums decimals as floats: back to the cent, as the file writes it.
    total = Decimal(Invoice.objects.filter(pk__in=ids).aggregate(s=Sum("total"))["s"] or 0)
    total = total.quantize(Decimal("0.01"))
    if debits is None:
        debits = debits_for_invoices(ids)
    try:
        return _export(service, month, ids, total, treasury, regie, user, today, debits, tamper)
    except IntegrityError as error:  # another export took these invoices meanwhile
        raise PesExportError(
            _("Ces factures viennent d'être transmises dans un autre fichier.")
        ) from error


@transaction.atomic
def _export(
    service: Service,
    month: date | None,
    ids: list[int],
    total: Decimal,
    treasury: TreasurySettings,
    regie: RegieImputation,
    user: Any,
    today: date | None,
    debits: Mapping[int, DebitData],
    tamper: Callable[[Title], Title] | None,
) -> PesExport:
    town = service.municipality
    today = today or timezone.localdate()
    number = _bordereau_number(
        municipality_id=town.pk, cod_bud=treasury.cod_bud, year=treasury.exer
    )
    file_name = f"PES-{treasury.cod_col}{treasury.cod_bud}-{treasury.exer}-{number:07d}.xml"
    pes_file = PesFile.objects.create(
        municipality=town,
        service=service,
        month=month,
        exer=treasury.exer,
        cod_bud=treasury.cod_bud,
        bordereau=number,
        invoice_count=len(ids),
        total=total,
        file_name=file_name,
        created_by=user if getattr(user, "pk", None) else None,
    )
    used_rums = frozenset(
        PesFileInvoice.objects.filter(active=True).exclude(rum="").values_list("rum", flat=True)
    )
    PesFileInvoice.objects.bulk_create(
        [
            PesFileInvoice(
                municipality=town,
                pes_file=pes_file,
                invoice_id=invoice_id,
                piece=piece,
                rum=debits[invoice_id].rum if invoice_id in debits else "",
            )
            for piece, invoice_id in enumerate(ids, start=1)
        ],
        batch_size=1000,
    )
    header = Header(
        id_post=treasury.id_post,
        id_coll=treasury.id_coll,
        cod_col=treasury.cod_col,
        cod_bud=treasury.cod_bud,
        exer=treasury.exer,
        sender=town.name,
        sender_address=f"{town.postcode} {town.city}".strip() or town.name,
    )
    label = _label(regie, service, month)
    bordereau = BordereauInfo(number, today, label, len(ids), total)

    def titles() -> Iterable[Title]:
        for title in iter_titles(
            invoice_ids=ids,
            service=service,
            regie=regie,
            label=label,
            debits=debits,
            recurring_rums=used_rums,
        ):
            yield tamper(title) if tamper else title

    folder = pes_storage_dir(town.pk)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / file_name
    partial = folder / f".{file_name}.partial"
    try:
        write_pes(
            partial,
            header=header,
            bordereau=bordereau,
            titles=titles(),
            attachments=iter_attachments(ids) if treasury.attach_pdf else None,
            file_name=file_name,
        )
        try:
            result = check_pes_file(partial)
        except PesSchemaUnavailable as error:
            raise PesExportError(str(error)) from error
        if not result.ok:
            raise PesExportError(
                _("Le fichier n'est pas conforme : il n'a pas été produit."), result.errors
            )
        if result.pieces != len(ids) or result.total != total:
            raise PesExportError(_("Le fichier ne reprend pas toutes les factures."))
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    pes_file.size = final.stat().st_size
    pes_file.save(update_fields=["size"])
    if debits:
        debits_mark_sent(list(debits), on=today)
    action_record(
        municipality_id=town.pk,
        actor=user,
        action="pes_file.create",
        obj=pes_file,
        object_repr=f"{service.name} — bordereau {number}/{treasury.exer}",
        changes={"invoice_count": len(ids), "total": str(total)},
    )
    return PesExport(pes_file, final)
