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

.PHONY: run test install lint messages browser clean

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

test: install browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Debian's Chromium for the browser tests; skipped where it cannot be installed.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "Chromium could not be installed; browser tests will be skipped." >&2; \
		else \
			echo "Chromium is not installed and cannot be installed here; browser tests will be skipped." >&2; \
		fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles test-output
