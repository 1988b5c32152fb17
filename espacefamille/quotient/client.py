"""The HTTP call to API Particulier v3 (``GET /v3/dss/quotient_familial/identite``) and the
reading of its answer. The token travels in the ``Authorization`` header only, never in the
address, and is never logged; every answer but a quotient becomes a ``QuotientError`` with
a French message. Nothing here touches the database."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .errors import QuotientError

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)

PATH = "/v3/dss/quotient_familial/identite"
TIMEOUT = (5, 20)  # connect, read (seconds): the CAF answers through the CNAV in a few seconds


@dataclass(frozen=True)
class Identity:
    birth_name: str
    first_names: list[str]
    sex: str  # "F" or "M"
    birth_date: date
    birth_country: str  # COG INSEE code, 99100 for France
    birth_commune: str  # COG INSEE code, empty when born abroad

    def params(self) -> list[tuple[str, str]]:
        params = [
            ("nomNaissance", self.birth_name),
            *[("prenoms[]", name) for name in self.first_names],
            ("sexeEtatCivil", self.sex),
            ("anneeDateNaissance", str(self.birth_date.year)),
            ("moisDateNaissance", str(self.birth_date.month)),
            ("jourDateNaissance", str(self.birth_date.day)),
            ("codeCogInseePaysNaissance", self.birth_country),
        ]
        if self.birth_commune:
            params.append(("codeCogInseeCommuneNaissance", self.birth_commune))
        return params


@dataclass(frozen=True)
class Quotient:
    value: int
    provider: str  # "CNAF" or "MSA"
    reference_month: date  # the month the quotient is for
    computed_month: date  # the month the CAF or the MSA computed it


def _refusal(reason: str, message: str) -> QuotientError:
    logger.info("API Particulier refused: %s", reason)
    return QuotientError(reason, message)


def _by_status(status: int) -> QuotientError:
    if status == 404:
        return _refusal(
            "not_found",
            _(
                "Aucun dossier n'a été trouvé à la CAF ni à la MSA pour cette identité. "
                "Vérifiez le nom de naissance, les prénoms, la date et le lieu de naissance, "
                "ou transmettez une attestation de quotient familial à la mairie."
            ),
        )
    if status == 409:
        return _refusal(
            "several_matches",
            _(
                "Plusieurs dossiers correspondent à cette identité : précisez tous les prénoms "
                "et le lieu de naissance, ou transmettez une attestation à la mairie."
            ),
        )
    if status in (400, 422):
        return _refusal(
            "bad_identity",
            _("L'identité transmise est incomplète ou mal écrite : vérifiez-la et réessayez."),
        )
    if status in (401, 403):
        return _refusal(
            "token_refused",
            _(
                "API Particulier refuse le jeton de la commune : un administrateur doit le "
                "vérifier dans les réglages."
            ),
        )
    if status == 429:
        return _refusal(
            "rate_limited",
            _("Trop de demandes ont été faites à API Particulier : réessayez dans une minute."),
        )
    if status >= 500:
        return _refusal(
            "api_down",
            _(
                "Le service de la CAF et de la MSA ne répond pas pour le moment : réessayez "
                "plus tard. Rien n'a été modifié."
            ),
        )
    return _refusal(
        "unexpected",
        _("API Particulier a donné une réponse inattendue : réessayez plus tard."),
    )


def _malformed() -> QuotientError:
    return _refusal(
        "malformed",
        _("API Particulier a donné une réponse illisible : réessayez plus tard."),
    )


def _month(year: Any, month: Any) -> date:
    if not isinstance(year, int) or not isinstance(month, int) or not 1 <= month <= 12:
        raise _malformed()
    return date(year, month, 1)


def read_answer(status: int, body: bytes) -> Quotient:
    """The quotient of a 200 answer, else the ``QuotientError`` its status means."""
    if status != 200:
        raise _by_status(status)
    try:
        found = json.loads(body)["data"]["quotient_familial"]
        value = found["valeur"]
        provider = found["fournisseur"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _malformed()
        if provider not in ("CNAF", "MSA"):
            raise _malformed()
        return Quotient(
            value=value,
            provider=provider,
            reference_month=_month(found.get("annee"), found.get("mois")),
            computed_month=_month(found.get("annee_calcul"), found.get("mois_calcul")),
        )
    except (ValueError, KeyError, TypeError) as error:  # not JSON, or not the expected shape
        raise _malformed() from error


def quotient_request(
    *,
    base_url: str,
    token: str,
    recipient: str,
    identity: Identity,
    session: requests.Session | None = None,
) -> Quotient:
    """Ask API Particulier for the family quotient of ``identity``. requests is imported on the
    first question: a web worker that never asks does not carry it (issue 17, item 5)."""
    import requests

    http = session or requests.Session()
    try:
        response = http.get(
            base_url.rstrip("/") + PATH,
            params=[("recipient", recipient), *identity.params()],
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.Timeout as error:
        raise _refusal(
            "timeout",
            _(
                "API Particulier n'a pas répondu à temps : réessayez plus tard. "
                "Rien n'a été modifié."
            ),
        ) from error
    except requests.RequestException as error:
        raise _refusal(
            "api_down",
            _(
                "API Particulier est injoignable pour le moment : réessayez plus tard. "
                "Rien n'a été modifié."
            ),
        ) from error
    finally:
        if session is None:
            http.close()
    return read_answer(response.status_code, response.content)
