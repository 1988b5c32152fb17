"""Writes of mandates: sign online, record a paper one, revoke, amend (new account or RUM).
Each writes the action log with the IBAN masked: a full IBAN is never logged."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from espacefamille.audit.records import Actor, action_record
from espacefamille.catalog.models import Service
from espacefamille.core.validators import validate_single_line_text
from espacefamille.households.models import Household

from .errors import DirectDebitError, IbanError
from .ibans import clean_bic, clean_iban, derive_bic
from .models import (
    DirectDebitSettings,
    Mandate,
    MandateAmendment,
    MandateChannel,
    MandateStatus,
)
from .rum import new_rum, rum_error

if TYPE_CHECKING:
    from espacefamille.accounts.models import User

MANDATE_TEXT_VERSION = "2026-1"


def mandate_text(*, config: DirectDebitSettings) -> str:
    """The wording the signer agrees to (SEPA core mandate), with the creditor's identity."""
    return _(
        "En signant ce formulaire de mandat, vous autorisez %(creditor)s (identifiant créancier "
        "SEPA %(ics)s) à envoyer des instructions à votre banque pour débiter votre compte, et "
        "votre banque à débiter votre compte conformément aux instructions de %(creditor)s, "
        "pour le paiement des factures du service %(service)s. Vous bénéficiez du droit d'être "
        "remboursé par votre banque selon les conditions décrites dans la convention que vous "
        "avez passée avec elle. Une demande de remboursement doit être présentée dans les "
        "8 semaines suivant la date de débit de votre compte pour un prélèvement autorisé. "
        "Chaque facture vous annonce la date du prélèvement au moins %(days)s jours avant."
    ) % {
        "creditor": config.creditor_name,
        "ics": config.creditor_id,
        "service": config.service.name,
        "days": config.notice_days,
    }


def regie_settings(*, service: Service) -> DirectDebitSettings | None:
    return DirectDebitSettings.objects.filter(service=service, is_enabled=True).first()


def _holder(text: str) -> str:
    holder = " ".join(str(text or "").split())
    if not holder:
        raise DirectDebitError("holder_missing", _("Indiquez le nom du titulaire du compte."))
    if len(holder) > 70:
        raise DirectDebitError(
            "holder_long", _("Le nom du titulaire compte au plus 70 caractères.")
        )
    try:
        validate_single_line_text(holder)
    except ValidationError as error:
        raise DirectDebitError("holder_invalid", " ".join(error.messages)) from error
    return holder


def _account(iban: str, bic: str) -> tuple[str, str]:
    try:
        clean = clean_iban(iban)
        return clean, clean_bic(bic) or derive_bic(clean)
    except IbanError as error:
        raise DirectDebitError("iban_invalid", error.message) from error


def _log(mandate: Mandate, actor: Actor, action: str, changes: dict[str, Any]) -> None:
    action_record(
        municipality_id=mandate.municipality_id,
        actor=actor,
        action=action,
        obj=mandate,
        object_repr=f"{mandate.rum} — {mandate.service}",
        changes=changes,
    )


@transaction.atomic
def mandate_create(
    *,
    household: Household,
    service: Service,
    holder: str,
    iban: str,
    bic: str = "",
    channel: str,
    user: User | None,
    signed_on: date | None = None,
    rum: str = "",
) -> Mandate:
    """A new active mandate. Online (``channel=online``) the signer is ``user`` and the date
    today; on paper an agent gives the date of signature and may keep the paper's RUM."""
    if channel not in MandateChannel.values:
        raise DirectDebitError("channel", _("Mode de signature inconnu."))
    if service.municipality_id != household.municipality_id:
        raise DirectDebitError("regie", _("Cette régie n'appartient pas à la commune du foyer."))
    config = regie_settings(service=service)
    if config is None:
        raise DirectDebitError("not_offered", _("Cette régie ne propose pas le prélèvement."))
    holder = _holder(holder)
    iban, bic = _account(iban, bic)
    today = timezone.localdate()
    if channel == MandateChannel.ONLINE or signed_on is None:
        signed_on = today
    elif signed_on > today:
        raise DirectDebitError("future", _("La date de signature ne peut pas être future."))
    rum = rum.strip() or new_rum(
        municipality_id=household.municipality_id, household_id=household.pk
    )
    if problem := rum_error(rum):
        raise DirectDebitError("rum_invalid", problem)
    if Mandate.objects.filter(rum=rum).exists():
        raise DirectDebitError("rum_taken", _("Cette RUM est déjà celle d'un autre mandat."))
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if Mandate.objects.filter(
        household=locked, service=service, status=MandateStatus.ACTIVE
    ).exists():
        raise DirectDebitError(
            "already_active",
            _("Un mandat est déjà actif pour cette régie : modifiez-le ou révoquez-le d'abord."),
        )
    try:
        with transaction.atomic():
            mandate = Mandate.objects.create(
                municipality_id=household.municipality_id,
                household=locked,
                service=service,
                holder=holder,
                iban=iban,
                bic=bic,
                rum=rum,
                signed_on=signed_on,
                channel=channel,
                signed_by=user if getattr(user, "pk", None) else None,
                text=mandate_text(config=config),
                text_version=MANDATE_TEXT_VERSION,
            )
    except IntegrityError as error:
        raise DirectDebitError(
            "already_active", _("Un mandat est déjà actif pour cette régie.")
        ) from error
    _log(
        mandate,
        user,
        "mandate.sign" if channel == MandateChannel.ONLINE else "mandate.record_paper",
        {"iban": [None, mandate.masked_iban], "holder": [None, holder], "rum": [None, rum]},
    )
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: Mandate, user: User | None) -> Mandate:
    """No future debit; a debit already in a batch stays (it has left with the file)."""
    locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if locked.status == MandateStatus.REVOKED:
        return locked
    locked.status = MandateStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revoked_by = user if getattr(user, "pk", None) else None
    locked.save(update_fields=["status", "revoked_at", "revoked_by"])
    _log(locked, user, "mandate.revoke", {"status": ["actif", "révoqué"]})
    return locked


