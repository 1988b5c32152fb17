"""Write the French plural catalog (espacefamille/locale/fr/LC_MESSAGES/django.po and .mo).

The messages are written in French in the code, so they need no translation, but their
plural forms do: without a catalog, ngettext and {% blocktranslate count %} fall back to
the English rule and print "0 factures". The catalog holds every plural message, translated
to itself, under the French rule (0 and 1 are singular). Run it after adding or changing a
plural message:

    DEBUG=1 .venv/bin/python scripts/french_plurals.py
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "espacefamille" / "locale" / "fr" / "LC_MESSAGES"
HEADER = """msgid ""
msgstr ""
"MIME-Version: 1.0\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""


def _strings(block: str, keyword: str) -> list[str]:
    """The quoted lines of ``keyword`` in a .po block (a msgid may span several lines)."""
    lines = block.splitlines()
    out: list[str] = []
    taking = False
    for line in lines:
        if line.startswith(keyword + " "):
            taking = True
            out.append(line[len(keyword) + 1 :])
        elif taking and line.startswith('"'):
            out.append(line)
        elif taking:
            break
    return out


def plural_entries(po_text: str) -> list[str]:
    entries = []
    for block in re.split(r"\n\s*\n", po_text):
        if not any(line.startswith("msgid_plural ") for line in block.splitlines()):
            continue
        flags = [line for line in block.splitlines() if line.startswith("#,")]
        singular, plural = _strings(block, "msgid"), _strings(block, "msgid_plural")
        entry = [*flags, "msgid " + singular[0], *singular[1:]]
        entry += ["msgid_plural " + plural[0], *plural[1:]]
        entry += ["msgstr[0] " + singular[0], *singular[1:]]
        entry += ["msgstr[1] " + plural[0], *plural[1:]]
        entries.append("\n".join(line for line in entry if "fuzzy" not in line))
    return entries


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    CATALOG.mkdir(parents=True, exist_ok=True)
    options = {"no_location": True, "no_obsolete": True, "no_wrap": True}
    call_command("makemessages", locale=["fr"], **options)
    po = CATALOG / "django.po"
    entries = plural_entries(po.read_text(encoding="utf-8"))
    po.write_text(HEADER + "\n" + "\n\n".join(entries) + "\n", encoding="utf-8")
    call_command("compilemessages", locale=["fr"])
    print(f"{len(entries)} plural messages in {po.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
