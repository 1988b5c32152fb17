"""After a file leaves: an agent cancels it (its invoices may go again, in a new bordereau),
and the treasury's acknowledgement (PES Acquit) says each bordereau accepted or rejected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from espacefamille.audit.records import action_record
from espacefamille.core.models import Municipality

from .checks import ACQUIT_XSDS, PesSchemaUnavailable, load_schema, schema_message
from .errors import PesHistoryError
from .models import AcquitState, PesFile, PesFileInvoice, PesFileState, TreasurySettings

ACQUIT_LIMIT = 5 * 1024 * 1024


@transaction.atomic
def pes_file_cancel(*, pes_file: PesFile, user: Any, reason: str) -> PesFile:
    reason = " ".join(reason.split())
    if not reason:
        raise PesHistoryError(_("Indiquez le motif de l'annulation."))
    locked = PesFile.objects.select_for_update().get(pk=pes_file.pk)
    if locked.state == PesFileState.CANCELLED:
        return locked
    locked.state = PesFileState.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = user if getattr(user, "pk", None) else None
    locked.cancel_reason = reason[:200]
    locked.save(update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason"])
    PesFileInvoice.objects.filter(pes_file=locked).update(active=False)
    action_record(
        municipality_id=locked.municipality_id,
        actor=user,
        action="pes_file.cancel",
        obj=locked,
        changes={"state": ["sent", "cancelled"], "reason": reason[:200]},
    )
    return locked


@dataclass(frozen=True)
class AcquitOutcome:
    bordereau: int
    exer: int
    accepted: bool
    reason: str
    pes_file: PesFile | None


def _errors_text(element: Any) -> list[str]:
    texts = []
    for error in element.iter("Erreur"):
        code = error.find("NumAnoAck")
        label = error.find("LibelleAnoAck")
        parts = [
            str(node.get("V", "")) for node in (code, label) if node is not None and node.get("V")
        ]
        if parts:
            texts.append(" — ".join(parts))
    return texts


def _parse(content: bytes) -> Any:
    if len(content) > ACQUIT_LIMIT:
        raise PesHistoryError(_("Ce fichier est trop volumineux pour un accusé de réception."))
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        tree = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise PesHistoryError(_("Ce fichier n'est pas un fichier XML lisible.")) from error
    if etree.QName(tree).localname != "PES_ACQUIT":
        raise PesHistoryError(_("Ce fichier n'est pas un accusé de réception PES (PES_ACQUIT)."))
    problems: list[str] = []
    try:
        for relative in ACQUIT_XSDS:
            schema = load_schema(relative)
            if schema.validate(tree):
                return tree
            problems = [schema_message(error) for error in schema.error_log][:20]
    except PesSchemaUnavailable as error:
        raise PesHistoryError(str(error)) from error
    raise PesHistoryError(_("L'accusé de réception n'est pas conforme au schéma."), problems)


@transaction.atomic
def pes_acquit_import(*, town: Municipality, content: bytes, user: Any) -> list[AcquitOutcome]:
    """Read a PES Acquit and mark each bordereau of this town's budget it names."""
    tree = _parse(content)
    treasury = TreasurySettings.objects.filter(municipality=town).first()
    head = tree.find("EnTetePES")
    cod_bud = head.find("CodBud").get("V") if head is not None else ""
    id_coll = head.find("IdColl").get("V") if head is not None else ""
    if treasury is None or id_coll != treasury.id_coll:
        raise PesHistoryError(
            _("Cet accusé de réception concerne une autre collectivité (SIRET %(siret)s).")
            % {"siret": id_coll}
        )
    outcomes = []
    for element in tree.iterfind("ACQUIT/ElementACQUIT"):
        number = element.find("NumBord")
        year = element.find("ExerciceBord")
        if number is None or year is None:
            continue
        accepted = element.find("EtatAck").get("V") in ("1", "true")
        reasons = _errors_text(element)
        bordereau, exer = int(number.get("V")), int(year.get("V"))
        pes_file = PesFile.objects.filter(
            municipality=town, cod_bud=cod_bud, exer=exer, bordereau=bordereau
        ).first()
        if pes_file is not None:
            before = pes_file.acquit
            pes_file.acquit = AcquitState.ACCEPTED if accepted else AcquitState.REJECTED
            pes_file.acquit_at = timezone.now()
            pes_file.acquit_reason = "\n".join(reasons)[:2000]
            pes_file.save(update_fields=["acquit", "acquit_at", "acquit_reason"])
            action_record(
                municipality_id=town.pk,
                actor=user,
                action="pes_file.acquit",
                obj=pes_file,
                changes={"state": [before, pes_file.acquit], "reason": pes_file.acquit_reason},
            )
        outcomes.append(AcquitOutcome(bordereau, exer, accepted, "\n".join(reasons), pes_file))
    if not outcomes:
        raise PesHistoryError(_("Cet accusé de réception ne nomme aucun bordereau."))
    return outcomes
