"""How the action log and a household's "Historique des modifications" read, in one place.

The log stores stable codes (``<entity>.<verb>`` actions, model and field names, values as
``records.displayable`` made them: ISO dates, "3.60", choice codes, booleans). Agents read
French: every action and field gets its label, every value its French form (JJ/MM/AAAA,
"3,60 €", Oui/Non, a booking's or an attendance's state as families see it), and technical
fields (a tap's id) are not shown. The "Domaine" filter lists every domain that writes."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "agent.create": _("agent créé"),
    "agent.update": _("rôle d'agent modifié"),
    "agent.disable": _("agent désactivé"),
    "agent.enable": _("agent réactivé"),
    "agent.device_reset": _("application d'authentification réinitialisée"),
    "agent.second_factor_failure": _("code de vérification incorrect à la connexion"),
    "agent.second_factor_lock": _(
        "vérification en deux étapes bloquée après trop de codes incorrects"
    ),
    "household.create": _("foyer créé"),
    "household.update": _("foyer modifié"),
    "household.lock": _("accès de la famille verrouillé"),
    "household.unlock": _("accès de la famille rétabli"),
    "household.data_export": _("données du foyer téléchargées par la famille"),
    "household.anonymise": _("foyer anonymisé (durée de conservation écoulée)"),
    "household.pickup_add": _("personne autorisée à récupérer les enfants ajoutée"),
    "household.pickup_remove": _("personne autorisée à récupérer les enfants retirée"),
    "guardian.create": _("responsable ajouté"),
    "guardian.update": _("responsable modifié"),
    "guardian.link_account": _("compte rattaché au responsable"),
    "child.create": _("enfant ajouté"),
    "child.update": _("enfant modifié"),
    "child.link_household": _("enfant rattaché à un second foyer"),
    "child.unlink_household": _("enfant détaché d'un second foyer"),
    "child.custody_update": _("rythme de garde modifié"),
    "child.join_code_create": _("code d'adhésion de l'enfant créé"),
    "enrollment.create": _("inscription à un service"),
    "invitation.send": _("invitation envoyée"),
    "join_code.create": _("code d'adhésion créé"),
    "import.households": _("import de foyers"),
    "health_data.read": _("consultation de données de santé"),
    "health_data.update": _("modification de données de santé (régime alimentaire)"),
    "municipality.update": _("commune modifiée"),
    "municipality.look": _("apparence de la commune modifiée (couleur, logo)"),
    "service.create": _("service créé"),
    "service.update": _("service modifié"),
    "product.create": _("prestation créée"),
    "product.update": _("prestation modifiée"),
    "api_key.create": _("clé API créée"),
    "api_key.revoke": _("clé API révoquée"),
    "webhook.create": _("abonnement aux événements créé"),
    "webhook.delete": _("abonnement aux événements supprimé"),
    "webhook.enable": _("abonnement aux événements réactivé"),
    "closure.create": _("fermeture ajoutée"),
    "closure.update": _("fermeture modifiée"),
    "closure.delete": _("fermeture supprimée"),
    "closure.declare": _("fermeture exceptionnelle déclarée (réservations annulées)"),
    "closure.reopen": _("fermeture levée (jours de nouveau réservables)"),
    "notifications.preferences": _("choix des notifications modifié"),
    "notifications.message": _("message envoyé aux familles"),
    "notifications.push_subscribe": _("navigateur abonné aux notifications"),
    "notifications.push_unsubscribe": _("navigateur désabonné des notifications"),
    "sms_settings.update": _("réglages des SMS modifiés"),
    "site.create": _("site ajouté"),
    "site.update": _("site modifié"),
    "diet.create": _("régime alimentaire ajouté"),
    "diet.update": _("régime alimentaire modifié"),
    "booking.decide": _("décision sur une demande de réservation ou d'annulation"),
    "booking.agent_create": _("réservation faite par un agent pour la famille"),
    "booking.agent_cancel": _("réservation annulée par un agent pour la famille"),
    "booking.closure_cancel": _("réservation annulée par une fermeture"),
    "attendance.record": _("pointage"),
    "absence.report": _("absence signalée par la famille"),
    "absence.decide": _("certificat médical d'une absence accepté ou refusé"),
    "absence_settings.update": _("règle des absences signalées modifiée"),
    "product_day.capacity": _("nombre de places d'un jour modifié"),
    "product_price.create": _("tarif ajouté"),
    "product_price.delete": _("tarif retiré"),
    "invoice_run.start": _("facturation lancée"),
    "invoice_run.finalize": _("facturation rendue définitive"),
    "invoice.resend": _("facture renvoyée par e-mail"),
    "settlement.record": _("paiement enregistré au guichet"),
    "refund.made": _("remboursement effectué"),
    "pes_file.create": _("titres de recettes transmis à la trésorerie (fichier PES)"),
    "pes_file.cancel": _("fichier PES annulé"),
    "pes_file.acquit": _("accusé de réception de la trésorerie importé"),
    "pes_settings.update": _("paramètres de la trésorerie (PES) modifiés"),
    "direct_debit_settings.update": _("réglages du prélèvement SEPA d'une régie modifiés"),
    "debit_batch.create": _("lot de prélèvements SEPA créé"),
    "debit.reject": _("prélèvement rejeté enregistré"),
    "payment_provider.create": _("prestataire de paiement ajouté"),
    "payment_provider.update": _("prestataire de paiement modifié"),
    "cancellation_rule.update": _("règle d'annulation d'une régie prépayée modifiée"),
    "quotient_settings.update": _("réglages d'API Particulier (quotient familial) modifiés"),
    "news_post.create": _("actualité publiée"),
    "news_post.update": _("actualité modifiée"),
    "news_post.withdraw": _("actualité retirée"),
    "news_post.restore": _("actualité remise en ligne"),
    "inquiry_category.create": _("thématique de demande ajoutée"),
    "inquiry_category.update": _("thématique de demande modifiée"),
    "inquiry.create": _("demande d'une famille envoyée"),
    "inquiry.reply": _("réponse à une demande"),
    "inquiry.assign": _("demande attribuée à un agent"),
    "inquiry.status": _("statut d'une demande modifié"),
}

# The "Domaine" filter: a prefix of the action codes, for every domain that writes.
DOMAINS: list[tuple[str, Promise]] = [
    ("household.", _("foyers")),
    ("guardian.", _("responsables")),
    ("child.", _("enfants")),
    ("enrollment.", _("inscriptions")),
    ("invitation.", _("invitations")),
    ("join_code.", _("codes d'adhésion")),
    ("import.", _("imports")),
    ("health_data.", _("données de santé (consultations et modifications)")),
    ("agent.", _("agents")),
    ("municipality.", _("commune")),
    ("service.", _("services")),
    ("product.", _("prestations")),
    ("product_day.", _("places par jour")),
    ("closure.", _("fermetures")),
    ("api_key.", _("clés API")),
    ("webhook.", _("abonnements aux événements")),
    ("diet.", _("régimes alimentaires")),
    ("site.", _("sites")),
    ("booking.", _("réservations")),
    ("notifications.", _("notifications aux familles")),
    ("sms_settings.", _("réglages des SMS")),
    ("attendance.", _("pointage")),
    ("absence.", _("absences signalées")),
    ("absence_settings.", _("absences signalées")),
    ("product_price.", _("tarifs")),
    ("invoice_run.", _("facturation")),
    ("invoice.", _("factures")),
    ("settlement.", _("paiements au guichet")),
    ("refund.", _("remboursements")),
    ("pes_file.", _("titres de recettes (PES)")),
    ("pes_settings.", _("paramètres de la trésorerie (PES)")),
    ("direct_debit_settings.", _("réglages du prélèvement SEPA")),
    ("debit_batch.", _("lots de prélèvements SEPA")),
    ("debit.", _("prélèvements rejetés")),
    ("payment_provider.", _("paiement en ligne")),
    ("cancellation_rule.", _("règles d'annulation")),
    ("quotient_settings.", _("quotient familial (API Particulier)")),
    ("news_post.", _("actualités")),
    ("inquiry_category.", _("thématiques des demandes")),
    ("inquiry.", _("demandes des familles")),
]

# Fields whose name is not a field of the logged object's model (or is a clearer word here).
FIELD_LABELS: dict[str, Promise] = {
    "state": _("état"),
    "status": _("état"),
    "reason": _("motif"),
    "deadline_waived": _("délai levé par l'agent"),
    "capacity": _("nombre de places"),
    "mode": _("mode"),
    "invoice_count": _("nombre de factures"),
    "total": _("total"),
    "invoice": _("facture"),
    "method": _("moyen de paiement"),
    "amount": _("montant"),
    "reference": _("référence"),
    "outcome": _("une annulation dans les délais donne"),
    "category": _("thématique"),
    "documents": _("pièces jointes"),
    "message": _("message"),
    "assigned_to": _("attribuée à"),
    "is_withdrawn": _("retirée"),
    "effective_from": _("en vigueur à partir du"),
    "quotient_max": _("quotient familial jusqu'à"),
    "is_default_bracket": _("tranche par défaut"),
    "unit_price": _("prix à l'unité"),
    "price_unbooked_presence": _("prix si présent sans réservation"),
    "price_unjustified_absence": _("prix d'une absence injustifiée"),
    "backend": _("prestataire"),
    "options": _("options"),
    "service": _("régie"),
    "is_active": _("actif"),
    "bookings": _("réservations concernées"),
    "certificate": _("certificat médical"),
}
# The same name meaning something else on one kind of object.
OBJECT_FIELD_LABELS: dict[tuple[str, str], Promise] = {
    ("absencereport", "outcome"): _("suite donnée"),
    ("smssettings", "provider"): _("fournisseur de SMS"),
}
# Technical fields that mean nothing to an agent.
HIDDEN_FIELDS = frozenset({"tap", "last_tap_id", "tapped_at"})
# Decimal fields that are not amounts of money.
NOT_MONEY = frozenset({"quotient_max", "value", "quotient"})
MONEY_WORDS = ("price", "amount", "total", "credit", "montant", "prix")
# Fields of an entry whose object is another model (a price is logged on its product).
RELATED_MODELS = {"product": ("productprice",)}

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ISO_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?$")
DECIMAL = re.compile(r"^-?\d+\.\d+$")
WEEKDAYS = (_("lun."), _("mar."), _("mer."), _("jeu."), _("ven."), _("sam."), _("dim."))
EMPTY = "—"


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    entity = code.split(".", 1)[0] + "."
    domain = next((str(name) for prefix, name in DOMAINS if prefix == entity), "")
    return gettext("autre action (%(domain)s)") % {"domain": domain} if domain else EMPTY


@cache
def _models_by_name() -> dict[str, type[models.Model]]:
    return {
        model._meta.model_name or "": model
        for model in apps.get_models()
        if model.__module__.startswith("espacefamille.")
    }


def object_type_label(object_type: str) -> str:
    model = _models_by_name().get(object_type)
    if model is not None:
        return str(model._meta.verbose_name)
    return {"file": gettext("fichier")}.get(object_type, EMPTY if not object_type else "")


def _model_field(object_type: str, name: str) -> models.Field[Any, Any] | None:
    for model_name in (object_type, *RELATED_MODELS.get(object_type, ())):
        model = _models_by_name().get(model_name)
        if model is None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.Field):
            return field
    return None


def field_label(object_type: str, name: str) -> str:
    if (object_type, name) in OBJECT_FIELD_LABELS:
        return str(OBJECT_FIELD_LABELS[(object_type, name)])
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    field = _model_field(object_type, name)
    verbose = str(getattr(field, "verbose_name", "")) if field is not None else ""
    if verbose and verbose != name.replace("_", " "):
        return verbose
    if "_" in name:  # a code, never shown as is
        return gettext("autre information")
    return name  # already a French label ("rôle", "année scolaire", "motif"…)


@cache
def _choice_labels() -> dict[str, dict[str, str]]:
    """Choice codes written by name without a model field (``rôle``, ``backend``…)."""
    from espacefamille.accounts.models import AgentRoleKind
    from espacefamille.bookings.models import AttendanceState, BookingStatus
    from espacefamille.payments.provider_settings import BACKENDS

    return {
        "rôle": {str(code): str(label) for code, label in AgentRoleKind.choices},
        "backend": dict(BACKENDS),
        "state": {str(code): str(label) for code, label in AttendanceState.choices},
        "status": {str(code): str(label) for code, label in BookingStatus.choices},
    }


def _choices_of(object_type: str, name: str) -> dict[str, str]:
    field = _model_field(object_type, name)
    if field is not None and field.choices:
        return {str(code): str(label) for code, label in field.flatchoices}
    return _choice_labels().get(name, {})


def _is_money(object_type: str, name: str) -> bool:
    if name in NOT_MONEY:
        return False
    field = _model_field(object_type, name)
    if field is not None and not isinstance(field, models.DecimalField):
        return False
    return any(word in name.lower() for word in MONEY_WORDS)


def _number(text: str, *, money: bool) -> str:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return text
    if money:
        return formats.number_format(amount, 2, use_l10n=True, force_grouping=True) + " €"
    return formats.number_format(amount, use_l10n=True)


def _date_text(text: str) -> str:
    if ISO_DATE.match(text):
        return date.fromisoformat(text).strftime("%d/%m/%Y")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d/%m/%Y %H:%M")


def value_text(object_type: str, name: str, value: Any) -> str:
    """The French form of one logged value."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return gettext("Oui") if value else gettext("Non")
    if isinstance(value, dict):
        return _options_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(value_text(object_type, name, item) for item in value)
    if isinstance(value, int | float | Decimal):
        return _number(str(value), money=_is_money(object_type, name))
    text = str(value)
    choices = _choices_of(object_type, name)
    if text in choices:
        return choices[text]
    if text in ("True", "False"):
        return gettext("Oui") if text == "True" else gettext("Non")
    if name == "weekdays" and text.isdigit():
        return ", ".join(str(WEEKDAYS[int(c)]) for c in text if int(c) < len(WEEKDAYS))
    if name.endswith("_deadline"):
        return _deadline_text(text)
    if ISO_DATE.match(text) or ISO_DATETIME.match(text):
        return _date_text(text)
    if ISO_TIME.match(text):
        return text[:5]
    if DECIMAL.match(text):
        return _number(text, money=_is_money(object_type, name))
    return text


