"""The demo: FAMILLE X consents and has its quotient "fetched" from a recorded answer of API
Particulier's public staging data (etalab/siade_staging_data, MIT licence, © 2023 Etalab:
the case "famille monoparentale, QF CAF de 650"), replayed through the same client, parsing
and storing code as a real call; only the HTTP transport is replaced."""

from __future__ import annotations

from typing import Any

import requests
from requests.adapters import BaseAdapter

from espacefamille.core.models import Municipality
from espacefamille.households.models import Guardian, Household

from .client import Identity
from .consents import quotient_consent_set
from .models import EntryChannel, QuotientEntry, QuotientSettings
from .services import quotient_fetch

DEMO_SIRET = "21840007100005"
DEMO_TOKEN = "demo-jeton-sans-valeur"  # noqa: S105 (not a credential: the demo never calls out)
STAGING_ANSWER = b"""{
  "data": {
    "allocataires": [
      {"nom_naissance": "BERNARD", "nom_usage": null, "prenoms": "ELODIE JUDITH GERTRUDE",
       "date_naissance": "1990-03-18", "sexe": "F"}
    ],
    "enfants": [
      {"nom_naissance": "BERNARD", "nom_usage": null, "prenoms": "LEO",
       "date_naissance": "1990-04-20", "sexe": "M"}
    ],
    "adresse": {
      "destinataire": "Madame BERNARD ELODIE", "complement_information": null,
      "complement_information_geographique": null, "numero_libelle_voie": "1 RUE MONTORGUEIL",
      "lieu_dit": null, "code_postal_ville": "75002 PARIS", "pays": "FRANCE"
    },
    "quotient_familial": {
      "fournisseur": "CNAF", "valeur": 650, "annee": 2023, "mois": 6,
      "annee_calcul": 2024, "mois_calcul": 12
    }
  },
  "links": {},
  "meta": {}
}"""


class ReplayAdapter(BaseAdapter):
    """Answers every request with the recorded staging answer."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        response = requests.Response()
        response.status_code = 200
        response._content = STAGING_ANSWER
        response.headers["Content-Type"] = "application/json"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        return None


def replay_session() -> requests.Session:
    session = requests.Session()
    session.mount("https://", ReplayAdapter())
    session.mount("http://", ReplayAdapter())
    return session


def load_quotient_demo(town: Municipality) -> None:
    """Call inside the town's scope, after the households exist. Idempotent."""
    QuotientSettings.objects.get_or_create(
        municipality=town,
        defaults={"is_enabled": True, "token": DEMO_TOKEN, "recipient": DEMO_SIRET},
    )
    household = Household.objects.get(external_ref="DEMO-002")  # FAMILLE X
    if QuotientEntry.objects.filter(household=household).exists():
        return
    guardian = Guardian.objects.filter(household=household).order_by("rank").first()
    assert guardian is not None and guardian.birth_date is not None
    quotient_consent_set(household=household, granted=True, actor=None)
    with replay_session() as session:
        quotient_fetch(
            household=household,
            guardian=guardian,
            identity=Identity(
                birth_name=guardian.last_name,
                first_names=[guardian.first_name],
                sex="F",
                birth_date=guardian.birth_date,
                birth_country="99100",
                birth_commune="84007",  # Avignon
            ),
            actor=None,
            channel=EntryChannel.AGENT,
            session=session,
        )
