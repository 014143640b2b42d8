# deboil: `make run` and `make test` each set themselves up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	touch $(STAMP)

# The default job: crawl the bundled demo site (served on loopback) and load examples/*.txt.
run: setup
	$(VENV)/bin/deboil demo --db deboil.db

test: setup
	@bash tools/ensure_chromium.sh
	$(PY) -m pytest -q

bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) deboil.db deboil.db-wal deboil.db-shm deboil.db.*.lock
