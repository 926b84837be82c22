#!/usr/bin/env bash
# Smoke-test a frozen BVTE bundle (default build/installer/dist/bvte); exits non-zero on the first failure.
#   1. `bvte --self-test`: temporary office, migrations, a case, Mẫu 01 PDF, xlsx, Qt offscreen + QtPdf;
#   2. the first release's data folder (tests/fixtures/release-0.1.0) opened by the frozen program:
#      `verify` (runs any migration since 0.1.0 through Alembic inside the bundle), `print` a Mẫu 01;
#   3. the window starts offscreen on that folder and fills its case list.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=${1:-build/installer/dist/bvte}
# On Windows bvte.exe is a windowed program with no console: its start-up line is read through bvte-cli.exe,
# which opens the same window when given no command.
if [ -x "$BUNDLE/bvte-cli.exe" ]; then EXE="$BUNDLE/bvte-cli.exe"; else EXE="$BUNDLE/bvte"; fi
[ -x "$EXE" ] || { echo "no frozen program at $EXE (run installer/build.sh first)" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export QT_QPA_PLATFORM=offscreen
unset BVTE_DATA_DIR BVTE_USER BVTE_PASSWORD
export XDG_DATA_HOME="$TMP/xdg-data" XDG_STATE_HOME="$TMP/xdg-state" XDG_CACHE_HOME="$TMP/xdg-cache"  # log stays in TMP

echo "== self-test"
"$EXE" --self-test

echo "== --version"
"$EXE" --version | grep -q "^BVTE "

echo "== the printed user manual from the bundled guide (markdown-it-py and the .md pages are in the bundle)"
"$EXE" help --pdf -o "$TMP/huong-dan.pdf"
[ "$(head -c 5 "$TMP/huong-dan.pdf")" = "%PDF-" ] || { echo "help --pdf: not a PDF" >&2; exit 1; }

echo "== release 0.1.0 data folder opened by the frozen program"
cp -r tests/fixtures/release-0.1.0 "$TMP/data"
rm -f "$TMP/data/manifest.json" "$TMP/data/README.md"
export BVTE_PASSWORD=fixture-password
"$EXE" --data-dir "$TMP/data" verify --user admin
"$EXE" --data-dir "$TMP/data" print --case 1 -o "$TMP/mau01.pdf" --user canbo
[ "$(head -c 5 "$TMP/mau01.pdf")" = "%PDF-" ] || { echo "print: not a PDF" >&2; exit 1; }
"$EXE" --data-dir "$TMP/data" cases --user chutich | head -3

echo "== the window starts (offscreen) on that folder"
out=$(BVTE_USER=canbo BVTE_EXIT_AFTER_START=1 timeout 60 "$EXE" --data-dir "$TMP/data")
echo "$out"
echo "$out" | grep -q "^STARTED rows=" || { echo "the window did not start" >&2; exit 1; }
echo "smoke test passed: $BUNDLE"
