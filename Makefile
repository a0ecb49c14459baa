# The two commands: `make run` and `make test`. Everything they need is installed from here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Settings used to check the production configuration (never used to serve anything).
PRODUCTION_CHECK_ENV := DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY=check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH \
	DJANGO_ALLOWED_HOSTS=talent.example.cn \
	FIELD_ENCRYPTION_KEYS=uW2nFXJ0p7bW8WJ1tq1m6rPjJ6t6o5m7qX9y2Qe3r5w= \
	FIELD_DIGEST_KEY=check-deploy-only

.PHONY: run test install install-dev system assets messages migrate lint format translations clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The CJK TrueType font the PDFs embed (Debian's fonts-wqy-microhei), installed when missing.
FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
$(FONT):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null)); \
	else echo "Please install the Debian package fonts-wqy-microhei (needed for PDFs)."; exit 1; fi

system: $(FONT)

install: system $(VENV)/.runtime assets
install-dev: system $(VENV)/.dev assets
assets: node_modules/.installed

messages: $(VENV)/.runtime
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: $(VENV)/.runtime
	$(MANAGE) migrate --noinput

## make run: the portal on its embedded default (SQLite, tasks in process, demo data).
run: install messages migrate
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

## make test: lint, migrations, translations, deployment checks, the schema, then pytest.
test: install-dev messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check_translations
	$(PRODUCTION_CHECK_ENV) $(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make translations: extract new strings into the catalogues (then translate them).
translations: $(VENV)/.runtime
	$(MANAGE) extract_messages

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
