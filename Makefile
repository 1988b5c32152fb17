# Espace Famille — the two commands of the README:
#   make demo   → the portal with demo data on the embedded SQLite database
#   make test   → the whole test suite (SQLite; PostgreSQL with DATABASE_URL=postgres://…)
PYTHON ?= python3
PORT ?= 8000
# pytest-xdist workers for `make test` / `make test-dates`: one per core, at most 4 (each has its
# own test database and Chromium); TEST_JOBS=0 runs in one process (pytest's -n 0).
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ "$$n" -gt 4 ] && n=4; echo $$n)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-dates check format browser clean bench openapi cluster cluster-down cluster-status

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

# --compile-bytecode: with no .pyc (uv's default) every worker compiles its modules at start,
# ~25 MB more at its peak (bench/bench_worker_memory.py) and more so under PYTHONDONTWRITEBYTECODE.
$(VENV)/.base-stamp: requirements/base.txt | $(BIN)/uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements/base.txt
	touch $@

$(VENV)/.dev-stamp: requirements/dev.txt | $(BIN)/uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements/dev.txt
	touch $@ $(VENV)/.base-stamp

demo: $(VENV)/.base-stamp
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --base-url http://127.0.0.1:$(PORT)
	DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

browser:
	@sh scripts/ensure-chromium.sh

test: $(VENV)/.dev-stamp browser
	$(BIN)/python -m pytest -n $(TEST_JOBS) $(PYTEST_ARGS)

# The date-sensitive suites at three frozen dates (tests/frozen_today.py), as CI runs them.
test-dates: $(VENV)/.dev-stamp browser
	sh scripts/test-at-dates.sh -n $(TEST_JOBS) $(PYTEST_ARGS)

check: $(VENV)/.dev-stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/mypy espacefamille config
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-looking-secret-key-value \
	  ALLOWED_HOSTS=famille.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/audit_requirements.py

# Every bench of a quick profile, one table of targets and figures (bench/run_all.sh).
bench: $(VENV)/.dev-stamp
	sh bench/run_all.sh $(BENCH_DBS)

# The API's schema, checked in (tests/api/test_schema.py fails when the code and the file differ).
openapi: $(VENV)/.dev-stamp
	DEBUG=1 $(BIN)/python manage.py spectacular --file docs/openapi.yaml --validate

# A multi-node deployment on this machine (ops/cluster.py): PostgreSQL primary + streaming
# replica, pgbouncer, Redis, 3 app nodes, 2 task workers, haproxy; data under var/cluster/.
cluster: $(VENV)/.base-stamp
	$(BIN)/python ops/cluster.py up

cluster-down:
	$(BIN)/python ops/cluster.py down

cluster-status:
	$(BIN)/python ops/cluster.py status

format: $(VENV)/.dev-stamp
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var
