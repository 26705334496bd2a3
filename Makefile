# The two quick-start commands: `make demo` and `make test`. Both bootstrap what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: demo test venv system-deps translations bench clean

venv:
	@scripts/bootstrap.sh

demo: venv
	@scripts/system-deps.sh runtime
	$(PY) -m timecrowd_tray --demo

test: venv
	@scripts/system-deps.sh test
	$(PY) -m pytest $(PYTEST_ARGS)

translations: venv
	scripts/translations.sh

bench: venv
	@scripts/system-deps.sh test
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist artifacts .pytest_cache .hypothesis

# Linux one-folder bundle (dist/timecrowd-tray/, see packaging/README.md) and its smoke test.
.PHONY: bundle bundle-smoke
bundle:
	@scripts/system-deps.sh runtime
	packaging/build_linux.sh

bundle-smoke: bundle venv
	@scripts/system-deps.sh test
	$(PY) packaging/smoke_test.py
