"""Make the data folder of a released version (a test fixture) with that version's own code.

    .venv/bin/python -m tests.installer.make_release_fixture --source SRC --out tests/fixtures/release-0.1.0

SRC is a clean copy of the released commit (`git archive <commit> | tar -x -C SRC`); its `bvte demo`
makes the folder (3 accounts, demo office, children, cases with their Mẫu 01, audit trail) and the
manifest is read from the result with plain SQL. Nothing is signed in, so the folder is exactly what
the release left behind.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

PASSWORD = "fixture-password"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, help="source tree of the released commit")
    parser.add_argument("--out", required=True)
    parser.add_argument("--commit", default="", help="recorded in the manifest")
    parser.add_argument("--children", type=int, default=40)
    parser.add_argument("--cases", type=int, default=15)
    args = parser.parse_args()
    out = Path(args.out).resolve()
    if (out / "keys.json").exists():
        parser.error(f"{out} already holds a data folder")
    source = Path(args.source).resolve()
    env = dict(os.environ, PYTHONPATH=str(source))
    env.pop("BVTE_DATA_DIR", None)
    subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--data-dir", str(out), "demo",
         "--children", str(args.children), "--cases", str(args.cases), "--password", PASSWORD],
        check=True, env=env, cwd=source,
    )
    # Read the result with the released code's key handling, without signing in (no audit entry, no writes).
    code = f"""
import json, sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from models.db import make_engine, paths
from models.security.vault import Vault
from models import __version__
from tests.installer.fixture_digest import manifest
folder = Path({str(out)!r})
key = Vault.load(folder).unlock("admin", {PASSWORD!r})
engine = make_engine(paths.db_path(folder), key)
data = manifest(engine)
engine.dispose()
data = {{"made_by": {{"version": __version__, "commit": {args.commit!r},
        "command": "bvte --data-dir tests/fixtures/release-0.1.0 demo --children {args.children} --cases {args.cases} --password {PASSWORD}"}},
        "password": {PASSWORD!r}, **data}}
(folder / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\\n", encoding="utf-8")
"""
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=source)
    print(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["tables"]["case_file"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
