""" "Mes données": everything the town holds about one household file, as a ZIP a family can
read (``donnees.html``) and a program can load (``donnees.json``), with the documents the
family sent in its requests (RGPD art. 15, right of access, and art. 20, portability).

One export per household file: a login with files in two towns gets each town's file from that
town's portal, never the other's. Each section is a small function returning rows of plain
values (ISO dates, decimals as strings), so the JSON and the HTML show the same thing."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from espacefamille.audit.records import Actor, action_record
from espacefamille.billing.models import CreditNote, Invoice, InvoiceLine, Settlement
from espacefamille.bookings.models import Attendance, Booking
from espacefamille.core.plain_values import plain
from espacefamille.core.uploads import download_name
from espacefamille.directdebit.data_export import debits_rows, mandates_rows
from espacefamille.households.models import (
    AuthorizedPickup,
    ChildDiet,
    ChildHousehold,
    EmergencyContact,
    Guardian,
    Household,
    HouseholdChange,
    ImageConsent,
)
from espacefamille.households.sharing import household_children, member_q
from espacefamille.inquiries.models import Inquiry, InquiryAttachment, InquiryMessage
from espacefamille.payments.models import Payment
from espacefamille.quotient.data_export import (
    quotient_consents_section,
    quotient_identities_section,
    quotients_section,
)

from .absence_export import absences_section, certificate_name, reports_with_certificate

Row = dict[str, Any]
ATTACHMENTS_FOLDER = "pieces-jointes"
OTHER_HOUSEHOLD = "l'autre foyer"


def _row(obj: models.Model, fields: dict[str, str]) -> Row:
    """``{label: value}`` of ``obj``'s ``fields`` (``{label: attribute}``); a field with
    choices gives its French label."""
    row = {}
    for label, attribute in fields.items():
        display = getattr(obj, f"get_{attribute}_display", None)
        row[label] = plain(display() if callable(display) else getattr(obj, attribute))
    return row


def household_section(household: Household) -> list[Row]:
    return [
        _row(
            household,
            {"nom": "name", "reference": "external_ref", "cree_le": "created_at"},
        )
        | {"collectivite": household.municipality.name}
    ]


GUARDIAN_FIELDS = {
    "rang": "rank",
    "civilite": "civility",
    "prenom": "first_name",
    "nom": "last_name",
    "date_de_naissance": "birth_date",
    "adresse": "address",
    "complement": "address_complement",
    "code_postal": "postcode",
    "ville": "city",
    "pays": "country",
    "telephone_mobile": "mobile_phone",
    "telephone_fixe": "landline_phone",
    "email": "email",
    "employeur": "employer",
    "telephone_mobile_employeur": "employer_mobile_phone",
    "telephone_fixe_employeur": "employer_landline_phone",
}


def guardians_section(household: Household) -> list[Row]:
    return [
        _row(guardian, GUARDIAN_FIELDS) | {"compte": guardian.user.email if guardian.user else None}
        for guardian in Guardian.objects.filter(household=household).select_related("user")
    ]


def children_section(household: Household) -> list[Row]:
    children = list(household_children(household))
    diets: dict[int, list[str]] = {}
    for link in ChildDiet.objects.filter(child__in=children).select_related("diet"):
        diets.setdefault(link.child_id, []).append(link.diet.label)
    fields = {
        "prenom": "first_name",
        "nom": "last_name",
        "civilite": "civility",
        "date_de_naissance": "birth_date",
        "ecole": "school",
        "classe": "school_class",
        "pai": "has_care_plan",
    }
    return [
        _row(child, fields) | {"regimes_alimentaires": ", ".join(sorted(diets.get(child.pk, [])))}
        for child in children
    ]


def _author(user: object, household: Household) -> str | None:
    """Who recorded a shared child's data: a guardian of the other household is only ever
    "l'autre foyer"."""
    if user is None:
        return None
    pk = getattr(user, "pk", 0)
    if Guardian.objects.filter(user_id=int(pk)).exclude(household=household).exists():
        return OTHER_HOUSEHOLD
    return str(user)


def consents_section(household: Household) -> list[Row]:
    consents = (
        ImageConsent.objects.filter(member_q(household, child_field="child"))
        .select_related("child", "purpose", "recorded_by")
        .order_by("child__first_name", "purpose__position", "recorded_at", "pk")
    )
    return [
        {
            "enfant": str(consent.child),
            "usage": consent.purpose.label,
            "accord": consent.granted,
            "texte_presente": consent.wording,
            "enregistre_le": plain(consent.recorded_at),
            "enregistre_par": _author(consent.recorded_by, household),
        }
        for consent in consents
    ]


PERSON_FIELDS = {
    "nom": "last_name",
    "prenom": "first_name",
    "telephone": "phone",
    "lien": "relationship",
}


def pickups_section(household: Household) -> list[Row]:
    return [
        _row(person, PERSON_FIELDS)
        for person in AuthorizedPickup.objects.filter(household=household)
    ]


def contacts_section(household: Household) -> list[Row]:
    return [
        _row(person, PERSON_FIELDS)
        for person in EmergencyContact.objects.filter(household=household)
    ]


def bookings_section(household: Household) -> list[Row]:
    bookings = (
        Booking.objects.filter(household=household)
        .select_related("child", "product")
        .order_by("date", "child__first_name", "pk")
    )
    return [
        {
            "enfant": str(booking.child),
            "prestation": booking.product.name,
            "date": plain(booking.date),
            "jusqu_au": plain(booking.end_date),
            "etat": booking.status_label,
            "cree_le": plain(booking.created_at),
        }
        for booking in bookings
    ]


def own_days_q(household: Household) -> Q:
    """The attendance a household may read: of the days it booked, and every day of a child
    it shares with nobody (a shared child's other days are the other household's)."""
    booked = Booking.objects.filter(
        household=household,
        child_id=OuterRef("child_id"),
        product_id=OuterRef("product_id"),
        date=OuterRef("date"),
    )
    shared = ChildHousehold.objects.filter(child_id=OuterRef("child_id"), ended_at__isnull=True)
    return Q(Exists(booked)) | (Q(child__household=household) & ~Q(Exists(shared)))


def attendance_section(household: Household) -> list[Row]:
    rows = (
        Attendance.objects.filter(own_days_q(household))
        .select_related("child", "product")
        .order_by("date", "child__first_name", "pk")
    )
    return [
        {
            "enfant": str(row.child),
            "prestation": row.product.name,
            "date": plain(row.date),
            "presence": row.get_state_display(),
            "releve_le": plain(row.recorded_at),
        }
        for row in rows
    ]


def invoices_section(household: Household) -> list[Row]:
    invoices = Invoice.objects.filter(household=household).select_related("service")
    fields = {
        "reference": "number",
        "destinataire": "recipient_name",
        "adresse": "recipient_address",
        "debut": "period_start",
        "fin": "period_end",
        "etat": "status",
        "date_de_facture": "issued_on",
        "a_regler_avant_le": "due_on",
        "montant": "total",
    }
    return [
        _row(invoice, fields) | {"service": invoice.service.name}
        for invoice in invoices.order_by("period_start", "pk")
    ]


def invoice_lines_section(household: Household) -> list[Row]:
    lines = (
        InvoiceLine.objects.filter(invoice__household=household)
        .select_related("invoice")
        .order_by("invoice__period_start", "invoice_id", "date", "pk")
    )
    fields = {
        "enfant": "child_name",
        "prestation": "product_name",
        "date": "date",
        "jusqu_au": "end_date",
        "type": "kind",
        "quantite": "quantity",
        "prix_unitaire": "unit_price",
        "montant": "amount",
    }
    return [{"facture": line.invoice.number} | _row(line, fields) for line in lines]


def credit_notes_section(household: Household) -> list[Row]:
    fields = {"reference": "number", "date": "issued_on", "montant": "amount", "motif": "reason"}
    return [
        _row(note, fields)
        for note in CreditNote.objects.filter(household=household).order_by("issued_on", "pk")
    ]


def settlements_section(household: Household) -> list[Row]:
    fields = {
        "mode": "method",
        "montant": "amount",
        "recu_le": "received_at",
        "reference": "reference",
    }
    return [
        _row(settlement, fields)
        for settlement in Settlement.objects.filter(household=household).order_by("received_at")
    ]


def online_payments_section(household: Household) -> list[Row]:
    fields = {
        "reference": "reference",
        "etat": "state",
        "total": "total",
        "avoir_utilise": "credit_used",
        "paye_en_ligne": "amount",
        "cree_le": "created_at",
        "paye_le": "paid_at",
    }
    return [
        _row(payment, fields)
        for payment in Payment.objects.filter(household=household).order_by("created_at", "pk")
    ]


def requests_section(household: Household) -> list[Row]:
    inquiries = (
        Inquiry.objects.filter(household=household)
        .select_related("category", "child")
        .order_by("created_at", "pk")
    )
    return [
        {
            "numero": inquiry.pk,
            "thematique": inquiry.category.name,
            "enfant": str(inquiry.child) if inquiry.child else None,
            "demande": inquiry.text,
            "etat": inquiry.get_status_display(),
            "modifications_proposees": json.dumps(
                inquiry.proposed_changes, ensure_ascii=False, default=str
            ),
            "creee_le": plain(inquiry.created_at),
        }
        for inquiry in inquiries
    ]


def messages_section(household: Household) -> list[Row]:
    thread = InquiryMessage.objects.filter(inquiry__household=household).order_by(
        "inquiry_id", "created_at", "pk"
    )
    return [
        {
            "demande": message.inquiry_id,
            "de_la_commune": message.from_town,
            "message": message.text,
            "le": plain(message.created_at),
        }
        for message in thread
    ]


def _attachment_name(attachment: InquiryAttachment) -> str:
    """The document's path in the archive, from its request, its number and its recognised
    type: the sender's file name is only a label (``nom_du_fichier``), never a path."""
    name = download_name(stem=f"piece-{attachment.pk}", content_type=attachment.content_type)
    return f"{ATTACHMENTS_FOLDER}/{attachment.inquiry_id}-{name}"


