"""A PES Acquit as Hélios sends it back (schema PES_V2_Acquit_Autonome_V2.xsd)."""

from __future__ import annotations

ACQUIT_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2"


def acquit_xml(*, siret: str, bordereau: int, exer: int, accepted: bool, reason: str = "") -> bytes:
    error = (
        f'<Erreur><NumAnoAck V="ERREUR_AUTRE"/><LibelleAnoAck V="{reason}"/></Erreur>'
        if reason
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<n:PES_ACQUIT xmlns:n="{ACQUIT_NS}">
<Enveloppe><Parametres><Version V="2"/><TypFic V="PESACQUIT"/><NomFic V="ACQ.xml"/></Parametres>
<Emetteur><Sigle V="DGFIP"/><Adresse V="Helios"/></Emetteur></Enveloppe>
<EnTetePES><DteStr V="2026-11-03"/><IdPost V="084000"/><IdColl V="{siret}"/>
<CodCol V="012"/><CodBud V="00"/></EnTetePES>
<ACQUIT><EnTeteAcquit><IdVer V="2"/></EnTeteAcquit>
<ElementACQUIT><DomaineAck V="2"/><EtatAck V="{1 if accepted else 0}"/>
<NumBord V="{bordereau}"/><ExerciceBord V="{exer}"/>{error}</ElementACQUIT>
</ACQUIT></n:PES_ACQUIT>""".encode()
