"""French labels of the action log's codes, for the screens (the log itself stores stable
codes: ``<entity>.<verb>`` and model names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
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
    "guardian.create": _("responsable ajouté"),
    "guardian.update": _("responsable modifié"),
    "guardian.link_account": _("compte rattaché au responsable"),
    "child.create": _("enfant ajouté"),
    "child.update": _("enfant modifié"),
    "enrollment.create": _("inscription à un service"),
    "invitation.send": _("invitation envoyée"),
    "join_code.create": _("code d'adhésion créé"),
    "import.households": _("import de foyers"),
    "health_data.read": _("consultation de données de santé"),
    "health_data.update": _("modification de données de santé (régime alimentaire)"),
    "municipality.update": _("commune modifiée"),
    "service.create": _("service créé"),
    "service.update": _("service modifié"),
    "product.create": _("prestation créée"),
    "product.update": _("prestation modifiée"),
    "closure.create": _("fermeture ajoutée"),
    "closure.update": _("fermeture modifiée"),
    "closure.delete": _("fermeture supprimée"),
    "diet.create": _("régime alimentaire ajouté"),
    "diet.update": _("régime alimentaire modifié"),
    "booking.decide": _("décision sur une demande de réservation ou d'annulation"),
    "product_day.capacity": _("nombre de places d'un jour modifié"),
    "product_price.create": _("tarif ajouté"),
    "product_price.delete": _("tarif retiré"),
    "invoice_run.start": _("facturation lancée"),
    "invoice_run.finalize": _("facturation rendue définitive"),
    "invoice.resend": _("facture renvoyée par e-mail"),
    "settlement.record": _("paiement enregistré au guichet"),
    "refund.made": _("remboursement effectué"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
