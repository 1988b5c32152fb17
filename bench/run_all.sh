#!/bin/sh
# One figure per target (issue 17): every bench of a quick profile in one go, then one table
# (target, figure, baseline from the same run, met/missed, load average before → after each
# bench). Usage, from the project directory:
#   sh bench/run_all.sh                 # SQLite
#   sh bench/run_all.sh sqlite postgres # both (PostgreSQL: the server of DATABASE_URL)
#   BENCH_FULL=1 sh bench/run_all.sh    # the benches' own defaults (long: an hour or more)
# The logs and the table stay in var/bench/run_all-<time>/. The bench towns are cached by
# bench/common.py (built once, ~8 min on a loaded machine); Python compiles into var/pycache
# once, as an installed server reads its bytecode (PYTHONDONTWRITEBYTECODE would make every
# worker compile its modules at start: ~25 MB more at its peak).
set -u
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
OUT=var/bench/run_all-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="${PYTHONPYCACHEPREFIX:-$PWD/var/pycache}"

if [ "${BENCH_FULL:-0}" = 1 ]; then
  YEAR="" AGENDA="" CONCURRENT="--rounds 3" CPU="" KITCHEN="" INVOICING="" MEMORY=""
else
  YEAR="--runs 5" AGENDA="--requests 60" CONCURRENT="--rounds 3" CPU="--families 30 --years 3"
  KITCHEN="--requests 20"
  INVOICING="--scale 0.2" MEMORY="--requests 50"
fi

run() {  # run <bench> <db> <arguments…>
  name=$1 db=$2
  shift 2
  echo "$(date -u +%H:%M:%S) $name ($db) $*"
  cut -d' ' -f1-3 /proc/loadavg > "$OUT/$name-$db.load"
  # shellcheck disable=SC2068
  "$PY" "bench/$name.py" --db "$db" $@ > "$OUT/$name-$db.log" 2>&1 \
    || echo "  failed: $OUT/$name-$db.log"
  cut -d' ' -f1-3 /proc/loadavg >> "$OUT/$name-$db.load"
}

for db in ${*:-sqlite}; do
  run bench_year_booking "$db" $YEAR
  run bench_agenda "$db" $AGENDA
  run bench_home "$db" $AGENDA
  run bench_concurrent_validation "$db" $CONCURRENT
  run bench_validation_cpu "$db" $CPU
  run bench_kitchen "$db" $KITCHEN
  run bench_closure "$db"
  run bench_worker_memory "$db" $MEMORY
  run bench_invoicing "$db" $INVOICING
done

echo
echo "Machine: $(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" bench/summary.py "$OUT" | tee "$OUT/table.md"
