"""The demo town's request categories ("thématiques") with the documents each requires."""

from __future__ import annotations

from espacefamille.core.models import Municipality
from espacefamille.inquiries.models import ChangeKind, InquiryCategory, RequiredDocument

CATEGORIES = [
    (
        "Autorisation de récupération d'un enfant",
        "Autoriser une personne à venir chercher votre enfant à la sortie de l'école, de la "
        "garderie ou du centre de loisirs.",
        "Je souhaiterais autoriser … à venir récupérer mon enfant à partir de …",
        ChangeKind.PICKUP,
        True,
        "Pièce d'identité",
    ),
    (
        "Changement d'adresse",
        "Signaler votre nouvelle adresse : la commune met à jour votre dossier à réception du "
        "justificatif.",
        "Nous avons déménagé le … Voici notre nouvelle adresse.",
        ChangeKind.ADDRESS,
        False,
        "Justificatif de domicile",
    ),
    (
        "Allergie / PAI",
        "Signaler une allergie ou demander un projet d'accueil individualisé (PAI).",
        "Mon enfant présente une allergie à … Je demande la mise en place d'un PAI.",
        ChangeKind.CARE_PLAN,
        True,
        "Certificat médical",
    ),
]


def load_inquiry_categories(town: Municipality) -> None:
    for position, (name, description, template, kind, needs_child, document) in enumerate(
        CATEGORIES
    ):
        category, _ = InquiryCategory.objects.update_or_create(
            municipality=town,
            name=name,
            defaults={
                "description": description,
                "text_template": template,
                "change_kind": kind,
                "needs_child": needs_child,
                "position": position,
            },
        )
        RequiredDocument.objects.get_or_create(municipality=town, category=category, label=document)
