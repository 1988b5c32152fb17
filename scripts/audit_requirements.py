"""Audit the pinned requirements (``name==version`` lines of requirements/*.txt) against an
advisory database that works offline: PyUp's ``safety-db`` package, installed with the dev
requirements. Exit status 1, with each advisory printed, when a pinned version is known to be
vulnerable; 0 otherwise.

Why this and not pip-audit: pip-audit needs an online vulnerability service (PyPI's JSON API
or OSV) that this project's machines cannot reach; there it prints "No known vulnerabilities"
while skipping every package. ``safety-db`` ships its database inside the package.

Its limit, printed at every run: the last release of ``safety-db`` on the package index is
frozen at its date (July 2021), so it only knows advisories published before then. It catches
a pin that is years old (a ``Django==3.2.0`` pasted from an old project); it cannot know of a
vulnerability disclosed since. For that, ``--newer`` lists the pins for which the package index
has a newer release in the same ``major.minor`` series (a patch release, usually the security
fix): a report, never a failure, since it depends on what upstream released today.

Usage: python scripts/audit_requirements.py [--newer] [requirements/base.txt ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#\\]+)")
ROOT = Path(__file__).resolve().parent.parent
# Advisories examined and accepted, each with its reason; printed at every run, never silent.
ACCEPTED = {
    "pyup.io-39642": (
        "reportlab, CVE-2020-28463 (SSRF by an <img> tag in a Paragraph), listed for every "
        "version (>=0.0): the invoices (billing/pdf.py) escape every text before it reaches a "
        "Paragraph, so no <img> tag can come from data."
    ),
}


def pins(paths: list[Path]) -> dict[str, tuple[str, str]]:
    """{canonical name: (version, where)} of every ``name==version`` line."""
    found: dict[str, tuple[str, str]] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = PIN.match(line)
            if match:
                name, version = match.groups()
                found.setdefault(canonicalize_name(name), (version, f"{path.name}:{number}"))
    return found


def advisory_database() -> tuple[dict[str, list[dict]], str]:
    """safety-db's advisories by canonical package name, and the database's date. Its own
    ``import safety_db`` opens a relative path and fails: read its files directly."""
    spec = importlib.util.find_spec("safety_db")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("safety-db is not installed: install requirements/dev.txt (make check does).")
    folder = Path(next(iter(spec.submodule_search_locations)))
    data = json.loads((folder / "insecure_full.json").read_text(encoding="utf-8"))
    meta = data.pop("$meta", {})
    stamp = meta.get("timestamp")
    date = datetime.fromtimestamp(stamp, UTC).date().isoformat() if stamp else "inconnue"
    advisories: dict[str, list[dict]] = {}
    for name, entries in data.items():
        advisories.setdefault(canonicalize_name(name), []).extend(entries)
    return advisories, date


def vulnerable(version: str, entries: list[dict]) -> list[dict]:
    try:
        parsed = Version(version)
    except InvalidVersion:
        return []
    hits = []
    for entry in entries:
        for spec in entry.get("specs", []):
            try:
                if parsed in SpecifierSet(spec, prereleases=True):
                    hits.append(entry)
                    break
            except InvalidSpecifier:
                continue
    return hits


def newer_patches(found: dict[str, tuple[str, str]]) -> int:
    """Print, as it goes, the pins for which the index has a newer release of the same
    major.minor; the number found."""
    print("Versions correctives plus récentes sur l'index (une requête par paquet) :", flush=True)
    count = 0
    for name, (version, where) in sorted(found.items()):
        result = subprocess.run(  # noqa: S603 - our own interpreter, a package name
            [sys.executable, "-m", "pip", "index", "versions", name, "--disable-pip-version-check"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        match = re.search(r"Available versions: (.*)", result.stdout)
        if not match:
            print(f"  {name} : l'index n'a pas répondu", flush=True)
            continue
        current = Version(version)
        same_series = [
            Version(text)
            for text in match.group(1).split(", ")
            if re.fullmatch(r"[0-9.]+", text)
            and Version(text).release[:2] == current.release[:2]
            and Version(text) > current
        ]
        if same_series:
            count += 1
            print(f"  {name} {version} ({where}) → {max(same_series)} disponible", flush=True)
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--newer", action="store_true", help="list newer patch releases")
    arguments = parser.parse_args()
    files = arguments.files or sorted((ROOT / "requirements").glob("*.txt"))
    found = pins(files)
    advisories, date = advisory_database()
    problems = 0
    for name, (version, where) in sorted(found.items()):
        for entry in vulnerable(version, advisories.get(name, [])):
            if entry.get("id") in ACCEPTED:
                print(f"accepté {name}=={version} {entry['id']}: {ACCEPTED[entry['id']]}")
                continue
            problems += 1
            reference = entry.get("cve") or entry.get("id", "")
            text = " ".join(str(entry.get("advisory", "")).split())[:300]
            print(f"VULNÉRABLE {name}=={version} ({where}) {reference}: {text}")
    print(
        f"Audit de {len(found)} paquets épinglés ({', '.join(path.name for path in files)}) "
        f"contre safety-db (avis publiés jusqu'au {date} seulement) : "
        + (f"{problems} avis." if problems else "aucune version connue comme vulnérable.")
    )
    if arguments.newer and not newer_patches(found):
        print("  aucune.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
