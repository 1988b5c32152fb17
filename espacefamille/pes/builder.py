"""Writes one PES Aller file (domain "recette", ORMC) as a stream: each title is built as a
small tree, written and dropped, so 10,000 titles with their PDFs never sit in memory.

Structure (schemas v5.17): ``PES_Aller`` (the only element in the ``Rev0/aller`` namespace;
the children are unqualified) → ``Enveloppe``, ``EnTetePES``, ``PES_RecetteAller`` (one
``Bordereau`` of ``Piece`` elements), then ``PES_PJ`` with each invoice's PDF, gzipped then
base64, as the schema asks. The file is checked afterwards (``checks``): nothing here is
trusted to be right."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from .titles import (
    Attachment,
    BordereauInfo,
    Header,
    Title,
    amount_text,
    plain,
    sepa_text,
)

NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
ENCODING = "ISO-8859-1"
PJ_RECETTE, DOMAIN_RECETTE, SUPPORT_IN_FLOW = "002", "02", "01"
PER_PREL_MONTHLY = "02"
SEQUENCE_FIRST, SEQUENCE_RECURRING = "02", "03"


def _v(parent: Any, tag: str, value: object) -> Any:
    """``<tag V="value"/>``: every PES value is an attribute ``V``."""
    return etree.SubElement(parent, tag, V=str(value))


def _header(header: Header, file_name: str, dte_str: str) -> tuple[Any, Any]:
    envelope = etree.Element("Enveloppe")
    parameters = etree.SubElement(envelope, "Parametres")
    _v(parameters, "Version", "2")
    _v(parameters, "TypFic", "PESORMC")
    _v(parameters, "NomFic", plain(file_name, 100))
    sender = etree.SubElement(envelope, "Emetteur")
    _v(sender, "Sigle", plain(header.sender, 32))
    _v(sender, "Adresse", plain(header.sender_address, 38))
    head = etree.Element("EnTetePES")
    _v(head, "DteStr", dte_str)
    _v(head, "IdPost", header.id_post)
    _v(head, "IdColl", header.id_coll)
    _v(head, "CodCol", header.cod_col)
    _v(head, "CodBud", header.cod_bud)
    return envelope, head


def _bloc_bordereau(header: Header, bordereau: BordereauInfo) -> Any:
    bloc = etree.Element("BlocBordereau")
    _v(bloc, "Exer", header.exer)
    _v(bloc, "IdBord", bordereau.number)
    _v(bloc, "DteBordEm", bordereau.issued_on.isoformat())
    _v(bloc, "TypBord", bordereau.typ_bord)
    _v(bloc, "NbrPce", bordereau.count)
    _v(bloc, "MtBordHt", amount_text(bordereau.total))
    _v(bloc, "Objet", plain(bordereau.label, 160))
    return bloc


def piece_element(title: Title, *, exer: int, with_pdf: bool) -> Any:
    piece = etree.Element("Piece")
    bloc = etree.SubElement(piece, "BlocPiece")
    _v(bloc, "IdPce", title.piece)
    _v(bloc, "TypPce", title.typ_pce)
    _v(bloc, "NatPce", title.nat_pce)
    _v(bloc, "ObjPce", plain(title.label, 160))
    _v(bloc, "DebFact", title.period_start.isoformat())
    _v(bloc, "FinFact", title.period_end.isoformat())
    if with_pdf:
        ref = etree.SubElement(bloc, "PJRef")
        _v(ref, "Support", SUPPORT_IN_FLOW)
        _v(ref, "IdUnique", title.attachment_id)
        _v(ref, "NomPJ", title.attachment_name)
        _v(ref, "TypePJ", PJ_RECETTE)
    _v(bloc, "NumeroFacture", plain(title.invoice_number, 20))
    for index, line in enumerate(title.lines, start=1):
        ligne = etree.SubElement(piece, "LigneDePiece")
        bloc_ligne = etree.SubElement(ligne, "BlocLignePiece")
        info = etree.SubElement(bloc_ligne, "InfoLignePiece")
        _v(info, "IdLigne", index)
        _v(info, "ObjLignePce", plain(line.label, 160))
        _v(info, "CodProdLoc", line.cod_prod_loc)
        _v(info, "Nature", line.nature)
        if line.fonction:
            _v(info, "Fonction", line.fonction)
        _v(info, "Majo", "0")
        _v(info, "TvaIntraCom", "0")
        _v(info, "MtHT", amount_text(line.amount))
        if title.debit is not None:
            _debit(bloc_ligne, title, line.amount)
        _debtor(ligne, title)
    return piece


def _debit(parent: Any, title: Title, amount: Any) -> None:
    debit = title.debit
    assert debit is not None
    info = etree.SubElement(parent, "InfoPrelevementSEPA")
    _v(info, "NatPrel", "01")  # through the treasury: the DGFiP debits
    _v(info, "PerPrel", PER_PREL_MONTHLY)
    _v(info, "DtePrel", (title.due_on or title.period_end).isoformat())
    _v(info, "MtPrel", amount_text(amount))
    _v(info, "SequencePres", SEQUENCE_RECURRING if title.debit_recurring else SEQUENCE_FIRST)
    _v(info, "DateSignMandat", debit.signed_on.isoformat())
    _v(info, "RefUniMdt", debit.rum)
    _v(info, "LibPrel", sepa_text(f"{title.label} {title.invoice_number}", 140))
    if debit.previous_rum:
        _v(info, "AncienRUM", debit.previous_rum)
    if debit.previous_iban:
        _v(info, "AncienneBanque", "1")
        _v(info, "AncienIBAN", debit.previous_iban)


def _debtor(parent: Any, title: Title) -> None:
    debtor = title.debtor
    tiers = etree.SubElement(parent, "Tiers")
    info = etree.SubElement(tiers, "InfoTiers")
    if debtor.reference:
        _v(info, "RefTiers", plain(debtor.reference, 30))
    _v(info, "CatTiers", "01")  # a natural person
    _v(info, "NatJur", "01")  # a private individual
    _v(info, "TypTiers", "01")
    if debtor.civility:
        _v(info, "Civilite", debtor.civility)
    _v(info, "Nom", plain(debtor.last_name, 38))
    if debtor.first_name:
        _v(info, "Prenom", plain(debtor.first_name, 38))
    address = etree.SubElement(tiers, "Adresse")
    _v(address, "TypAdr", "1")
    _v(address, "Adr2", plain(debtor.street, 38))
    if debtor.complement:
        _v(address, "Adr3", plain(debtor.complement, 38))
    _v(address, "CP", debtor.postcode)
    _v(address, "Ville", plain(debtor.city, 38))
    _v(address, "CodRes", "0")
    if title.debit is not None:
        account = etree.SubElement(tiers, "CpteBancaire")
        if title.debit.bic:
            _v(account, "BIC", title.debit.bic)
        _v(account, "IBAN", title.debit.iban)
        _v(account, "TitCpte", plain(title.debit.holder, 32))


def attachment_element(title: Attachment, *, exer: int, bordereau: int) -> Any:
    pj = etree.Element("PJ")
    contenu = etree.SubElement(pj, "Contenu")
    fichier = etree.SubElement(contenu, "Fichier", MIMEType="application/pdf")
    fichier.text = base64.b64encode(gzip.compress(title.content, compresslevel=6, mtime=0)).decode()
    _v(pj, "IdUnique", title.attachment_id)
    _v(pj, "NomPJ", title.attachment_name)
    _v(pj, "TypePJ", PJ_RECETTE)
    _v(pj, "Description", plain(f"Facture {title.invoice_number}", 250))
    ref = etree.SubElement(pj, "RefCompta")
    _v(ref, "Domaine", DOMAIN_RECETTE)
    _v(ref, "Exercice", exer)
    _v(ref, "TypeObjet", "06")
    _v(ref, "Identifiant", bordereau)
    _v(ref, "ComplementIdentifiant", title.piece)
    return pj


def write_pes(
    path: Path,
    *,
    header: Header,
    bordereau: BordereauInfo,
    titles: Iterable[Title],
    attachments: Iterable[Attachment] | None,
    file_name: str,
) -> None:
    """Stream the file to ``path``. ``attachments`` (the titles' PDFs, read after them)
    fill ``PES_PJ``; ``None`` leaves it out."""
    dte_str = bordereau.issued_on.isoformat()
    with etree.xmlfile(str(path), encoding=ENCODING) as xf:
        xf.write_declaration()
        with xf.element(f"{{{NS}}}PES_Aller", nsmap={"n": NS}):
            envelope, head = _header(header, file_name, dte_str)
            xf.write(envelope)
            xf.write(head)
            with xf.element("PES_RecetteAller"):
                entete = etree.Element("EnTeteRecette")
                _v(entete, "IdVer", "2")
                _v(entete, "InfoDematerialisee", "0")
                xf.write(entete)
                with xf.element("Bordereau"):
                    xf.write(_bloc_bordereau(header, bordereau))
                    for title in titles:
                        xf.write(
                            piece_element(title, exer=header.exer, with_pdf=attachments is not None)
                        )
            if attachments is not None:
                with xf.element("PES_PJ"):
                    entete_pj = etree.Element("EnTetePES_PJ")
                    _v(entete_pj, "IdVer", "1")
                    xf.write(entete_pj)
                    for attachment in attachments:
                        xf.write(
                            attachment_element(
                                attachment, exer=header.exer, bordereau=bordereau.number
                            )
                        )
