"""Rekey benchmark (run on demand, not part of the test run): how long revoking an account takes.

    .venv/bin/python tests/benchmarks/bench_rekey.py DATA_DIR

DATA_DIR is made by `bvte --data-dir DATA_DIR demo --children 50000 --cases 20000 --password matkhau-demo`
(it is copied first and never changed). Signs in as admin / BVTE_PASSWORD (required),
gives canbo its key pairs (its first sign-in), then times two administrator password resets of canbo —
each draws a new data key and re-encrypts the whole file — and the raw `PRAGMA rekey` inside them.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.figures import copied, password  # noqa: E402

PASSWORD = password()


def main(folder: Path) -> None:
    from models.db import Database
    from models.services.accounts import login, reset_password

    ws = login(folder, "admin", PASSWORD)  # runs any pending migration first (not timed)
    login(folder, "canbo", PASSWORD).close()
    size = (folder / "bvte.sqlite3").stat().st_size
    raw: list[float] = []
    original = Database.rekey

    def timed(self, key):
        start = time.perf_counter()
        original(self, key)
        raw.append(time.perf_counter() - start)

    Database.rekey = timed
    try:
        for i in range(2):
            start = time.perf_counter()
            reset_password(ws, "canbo", f"{PASSWORD}-{i}")
            total = time.perf_counter() - start
            print(f"reset with rekey of a {size / 1e6:.0f} MB file: {total:.1f} s (PRAGMA rekey + checkpoint {raw[-1]:.1f} s)")
    finally:
        Database.rekey = original
        ws.close()


if __name__ == "__main__":
    with copied(Path(sys.argv[1])) as given:  # the resets rekey the file: never the folder given
        main(given)
