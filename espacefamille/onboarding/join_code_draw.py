"""A new join code row, for a household (``join_codes``) or for one child of it
(``child_join_codes``): drawn at random, drawn again when the code already exists."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from espacefamille.accounts.errors import AccountError, AccountReason
from espacefamille.accounts.models import JoinCode
from espacefamille.accounts.tokens import new_join_code
from espacefamille.households.models import Child, Household

DRAWS = 5


def join_code_draw(
    *, household: Household, now: datetime, validity: timedelta, child: Child | None = None
) -> JoinCode:
    """Store a fresh code valid from ``now`` for ``validity``; AccountError(CODE_DRAW_FAILED)
    when every draw hit an existing code."""
    for _attempt in range(DRAWS):
        try:
            with transaction.atomic():
                return JoinCode.objects.create(
                    municipality_id=household.municipality_id,
                    household=household,
                    child=child,
                    code=new_join_code(),
                    created_at=now,
                    expires_at=now + validity,
                )
        except IntegrityError:  # the same code drawn twice: draw again
            continue
    raise AccountError(
        AccountReason.CODE_DRAW_FAILED,
        _("Aucun code d'adhésion n'a pu être tiré : réessayez dans un instant."),
    )
