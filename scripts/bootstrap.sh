#!/usr/bin/env bash
# Create .venv and install the app with its test and lint dependencies (idempotent).
#
# The first run downloads about 150 MB (PySide6 is most of it): it says so before it starts,
# then one line per step and per package, so `make demo` on a fresh clone is never silent.
# Once set up, it prints nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

say() { printf '%s\n' "$*"; }

# pip's output, one short line per package it fetches (its errors go to standard error, untouched).
progress() {
    local line
    while IFS= read -r line; do
        case "$line" in
            Collecting\ *) say "  - ${line#Collecting }" ;;
            Installing\ collected\ packages:*) say "  Installing the packages…" ;;
        esac
    done
}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "TimeCrowd Tray needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
    exit 1
fi
stamp="$VENV/.installed"
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ ! pyproject.toml -nt "$stamp" ]; then
    exit 0  # set up already
fi
if [ ! -x "$VENV/bin/python" ]; then
    say "Setting up $VENV (first run: about a minute)…"
    say "  Creating the virtual environment…"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            say "  Installing python3-venv (apt-get)…"
            apt-get update -qq && apt-get install -y -qq python3-venv
            "$PYTHON" -m venv "$VENV"
        else
            echo "Cannot create a virtual environment: install python3-venv (sudo apt install python3-venv)." >&2
            exit 1
        fi
    fi
else
    say "Updating $VENV (pyproject.toml changed)…"
fi
say "  Updating pip…"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
say "  Downloading TimeCrowd Tray's packages (PySide6 is the big one):"
"$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -e '.[test,lint]' | progress
touch "$stamp"
say "$VENV is ready."
