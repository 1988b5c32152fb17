"""The booking tests' town, family and frozen clock (tests/bookings/conftest.py), the demo
payment provider (tests/payments/conftest.py) and a real local SMTP server (tests/e2e)."""

from ..bookings.conftest import frozen, setup  # noqa: F401
from ..e2e.conftest import smtp  # noqa: F401
from ..payments.conftest import provider  # noqa: F401
