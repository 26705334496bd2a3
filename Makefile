# The two quick-start commands: `make demo` and `make test`. Both bootstrap what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: demo test lint venv system-deps translations bench clean

venv:
	@scripts/bootstrap.sh

# The first run sets up .venv (scripts/bootstrap.sh says so, with its progress: about a minute).
demo: venv
	@scripts/system-deps.sh runtime
	@echo "Starting the demo: the tray icon appears in a few seconds (Quit in its menu, or Ctrl+C, ends it)."
	$(PY) -m timecrowd_tray --demo

test: venv
	@scripts/system-deps.sh test
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff (rules in pyproject.toml) and mypy (strict on core/, api/, services/).
lint: venv
	$(PY) -m ruff check desktop tests benchmarks scripts packaging
	$(PY) -m mypy

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

# The randomized fault sequence (benchmarks/fault_soak.py): 1,000 actions through the click, the shortcut
# and the shell, faults of every kind, kill -9 + relaunch; exits 1 when anything is lost, doubled, mistimed
# or misreported. About 11 minutes here (2 cores); artifacts in artifacts/soak/.
.PHONY: soak
soak: venv
	@scripts/system-deps.sh test
	$(PY) benchmarks/fault_soak.py --actions 1000 --seed 20251021

# The all-day soak (benchmarks/day_soak.py): the timer service through 1,000 start/stop/comment cycles and a
# day's 1,440 polls against the emulator (own process, simulated clock); RSS, descriptors and threads at the
# end; exits 1 when the RSS grew 2 MiB or more after the warm-up. About a minute here.
.PHONY: day-soak
day-soak: venv
	$(PY) benchmarks/day_soak.py --cycles 1000 --polls 1440
