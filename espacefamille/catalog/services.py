"""Writes to the catalog: enrolments (the rest is configured by agents)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from espacefamille.households.models import Child

from .models import Enrollment, Service, Site, school_year_of


def school_year_bounds(school_year: int) -> tuple[date, date]:
    return date(school_year, 9, 1), date(school_year + 1, 8, 31)


@transaction.atomic
def enrollment_enroll(
    *,
    child: Child,
    service: Service,
    school_year: int | None = None,
    school: str = "",
    school_class: str = "",
    site: Site | None = None,
) -> tuple[Enrollment, bool]:
    """Enrol a child in a service for a school year (the current one by default). Enrolling
    again with the same values changes nothing; returns (enrollment, created)."""
    year = school_year if school_year is not None else school_year_of(date.today())
    start, end = school_year_bounds(year)
    values = {
        "start_date": start,
        "end_date": end,
        "school": school or child.school,
        "school_class": school_class or child.school_class,
        "site_id": site.pk if site is not None else None,
    }
    enrollment = Enrollment.objects.filter(child=child, service=service, school_year=year).first()
    if enrollment is None:
        return Enrollment.objects.create(
            municipality_id=child.municipality_id,
            child=child,
            service=service,
            school_year=year,
            **values,
        ), True
    changed = [k for k, v in values.items() if getattr(enrollment, k) != v]
    for name in changed:
        setattr(enrollment, name, values[name])
    if changed:
        enrollment.save(update_fields=changed)
    return enrollment, False
