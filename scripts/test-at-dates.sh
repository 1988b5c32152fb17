#!/bin/sh
# The date-sensitive suites (bookings, billing, payments, the portal and the browser journeys)
# at each of the frozen dates of tests/frozen_today.py (CI_DATES), on the database DATABASE_URL
# names (SQLite by default). Usage: sh scripts/test-at-dates.sh [extra pytest arguments]
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
dates=$($PYTHON -c "from tests.frozen_today import CI_DATES; print(' '.join(CI_DATES))")
for day in $dates; do
  echo "=== date-sensitive suites on $day (ESPACEFAMILLE_TODAY=$day)"
  ESPACEFAMILLE_TODAY=$day $PYTHON -m pytest tests/bookings tests/billing tests/payments \
    tests/portal tests/e2e "$@"
done