def _deadline_text(text: str) -> str:
    from espacefamille.catalog.deadlines import DeadlineRule

    try:
        return DeadlineRule.parse(text).describe()
    except Exception:
        return text


def _options_text(options: dict[str, Any]) -> str:
    """A payment provider's options (secrets already masked by the service)."""
    from espacefamille.payments.option_texts import option_label

    return " ; ".join(
        f"{option_label(key)} : {value_text('', key, item)}" for key, item in options.items()
    )


AMOUNT_IN_TEXT = re.compile(r"(?<![\d.])(\d+)\.(\d{2}) ?€")
DATE_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def object_text(text: str) -> str:
    """An object's name as logged, with its amounts and dates in their French form."""
    text = AMOUNT_IN_TEXT.sub(lambda found: f"{found[1]},{found[2]} €", text)
    return DATE_IN_TEXT.sub(lambda found: f"{found[3]}/{found[2]}/{found[1]}", text)


def change_rows(object_type: str, changes: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """``[(field label, before, after)]`` of an entry's changes, in French, without the
    technical fields. A value written alone (not a before/after pair) is the "after"."""
    rows = []
    for name, values in (changes or {}).items():
        if name in HIDDEN_FIELDS:
            continue
        if isinstance(values, list) and len(values) == 2:
            before, after = values
        else:
            before, after = None, values
        rows.append(
            (
                field_label(object_type, name),
                value_text(object_type, name, before),
                value_text(object_type, name, after),
            )
        )
    return rows
