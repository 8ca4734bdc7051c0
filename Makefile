# Cổng thông tin CCHC. `make help` lists the targets.
#
# Everything installs into .venv from the pinned requirements files. Without
# DATABASE_URL the commands use the embedded PostgreSQL in var/pgdata.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
LOCAL_SECRET := var/secret_key

# `make run` serves in production mode (DEBUG off, gunicorn, hashed and
# compressed static files) on plain HTTP on loopback. Real deployments set
# these variables themselves (see README, "Deploying").
RUN_ENV = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(LOCAL_SECRET))}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_HTTPS="$${DJANGO_HTTPS:-0}" \
	DJANGO_SITE_URL="$${DJANGO_SITE_URL:-http://127.0.0.1:$(PORT)}" \
	DJANGO_STATIC_MANIFEST=1

# `make check` runs the deployment checklist under these production values.
CHECK_DEPLOY_ENV = DJANGO_DEBUG= DJANGO_HTTPS=1 DJANGO_STATIC_MANIFEST=1 \
	DJANGO_ALLOWED_HOSTS=cchc.example.gov.vn \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')"

.PHONY: help
help: ## List the targets
	@echo "Cổng thông tin CCHC. Targets:"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"' \
		|| { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

# The translation catalogues (.po, committed) compiled to .mo by polib
# (manage.py compile_catalogues), again whenever a .po changes.
PO_FILES := $(shell find locale cchc_portal/locale news/locale parindex/locale -name '*.po' 2>/dev/null)
CATALOGUES := $(VENV)/.catalogues
$(CATALOGUES): $(PO_FILES) | $(VENV)/.installed-runtime
	@DJANGO_DEBUG=1 $(MANAGE) compile_catalogues -v 0
	@touch $@

$(LOCAL_SECRET):
	@mkdir -p var
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

.PHONY: install install-dev
install: $(VENV)/.installed-runtime $(CATALOGUES) ## Create .venv and install the runtime requirements

install-dev: $(VENV)/.installed-dev $(CATALOGUES) node_modules/.installed ## Install the test, lint and browser tooling too (npm: axe-core, Nu HTML Checker)

# The page checkers the browser tests run (package-lock.json pins them). No
# install scripts: vnu-jar's would download a Java; the system's is used.
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
		echo "note: npm is missing, the axe and Nu HTML Checker tests will be skipped (Debian: apt-get install npm)"; \
	else \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	fi
	@command -v java >/dev/null || echo "note: java is missing, the Nu HTML Checker test will be skipped (Debian: apt-get install default-jre-headless)"

# Hashed and compressed static files, rebuilt only when a source changed
# (the project's static/ or the installed packages' files).
STATIC_MANIFEST := var/staticfiles/staticfiles.json
$(STATIC_MANIFEST): $(shell find static -type f) requirements.txt | install $(LOCAL_SECRET)
	@$(RUN_ENV) $(MANAGE) collectstatic --noinput -v 0

.PHONY: run
# One task worker (manage.py db_worker: alert mails) runs beside gunicorn and
# stops with it; without EMAIL_URL/EMAIL_HOST mails are files in var/mail/.
run: install $(LOCAL_SECRET) $(STATIC_MANIFEST) ## Install, migrate, load demo data, serve on http://127.0.0.1:8000/ with one mail worker (PORT= overrides)
	@$(RUN_ENV) $(MANAGE) migrate --noinput -v 0
	@$(RUN_ENV) $(MANAGE) seed_demo $(if $(DATABASE_URL),,--admin)
	@$(RUN_ENV) $(MANAGE) alerts_tick -v 0 >/dev/null
	@echo "Cổng thông tin CCHC: http://127.0.0.1:$(PORT)/  (quản trị: http://127.0.0.1:$(PORT)/quan-tri/, Ctrl+C to stop)"
	@$(RUN_ENV) PORT=$(PORT) bash -c '$(MANAGE) db_worker --no-reload -v 0 & worker=$$!; \
		trap "kill $$worker 2>/dev/null; wait $$worker 2>/dev/null" EXIT; \
		$(BIN)/gunicorn -c cchc_portal/gunicorn.conf.py cchc_portal.wsgi'

.PHONY: dev
dev: install-dev ## Development server with autoreload (DEBUG on) on port 8000 (PORT= overrides)
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput -v 0
	DJANGO_DEBUG=1 $(MANAGE) seed_demo $(if $(DATABASE_URL),,--admin)
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

.PHONY: test
test: install-dev ## Install the dev requirements and run the whole test suite
	@command -v chromium >/dev/null || echo "note: /usr/bin/chromium is missing, browser tests will be skipped (Debian: apt-get install chromium)"
	$(BIN)/pytest -n auto --dist loadfile --durations=15

.PHONY: lint format
lint: install-dev ## ruff, django-upgrade and djhtml over every file (pre-commit); fails on any change
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

format: install-dev ## Apply ruff's fixes, then every pre-commit formatter
	$(BIN)/ruff check --fix .
	$(BIN)/pre-commit run --all-files || $(BIN)/pre-commit run --all-files

.PHONY: messages
messages: install ## Compile every translation catalogue (.po to .mo) again; make install does it when a .po changed
	@DJANGO_DEBUG=1 $(MANAGE) compile_catalogues --force

.PHONY: check
check: install-dev ## Django system checks, missing migrations, deployment checklist
	DJANGO_DEBUG=1 $(MANAGE) check --fail-level WARNING
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(CHECK_DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

.PHONY: backup restore
backup: install $(LOCAL_SECRET) ## Back up the database and media into var/backups/cchc-<date>.tar.gz
	@$(RUN_ENV) $(MANAGE) backup

restore: install $(LOCAL_SECRET) ## Restore a backup: make restore FILE=var/backups/cchc-<date>.tar.gz
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/cchc-<date>.tar.gz"; exit 2; }
	@$(RUN_ENV) $(MANAGE) restore "$(FILE)"

.PHONY: bench
bench: install-dev ## Benchmark: 100,000 articles, hot/cold pages, sustained load, cache misses, publish under load, stalls and reloads, shared caches, compressed answers, outages, restore, crafted imports, alert mail to 100,000 (bench/README.md)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -q >/dev/null \
		&& apt-get install -y -q wrk >/dev/null; } \
		|| { echo "wrk is required: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/run.py
	$(BIN)/python bench/misses.py
	$(BIN)/python bench/publish_load.py
	$(BIN)/python bench/stalls.py
	$(BIN)/python bench/shared_cache.py
	$(BIN)/python bench/compression.py
	$(BIN)/python bench/outages.py
	$(BIN)/python bench/hostile_imports.py
	$(BIN)/python bench/images.py
	$(BIN)/python bench/admin_search.py
	$(BIN)/python bench/alerts.py
