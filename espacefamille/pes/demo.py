"""Demo: the town's treasury settings (a valid demo SIRET, its codes, this year's budget) and
"Restaurant scolaire" transmitted to the treasury as PES titles. No file is produced here:
each régie's latest final month is left for a new user to export from "Titres de recettes
(PES)" or with ``pes_export demo restaurant-scolaire <AAAA-MM> --output …``. Loading again
changes nothing."""

from __future__ import annotations

from django.utils import timezone

from espacefamille.catalog.models import Service
from espacefamille.core.models import Municipality

from .models import RegieImputation, TreasurySettings

DEMO_SIRET = "21840001200017"  # 14 digits with a valid key, not a real town's


def load_pes_demo(town: Municipality, services: list[Service]) -> None:
    restaurant = services[0]
    TreasurySettings.objects.get_or_create(
        municipality=town,
        defaults={
            "id_coll": DEMO_SIRET,
            "cod_col": "012",
            "cod_bud": "00",
            "id_post": "084000",
            "exer": timezone.localdate().year,
        },
    )
    RegieImputation.objects.get_or_create(
        municipality=town,
        service=restaurant,
        defaults={
            "nature": "7067",
            "fonction": "251",
            "cod_prod_loc": "RS",
            "object_label": "Restauration scolaire",
        },
    )
