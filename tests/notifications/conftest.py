"""The booking tests' town, family and frozen clock (tests/bookings/conftest.py)."""

from ..bookings.conftest import frozen, setup  # noqa: F401
