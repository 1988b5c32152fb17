"""What the builder writes, as plain values: the budget's header, one bordereau, its titles
(one per invoice) with their lines, debtor and attached PDF. The export service fills them
from the database; the builder knows nothing of Django models."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .debit_data import DebitData

# The only triplet this project emits: an ORMC bordereau (06) of ORMC titles (15), ordinary
# nature (01). The DGFiP's grid of triplets allows others that the project never writes.
TYP_BORD_ORMC, TYP_PCE_ORMC, NAT_PCE_ORDINARY = "06", "15", "01"
ALLOWED_TRIPLETS = frozenset({(TYP_BORD_ORMC, TYP_PCE_ORMC, NAT_PCE_ORDINARY)})


@dataclass(frozen=True)
class Header:
    id_post: str
    id_coll: str
    cod_col: str
    cod_bud: str
    exer: int
    sender: str
    sender_address: str


@dataclass(frozen=True)
class BordereauInfo:
    number: int
    issued_on: date
    label: str
    count: int
    total: Decimal
    typ_bord: str = TYP_BORD_ORMC


@dataclass(frozen=True)
class Debtor:
    civility: str
    last_name: str
    first_name: str
    street: str
    complement: str
    postcode: str
    city: str
    reference: str


@dataclass(frozen=True)
class TitleLine:
    label: str
    nature: str
    fonction: str
    cod_prod_loc: str
    amount: Decimal


@dataclass(frozen=True)
class PieceRef:
    """What ties a title and its PDF (``PJRef`` in the piece, ``PJ`` in ``PES_PJ``)."""

    piece: int
    invoice_id: int
    invoice_number: str

    @property
    def attachment_id(self) -> str:
        return attachment_id(self.invoice_number, self.invoice_id)

    @property
    def attachment_name(self) -> str:
        return attachment_name(self.invoice_number, self.invoice_id)


@dataclass(frozen=True)
class Title(PieceRef):
    label: str
    period_start: date
    period_end: date
    due_on: date | None
    debtor: Debtor
    lines: list[TitleLine]
    debit: DebitData | None = None
    debit_recurring: bool = False
    typ_pce: str = TYP_PCE_ORMC
    nat_pce: str = NAT_PCE_ORDINARY

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class Attachment(PieceRef):
    """An invoice's PDF in ``PES_PJ``, tied to its title (``piece``)."""

    content: bytes = field(repr=False)


def clean_code(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z-]", "", text)


def attachment_name(number: str, invoice_id: int) -> str:
    return f"facture-{clean_code(number) or invoice_id}.pdf"


def attachment_id(number: str, invoice_id: int) -> str:
    return f"FACT{re.sub(r'[^0-9A-Za-z]', '', number)}{invoice_id}"[:50]


def plain(text: str, length: int) -> str:
    """One line of text cut to the schema's length (``Base_Texte*``)."""
    single = " ".join((text or "").split())
    return single[:length].rstrip()


def sepa_text(text: str, length: int) -> str:
    """Text in the SEPA character set (no accents: ``Base_Texte*SEPA``)."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    allowed = re.sub(r"[^0-9a-zA-Z/?:().,'+ -]", " ", ascii_text)
    return plain(allowed, length)


def amount_text(value: Decimal) -> str:
    """Exactly two decimals with a dot: ``3.60``."""
    return f"{value.quantize(Decimal('0.01')):.2f}"
