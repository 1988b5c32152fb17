"""Import of household files (CSV from a town's previous software): values, separators, BOM,
all-or-nothing with every bad line reported, idempotent re-import, only real changes logged."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espacefamille.audit.models import ActionLogEntry
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.errors import HouseholdError
from espacefamille.households.models import Child, Guardian, Household, HouseholdChange
from espacefamille.onboarding.import_writer import household_file_import
from espacefamille.onboarding.importing import (
    COLUMNS,
    household_file_parse,
)

from ..factories import GuardianFactory, HouseholdFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

MARTIN = {
    "household_ref": "F001",
    "household_name": "MARTIN",
    "guardian1_civility": "Mme",
    "guardian1_last_name": "MARTIN",
    "guardian1_first_name": "Claire",
    "guardian1_email": "claire.martin@example.org",
    "guardian1_mobile": "06 12 34 56 78",
    "guardian2_civility": "M.",
    "guardian2_last_name": "MARTIN",
    "guardian2_first_name": "Julien",
    "guardian2_email": "julien.martin@example.org",
    "guardian2_mobile": "+33 7 81 22 33 44",
    "child_last_name": "MARTIN",
    "child_first_name": "Emma",
    "child_birth_date": "14/03/2017",
    "child_school": "École du Centre",
    "child_class": "CE2",
}
NOAH = {**MARTIN, "child_first_name": "Noah", "child_birth_date": "02/09/2020", "child_class": "MS"}
BERNARD = {
    **dict.fromkeys(COLUMNS, ""),
    "household_ref": "F002",
    "household_name": "BERNARD",
    "guardian1_civility": "monsieur",
    "guardian1_last_name": "BERNARD",
    "guardian1_first_name": "Karim",
    "guardian1_email": "karim.bernard@example.org",
    "guardian1_mobile": "+32 470 12 34 56",
    "child_last_name": "BERNARD",
    "child_first_name": "Inès",
    "child_birth_date": "21/11/2015",
    "child_school": "École des Tilleuls",
    "child_class": "CM2",
}
GOOD = [MARTIN, NOAH, BERNARD]


def _csv(rows: list[dict[str, str]], sep: str = ";", bom: bool = False) -> bytes:
    lines = [sep.join(COLUMNS)] + [sep.join(row[column] for column in COLUMNS) for row in rows]
    return ("\ufeff" if bom else "").encode() + ("\r\n".join(lines) + "\r\n").encode()


def _import(tmp_path: Path, data: bytes, slug: str = "test") -> str:
    path = tmp_path / "familles.csv"
    path.write_bytes(data)
    out = StringIO()
    call_command("import_households", slug, str(path), stdout=out)
    return out.getvalue()


def _counts(town: Municipality) -> tuple[int, int, int, int]:
    with municipality_scope(town):
        return (
            Household.objects.count(),
            Guardian.objects.count(),
            Child.objects.count(),
            HouseholdChange.objects.count(),
        )


def _guardian(town: Municipality, ref: str, rank: int) -> Guardian:
    with municipality_scope(town):
        return Guardian.objects.get(household__external_ref=ref, rank=rank)


def test_good_file_creates_the_expected_rows(town: Municipality, tmp_path: Path) -> None:
    out = _import(tmp_path, _csv(GOOD))

    assert "Foyers — créés : 2, modifiés : 0, inchangés : 0" in out
    assert "Responsables — créés : 3, modifiés : 0, inchangés : 0" in out
    assert "Enfants — créés : 3, modifiés : 0, inchangés : 0" in out
    assert _counts(town) == (2, 3, 3, 8)  # every created row is in the change log
    with municipality_scope(town):
        martin = Household.objects.get(external_ref="F001")
        assert martin.name == "MARTIN"
        claire, julien = Guardian.objects.filter(household=martin).order_by("rank")
        assert (claire.rank, claire.civility, claire.first_name) == (1, "MME", "Claire")
        assert claire.email == "claire.martin@example.org"
        assert claire.mobile_phone.as_e164 == "+33612345678"
        assert (julien.rank, julien.civility, julien.mobile_phone.as_e164) == (
            2,
            "M",
            "+33781223344",
        )
        emma = Child.objects.get(household=martin, first_name="Emma")
        assert (emma.last_name, emma.birth_date) == ("MARTIN", date(2017, 3, 14))
        assert (emma.school, emma.school_class) == ("École du Centre", "CE2")
        noah = Child.objects.get(household=martin, first_name="Noah")
        assert (noah.birth_date, noah.school_class) == (date(2020, 9, 2), "MS")
        # Guardian 2 is optional: BERNARD has one guardian, with an international number.
        karim = Guardian.objects.get(household__external_ref="F002")
        assert (karim.rank, karim.civility, karim.mobile_phone.as_e164) == (1, "M", "+32470123456")
        assert Child.objects.get(household=karim.household).birth_date == date(2015, 11, 21)
        changes = HouseholdChange.objects.all()
        assert {c.action for c in changes} == {"create"}
        assert all(c.actor is None for c in changes)
        assert HouseholdChange.objects.get(object_type="household", household=martin).changes == {
            "external_ref": [None, "F001"],
            "name": [None, "MARTIN"],
        }
    # Stored as E.164 in the database, whatever the file's spelling.
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile_phone FROM households_guardian ORDER BY mobile_phone")
        assert [row[0] for row in cursor.fetchall()] == [
            "+32470123456",
            "+33612345678",
            "+33781223344",
        ]


@pytest.mark.parametrize(("sep", "bom"), [(";", False), (",", False), (";", True), (",", True)])
def test_separator_is_detected_and_bom_accepted(
    town: Municipality, tmp_path: Path, sep: str, bom: bool
) -> None:
    data = _csv(GOOD, sep=sep, bom=bom) + (sep * 16 + "\r\n").encode()  # a blank trailing line
    _import(tmp_path, data)
    assert _counts(town)[:3] == (2, 3, 3)
    with municipality_scope(town):
        assert set(Household.objects.values_list("external_ref", flat=True)) == {"F001", "F002"}


def test_an_import_from_the_command_line_is_in_the_action_log(
    town: Municipality, tmp_path: Path
) -> None:
    _import(tmp_path, _csv(GOOD))
    with municipality_scope(town):
        entry = ActionLogEntry.objects.get(action="import.households")
    assert entry.actor is None and entry.object_repr == "familles.csv"
    assert entry.changes["via"] == [None, "commande import_households"]
    assert entry.changes["foyers créés / modifiés / inchangés"] == [None, "2 / 0 / 0"]


def test_reimport_changes_nothing(town: Municipality, tmp_path: Path) -> None:
    _import(tmp_path, _csv(GOOD))
    before = _counts(town)
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(Household, "save", autospec=True) as household_save,
        mock.patch.object(Guardian, "save", autospec=True) as guardian_save,
        mock.patch.object(Child, "save", autospec=True) as child_save,
    ):
        out = _import(tmp_path, _csv(GOOD))
    assert _counts(town) == before
    assert not household_save.called
    assert not guardian_save.called
    assert not child_save.called
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    # Only the import's own entry in the action log: no household row is rewritten.
    assert len(writes) == 1 and writes[0].startswith('INSERT INTO "audit_actionlogentry"')
    assert "Foyers — créés : 0, modifiés : 0, inchangés : 2" in out
    assert "Responsables — créés : 0, modifiés : 0, inchangés : 3" in out
    assert "Enfants — créés : 0, modifiés : 0, inchangés : 3" in out


def test_a_changed_phone_updates_the_guardian(town: Municipality, tmp_path: Path) -> None:
    _import(tmp_path, _csv(GOOD))
    claire = _guardian(town, "F001", 1)
    changed = [{**row, "guardian1_mobile": "0699999999"} for row in (MARTIN, NOAH)]
    out = _import(tmp_path, _csv([*changed, BERNARD]))

    assert "Responsables — créés : 0, modifiés : 1, inchangés : 2" in out
    assert "Foyers — créés : 0, modifiés : 0, inchangés : 2" in out
    updated = _guardian(town, "F001", 1)
    assert updated.pk == claire.pk
    assert updated.mobile_phone.as_e164 == "+33699999999"
    assert _counts(town) == (2, 3, 3, 9)
    with municipality_scope(town):
        change = HouseholdChange.objects.get(action="update")
    assert change.object_id == claire.pk
    assert change.actor is None
    assert change.changes == {"mobile_phone": ["+33 6 12 34 56 78", "+33 6 99 99 99 99"]}


def test_children_are_matched_on_first_name_case_insensitively(
    town: Municipality, tmp_path: Path
) -> None:
    _import(tmp_path, _csv(GOOD))
    with municipality_scope(town):
        emma = Child.objects.get(first_name="Emma")
    _import(tmp_path, _csv([{**MARTIN, "child_first_name": "EMMA", "child_class": "CM1"}]))
    with municipality_scope(town):
        assert Child.objects.count() == 3
        again = Child.objects.get(pk=emma.pk)
    assert (again.first_name, again.school_class) == ("EMMA", "CM1")


def test_rows_missing_from_a_later_file_are_kept(town: Municipality, tmp_path: Path) -> None:
    _import(tmp_path, _csv(GOOD))
    names = ("civility", "last_name", "first_name", "email", "mobile")
    without_second = {**MARTIN, **{f"guardian2_{name}": "" for name in names}}
    out = _import(tmp_path, _csv([without_second]))  # no Noah, no BERNARD, no guardian 2
    assert _counts(town) == (2, 3, 3, 8)
    assert _guardian(town, "F001", 2).first_name == "Julien"
    assert "Responsables — créés : 0, modifiés : 0, inchangés : 1" in out


def test_three_bad_lines_write_nothing_and_are_all_reported(
    town: Municipality, tmp_path: Path
) -> None:
    _import(tmp_path, _csv(GOOD))
    before = _counts(town)
    rows = [
        {**MARTIN, "guardian1_mobile": "0611111111"},  # line 2: a valid change, not applied
        {**NOAH, "guardian1_mobile": "0611111111", "child_birth_date": "31/02/2019"},  # 3
        {**BERNARD, "guardian1_email": "karim.bernard@"},  # line 4
        {**BERNARD, "child_first_name": "Sami", "child_birth_date": "01/01/2016"},  # line 5: ok
        {**BERNARD, "household_ref": "F003", "guardian1_civility": "Dr"},  # line 6
    ]
    with pytest.raises(CommandError) as error:
        _import(tmp_path, _csv(rows))

    message = str(error.value)
    assert "rien n'a été enregistré : 3 lignes en erreur" in message
    assert "ligne 3 : date de naissance « 31/02/2019 » invalide (attendu JJ/MM/AAAA)" in message
    assert "ligne 4 : adresse e-mail « karim.bernard@ » du responsable 1 invalide" in message
    assert "ligne 6 : civilité « Dr » du responsable 1 inconnue" in message
    assert "ligne 2 " not in message and "ligne 5 " not in message
    assert _counts(town) == before
    assert _guardian(town, "F001", 1).mobile_phone.as_e164 == "+33612345678"
    with municipality_scope(town):
        assert not Household.objects.filter(external_ref="F003").exists()
        assert not Child.objects.filter(first_name="Sami").exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"guardian1_mobile": "06 12"}, "téléphone mobile « 06 12 » du responsable 1 invalide"),
        ({"child_birth_date": "2019-03-14"}, "date de naissance « 2019-03-14 » invalide"),
        ({"child_first_name": " "}, "prénom de l'enfant obligatoire"),
        ({"child_birth_date": "01/01/2999"}, "date de naissance « 01/01/2999 » impossible"),
        ({"household_ref": ""}, "référence du foyer obligatoire"),
        ({"guardian2_email": "x@example.org"}, "nom du responsable 2 obligatoire"),
        ({"guardian2_civility": "Mademoiselle"}, "civilité « Mademoiselle » du responsable 2"),
        ({"child_class": "x" * 61}, "classe : 60 caractères au plus"),
    ],
)
def test_each_rule_is_checked(change: dict[str, str], reason: str) -> None:
    parsed = household_file_parse(data=_csv([BERNARD, {**BERNARD, **change}]))
    assert any(str(e).startswith(f"ligne 3 : {reason}") for e in parsed.errors)
    assert {e.line for e in parsed.errors} == {3}


def test_a_line_with_a_missing_cell_is_reported() -> None:
    data = _csv([BERNARD]) + ";".join(["F009"] * 16).encode() + b"\r\n"
    parsed = household_file_parse(data=data)
    assert [str(e) for e in parsed.errors] == ["ligne 3 : 16 colonnes au lieu de 17"]


def test_lines_of_one_household_must_agree(town: Municipality, tmp_path: Path) -> None:
    # The same values spelled differently agree…
    same = {**NOAH, "guardian1_mobile": "+33612345678", "guardian1_civility": "MADAME"}
    assert household_file_parse(data=_csv([MARTIN, same])).errors == []
    # …different values do not, and the whole file is refused.
    other = {**NOAH, "guardian1_mobile": "0699999999", "household_name": "MARTIN-DURAND"}
    with pytest.raises(CommandError) as error:
        _import(tmp_path, _csv([MARTIN, other, BERNARD]))
    assert (
        "ligne 3 : le foyer « F001 » ne concorde pas avec la ligne 2 "
        "(household_name, guardian1_mobile)"
    ) in str(error.value)
    assert _counts(town) == (0, 0, 0, 0)


def test_a_child_twice_in_one_household_is_refused() -> None:
    twin = {**MARTIN, "child_first_name": "emma", "child_class": "CM1"}
    parsed = household_file_parse(data=_csv([MARTIN, twin]))
    assert [str(e) for e in parsed.errors] == [
        "ligne 3 : l'enfant emma né(e) le 14/03/2017 figure déjà ligne 2"
    ]


def test_unknown_town_writes_nothing(town: Municipality, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Commune « nulle-part » inconnue"):
        _import(tmp_path, _csv(GOOD), slug="nulle-part")
    assert _counts(town) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide"),
        (";".join(COLUMNS).encode() + b"\r\n", "aucun enfant à importer"),
        (_csv(GOOD).decode().replace("Inès", "In\xe8s").encode("latin-1"), "UTF-8"),
        (_csv(GOOD).replace(b";child_class", b""), "Colonnes manquantes : child_class."),
        (_csv(GOOD).replace(b"child_class", b"child_klass"), "Colonnes manquantes : child_class"),
    ],
)
def test_file_errors_write_nothing(
    town: Municipality, tmp_path: Path, data: bytes, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _import(tmp_path, data)
    assert _counts(town) == (0, 0, 0, 0)


def test_unreadable_file(town: Municipality, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="fichier introuvable"):
        call_command("import_households", "test", str(tmp_path / "absent.csv"))


def test_other_towns_are_left_alone(town: Municipality, tmp_path: Path) -> None:
    other = MunicipalityFactory(slug="voisine")
    household = HouseholdFactory(municipality=other, name="MARTIN", external_ref="F001")
    GuardianFactory(household=household, rank=1, mobile_phone="+33600000000")
    _import(tmp_path, _csv(GOOD))
    assert _counts(town)[:3] == (2, 3, 3)
    assert _counts(other) == (1, 1, 0, 0)
    assert _guardian(other, "F001", 1).mobile_phone.as_e164 == "+33600000000"


def test_the_service_refuses_a_file_with_errors(town: Municipality) -> None:
    parsed = household_file_parse(data=_csv([{**BERNARD, "child_birth_date": "hier"}]))
    with pytest.raises(HouseholdError):
        household_file_import(municipality=town, parsed=parsed, actor=None, file_name="f.csv")
    assert _counts(town) == (0, 0, 0, 0)


def test_the_sample_file_imports(town: Municipality) -> None:
    sample = Path(__file__).resolve().parents[2] / "docs" / "import_example.csv"
    parsed = household_file_parse(data=sample.read_bytes())
    assert parsed.errors == []
    summary = household_file_import(municipality=town, parsed=parsed, actor=None, file_name="f.csv")
    assert (summary.households.created, summary.children.created) == (4, 5)


# --- The optional child_services column (bookings issue) and activated guardians -------------


def _csv_with_services(rows: list[tuple[dict[str, str], str]]) -> bytes:
    columns = [*COLUMNS, "child_services"]
    lines = [";".join(columns)] + [
        ";".join([*(row[c] for c in COLUMNS), services]) for row, services in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def _services(town: Municipality) -> None:
    from espacefamille.demo.catalog import load_catalog

    with municipality_scope(town):
        load_catalog(town)


def test_child_services_enrol_the_child_for_the_current_year(
    town: Municipality, tmp_path: Path
) -> None:
    from espacefamille.catalog.models import Enrollment, school_year_of

    _services(town)
    data = _csv_with_services(
        [(MARTIN, "Restaurant scolaire|garderie"), (NOAH, ""), (BERNARD, "Accueil du mercredi")]
    )
    out = _import(tmp_path, data)
    assert "Inscriptions — créés : 3, modifiés : 0, inchangés : 0" in out
    with municipality_scope(town):
        emma = Enrollment.objects.filter(child__first_name="Emma")
        assert sorted(e.service.name for e in emma) == ["Garderie", "Restaurant scolaire"]
        assert {e.school_year for e in Enrollment.objects.all()} == {school_year_of(date.today())}
        assert emma.first().school_class == "CE2"
    again = _import(tmp_path, data)
    assert "Inscriptions — créés : 0, modifiés : 0, inchangés : 3" in again
    with municipality_scope(town):
        assert Enrollment.objects.count() == 3


def test_unknown_service_is_a_line_error_and_nothing_is_written(
    town: Municipality, tmp_path: Path
) -> None:
    _services(town)
    data = _csv_with_services([(MARTIN, "Restaurant scolaire"), (NOAH, "Piscine")])
    with pytest.raises(CommandError) as error:
        _import(tmp_path, data)
    assert "ligne 3 : service(s) inconnu(s) : Piscine" in str(error.value)
    assert _counts(town) == (0, 0, 0, 0)


def test_reimport_keeps_what_an_activated_guardian_entered(
    town: Municipality, tmp_path: Path
) -> None:
    from ..factories import UserFactory

    _import(tmp_path, _csv(GOOD))
    claire = _guardian(town, "F001", 1)
    with municipality_scope(town):
        claire.user = UserFactory(email="claire@example.org")
        claire.mobile_phone = "+33699887766"
        claire.save()
    changed = [{**row, "guardian1_mobile": "06 00 00 00 01"} for row in (MARTIN, NOAH)]
    _import(tmp_path, _csv([*changed, BERNARD]))
    assert _guardian(town, "F001", 1).mobile_phone.as_e164 == "+33699887766"
