# #AvecPôleEmploi — the two commands that matter are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# The links the demo hands out (tracked links /s/<code>, links in e-mails) point at the
# address `make run` serves, so that `make run PORT=8001` gives links that work; a
# SITE_URL set in the environment or in .env wins.
ifeq ($(strip $(SITE_URL)$(shell grep -s '^SITE_URL=' .env)),)
RUN_SITE_URL := SITE_URL=http://$(HOST):$(PORT)
endif

.PHONY: run test lint format bench messages totp worker install install-dev clean help

help:
	@echo "make run    installe, migre, charge la démo et sert l’application sur http://$(HOST):$(PORT)"
	@echo "make test   installe et lance toute la suite de tests"
	@echo "make lint   ruff (format et règles) et migrations à jour"
	@echo "make bench  mesures de charge et d’échelle (PostgreSQL et Redis requis)"
	@echo "make totp   code de double authentification des comptes de démonstration"

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(RUN_SITE_URL) $(PY) manage.py seed_demo
	@echo ""
	@echo "Le worker Celery (avec beat) tourne en arrière-plan sur le broker embarqué (var/celery)."
	@echo "Application : http://$(HOST):$(PORT)/   (Ctrl+C pour arrêter)"
	@trap 'kill 0' INT TERM EXIT; $(if $(RUN_SITE_URL),export $(RUN_SITE_URL);) \
	  $(VENV)/bin/celery -A advocacy worker --beat --pool=solo --loglevel=WARNING \
	    --schedule=var/celerybeat-schedule > var/celery.log 2>&1 & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A advocacy worker --beat --pool=solo --loglevel=INFO --schedule=var/celerybeat-schedule

test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Each app keeps its own English catalogue (<app>/locale/en); the project catalogue
# (locale/en) holds the site-wide templates and the advocacy package itself.
APPS_WITH_LOCALE := accounts content advocacy/sharing advocacy/reach advocacy/campaigns
NOT_PROJECT := --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --ignore "bench/*" --ignore "staticfiles/*" $(foreach app,$(APPS_WITH_LOCALE),--ignore "$(app)/*")

messages: $(VENV)/.dev
	$(PY) manage.py makemessages --locale en --no-obsolete --no-location $(NOT_PROJECT)
	@for app in $(APPS_WITH_LOCALE); do \
	  mkdir -p $$app/locale; \
	  (cd $$app && $(abspath $(PY)) $(CURDIR)/manage.py makemessages --locale en --no-obsolete --no-location) || exit 1; \
	done
	$(PY) locale/french_plurals.py
	$(PY) manage.py compilemessages --locale en --locale fr --ignore ".venv/*"

totp: $(VENV)/.runtime
	@$(PY) manage.py demo_totp

bench: $(VENV)/.dev
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
