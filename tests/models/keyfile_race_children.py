"""Bodies of the processes that race on the key file (tests/models/test_keyfile_races.py).

Kept apart from the test module so that each spawned process imports only what it uses: sixteen of them
start at once on a small machine.
"""
from __future__ import annotations


def one_wrong_password(folder, barrier, results) -> None:
    from models.security import vault

    vault.MAX_FAILURES = 10_000  # this race is about counting, not about the lock-out that follows
    barrier.wait()
    try:
        vault.Vault.load(folder).unlock("canbo", "sai-mat-khau-roi")
    except vault.BadCredentials:
        results.put("counted")
