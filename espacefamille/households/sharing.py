"""Which children a household sees: its own (``Child.household``, the child's first household)
and the children it shares with another household of the town (``ChildHousehold``: separated
parents, each household booking and paying its own days).

Every page, service and export that starts from a household reaches its children through
these reads, so that a shared child is visible to both households and to no one else."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Child, ChildHousehold, Household


def member_q(household: Household | int, *, child_field: str = "") -> Q:
    """A filter on ``Child`` (or, with ``child_field="child"``, on a model with a ``child``
    foreign key) keeping the children of ``household``: its own and those it shares."""
    household_id = household if isinstance(household, int) else household.pk
    outer = f"{child_field}_id" if child_field else "pk"
    own = f"{child_field}__household_id" if child_field else "household_id"
    shared = ChildHousehold.objects.filter(
        child_id=OuterRef(outer), household_id=household_id, ended_at__isnull=True
    )
    return Q(**{own: household_id}) | Q(Exists(shared))


def household_children(household: Household) -> QuerySet[Child]:
    """The children of ``household``, shared ones included. The same children as
    ``member_q``, but the shared ones read by a plain ``IN`` (not a correlated ``EXISTS``
    inside an ``OR``): the database uses both indexes instead of testing every child of the
    town (3 ms a page on the bench town, SQLite)."""
    shared = ChildHousehold.objects.filter(household_id=household.pk, ended_at__isnull=True).values(
        "child_id"
    )
    return Child.objects.filter(Q(household_id=household.pk) | Q(pk__in=shared))


def is_member(child: Child, household: Household | int) -> bool:
    household_id = household if isinstance(household, int) else household.pk
    if child.household_id == household_id:
        return True
    return ChildHousehold.objects.filter(
        child_id=child.pk, household_id=household_id, ended_at__isnull=True
    ).exists()


def all_members(children: Iterable[Child], household: Household | int) -> bool:
    """Every one of ``children`` belongs to ``household`` (one query at most)."""
    household_id = household if isinstance(household, int) else household.pk
    others = {child.pk for child in children if child.household_id != household_id}
    if not others:
        return True
    shared = set(
        ChildHousehold.objects.filter(
            child_id__in=others, household_id=household_id, ended_at__isnull=True
        ).values_list("child_id", flat=True)
    )
    return others <= shared


def child_household_ids(child: Child) -> list[int]:
    """The child's households, the first one first."""
    return [
        child.household_id,
        *list(
            ChildHousehold.objects.filter(child_id=child.pk, ended_at__isnull=True)
            .order_by("linked_at", "pk")
            .values_list("household_id", flat=True)
        ),
    ]


def shared_child_ids(household: Household | int) -> set[int]:
    """The household's children that also belong to another household."""
    household_id = household if isinstance(household, int) else household.pk
    live = ChildHousehold.objects.filter(ended_at__isnull=True)
    return set(live.filter(household_id=household_id).values_list("child_id", flat=True)) | set(
        live.filter(child__household_id=household_id).values_list("child_id", flat=True)
    )


def households_of_children(child_ids: QuerySet[Any, Any] | Iterable[int]) -> set[int]:
    """Every household the children belong to: their first household and the households they
    are shared with (a message to a class reaches both of a shared child's households)."""
    first = Child.objects.filter(pk__in=child_ids).values_list("household_id", flat=True)
    shared = ChildHousehold.objects.filter(
        child_id__in=child_ids, ended_at__isnull=True
    ).values_list("household_id", flat=True)
    return set(first) | set(shared)
