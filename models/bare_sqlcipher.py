"""A bare SQLCipher connection to the data file (no SQLAlchemy, no migrations): for snapshots and checks.

Kept apart from models.backup so that `bvte verify` can start reading the file as soon as the key is known,
without waiting for the data layer's imports."""
from __future__ import annotations

from pathlib import Path


def key_literal(key: bytes) -> str:
    return f"\"x'{key.hex()}'\""


def connect(db_file: Path, key: bytes):
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(db_file), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level=NONE")
    conn.execute(f"PRAGMA key = {key_literal(key)}")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn
