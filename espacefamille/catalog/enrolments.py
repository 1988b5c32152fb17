"""Agents enrol children in a service for a school year: one child, or a whole class at once
(the children whose file names that school and class). Each enrolment made is logged in the
town's action log; enrolling again changes nothing."""

from __future__ import annotations

from django.db import transaction

from espacefamille.audit.records import Actor, action_record
from espacefamille.households.models import Child

from .models import Enrollment, Service, Site
from .services import enrollment_enroll


def _log(enrollment: Enrollment, actor: Actor) -> None:
    action_record(
        municipality_id=enrollment.municipality_id,
        actor=actor,
        action="enrollment.create",
        obj=enrollment,
        changes={
            "service": [None, str(enrollment.service)],
            "année scolaire": [None, enrollment.school_year_label],
            "site": [None, enrollment.site.name if enrollment.site else None],
        },
    )


@transaction.atomic
def child_enroll(
    *, child: Child, service: Service, school_year: int, site: Site | None, actor: Actor
) -> tuple[Enrollment, bool]:
    enrollment, created = enrollment_enroll(
        child=child, service=service, school_year=school_year, site=site
    )
    if created:
        _log(enrollment, actor)
    return enrollment, created


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


@transaction.atomic
def class_enroll(
    *,
    school: str,
    school_class: str,
    service: Service,
    school_year: int,
    site: Site | None,
    actor: Actor,
) -> int:
    """Enrol every child of this school and class (compared case-insensitively, accents
    included: SQLite's own comparison folds ASCII only); return how many were newly enrolled."""
    wanted = (_folded(school), _folded(school_class))
    children = [
        child
        for child in Child.objects.exclude(school_class="").order_by("pk")
        if (_folded(child.school), _folded(child.school_class)) == wanted
    ]
    made = 0
    for child in children:
        _enrollment, created = child_enroll(
            child=child, service=service, school_year=school_year, site=site, actor=actor
        )
        made += created
    return made
