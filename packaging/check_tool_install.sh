#!/usr/bin/env bash
# Check that `pipx install .` and `uv tool install .` from a clone give a working
# timecrowd-tray with its icons and translations. Touches nothing outside a temp dir:
#
#   packaging/check_tool_install.sh            # uses pipx/uv from PATH, else pip-installs them into the temp dir
#   KEEP=1 packaging/check_tool_install.sh     # keep the temp dir to look around
#
# "A clone": the files git would commit (tracked and untracked-but-not-ignored),
# copied with symlinks kept, so the check also covers work not committed yet.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d /tmp/timecrowd-tool-install.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
fail() { echo "check_tool_install: FAIL: $*" >&2; exit 1; }

mkdir -p "$WORK/clone"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp -P --parents -t "$WORK/clone"
[ -L "$WORK/clone/desktop/timecrowd_tray/resources" ] || fail "the clone has no resources symlink"

# pipx and uv from PATH when there, else pip-installed into a throw-away venv.
tool() {
    if command -v "$1" >/dev/null; then command -v "$1"; return; fi
    [ -x "$WORK/tools/bin/pip" ] || "$PYTHON" -m venv "$WORK/tools" >&2
    "$WORK/tools/bin/pip" install -q "$1" >&2
    echo "$WORK/tools/bin/$1"
}
PIPX=$(tool pipx)
UV=$(tool uv)

expected=$(cd resources && find . -type f \( -name '*.svg' -o -name '*.png' -o -name '*.qm' \) | sort)

check() {  # check NAME BIN_DIR PREFIX_DIR
    local name=$1 bin=$2 prefix=$3
    "$bin/timecrowd-tray" --version
    "$bin/timecrowd-tray" --help >/dev/null || fail "$name: --help failed"
    local pkg
    pkg=$(find "$prefix" -type d -path '*/site-packages/timecrowd_tray' | head -1)
    [ -n "$pkg" ] || fail "$name: timecrowd_tray not found under $prefix"
    [ ! -L "$pkg/resources" ] || fail "$name: resources is still a symlink in the install"
    local got
    got=$(cd "$pkg/resources" && find . -type f \( -name '*.svg' -o -name '*.png' -o -name '*.qm' \) | sort)
    [ "$got" = "$expected" ] || fail "$name: installed resources differ from resources/:
$(diff <(echo "$expected") <(echo "$got") || true)"
    echo "check_tool_install: $name OK: $(echo "$got" | grep -c . ) resource files" \
         "($(echo "$got" | grep -c '\.svg$') svg, $(echo "$got" | grep -c '\.qm$') qm) in $pkg"
}

cd "$WORK/clone"
echo "check_tool_install: pipx $("$PIPX" --version) install ."
PIPX_HOME=$WORK/pipx PIPX_BIN_DIR=$WORK/pipx-bin PIPX_MAN_DIR=$WORK/pipx-man \
    "$PIPX" install --python "$PYTHON" . >"$WORK/pipx.log" 2>&1 || { cat "$WORK/pipx.log"; fail "pipx install"; }
check pipx "$WORK/pipx-bin" "$WORK/pipx"

echo "check_tool_install: $("$UV" --version) tool install ."
UV_TOOL_DIR=$WORK/uv-tools UV_TOOL_BIN_DIR=$WORK/uv-bin UV_CACHE_DIR=$WORK/uv-cache \
    "$UV" tool install --python "$(command -v "$PYTHON")" . >"$WORK/uv.log" 2>&1 || { cat "$WORK/uv.log"; fail "uv tool install"; }
check uv "$WORK/uv-bin" "$WORK/uv-tools"
echo "check_tool_install: PASS"
