# The README contract: `make demo` and `make test` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= 600
# Test workers (pytest-xdist): one per CPU; `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto

.PHONY: demo db-roles test install lint unit browser serve clean worker

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

var:
	mkdir -p var

install: $(VENV)/.installed node_modules/.installed var

# On PostgreSQL (DATABASE_URL=postgres://superuser@host/db), Waypoint uses two roles (hazard H3):
# `make db-roles` makes them, runs the migrations as the owner and checks the application role;
# the demo data and the server then run as the application role. WAYPOINT_DB_OWNER_URL and
# WAYPOINT_DB_APP_URL name the roles; if unset, demo names and passwords. CI runs `make db-roles`.
ifneq (,$(findstring postgres,$(DATABASE_URL)))
DB_ROLES = $(PY) manage.py database_roles
AS_OWNER = DATABASE_URL="$$($(DB_ROLES) url owner --demo)"
AS_APP = DATABASE_URL="$$($(DB_ROLES) url app --demo)"
db-roles: install
	$(DB_ROLES) setup --demo
	$(AS_OWNER) $(PY) manage.py migrate --noinput
	$(DB_ROLES) setup --demo
	$(AS_APP) $(DB_ROLES) check

demo: db-roles
	$(AS_APP) $(PY) manage.py build_demo_trust --if-empty --size $(DEMO_SIZE)
	$(AS_APP) $(PY) manage.py show_demo_sign_ins --url http://$(HOST):$(PORT)
	$(AS_APP) $(PY) manage.py downtime_packs --enqueue
	$(AS_APP) $(PY) manage.py db_worker & trap 'kill $$!' EXIT; $(AS_APP) $(PY) manage.py runserver $(HOST):$(PORT)
else
db-roles:
	@echo "make db-roles is for PostgreSQL: set DATABASE_URL=postgres://superuser@host/database" && exit 1

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py build_demo_trust --if-empty --size $(DEMO_SIZE)
	$(PY) manage.py show_demo_sign_ins --url http://$(HOST):$(PORT)
	$(PY) manage.py downtime_packs --enqueue
	$(PY) manage.py db_worker & trap 'kill $$!' EXIT; $(PY) manage.py runserver $(HOST):$(PORT)
endif

# Waypoint as in production (docs/deployment.md): settings.production, static files collected and
# served by whitenoise (compressed, hashed names), gunicorn with $(WORKERS) workers on $(HOST):$(PORT).
# Needs Redis (WAYPOINT_CACHE_URL, default redis://127.0.0.1:6379/0) and a secret key (kept in
# var/secret_key if WAYPOINT_SECRET_KEY is unset). Plain HTTP on the loopback address only
# (WAYPOINT_HTTPS=false); behind a TLS proxy leave WAYPOINT_HTTPS unset. MFA is required, as in
# production; `make serve WAYPOINT_MFA_REQUIRED=false` for a demo database. On PostgreSQL it
# migrates as the owner role and serves as the application role (`make db-roles`).
WORKERS ?= 2
SERVE_ENV = DJANGO_SETTINGS_MODULE=waypoint.config.settings.production \
	WAYPOINT_SECRET_KEY="$${WAYPOINT_SECRET_KEY:-$$(cat var/secret_key)}" \
	WAYPOINT_CACHE_URL="$${WAYPOINT_CACHE_URL:-redis://127.0.0.1:6379/0}" \
	WAYPOINT_HTTPS="$${WAYPOINT_HTTPS:-false}" WAYPOINT_BIND=$(HOST):$(PORT) WAYPOINT_WORKERS=$(WORKERS)
var/secret_key: | var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > $@
	chmod 600 $@

ifneq (,$(findstring postgres,$(DATABASE_URL)))
serve: db-roles var/secret_key
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(AS_APP) $(BIN)/gunicorn -c python:waypoint.config.gunicorn
else
serve: install var/secret_key
	$(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(BIN)/gunicorn -c python:waypoint.config.gunicorn
endif
# The background worker (ADR 0015): runs queued tasks such as the MHSDS extract. `make demo` starts one.
worker: install
	$(PY) manage.py db_worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(PY) manage.py makemigrations --check --dry-run --settings=waypoint.config.settings.test

unit: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser"

browser: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m browser

# In random order (pytest-randomly prints the seed; repeat an order with `--randomly-seed=N`, switch
# it off with `-p no:randomly`) and in parallel, on SQLite, or on PostgreSQL when DATABASE_URL is set.
test: lint
	$(BIN)/pytest -n $(TEST_WORKERS)

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3 var/screenshots
