"""Words an agent should never see (issue 16, items 10 and 11): "connecté en tant que
administrateur", a facilitator's home announcing as "prochainement" what already works,
"1 foyers" or "0 factures", and one name for two things ("Demandes")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import espacefamille

from .helpers import Agent, page_text

pytestmark = pytest.mark.django_db

SOURCE = Path(espacefamille.__file__).parent
NOUNS = (
    "foyer|facture|enfant|réservation|ligne|inscription|demande|place|jour|prestation|famille|"
    "responsable|anomalie|avoir|paiement|action|pointage|code|annulation|session|écart|minute|"
    "prise|décision"
)
# A number printed before a noun, outside {% blocktranslate count %}…{% endblocktranslate %}.
TEMPLATE_NUMBER_NOUN = re.compile(r"\}\}(?:</span>)?\s*(?:" + NOUNS + r")s?\b")
# A placeholder followed by "noun(s)" in a Python message.
PYTHON_NUMBER_NOUN = re.compile(r"(?:%\(\w+\)[sd]|\{[\w.]+\})\s+\w+\(s\)")
COUNTED = re.compile(r"\{% blocktranslate count.*?\{% endblocktranslate %\}", re.S)


def test_no_number_before_a_noun_escapes_the_plural_forms() -> None:
    found = []
    for path in SOURCE.rglob("*.html"):
        text = COUNTED.sub("", path.read_text(encoding="utf-8"))
        found += [f"{path.name}: {match[0]}" for match in TEMPLATE_NUMBER_NOUN.finditer(text)]
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {match[0]}" for match in PYTHON_NUMBER_NOUN.finditer(text)]
    # The closure preview's first line is worded as issue 20 gives it to the towns' scripts
    # (`close_days` prints it, whatever the numbers); every other count takes its plural.
    scripted = {"closing.py: %(n)s réservation(s)", "closing.py: %(m)s famille(s)"}
    assert sorted(set(found) - scripted) == []


def test_the_progress_of_a_one_household_run_is_singular() -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "backoffice/invoicing/_progress.html",
        {"run": None, "done": 1, "total": 1, "percent": 100, "in_progress": False},
    )
    assert "1 / 1 foyer (100 %)" in html and "foyers" not in html


def test_elision_before_a_vowel() -> None:
    from espacefamille.backoffice.views.home import signed_in_as

    assert signed_in_as("administrateur") == "Vous êtes connecté en tant qu'administrateur."
    assert signed_in_as("animateur") == "Vous êtes connecté en tant qu'animateur."
    assert signed_in_as("agent de régie") == "Vous êtes connecté en tant qu'agent de régie."
    assert signed_in_as("gestionnaire") == "Vous êtes connecté en tant que gestionnaire."


def test_the_facilitators_home_links_to_what_works(facilitator: Agent) -> None:
    page = page_text(facilitator.client.get("/agents/accueil/"))
    assert "prochainement" not in page
    assert "connecté en tant qu'animateur" in page
    assert 'href="/agents/pointage/"' in page and "Faire le pointage" in page


def test_the_administrators_home_elides(administrator: Agent) -> None:
    page = page_text(administrator.client.get("/agents/accueil/"))
    assert "connecté en tant qu'administrateur" in page and "tant que administrateur" not in page


def test_one_name_per_thing_in_the_menu_and_the_titles(administrator: Agent) -> None:
    page = page_text(administrator.client.get("/agents/reservations/demandes/"))
    assert "<h1>Réservations à valider</h1>" in page and "Demandes à traiter" not in page
    assert "<title>Réservations à valider" in page
    menu = page.split('aria-label="Menu des agents"', 1)[1].split("</nav>", 1)[0]
    labels = re.findall(r">([^<>]+)</a>", menu)
    assert "Réservations à valider" in labels and "Demandes des familles" in labels
    assert "Demandes" not in labels
    inquiries = page_text(administrator.client.get("/agents/demandes/"))
    assert "<h1>Demandes des familles</h1>" in inquiries


def _ngettext_singulars() -> set[str]:
    import ast

    found = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") in ("ngettext", "ngettext_lazy")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_plural_message_follows_the_french_rule() -> None:
    """Without the catalog, ngettext falls back to the English rule: "0 factures"."""
    from django.template.loader import render_to_string
    from django.utils.translation import ngettext

    catalog = (SOURCE / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text()
    singulars = _ngettext_singulars()
    assert len(singulars) > 10
    missing = [text for text in singulars if f'msgid "{text}"' not in catalog]
    assert missing == [], "run scripts/french_plurals.py"
    for text in singulars:
        assert ngettext(text, text + "·", 0) == text  # 0 is singular in French
    html = render_to_string(
        "backoffice/invoicing/_progress.html",
        {"run": None, "done": 0, "total": 0, "percent": 0, "in_progress": False},
    )
    assert "0 / 0 foyer (0 %)" in html
