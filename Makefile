# make run  - set up everything and serve the admin and API on http://127.0.0.1:$(PORT)
# make test - the whole test suite (PostgreSQL when DATABASE_URL points at it, else SQLite)

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# The first Python 3.12+ on PATH; override with `make PYTHON=/path/to/python3.13 ...`.
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3 python; do \
	command -v $$candidate >/dev/null 2>&1 && \
	$$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && \
	echo $$candidate && break; done)

.PHONY: run test install lint messages system-packages clean

$(BIN)/.installed: requirements/lock.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required; none was found on PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	@touch $@

install: $(BIN)/.installed

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_demo_data
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Debian's Chromium (browser tests) and GNU gettext (catalog check), installed
# when missing and possible; the tests that need them are skipped otherwise.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing$$missing from Debian's packages"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
			|| echo "Could not install$$missing; the tests that need them will be skipped." >&2; \
		else \
			echo "Missing$$missing (install as root); the tests that need them will be skipped." >&2; \
		fi; \
	fi

# Refresh the Spanish catalog from the source, then compile it. The compiled
# .mo is committed so that `make run` works without GNU gettext installed.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale es $(MESSAGES_IGNORE) --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --locale es $(MESSAGES_IGNORE)

MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=test-output --ignore=tests --ignore=bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles test-output
