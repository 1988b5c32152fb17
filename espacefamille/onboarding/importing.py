"""Import of household files from a town's previous software (one CSV line per child).

Two steps: ``household_file_parse`` (here) reads and validates the whole file into records (or
the list of bad lines); ``import_writer.household_file_import`` writes valid records in one
transaction."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from espacefamille.core.validators import (
    validate_child_birth_date,
    validate_person_name,
    validate_single_line_text,
)
from espacefamille.households.errors import HouseholdError, HouseholdReason
from espacefamille.households.models import Civility

GUARDIAN_COLUMNS = ["civility", "last_name", "first_name", "email", "mobile"]
COLUMNS = [
    "household_ref",
    "household_name",
    *(f"guardian{rank}_{name}" for rank in (1, 2) for name in GUARDIAN_COLUMNS),
    "child_last_name",
    "child_first_name",
    "child_birth_date",
    "child_school",
    "child_class",
]
# Optional: the services the child is enrolled in for the current school year, "A|B".
OPTIONAL_COLUMNS = ["child_services"]
HOUSEHOLD_COLUMNS = COLUMNS[:12]  # the columns every line of one household repeats
CIVILITIES = {
    **dict.fromkeys(["m", "m.", "monsieur"], Civility.MR),
    **dict.fromkeys(["mme", "mme.", "madame"], Civility.MRS),
}
DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
PHONE_REGION = "FR"

GUARDIAN_FIELDS = ["civility", "last_name", "first_name", "email", "mobile_phone"]


@dataclass(frozen=True)
class LineError:
    line: int  # 1 is the header line
    reason: str

    def __str__(self) -> str:
        return _("ligne %(line)s : %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class GuardianRecord:
    rank: int
    civility: str
    last_name: str
    first_name: str
    email: str
    mobile_phone: str  # E.164, or "" when none


@dataclass(frozen=True)
class ChildRecord:
    line: int
    last_name: str
    first_name: str
    birth_date: date
    school: str
    school_class: str
    services: tuple[int, ...] = ()  # service ids, for the enrolments


@dataclass
class HouseholdRecord:
    line: int  # first line of the household in the file
    ref: str
    name: str
    guardians: tuple[GuardianRecord, ...]
    children: list[ChildRecord] = field(default_factory=list)


@dataclass
class ParsedFile:
    households: list[HouseholdRecord] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


# --- Reading and validating -------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # also strips the BOM spreadsheets write
    except UnicodeDecodeError as exc:
        raise HouseholdError(
            HouseholdReason.FILE_NOT_UTF8,
            _("Le fichier n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 »."),
        ) from exc


def _delimiter(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") else ","


def _check_header(header: list[str]) -> None:
    names = [name.strip() for name in header]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise HouseholdError(
            HouseholdReason.MISSING_COLUMNS,
            _("Colonnes manquantes : %(columns)s.") % {"columns": ", ".join(missing)},
        )
    unknown = [name for name in names if name not in COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise HouseholdError(
            HouseholdReason.UNKNOWN_COLUMNS,
            _("Colonnes inconnues : %(columns)s.") % {"columns": ", ".join(unknown)},
        )
    if len(names) != len(set(names)):
        raise HouseholdError(
            HouseholdReason.DUPLICATE_COLUMN, _("Une colonne figure deux fois dans l'en-tête.")
        )


class _Line:
    """One CSV line being read: its cells by column name and the reasons it is refused."""

    def __init__(self, number: int, cells: dict[str, str]) -> None:
        self.number = number
        self.cells = cells
        self.errors: list[LineError] = []
        self.household_ok = True  # no error in the columns a household's lines share

    def refuse(self, reason: str, column: str) -> None:
        self.errors.append(LineError(self.number, reason))
        if column in HOUSEHOLD_COLUMNS:
            self.household_ok = False

    def text(
        self,
        column: str,
        label: str,
        *,
        max_length: int,
        required: bool = False,
        validator: Callable[[str], None] = validate_single_line_text,
    ) -> str:
        value = " ".join(self.cells[column].split())
        if required and not value:
            self.refuse(_("%(field)s obligatoire") % {"field": label}, column)
        elif len(value) > max_length:
            self.refuse(
                _("%(field)s : %(max)s caractères au plus") % {"field": label, "max": max_length},
                column,
            )
        else:
            try:
                validator(value)
            except ValidationError as error:
                self.refuse(f"{label} : {' '.join(error.messages)}", column)
        return value


def _guardian(line: _Line, rank: int) -> GuardianRecord | None:
    prefix = f"guardian{rank}_"
    if rank > 1 and not any(line.cells[prefix + name].strip() for name in GUARDIAN_COLUMNS):
        return None  # an optional guardian left empty
    labels = {
        "last_name": _("nom du responsable %(rank)s") % {"rank": rank},
        "first_name": _("prénom du responsable %(rank)s") % {"rank": rank},
        "email": _("adresse e-mail du responsable %(rank)s") % {"rank": rank},
    }
    last_name = line.text(
        prefix + "last_name",
        labels["last_name"],
        max_length=100,
        required=True,
        validator=validate_person_name,
    )
    first_name = line.text(
        prefix + "first_name",
        labels["first_name"],
        max_length=100,
        required=True,
        validator=validate_person_name,
    )
    email = line.text(prefix + "email", labels["email"], max_length=254)
    raw_civility = line.cells[prefix + "civility"].strip()
    civility = CIVILITIES.get(raw_civility.lower(), "") if raw_civility else ""
    if raw_civility and not civility:
        line.refuse(
            _(
                "civilité « %(value)s » du responsable %(rank)s inconnue "
                "(attendu M, Monsieur, MME ou Madame)"
            )
            % {"value": raw_civility, "rank": rank},
            prefix + "civility",
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            line.refuse(
                _("adresse e-mail « %(value)s » du responsable %(rank)s invalide")
                % {"value": email, "rank": rank},
                prefix + "email",
            )
    raw_phone = line.cells[prefix + "mobile"].strip()
    phone = _phone(raw_phone) if raw_phone else ""
    if phone is None:
        line.refuse(
            _("téléphone mobile « %(value)s » du responsable %(rank)s invalide")
            % {"value": raw_phone, "rank": rank},
            prefix + "mobile",
        )
    return GuardianRecord(rank, civility, last_name, first_name, email, phone or "")


def _phone(value: str) -> str | None:
    """The number in E.164 (French numbers may omit +33), or None when it is not a number."""
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _plausible_child_birth(value: date) -> bool:
    try:
        validate_child_birth_date(value)
    except ValidationError:
        return False
    return True


def _birth_date(line: _Line) -> date | None:
    raw = line.cells["child_birth_date"].strip()
    match = DATE_RE.fullmatch(raw)
    try:
        value = date(int(match[3]), int(match[2]), int(match[1])) if match else None
    except ValueError:
        value = None
    if value is None:
        line.refuse(
            _("date de naissance « %(value)s » invalide (attendu JJ/MM/AAAA)") % {"value": raw},
            "child_birth_date",
        )
    elif not _plausible_child_birth(value):
        line.refuse(
            _("date de naissance « %(value)s » impossible") % {"value": raw}, "child_birth_date"
        )
        value = None
    return value


def _services(line: _Line, services: dict[str, int]) -> tuple[int, ...]:
    names = [n.strip() for n in line.cells.get("child_services", "").split("|") if n.strip()]
    unknown = [name for name in names if name.casefold() not in services]
    if unknown:
        line.refuse(
            _("service(s) inconnu(s) : %(names)s") % {"names": ", ".join(unknown)},
            "child_services",
        )
    return tuple(sorted({services[n.casefold()] for n in names if n.casefold() in services}))


def _parse_line(
    line: _Line, services: dict[str, int]
) -> tuple[HouseholdRecord, ChildRecord | None]:
    ref = line.text("household_ref", _("référence du foyer"), max_length=64, required=True)
    name = line.text("household_name", _("nom du foyer"), max_length=150, required=True)
    guardians = tuple(g for g in (_guardian(line, 1), _guardian(line, 2)) if g is not None)
    child_last_name = line.text(
        "child_last_name",
        _("nom de l'enfant"),
        max_length=100,
        required=True,
        validator=validate_person_name,
    )
    child_first_name = line.text(
        "child_first_name",
        _("prénom de l'enfant"),
        max_length=100,
        required=True,
        validator=validate_person_name,
    )
    birth_date = _birth_date(line)
    school = line.text("child_school", _("école"), max_length=150)
    school_class = line.text("child_class", _("classe"), max_length=60)
    enrolments = _services(line, services)
    household = HouseholdRecord(line.number, ref, name, guardians)
    if line.errors or birth_date is None:
        return household, None
    child = ChildRecord(
        line.number,
        child_last_name,
        child_first_name,
        birth_date,
        school,
        school_class,
        enrolments,
    )
    return household, child


def _differing_columns(first: HouseholdRecord, other: HouseholdRecord) -> list[str]:
    columns = ["household_name"] if first.name != other.name else []
    for rank in (1, 2):
        mine = next((g for g in first.guardians if g.rank == rank), None)
        theirs = next((g for g in other.guardians if g.rank == rank), None)
        for column, attribute in zip(GUARDIAN_COLUMNS, GUARDIAN_FIELDS, strict=True):
            if getattr(mine, attribute, "") != getattr(theirs, attribute, ""):
                columns.append(f"guardian{rank}_{column}")
    return columns


def _add_line(
    parsed: ParsedFile,
    line: _Line,
    by_ref: dict[str, HouseholdRecord],
    seen: dict[Any, int],
    services: dict[str, int],
) -> None:
    """Parse one line, check it against the household's first line, and keep its child."""
    household, child = _parse_line(line, services)
    first = by_ref.get(household.ref)
    if line.household_ok and first is None:
        first = by_ref[household.ref] = household
        parsed.households.append(household)
    elif line.household_ok and first and (columns := _differing_columns(first, household)):
        message = _("le foyer « %(ref)s » ne concorde pas avec la ligne %(first)s (%(columns)s)")
        values = {"ref": household.ref, "first": first.line, "columns": ", ".join(columns)}
        line.refuse(message % values, "household_ref")
    if child is not None and first is not None and not line.errors:
        key = (household.ref, child.first_name.casefold(), child.birth_date)
        if key in seen:
            message = _("l'enfant %(name)s né(e) le %(date)s figure déjà ligne %(first)s")
            date_text = child.birth_date.strftime("%d/%m/%Y")
            values = {"name": child.first_name, "date": date_text, "first": seen[key]}
            line.refuse(message % values, "child_first_name")
        else:
            seen[key] = line.number
            first.children.append(child)
    parsed.errors.extend(line.errors)


def household_file_parse(*, data: bytes, services: dict[str, int] | None = None) -> ParsedFile:
    """Read the whole file; return its households, or every bad line with its reason.
    ``services`` maps the town's service names (casefolded) to their ids, for the optional
    ``child_services`` column. Raise ``HouseholdError`` when the file cannot be read."""
    services = services or {}
    text = _decode(data)
    if not text.strip():
        raise HouseholdError(HouseholdReason.EMPTY_FILE, _("Le fichier est vide."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    parsed = ParsedFile()
    by_ref: dict[str, HouseholdRecord] = {}
    seen: dict[Any, int] = {}
    try:
        columns = [name.strip() for name in next(reader)]
        _check_header(columns)
        for number, row in enumerate(reader, start=2):  # record numbers, as a spreadsheet shows
            if not any(cell.strip() for cell in row):
                continue  # blank lines spreadsheets leave at the end
            if len(row) != len(columns):
                counts = {"found": len(row), "expected": len(columns)}
                reason = _("%(found)s colonnes au lieu de %(expected)s") % counts
                parsed.errors.append(LineError(number, reason))
                continue
            cells = dict(zip(columns, row, strict=True))
            _add_line(parsed, _Line(number, cells), by_ref, seen, services)
    except csv.Error as exc:
        message = _("Le fichier CSV est illisible (ligne %(line)s) : %(error)s")
        raise HouseholdError(
            HouseholdReason.UNREADABLE_FILE, message % {"line": reader.line_num, "error": exc}
        ) from exc
    if not parsed.households and not parsed.errors:
        raise HouseholdError(
            HouseholdReason.NOTHING_TO_IMPORT, _("Le fichier ne contient aucun enfant à importer.")
        )
    return parsed