@transaction.atomic
def mandate_amend(
    *,
    mandate: Mandate,
    user: User | None,
    iban: str | None = None,
    bic: str | None = None,
    holder: str | None = None,
    rum: str | None = None,
) -> Mandate:
    """Change the account (IBAN/BIC), the holder or the RUM of an active mandate, keeping
    what it was: the next debit carries the previous values."""
    locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if locked.status != MandateStatus.ACTIVE:
        raise DirectDebitError("revoked", _("Un mandat révoqué ne peut plus être modifié."))
    before = (locked.iban, locked.bic, locked.rum, locked.holder)
    if iban is not None and iban.strip():
        locked.iban, locked.bic = _account(iban, bic or "")
    elif bic is not None and bic.strip():
        locked.bic = _account(locked.iban, bic)[1]
    if holder is not None and holder.strip():
        locked.holder = _holder(holder)
    if rum is not None and rum.strip() and rum.strip() != locked.rum:
        if problem := rum_error(rum.strip()):
            raise DirectDebitError("rum_invalid", problem)
        if Mandate.objects.filter(rum=rum.strip()).exclude(pk=locked.pk).exists():
            raise DirectDebitError("rum_taken", _("Cette RUM est déjà celle d'un autre mandat."))
        locked.rum = rum.strip()
    after = (locked.iban, locked.bic, locked.rum, locked.holder)
    if after == before:
        return locked
    if before[:3] != after[:3]:
        MandateAmendment.objects.create(
            municipality_id=locked.municipality_id,
            mandate=locked,
            previous_iban=before[0],
            previous_bic=before[1],
            previous_rum=before[2],
            amended_by=user if getattr(user, "pk", None) else None,
        )
    locked.save(update_fields=["iban", "bic", "rum", "holder"])
    changes: dict[str, Any] = {}
    if before[0] != after[0]:
        changes["iban"] = [Mandate(iban=before[0]).masked_iban, locked.masked_iban]
    if before[2] != after[2]:
        changes["rum"] = [before[2], after[2]]
    if before[3] != after[3]:
        changes["holder"] = [before[3], after[3]]
    _log(locked, user, "mandate.amend", changes)
    return locked


@transaction.atomic
def treasury_debits_mark_collected(*, invoices: list[Any], on: date) -> int:
    """After a PES file carried these invoices' debit data: their mandates were collected
    (RCUR next, and ``previous_*`` start again from here). Returns the mandates marked."""
    pairs = {(invoice.household_id, invoice.service_id) for invoice in invoices}
    ids = [
        pk
        for pk, household_id, service_id in Mandate.objects.filter(
            status=MandateStatus.ACTIVE,
            household_id__in={household for household, _service in pairs},
        ).values_list("pk", "household_id", "service_id")
        if (household_id, service_id) in pairs
    ]
    return Mandate.objects.filter(pk__in=ids).update(sequence="RCUR", last_collected_on=on)


def mandates_anonymise(*, household: Household) -> int:
    """For ``households.retention``: the household's mandates lose the account and holder
    (revoked; the RUM and dates stay for the accounts). Returns the mandates changed."""
    mandates = Mandate.objects.filter(household=household)
    MandateAmendment.objects.filter(mandate__in=mandates).delete()
    return mandates.update(
        status=MandateStatus.REVOKED, holder="anonymisé", iban="", bic="", text=""
    )
