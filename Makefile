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
	FIELD_DIGEST_KEY=check-deploy-only \
	CACHE_URL=redis://127.0.0.1:6379/1

.PHONY: run test test-full install install-dev system assets messages migrate lint format translations clean backup restore \
	bench bench-data bench-celery

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

# Passport pre-fill: Debian's Tesseract OCR engine (English model) and the OCR-B font (the MRZ
# glyph shapes, and the benchmark's generated pages), installed when missing.
TESSERACT := /usr/bin/tesseract
OCR_B := /usr/share/fonts/opentype/ocr-b/OCRB.otf
$(TESSERACT) $(OCR_B):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y -qq tesseract-ocr tesseract-ocr-eng fonts-ocr-b >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-eng fonts-ocr-b >/dev/null)); \
	else echo "Please install the Debian packages tesseract-ocr, tesseract-ocr-eng and fonts-ocr-b (passport pre-fill)."; exit 1; fi

# Browser tests (tests/browser): Debian's Chromium, driven by Playwright (never a browser download).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y -qq chromium >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)); \
	else echo "Please install the Debian package chromium (browser tests)."; exit 1; fi

system: $(FONT) $(TESSERACT) $(OCR_B) $(CHROMIUM)

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

## make test-full: `make test`, with the API fuzzing (tests/security/test_fuzz_api.py) run long,
## and the crawl of every page in four languages (tests/browser/test_every_page.py, marked
## full_pages, which `make test` leaves out): axe, overflow at 375 px, English left on zh/ja/ko.
FUZZ_FULL_EXAMPLES ?= 200
test-full:
	FUZZ_EXAMPLES=$(FUZZ_FULL_EXAMPLES) FUZZ_SHRINK=1 $(MAKE) test \
		PYTEST_ARGS='-m "full_pages or not full_pages" $(PYTEST_ARGS)'

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make translations: extract new strings into the catalogues (then translate them).
translations: $(VENV)/.runtime
	$(MANAGE) extract_messages

## make bench-data: two scratch PostgreSQL databases migrated and filled by seed_scale (COPY), once
## (an existing fill is kept, a smaller one topped up), then ANALYZEd: BENCH_DB (default
## talent_portal_bench) with BENCH_CASES cases (default 100,000) and BENCH_DB_1M (default
## talent_portal_bench_1m) with BENCH_CASES_1M (default 1,000,000); and the 25,000-case template
## database of the notifications benchmark (BENCH_NOTIFICATIONS_DB).
## make bench: the city-scale benchmark (bench/city_bench.py; gunicorn, wrk, about 4 minutes; the queue
## also at 1,000,000 cases when BENCH_DB_1M is filled, else it says so), then bench-celery;
## BENCH_ARGS passes options, e.g. BENCH_ARGS="--duration 10 --rounds 2 --plans".
BENCH_DB ?= talent_portal_bench
BENCH_CASES ?= 100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_DB_1M ?= talent_portal_bench_1m
BENCH_CASES_1M ?= 1000000
BENCH_DATABASE_URL_1M ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB_1M)
BENCH_NOTIFICATIONS_DB ?= talent_portal_bench_notifications
BENCH_NOTIFICATIONS_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_NOTIFICATIONS_DB)
# The HTTP load generator (Debian's wrk), installed when missing.
WRK := /usr/bin/wrk
$(WRK):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get install -y -qq wrk >/dev/null 2>&1 || \
		 (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)); \
	else echo "Please install the Debian package wrk (load generator of make bench)."; exit 1; fi

bench-data: $(VENV)/.runtime
	@createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/city_bench.py --prepare-only --cases $(BENCH_CASES)
	psql -q "$(BENCH_DATABASE_URL)" -c ANALYZE
	@createdb -h 127.0.0.1 -U postgres $(BENCH_DB_1M) 2>/dev/null || true
	DATABASE_URL=$(BENCH_DATABASE_URL_1M) $(PY) bench/city_bench.py --prepare-only --cases $(BENCH_CASES_1M)
	psql -q "$(BENCH_DATABASE_URL_1M)" -c ANALYZE
	@createdb -h 127.0.0.1 -U postgres $(BENCH_NOTIFICATIONS_DB) 2>/dev/null || true
	DATABASE_URL=$(BENCH_NOTIFICATIONS_URL) $(PY) bench/notifications_bench.py --prepare-only

## make bench-celery: notifications with a real Celery worker (2 processes) on a private Redis:
## commit-to-delivery latency of paced case events and the drain of a burst of 10,000 reminders
## (bench/notifications_bench.py, a copy of BENCH_NOTIFICATIONS_DB; BENCH_CELERY_ARGS passes options).
bench-celery: $(VENV)/.runtime
	DATABASE_URL=$(BENCH_NOTIFICATIONS_URL) $(PY) bench/notifications_bench.py $(BENCH_CELERY_ARGS)

bench: $(WRK) $(VENV)/.runtime
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/city_bench.py --cases $(BENCH_CASES) \
		--million-database-url $(BENCH_DATABASE_URL_1M) --million-cases $(BENCH_CASES_1M) $(BENCH_ARGS)
	$(MAKE) --no-print-directory bench-celery

## make backup: the database (pg_dump -Fc, or SQLite's backup) and MEDIA_ROOT, with SHA-256
## checksums, into BACKUP_DIR (default ./backups). Uses the environment (or .env) of the portal.
backup: $(VENV)/.runtime
	$(MANAGE) backup $(if $(BACKUP_DIR),--output $(BACKUP_DIR))

## make restore BACKUP=backups/talent-portal-<time>: checks the checksums, then restores into the
## (empty) database of DATABASE_URL and MEDIA_ROOT. RESTORE_ARGS=--force restores over data.
restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=<backup folder> [RESTORE_ARGS=--force]"; exit 2; }
	$(MANAGE) restore $(BACKUP) $(RESTORE_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
