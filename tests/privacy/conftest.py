"""The demo family of the household tests (tests/households/conftest.py)."""

from ..households.conftest import demo_family  # noqa: F401
