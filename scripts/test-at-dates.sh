#!/bin/sh
# The date-sensitive suites (bookings, billing, payments, the portal and the browser journeys
# that book, pay, invoice, point or count meals) at each of the frozen dates of
# tests/frozen_today.py (CI_DATES), on the database DATABASE_URL names (SQLite by default).
# The journeys that read no calendar (sign-in, household file, news, data rights, the
# accessibility walk, and those of $no_calendar below) run today only, in `make test`.
# Usage: sh scripts/test-at-dates.sh [extra pytest arguments]
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
# Journeys in those files whose rule reads no calendar (a role refused a screen,
# the phone's layout, an e-mail's link): today's run checks them.
no_calendar="
  tests/e2e/test_invoicing_screens.py::test_a_facilitator_cannot_open_the_invoicing_screens
  tests/e2e/test_dashboard.py::test_a_facilitator_has_no_dashboard
  tests/e2e/test_booking_phone_and_rules.py::test_phone_cart_summary_and_valider_stay_on_screen
  tests/e2e/test_booking_phone_and_rules.py::test_validation_email_links_to_the_portal_that_sent_it"
deselect=""
for journey in $no_calendar; do
  deselect="$deselect --deselect=$journey"
done
dates=$($PYTHON -c "from tests.frozen_today import CI_DATES; print(' '.join(CI_DATES))")
for day in $dates; do
  echo "=== date-sensitive suites on $day (ESPACEFAMILLE_TODAY=$day)"
  ESPACEFAMILLE_TODAY=$day $PYTHON -m pytest tests/bookings tests/billing tests/payments \
    tests/attendance tests/kitchen tests/counter \
    tests/portal tests/e2e/test_bookings.py tests/e2e/test_booking_approvals.py \
    tests/e2e/test_booking_phone_and_rules.py tests/e2e/test_payments.py \
    tests/e2e/test_invoices.py tests/e2e/test_invoicing_screens.py tests/e2e/test_kitchen.py \
    tests/e2e/test_attendance.py tests/e2e/test_money_traps.py tests/e2e/test_dashboard.py \
    $deselect "$@"
done
