#!/bin/sh
# The date-sensitive suites (bookings, billing, payments, the portal and the browser journeys
# that book, pay, invoice, point or count meals) at each of the frozen dates of
# tests/frozen_today.py (CI_DATES), on the database DATABASE_URL names (SQLite by default).
# The journeys that read no calendar (sign-in, household file, news, data rights, the
# accessibility walk) run today only, in `make test`.
# Usage: sh scripts/test-at-dates.sh [extra pytest arguments]
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
dates=$($PYTHON -c "from tests.frozen_today import CI_DATES; print(' '.join(CI_DATES))")
for day in $dates; do
  echo "=== date-sensitive suites on $day (ESPACEFAMILLE_TODAY=$day)"
  ESPACEFAMILLE_TODAY=$day $PYTHON -m pytest tests/bookings tests/billing tests/payments \
    tests/attendance tests/kitchen tests/counter \
    tests/portal tests/e2e/test_bookings.py tests/e2e/test_booking_approvals.py \
    tests/e2e/test_booking_phone_and_rules.py tests/e2e/test_payments.py \
    tests/e2e/test_invoices.py tests/e2e/test_invoicing_screens.py tests/e2e/test_kitchen.py \
    tests/e2e/test_attendance.py tests/e2e/test_money_traps.py tests/e2e/test_dashboard.py "$@"
done
