"""One stylesheet of design tokens (tokens.css): every other stylesheet reads its custom
properties and writes no colour of its own; every page links it first; cards and tiles never
show list bullets."""

from __future__ import annotations

import re
from pathlib import Path

import espacefamille

APP = Path(espacefamille.__file__).parent
TOKENS = APP / "portal" / "static" / "espacefamille" / "tokens.css"
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(")


def _stylesheets() -> list[Path]:
    return [p for p in APP.glob("*/static/espacefamille/*.css") if p != TOKENS]


def test_no_stylesheet_but_the_tokens_writes_a_colour() -> None:
    found = {
        f"{path.relative_to(APP)}:{number}": line.strip()
        for path in _stylesheets()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if COLOUR_LITERAL.search(line)
    }
    assert not found, found


def test_every_token_used_is_defined() -> None:
    defined = set(re.findall(r"(--[a-z0-9-]+)\s*:", TOKENS.read_text()))
    used = {
        name
        for path in _stylesheets()
        for name in re.findall(r"var\((--[a-z0-9-]+)", path.read_text())
    }
    assert used - defined == set()


def test_tokens_have_a_dark_mode() -> None:
    text = TOKENS.read_text()
    dark = text[text.index("@media (prefers-color-scheme: dark)") :]
    assert "--color-page:" in dark and "--color-surface:" in dark and "--color-ink:" in dark


def test_every_page_links_the_tokens_before_its_styles() -> None:
    pages = [
        p
        for p in (APP / "templates").rglob("*.html")
        if "<html" in p.read_text()
        and 'rel="stylesheet"' in p.read_text()
        # The API's docs are Swagger UI's own page, with its own stylesheet (no portal style).
        and p.parent.name != "api"
    ]  # e-mails and the data export's summary carry no stylesheet
    assert len(pages) >= 3
    for page in pages:
        text = page.read_text()
        assert "espacefamille/tokens.css" in text, page
        assert text.index("tokens.css") < text.index("portal.css"), page


def test_cards_and_tiles_have_no_bullets() -> None:
    css = (APP / "portal" / "static" / "espacefamille" / "portal.css").read_text()
    rule = re.search(r"([^{}]*)\{\s*list-style:\s*none;\s*\}", css)
    assert rule is not None and ".cards" in rule.group(1) and "li.card" in rule.group(1)
