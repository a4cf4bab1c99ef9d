# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := SECRETARIAT_HTTPS=false SECRETARIAT_SECRET_KEY="$$(cat var/demo-secret-key)" \
  SECRETARIAT_AUDIT_KEY_FILE=var/demo-audit-key

.PHONY: demo test test-postgres setup system-deps translations static messages lock clean

setup: $(VENV)/.installed node_modules/.installed translations static

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled catalogues (.mo) are build output, made from the committed .po files.
translations: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=secretariat.test_settings $(BIN)/secretariat compile_translations

# Static files (ours and the npm packages') collected into var/static, which the server serves:
# every start, demo or not, needs them. Collecting reads no secret, so a throwaway key will do.
static: $(VENV)/.installed node_modules/.installed
	SECRETARIAT_SECRET_KEY=collectstatic-only SECRETARIAT_AUDIT_KEY=collectstatic-only \
	  $(BIN)/secretariat collectstatic --no-input --verbosity 0

# Refresh the catalogues from the code (needs GNU gettext); then translate the new entries.
messages: $(VENV)/.installed
	cd secretariat && DJANGO_SETTINGS_MODULE=secretariat.test_settings $(abspath $(BIN))/secretariat makemessages \
	  -l ar -l zh_Hans -l fr -l ru -l es --no-location --no-obsolete

# Debian packages the tests need (browser, fonts for Chinese, GNU gettext, OCR), installed when missing.
DEBIAN_PACKAGES := chromium fonts-wqy-microhei gettext tesseract-ocr tesseract-ocr-ara tesseract-ocr-chi-sim \
  tesseract-ocr-rus tesseract-ocr-fra tesseract-ocr-spa ghostscript qpdf

system-deps:
	@missing=""; for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

var/demo-secret-key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

var/demo-audit-key:
	mkdir -p var
	(umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@)

demo: setup var/demo-secret-key var/demo-audit-key
	$(DEMO_ENV) $(BIN)/secretariat migrate --no-input
	$(DEMO_ENV) $(BIN)/secretariat load_demo
	$(DEMO_ENV) $(BIN)/secretariat load_finance_demo
	$(DEMO_ENV) $(BIN)/secretariat load_budget_demo
	$(DEMO_ENV) $(BIN)/secretariat load_servicedesk_demo --tickets 5000
	$(DEMO_ENV) $(BIN)/secretariat load_content_demo
	$(DEMO_ENV) $(BIN)/secretariat load_continuity_demo
	@echo "Secretariat is running on http://$(HOST):$(PORT)/ — log in as admin / Secretariat-demo-2026"
	$(DEMO_ENV) $(BIN)/gunicorn secretariat.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

# The whole suite on SQLite, or on PostgreSQL when DATABASE_URL points at it.
test: setup system-deps
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

test-postgres:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/secretariat $(MAKE) test

lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra demo --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules var
