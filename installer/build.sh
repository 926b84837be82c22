#!/usr/bin/env bash
# Build BVTE's one-folder bundle with PyInstaller, then compile the NSIS installer script against it.
#
#   installer/build.sh                 bundle in build/installer/dist/bvte, installer script compiled
#
# On Windows (Git Bash, with NSIS on PATH) this makes the real installer build/installer/BVTE-<ver>-setup.exe.
# On Linux PyInstaller can only make a Linux bundle (no cross-building), so the installer step is a CHECK:
# makensis compiles installer/bvte.nsi with BUNDLE_DIR pointing at the Linux bundle, without compression,
# into build/installer/BVTE-<ver>-linux-check.exe. That proves the script (pages, Vietnamese texts, registry,
# shortcuts, uninstaller) compiles against a real one-folder tree; the .exe holds Linux files and must never
# be handed out. Set BVTE_NSIS_COMPRESS=1 to compress anyway (≈2 min more, size close to the real one).
# Environment: PYTHON (default .venv/bin/python or .venv/Scripts/python.exe), BVTE_BUILD_DIR (build/installer).
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)" in
  MINGW*|MSYS*|CYGWIN*) WINDOWS=1; DEFAULT_PY=.venv/Scripts/python.exe ;;
  *) WINDOWS=0; DEFAULT_PY=.venv/bin/python ;;
esac
PY=${PYTHON:-$DEFAULT_PY}
OUT=${BVTE_BUILD_DIR:-build/installer}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

VERSION=$("$PY" -c "from importlib.metadata import version; print(version('bvte'))")
# Windows version resources want four numbers: 0.1.0 → 0.1.0.0, 1.2.0rc1 → 1.2.0.0
VERSION4=$("$PY" -c "import re,sys; n=[int(x) for x in re.findall(r'\d+', sys.argv[1])[:3]]; print('.'.join(map(str, n+[0]*(4-len(n)))))" "$VERSION")

"$PY" -c "import PyInstaller" 2>/dev/null || { echo "PyInstaller is missing: $PY -m pip install pyinstaller" >&2; exit 2; }
[ -f installer/bvte.ico ] || "$PY" installer/make_icon.py

echo "== BVTE $VERSION: PyInstaller one-folder bundle"
SECONDS=0
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" installer/bvte.spec
echo "   bundle: $OUT/dist/bvte  $(du -sh "$OUT/dist/bvte" | cut -f1)  in ${SECONDS} s"

# The printed manual with screenshots taken now (the pictures match this version's screens), beside the program:
# the Start-menu entry "Hướng dẫn sử dụng BVTE" and Trợ giúp → Bản in hướng dẫn open it.
echo "== user manual (PDF) with fresh screenshots"
SECONDS=0
"$PY" installer/build_manual.py "$OUT/dist/bvte/Huong-dan-su-dung-BVTE.pdf"
echo "   manual: $(du -h "$OUT/dist/bvte/Huong-dan-su-dung-BVTE.pdf" | cut -f1)  in ${SECONDS} s"

if ! command -v makensis >/dev/null; then
  echo "makensis not found (Debian: apt-get install nsis; Windows: install NSIS 3 and add it to PATH)" >&2
  exit 2
fi
if [ "$WINDOWS" = 1 ]; then
  SETUP="$OUT/BVTE-$VERSION-setup.exe"
  NSIS_DEFS=()
else
  SETUP="$OUT/BVTE-$VERSION-linux-check.exe"
  NSIS_DEFS=()
  [ "${BVTE_NSIS_COMPRESS:-0}" = 1 ] || NSIS_DEFS=(-DNOCOMPRESS)
fi
echo "== NSIS: installer/bvte.nsi"
SECONDS=0
makensis -V2 -WX "${NSIS_DEFS[@]}" -DVERSION="$VERSION" -DVERSION4="$VERSION4" \
  -DBUNDLE_DIR="$OUT/dist/bvte" -DOUTFILE="$SETUP" installer/bvte.nsi
echo "   installer: $SETUP  $(du -h "$SETUP" | cut -f1)  in ${SECONDS} s"
if [ "$WINDOWS" = 0 ]; then
  echo "   (compile check only: this .exe wraps the Linux bundle and is not an installer to distribute)"
fi