def _attachments(household: Household) -> list[InquiryAttachment]:
    return list(
        InquiryAttachment.objects.filter(inquiry__household=household).order_by("inquiry_id", "pk")
    )


def attachments_section(household: Household) -> list[Row]:
    return [
        {
            "demande": attachment.inquiry_id,
            "piece": attachment.label,
            "nom_du_fichier": attachment.filename,
            "taille": attachment.size,
            "fichier_dans_l_archive": _attachment_name(attachment),
        }
        for attachment in _attachments(household)
    ]


def changes_section(household: Household) -> list[Row]:
    return [
        {
            "le": plain(change.at),
            "action": change.get_action_display(),
            "objet": change.object_repr,
            "modifications": json.dumps(change.changes, ensure_ascii=False, default=str),
            "par": OTHER_HOUSEHOLD if change.by_other_household else None,
        }
        for change in HouseholdChange.objects.filter(household=household)
    ]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: Callable[[Household], list[Row]]


SECTIONS = [
    Section("foyer", "Foyer", household_section),
    Section("responsables", "Responsables", guardians_section),
    Section("enfants", "Enfants", children_section),
    Section("consentements", "Droit à l'image : consentements", consents_section),
    Section("quotient_familial", "Quotient familial", quotients_section),
    Section("quotient_familial_accords", "Quotient familial : accords", quotient_consents_section),
    Section(
        "quotient_familial_identites",
        "Quotient familial : identités transmises",
        quotient_identities_section,
    ),
    Section("personnes_autorisees", "Personnes autorisées à venir chercher", pickups_section),
    Section("contacts_urgence", "Personnes à contacter en cas d'urgence", contacts_section),
    Section("reservations", "Réservations", bookings_section),
    Section("presences", "Présences", attendance_section),
    Section("absences_signalees", "Absences signalées", absences_section),
    Section("factures", "Factures", invoices_section),
    Section("lignes_de_factures", "Détail des factures", invoice_lines_section),
    Section("avoirs", "Avoirs", credit_notes_section),
    Section("reglements", "Règlements", settlements_section),
    Section("paiements_en_ligne", "Paiements en ligne", online_payments_section),
    Section("mandats_prelevement", "Mandats de prélèvement", mandates_rows),
    Section("prelevements", "Prélèvements", debits_rows),
    Section("demandes", "Demandes", requests_section),
    Section("messages_des_demandes", "Échanges sur les demandes", messages_section),
    Section("pieces_jointes", "Pièces jointes des demandes", attachments_section),
    Section("historique", "Historique des modifications du dossier", changes_section),
]


