#!/usr/bin/env bash
# Update the translation sources from the code (lupdate), then compile them (lrelease).
#
#   scripts/translations.sh            (or: make translations)
#
# resources/translations/timecrowd_tray_ja.ts  Japanese: every string translated (a test checks)
# resources/translations/timecrowd_tray_en.ts  English, the source language: plural forms only
# ... and their compiled .qm files, which the app loads (commit them too).
#
# Strings are found in desktop/timecrowd_tray/ui/ and app.py: self.tr(...) and
# QCoreApplication.translate(context, ...). Translate the new entries of the
# Japanese .ts (Qt Linguist, or any editor: fill <translation> and drop
# type="unfinished"), then run this script again to compile.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
LUPDATE=${LUPDATE:-$VENV/bin/pyside6-lupdate}
LRELEASE=${LRELEASE:-$VENV/bin/pyside6-lrelease}
for tool in "$LUPDATE" "$LRELEASE"; do
    if [ ! -x "$tool" ]; then
        echo "$tool not found: run 'make venv' first (PySide6 provides pyside6-lupdate and pyside6-lrelease)." >&2
        exit 1
    fi
done

# The service messages lupdate reads (ui/service_strings.py) are generated from services/messages.py.
"$VENV/bin/python" -m timecrowd_tray.ui.service_strings
"$VENV/bin/python" -m timecrowd_tray.cli.i18n  # the shell's texts (ui/shell_strings.py)

out=resources/translations
mkdir -p "$out"
mapfile -t sources < <(find desktop/timecrowd_tray/ui -name '*.py' | LC_ALL=C sort; echo desktop/timecrowd_tray/app.py)

memory=$(mktemp -d)
trap 'rm -rf "$memory"' EXIT
for lang in ja en; do
    ts="$out/timecrowd_tray_$lang.ts"
    [ -f "$ts" ] && cp "$ts" "$memory/$lang.ts"
    extra=()
    [ "$lang" = en ] && extra=(-pluralonly)  # English is the source language: only plural forms
    "$LUPDATE" -silent -no-obsolete -locations none "${extra[@]}" -source-language en -target-language "$lang" \
        "${sources[@]}" -ts "$ts"
    # Strings of module-level tr() helpers: into their context, translations kept.
    "$VENV/bin/python" scripts/ts_contexts.py "$ts" --memory "$memory/$lang.ts" "${sources[@]}"
done
"$LRELEASE" -silent "$out/timecrowd_tray_ja.ts" -qm "$out/timecrowd_tray_ja.qm"
"$LRELEASE" -silent "$out/timecrowd_tray_en.ts" -qm "$out/timecrowd_tray_en.qm"

unfinished=$(grep -c 'type="unfinished"' "$out/timecrowd_tray_ja.ts" || true)
if [ "$unfinished" != 0 ]; then
    echo "timecrowd_tray_ja.ts: $unfinished string(s) still to translate (tests/ui/test_translations.py fails until they are)." >&2
fi
echo "translations: $(ls "$out"/*.qm | tr '\n' ' ')"
