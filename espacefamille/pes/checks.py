"""Is a PES file fit to leave? The DGFiP's XSD (``PES_XSD_PATH``, compiled offline with lxml),
then what the DGFiP checks on arrival and the XSD cannot: each bordereau's ``NbrPce`` and
total against its pieces, allowed TypBord/TypPce/NatPce triplets, amounts written with
exactly two decimals and a dot, a five-digit postcode for each debtor.

The file is read as a stream (``iterparse`` validating against the schema as it goes, each
piece dropped once counted), so the check of a 10,000-title file stays small in memory."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from .errors import PesSchemaUnavailable
from .titles import ALLOWED_TRIPLETS

ALLER_XSD = Path("PES_V2") / "Rev0" / "PES_Aller.xsd"
ACQUIT_XSDS = (
    Path("PES_V2") / "Rev0" / "PES_V2_Acquit_Autonome_V2.xsd",
    Path("PES_V2") / "Rev0" / "PES_V2_Acquit_Autonome.xsd",
)
AMOUNT = re.compile(r"[0-9]+\.[0-9]{2}")
AMOUNT_TAGS = frozenset({"MtBordHt", "MtHT", "MtPrel", "MtBordTVA", "MtTVA", "MtCumulAnnuel"})
# The elements the arrival rules read: the parser raises no event for the others.
WATCHED_TAGS = ("Bordereau", "BlocBordereau", "Piece", "PJ")
MAX_ERRORS = 50
FULL_READ_LIMIT = 20 * 1024 * 1024


def schema_folder() -> Path:
    folder = str(getattr(settings, "PES_XSD_PATH", "") or "")
    if not folder:
        raise PesSchemaUnavailable(
            _(
                "Les schémas PES de la DGFiP ne sont pas installés (réglage PES_XSD_PATH vide) : "
                "aucun fichier n'est produit sans être validé. Demandez à l'administrateur du "
                "portail d'indiquer le dossier des schémas XSD."
            )
        )
    return Path(folder)


@lru_cache(maxsize=8)
def _compile(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def load_schema(relative: Path) -> etree.XMLSchema:
    path = schema_folder() / relative
    if not path.is_file():
        raise PesSchemaUnavailable(
            _(
                "Le schéma %(path)s est introuvable dans le dossier PES_XSD_PATH : aucun "
                "fichier n'est produit sans être validé."
            )
            % {"path": relative.as_posix()}
        )
    return _compile(str(path))


@dataclass
class _Bordereau:
    number: str = ""
    typ_bord: str = ""
    declared_count: int = 0
    declared_total: Decimal = Decimal("0")
    pieces: int = 0
    total: Decimal = Decimal("0")


@dataclass
class CheckResult:
    errors: list[str] = field(default_factory=list)
    pieces: int = 0
    total: Decimal = Decimal("0.00")

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(message)


def _value(element: Any, tag: str) -> str:
    found = element.find(tag)
    return "" if found is None else str(found.get("V", ""))


def _piece_checks(piece: Any, bordereau: _Bordereau, result: CheckResult) -> Decimal:
    bloc = piece.find("BlocPiece")
    number = _value(bloc, "IdPce") if bloc is not None else "?"
    label = _value(bloc, "NumeroFacture") if bloc is not None else ""
    name = _("titre %(piece)s (facture %(number)s)") % {"piece": number, "number": label or "?"}
    triplet = (bordereau.typ_bord, _value(bloc, "TypPce"), _value(bloc, "NatPce"))
    if triplet not in ALLOWED_TRIPLETS:
        result.add(
            _("%(name)s : le triplet TypBord/TypPce/NatPce %(triplet)s n'est pas autorisé.")
            % {"name": name, "triplet": "/".join(triplet)}
        )
    total = Decimal("0")
    for info in piece.iterfind("LigneDePiece/BlocLignePiece/InfoLignePiece"):
        text = _value(info, "MtHT")
        if AMOUNT.fullmatch(text):
            total += Decimal(text)
    for postcode in piece.iterfind("LigneDePiece/Tiers/Adresse/CP"):
        if not re.fullmatch(r"[0-9]{5}", postcode.get("V", "")):
            result.add(
                _("%(name)s : le code postal du débiteur doit compter 5 chiffres.") % {"name": name}
            )
    return total


def _amount_checks(element: Any, result: CheckResult) -> None:
    for amount in element.iter(*AMOUNT_TAGS):
        value = amount.get("V", "")
        if not AMOUNT.fullmatch(value):
            result.add(
                _("Montant « %(value)s » (%(tag)s) : deux décimales et un point attendus.")
                % {"value": value, "tag": amount.tag}
            )


def check_pes_file(path: Path) -> CheckResult:
    """Every error found, in French; an empty list means the file may leave.

    One streaming pass validates the whole file against the schema; only the elements the
    arrival rules read raise an event (the schema checks every element all the same), each
    piece and attachment is dropped once checked, and the amounts of what stays (the
    bordereau's block, the headers) are checked once the file is read."""
    schema = load_schema(ALLER_XSD)
    result = CheckResult()
    bordereau = _Bordereau()
    events = etree.iterparse(
        str(path), events=("start", "end"), tag=WATCHED_TAGS, schema=schema, huge_tree=True
    )
    try:
        for event, element in events:
            tag = element.tag
            if event == "start":
                if tag == "Bordereau":
                    bordereau = _Bordereau()
                continue
            if tag == "BlocBordereau":
                bordereau.number = _value(element, "IdBord")
                bordereau.typ_bord = _value(element, "TypBord")
                bordereau.declared_count = int(_value(element, "NbrPce") or 0)
                total = _value(element, "MtBordHt")
                bordereau.declared_total = Decimal(total) if AMOUNT.fullmatch(total) else Decimal(0)
            elif tag == "Piece":
                bordereau.pieces += 1
                bordereau.total += _piece_checks(element, bordereau, result)
                _amount_checks(element, result)
                element.clear(keep_tail=True)
            elif tag == "Bordereau":
                _bordereau_checks(bordereau, result)
                result.pieces += bordereau.pieces
                result.total += bordereau.total
            elif tag == "PJ":
                element.clear(keep_tail=True)
    except etree.XMLSyntaxError as error:
        _schema_errors(path, schema, error, result)
        return result
    _amount_checks(events.root, result)  # pieces are empty by now: the rest, once
    return result


def _schema_errors(path: Path, schema: Any, first: Any, result: CheckResult) -> None:
    """The stream stops at the first error; a file small enough is read again whole so that
    the agent sees every error at once."""
    if path.stat().st_size > FULL_READ_LIMIT:
        result.add(schema_message(first))
        return
    try:
        tree = etree.parse(str(path), etree.XMLParser(huge_tree=True))
    except etree.XMLSyntaxError as unreadable:
        result.add(schema_message(unreadable))
        return
    if schema.validate(tree):  # pragma: no cover - the stream and the tree disagree
        result.add(schema_message(first))
        return
    for entry in schema.error_log:
        result.add(schema_message(entry))


def _bordereau_checks(bordereau: _Bordereau, result: CheckResult) -> None:
    if bordereau.declared_count != bordereau.pieces:
        result.add(
            _(
                "Bordereau %(number)s : NbrPce annonce %(declared)s pièces, le bordereau en "
                "contient %(found)s."
            )
            % {
                "number": bordereau.number,
                "declared": bordereau.declared_count,
                "found": bordereau.pieces,
            }
        )
    if bordereau.declared_total != bordereau.total:
        result.add(
            _(
                "Bordereau %(number)s : le montant annoncé (%(declared)s) n'est pas la somme "
                "de ses pièces (%(found)s)."
            )
            % {
                "number": bordereau.number,
                "declared": bordereau.declared_total,
                "found": bordereau.total,
            }
        )


def schema_message(error: Any) -> str:
    line = getattr(error, "line", None) or getattr(error, "lineno", None) or "?"
    message = str(getattr(error, "msg", None) or getattr(error, "message", None) or error)
    return _("Non conforme au schéma de la DGFiP, ligne %(line)s : %(message)s") % {
        "line": line,
        "message": message,
    }