def household_data(household: Household) -> dict[str, list[Row]]:
    """Every section of the export, keyed as in ``donnees.json``."""
    return {section.key: section.rows(household) for section in SECTIONS}


def _columns(rows: Iterable[Row]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [name for name in row if name not in columns]
    return columns


def summary_html(household: Household, data: dict[str, list[Row]], exported_at: str) -> str:
    sections = [
        {
            "key": section.key,
            "title": section.title,
            "columns": [name.replace("_", " ") for name in _columns(data[section.key])],
            "rows": [list(row.values()) for row in data[section.key]],
        }
        for section in SECTIONS
    ]
    return render_to_string(
        "households/data_export_summary.html",
        {"household": household, "sections": sections, "exported_at": exported_at},
    )


def household_export(household: Household, *, actor: Actor) -> IO[bytes]:
    """The ZIP (a temporary file, rewound), written to disk as it goes; the export is logged
    in the action log (who exported which file, when)."""
    data = household_data(household)
    exported_at = timezone.localtime().isoformat()
    document = {"format": 1, "exporte_le": exported_at, **data}
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.json", json.dumps(document, ensure_ascii=False, indent=1))
        archive.writestr("donnees.html", summary_html(household, data, exported_at))
        for attachment in _attachments(household):
            if attachment.file.name and attachment.file.storage.exists(attachment.file.name):
                archive.write(attachment.file.path, _attachment_name(attachment))
        for report in reports_with_certificate(household):
            if report.certificate.name and report.certificate.storage.exists(
                report.certificate.name
            ):
                archive.write(report.certificate.path, certificate_name(report))
    action_record(
        municipality_id=household.municipality_id,
        actor=actor,
        action="household.data_export",
        obj=household,
    )
    output.seek(0)
    return output
