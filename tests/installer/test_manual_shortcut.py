"""The installer's Start-menu entry "Hướng dẫn sử dụng BVTE": the printed manual when the build put it in the
bundle (installer/build.sh runs installer/build_manual.py), else the guide's window (`bvte.exe help`). The NSIS
script compiles either way with warnings as errors (makensis -WX, as the Windows job runs it)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian nsis) is not installed")
@pytest.mark.parametrize("with_manual", [True, False])
def test_start_menu_entry_opens_the_manual(tmp_path, with_manual):
    bundle = tmp_path / "bvte"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "bvte.exe").write_bytes(b"MZ")
    (bundle / "_internal" / "x").write_bytes(b"x")
    if with_manual:
        (bundle / "Huong-dan-su-dung-BVTE.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = subprocess.run(["makensis", "-V4", "-WX", "-DNOCOMPRESS", "-DVERSION=0.1.0", "-DVERSION4=0.1.0.0",
                           f"-DBUNDLE_DIR={bundle}", f"-DOUTFILE={tmp_path / 'BVTE-0.1.0-check.exe'}", "bvte.nsi"],
                          cwd=ROOT / "installer", capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines()
             if line.startswith("CreateShortcut:") and "Hướng dẫn sử dụng BVTE.lnk" in line]
    assert len(lines) == 1, lines
    target = lines[0].split("->", 1)[1]
    if with_manual:
        assert target.startswith('"$INSTDIR\\Huong-dan-su-dung-BVTE.pdf"')
    else:
        assert target.startswith('"$INSTDIR\\bvte.exe" help')
    assert 'Delete: "$SMPROGRAMS\\BVTE\\Hướng dẫn sử dụng BVTE.lnk"' in done.stdout  # the uninstaller removes it
