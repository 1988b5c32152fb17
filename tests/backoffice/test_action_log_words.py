"""The action log and a household's "Historique des modifications" read French (issue 16,
item 6): every action the code records (found in the source itself, so that a new one
cannot be forgotten) has its label and its domain in the "Domaine" filter, and a page of
entries holding the raw values the services write (choice codes, ISO dates, "3.60",
booleans, a tap's id) shows none of them."""

from __future__ import annotations

import ast
import re
import uuid
from pathlib import Path

import pytest

import espacefamille
from espacefamille.audit.models import ActionLogEntry
from espacefamille.backoffice import audit_labels as labels
from espacefamille.backoffice.forms.action_log import ActionLogFilterForm
from espacefamille.core.models import Municipality
from espacefamille.core.tenancy import municipality_scope
from espacefamille.households.models import HouseholdChange

from ..factories import ChildFactory, HouseholdFactory
from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
SOURCE = Path(espacefamille.__file__).parent


def _recorded_actions() -> set[str]:
    """Every ``action=`` string of a call in the code (both branches of a conditional), and
    the ``<entity>.create|update`` of the catalog's configuration (``_record(obj, actor,
    "<entity>", …)``)."""
    actions: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    actions |= {
                        constant.value
                        for constant in ast.walk(keyword.value)
                        if isinstance(constant, ast.Constant)
                        and isinstance(constant.value, str)
                        and CODE.match(constant.value)
                    }
            name = getattr(node.func, "id", "")
            if name == "_record" and len(node.args) >= 3:
                entity = node.args[2]
                if isinstance(entity, ast.Constant) and isinstance(entity.value, str):
                    actions |= {f"{entity.value}.create", f"{entity.value}.update"}
    return actions


ACTIONS = sorted(_recorded_actions())
TAP = str(uuid.uuid4())
# The values the services write, as they are stored (records.displayable).
RAW_CHANGES = {
    "state": ["present", "absent"],
    "tap": TAP,
    "status": ["requested", "refused"],
    "effective_from": [None, "2026-11-17"],
    "is_default_bracket": [None, True],
    "unit_price": [None, "3.60"],
    "amount": "3.60",
    "deadline_waived": ["", "oui"],
    "is_active": [True, False],
    "recorded_at": [None, "2026-11-17T08:30:00+00:00"],
}
RAW = [
    "present",
    "requested",
    "refused",
    "effective_from",
    "is_default_bracket",
    "unit_price",
    "deadline_waived",
    "recorded_at",
    "True",
    "False",
    "3.60",
    TAP,
]
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _visible(response: object) -> str:
    text = page_text(response)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_the_source_scan_finds_the_actions() -> None:
    assert {"attendance.record", "booking.decide", "product_price.create"} <= set(ACTIONS)
    assert {"service.update", "closure.delete"} <= set(ACTIONS)


def test_every_recorded_action_has_a_label_and_a_domain_in_the_filter() -> None:
    assert [action for action in ACTIONS if action not in labels.ACTION_LABELS] == []
    prefixes = {prefix for prefix, _label in getattr(labels, "DOMAINS", [])}
    assert [action for action in ACTIONS if action.split(".")[0] + "." not in prefixes] == []
    choices = {value for value, _label in ActionLogFilterForm().fields["action"].choices}  # type: ignore[attr-defined]
    assert prefixes and prefixes <= choices


def test_the_log_page_shows_no_raw_code(administrator: Agent, town: Municipality) -> None:
    object_types = {
        "attendance.record": "attendance",
        "booking.decide": "booking",
        "product_price.create": "product",
        "settlement.record": "settlement",
    }
    with municipality_scope(town):
        for action in ACTIONS:
            ActionLogEntry.objects.create(
                municipality=town,
                actor=administrator.user,
                action=action,
                object_type=object_types.get(action, ""),
                object_id=1,
                object_repr="REPAS — 2026-11-17 — 12.50 €",
                changes=RAW_CHANGES,
            )
    pages = [
        _visible(administrator.client.get("/agents/journal/", {"page": number}))
        for number in (1, 2)
    ]
    text = " ".join(pages)
    assert [code for code in ACTIONS if code in text] == []
    assert [raw for raw in RAW if re.search(rf"(?<![\w-]){re.escape(raw)}(?![\w-])", text)] == []
    assert not ISO.search(text) and "→ absent" not in text
    assert "17/11/2026" in text and "3,60 €" in text and "12,50 €" in text
    assert "Oui" in text and "enfant présent → enfant absent" in text
    assert "demande de réservation → refusée" in text


def test_each_domain_filters_the_log(administrator: Agent, town: Municipality) -> None:
    with municipality_scope(town):
        for action in ("attendance.record", "product_price.create", "invoice_run.finalize"):
            ActionLogEntry.objects.create(municipality=town, action=action, object_repr=action)
    page = _visible(administrator.client.get("/agents/journal/", {"action": "attendance."}))
    assert "pointage" in page and "tarif ajouté" not in page


def test_the_household_history_reads_french(administrator: Agent, town: Municipality) -> None:
    with municipality_scope(town):
        household = HouseholdFactory(municipality=town)
        child = ChildFactory(household=household)
        HouseholdChange.objects.create(
            municipality=town,
            household=household,
            actor=administrator.user,
            action=HouseholdChange.Action.UPDATE,
            object_type="child",
            object_id=child.pk,
            object_repr=str(child),
            changes={
                "birth_date": ["2019-03-03", "2019-04-03"],
                "has_care_plan": [False, True],
                "civility": ["", "F"],
            },
        )
    text = _visible(administrator.client.get(f"/agents/foyers/{household.pk}/"))
    history = text.split("Historique des modifications", 1)[1]
    assert "03/03/2019 → 03/04/2019" in history and "Non → Oui" in history
    assert not ISO.search(history) and "True" not in history and "birth_date" not in history


def test_a_field_code_never_shows_even_unknown() -> None:
    rows = labels.change_rows("booking", {"some_new_field": [None, "x"], "motif": ["", "Grève"]})
    assert rows == [("autre information", "—", "x"), ("motif", "—", "Grève")]
