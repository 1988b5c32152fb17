"""How the OpenAPI schema describes each operation beyond what DRF knows: the scope it needs,
the refusals it may answer (``application/problem+json``, ``Problem``) with their stable reason
codes in French, and the key as a bearer token."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from espacefamille.bookings.errors import SHORT_LABELS, Reason

from .errors import ApiReason

COMMON = {
    ApiReason.NOT_AUTHENTICATED: "401 : clé absente, inconnue, révoquée, expirée ou hors adresses",
    ApiReason.SCOPE_MISSING: "403 : la clé n'a pas le droit de l'opération",
    ApiReason.NOT_FOUND: "404 : introuvable (ou d'une autre commune)",
    ApiReason.INVALID_INPUT: "422 : un paramètre ou un champ invalide (détail par champ)",
    ApiReason.RATE_LIMITED: "429 : trop de requêtes pour la clé (voir Retry-After)",
}

BOOKING_REASONS = [
    Reason.NOT_ENROLLED,
    Reason.CLOSED,
    Reason.PAST_DEADLINE,
    Reason.FULL,
    Reason.INCOMPATIBLE,
    Reason.FLAT_RATE_RIVAL,
    Reason.ALREADY_BOOKED,
    Reason.NOT_BOOKED,
    Reason.NOT_CANCELLABLE,
    Reason.ATTENDANCE_TAKEN,
    Reason.OUT_OF_RANGE,
    Reason.INVOICED,
]


class FieldProblemSerializer(serializers.Serializer[dict[str, Any]]):
    field = serializers.CharField()
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer[dict[str, Any]]):
    """RFC 9457: ``type`` (urn of the reason), ``title``, ``status``, ``detail`` (French),
    ``reason`` (the stable code), ``field`` or ``errors`` when inputs are at fault."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    reason = serializers.CharField()
    field = serializers.CharField(required=False)
    errors = FieldProblemSerializer(many=True, required=False)

    class Meta:
        ref_name = "Problem"


PROBLEM_STATUSES = {
    "400": "Corps illisible (JSON invalide)",
    "401": "Clé API absente ou refusée",
    "403": "Droit manquant",
    "404": "Introuvable",
    "409": "Opération impossible dans l'état actuel",
    "422": "Demande refusée (raison dans `reason`)",
    "429": "Trop de requêtes (voir l'en-tête Retry-After)",
    "503": "Service momentanément indisponible",
}


class ApiAutoSchema(AutoSchema):
    def get_description(self) -> str:
        text = super().get_description() or ""
        scope = getattr(self.view, "scopes", {}).get(self.method)
        lines = [text.strip()] if text.strip() else []
        if scope:
            lines.append(f"**Droit nécessaire :** `{scope}`.")
        reasons = [f"`{code}` ({label})" for code, label in COMMON.items()]
        if getattr(self.view, "booking_reasons", False) and self.method == "POST":
            reasons += [f"`{code}` ({SHORT_LABELS.get(code, code)})" for code in BOOKING_REASONS]
        lines.append("**Refus (`reason`) :** " + ", ".join(reasons) + ".")
        return "\n\n".join(lines)

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if not getattr(self.view, "scopes", None):
            return responses
        problem = self.resolve_serializer(ProblemSerializer, "response").ref
        for code, description in PROBLEM_STATUSES.items():
            entry: dict[str, Any] = {
                "description": description,
                "content": {"application/problem+json": {"schema": problem}},
            }
            if code == "429":
                entry["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "secondes"}
                }
            responses.setdefault(code, entry)
        return responses


# The largest value of an integer column is the database's (SQLite 64-bit, PostgreSQL 32-bit):
# left in, the schema would differ between the two, and docs/openapi.yaml with it.
DATABASE_INTEGER_BOUNDS = {2**31 - 1, 2**63 - 1, -(2**31), -(2**63)}


def database_bounds_strip(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular post-processing hook: drop the integer bounds and formats that only
    say which database the schema was made on."""

    def strip(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "integer":
                bounds = [key for key in ("maximum", "minimum") if key in node]
                for key in bounds:
                    if node[key] in DATABASE_INTEGER_BOUNDS:
                        del node[key]
                        if node.get("format") == "int64":
                            del node["format"]
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    strip(result)
    return result
