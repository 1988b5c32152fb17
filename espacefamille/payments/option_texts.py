"""The French label and help of each option of the payment backends a town chooses (PayFiP,
SystemPay/PayZen, Paybox, Ogone, SIPS, Mollie) and of the demo bank.

eopayment describes its backends' options for developers, half in English ("dummy integer
input test", "capture_day"): the configuration screen and the action log take their words
from here instead. An option without a French text gets a generic French label; the demo
bank's test inputs are never offered."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# By option name: the same name means the same thing in every backend that takes it.
OPTION_TEXTS: dict[str, tuple[Promise, Promise]] = {
    # PayFiP (DGFiP)
    "numcli": (
        _("Numéro de client PayFiP"),
        _("Les six chiffres donnés par la DGFiP à l'adhésion de la régie."),
    ),
    "saisie": (
        _("Mode de fonctionnement"),
        _(
            "« Test » pour les essais, « Activation » pour le paiement de validation demandé "
            "par la DGFiP, « Production » ensuite."
        ),
    ),
    # SystemPay / PayZen
    "service_url": (
        _("Adresse du service de paiement"),
        _("Ne la modifiez que sur indication de votre banque."),
    ),
    "secret_test": (
        _("Clé de test"),
        _("La clé de test affichée dans l'outil de gestion de caisse de la banque."),
    ),
    "secret_production": (
        _("Clé de production"),
        _("La clé de production, une fois la boutique passée en production."),
    ),
    "signature_algo": (
        _("Algorithme de signature"),
        _("Celui choisi dans l'outil de gestion de caisse (HMAC-SHA-256 recommandé)."),
    ),
    "manual_validation": (
        _("Validation manuelle des paiements"),
        _("Laissez vide : les paiements sont encaissés sans validation de la régie."),
    ),
    "vads_ctx_mode": (
        _("Mode de la boutique"),
        _("« TEST » pendant les essais, « PRODUCTION » ensuite."),
    ),
    "vads_site_id": (
        _("Identifiant de la boutique"),
        _("Huit chiffres, donnés par la banque."),
    ),
    "vads_order_info": (
        _("Complément d'information 1"),
        _("Facultatif : transmis à la banque avec chaque paiement."),
    ),
    "vads_order_info2": (
        _("Complément d'information 2"),
        _("Facultatif : transmis à la banque avec chaque paiement."),
    ),
    "vads_order_info3": (
        _("Complément d'information 3"),
        _("Facultatif : transmis à la banque avec chaque paiement."),
    ),
    "vads_payment_cards": (
        _("Cartes acceptées"),
        _(
            "Vide pour toutes les cartes du contrat, ou une liste séparée par des "
            "points-virgules (CB;VISA;MASTERCARD)."
        ),
    ),
    "vads_payment_config": (
        _("Type de paiement"),
        _("« SINGLE » : paiement en une fois."),
    ),
    "capture_day": (
        _("Délai de remise en banque (jours)"),
        _("Nombre de jours avant l'encaissement ; laissez vide pour le délai du contrat."),
    ),
    # Paybox
    "platform": (_("Plateforme"), _("« Test » pendant les essais, « Production » ensuite.")),
    "site": (_("Numéro de site"), _("Sept chiffres, donnés par Paybox.")),
    "cle": (
        _("Clé Paybox Direct"),
        _("Seulement pour les annulations et remboursements depuis Espace Famille."),
    ),
    "rang": (_("Numéro de rang"), _("Deux ou trois chiffres, donnés par Paybox.")),
    "identifiant": (_("Identifiant Paybox"), _("L'identifiant interne donné par Paybox.")),
    "shared_secret": (
        _("Clé HMAC"),
        _("La clé secrète générée dans le back-office Paybox."),
    ),
    "devise": (_("Devise"), _("L'euro.")),
    "capture_mode": (
        _("Mode d'encaissement"),
        _("« Immédiat » sauf indication contraire de la banque."),
    ),
    "timezone": (
        _("Fuseau horaire"),
        _("Celui du serveur de la banque : Europe/Paris."),
    ),
    # Ogone / Worldline
    "environment": (_("Environnement"), _("« TEST » pendant les essais, « PROD » ensuite.")),
    "pspid": (_("Identifiant marchand (PSPID)"), _("Donné par Worldline.")),
    "language": (_("Langue de la page de paiement"), _("Le français.")),
    "encoding": (_("Encodage des caractères"), _("UTF-8 sauf indication contraire.")),
    "hash_algorithm": (
        _("Algorithme de hachage"),
        _("Celui choisi dans le back-office Worldline (sha1, sha256 ou sha512)."),
    ),
    "sha_in": (_("Clé SHA-IN"), _("Définie dans le back-office Worldline.")),
    "sha_out": (_("Clé SHA-OUT"), _("Définie dans le back-office Worldline.")),
    "currency": (_("Monnaie"), _("L'euro.")),
    # SIPS 2
    "merchant_id": (_("Identifiant commerçant"), _("Donné par Worldline.")),
    "secret_key": (_("Clé secrète"), _("Donnée par Worldline.")),
    "key_version": (_("Version de la clé"), _("Donnée avec la clé secrète.")),
    "currency_code": (_("Code de la devise"), _("978 : l'euro.")),
    "payment_means": (
        _("Moyens de paiement acceptés"),
        _("Vide pour tous ceux du contrat."),
    ),
    # Mollie
    "api_key": (_("Clé d'API"), _("Donnée dans le tableau de bord Mollie.")),
    "description_text": (
        _("Libellé des paiements"),
        _("Affiché à la famille sur la page de Mollie, pour chaque paiement."),
    ),
    # The demo bank
    "origin": (
        _("Nom affiché par la banque de démonstration"),
        _("Le nom de la commune, par exemple."),
    ),
}

# Labels of the choices eopayment gives in English or as bare codes.
CHOICE_TEXTS: dict[tuple[str, str], Promise] = {
    ("saisie", "T"): _("Test"),
    ("saisie", "X"): _("Activation"),
    ("saisie", "W"): _("Production"),
    ("platform", "test"): _("Test"),
    ("platform", "backup"): _("Secours"),
    ("platform", "prod"): _("Production"),
    ("environment", "TEST"): _("Test"),
    ("environment", "PROD"): _("Production"),
    ("capture_mode", "AUTHOR_CAPTURE"): _("Autorisation puis encaissement"),
    ("capture_mode", "IMMEDIATE"): _("Immédiat"),
    ("capture_mode", "VALIDATION"): _("Après validation"),
    ("devise", "978"): _("Euro"),
    ("currency", "EUR"): _("Euro"),
    ("currency_code", "978"): _("Euro"),
    ("language", "fr_FR"): _("Français"),
}

# The demo bank's inputs that only exist to test eopayment itself, and its switch that
# would trust unsigned answers: never offered.
TEST_OPTIONS = frozenset({"number", "choice", "choices", "consider_all_response_signed"})


def option_label(name: str) -> str:
    texts = OPTION_TEXTS.get(name)
    if texts is not None:
        return str(texts[0])
    return str(_("Option technique du prestataire (%(name)s)") % {"name": name})


def option_help(name: str) -> str:
    texts = OPTION_TEXTS.get(name)
    if texts is not None:
        return str(texts[1])
    return str(_("À renseigner seulement sur indication du prestataire."))


def choice_label(name: str, value: str, fallback: str) -> str:
    label = CHOICE_TEXTS.get((name, value))
    return str(label) if label is not None else fallback
