#!/usr/bin/env bash
# Build the one-folder Linux bundle: dist/timecrowd-tray/ (run from anywhere).
#
# Uses its own venv (build/bundle-venv) so PyInstaller and a non-editable copy
# of the app never land in the development .venv. The venv is reused between
# runs; the app is reinstalled every time so the bundle holds the current tree.
#
# Environment: PYTHON (default python3, 3.11+ built with a shared libpython,
# as Debian's and pyenv's usually are), PYINSTALLER_SPEC (default "pyinstaller>=6.10,<7").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
VENV=build/bundle-venv
PYINSTALLER_SPEC=${PYINSTALLER_SPEC:-"pyinstaller>=6.10,<7"}
started=$(date +%s)

if [ ! -x "$VENV/bin/python" ]; then
    echo "build_linux: creating $VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi
echo "build_linux: installing $PYINSTALLER_SPEC and the app into $VENV"
"$VENV/bin/python" -m pip install -q "$PYINSTALLER_SPEC"
# From a wheel, not editable: the bundle then holds exactly the package data
# (icons, translations) that `pip install .` / pipx install.
rm -rf build/bundle-wheel
"$VENV/bin/python" -m pip wheel -q --no-deps -w build/bundle-wheel "$ROOT"
wheel=$(ls build/bundle-wheel/timecrowd_tray-*.whl)
"$VENV/bin/python" -m pip install -q "$wheel"
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$wheel"

echo "build_linux: running PyInstaller"
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    packaging/timecrowd-tray.spec

# Desktop integration files, laid out as under /usr/share, so the folder is self-contained.
DIST=dist/timecrowd-tray
APP_ID=net.timecrowd.TimeCrowdTray
install -Dm644 "packaging/$APP_ID.desktop" "$DIST/share/applications/$APP_ID.desktop"
install -Dm644 "packaging/$APP_ID.metainfo.xml" "$DIST/share/metainfo/$APP_ID.metainfo.xml"
mkdir -p "$DIST/share/icons"
cp -r packaging/icons/hicolor "$DIST/share/icons/"

# The spec leaves out Qt's GTK theme and the GTK stack it drags in: make sure nothing
# else in the bundle links one of those libraries.
"$VENV/bin/python" - "$DIST" <<'PY'
import os, re, subprocess, sys
from pathlib import Path
internal = Path(sys.argv[1]) / "_internal"
dropped = re.compile(r"^(libgtk-3|libgdk-3|libgdk_pixbuf-2\.0|libatk-1\.0|libatk-bridge-2\.0|libatspi|"
                     r"libcairo|libcairo-gobject|libpango-1\.0|libpangocairo-1\.0|libpangoft2-1\.0|"
                     r"libepoxy|libpixman-1|libfribidi|libthai|libdatrie|libgraphite2|libharfbuzz|libjpeg)\.so")
env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
bad = []
for path in sorted(internal.rglob("*.so*")):
    if not path.is_file():
        continue
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
    needs = [line.split()[0] for line in out.splitlines() if "=>" in line]
    bad += [f"{path.relative_to(internal)} needs {n}" for n in needs if dropped.match(n)]
if bad:
    sys.exit("build_linux: a bundled library needs one the spec leaves out:\n  " + "\n  ".join(bad))
PY
"$DIST/timecrowd-tray" --version
echo "build_linux: $DIST ($(du -sh "$DIST" | cut -f1)) built in $(( $(date +%s) - started )) s"
