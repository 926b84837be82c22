"""What a data folder holds, as counts and digests, read with plain SQL (no ORM, no writes).

Used to make `tests/fixtures/release-0.1.0/manifest.json` when the fixture was made, and by
test_upgrade.py to prove that a newer program kept every row. Plain SQL over the columns recorded in the
manifest, so columns added by later migrations do not disturb the comparison, while any change to a
value that existed in the first release does.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import Engine

# Tables of the first released schema whose rows must survive every upgrade unchanged, with the columns
# left out of the digest because signing in legitimately changes them.
TABLES: dict[str, tuple[str, ...]] = {
    "office": ("updated_at",),
    "child": (),
    "person": (),
    "child_relation": (),
    "case_file": (),
    "case_abuse_form": (),
    "intake": (),
    "document_counter": (),
    "account": ("last_login_at",),
    "audit_event": (),
}


def _columns(engine: Engine, table: str) -> list[str]:
    with engine.connect() as conn:
        return [row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")]


def table_digest(engine: Engine, table: str, columns: list[str], *, max_id: int | None = None) -> tuple[int, str]:
    """(row count, sha256 of the rows as JSON, ordered by id), over the given columns only."""
    cols = ", ".join(f'"{c}"' for c in columns)
    where = f" WHERE id <= {int(max_id)}" if max_id is not None else ""
    digest = hashlib.sha256()
    count = 0
    with engine.connect() as conn:
        for row in conn.exec_driver_sql(f"SELECT {cols} FROM {table}{where} ORDER BY id"):
            digest.update(json.dumps(list(row), ensure_ascii=False, default=str).encode("utf-8"))
            digest.update(b"\n")
            count += 1
    return count, digest.hexdigest()


def manifest(engine: Engine) -> dict:
    """Counts, digests and a few readable samples of every first-release table."""
    tables = {}
    for table, skipped in TABLES.items():
        columns = [c for c in _columns(engine, table) if c not in skipped]
        with engine.connect() as conn:
            max_id = conn.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar()
        count, digest = table_digest(engine, table, columns)
        tables[table] = {"count": count, "max_id": max_id, "columns": columns, "sha256": digest}
    with engine.connect() as conn:
        revision = "+".join(sorted(r for (r,) in conn.exec_driver_sql("SELECT version_num FROM alembic_version")))
        cases = [
            {"code": code, "child": name, "doc_number": number, "category": category}
            for code, name, number, category in conn.exec_driver_sql(
                "SELECT c.code, ch.full_name, i.doc_number, i.category FROM case_file c "
                "JOIN child ch ON ch.id = c.child_id JOIN intake i ON i.case_id = c.id ORDER BY c.id"
            )
        ]
        accounts = [
            {"username": u, "roles": r, "disabled": bool(d)}
            for u, r, d in conn.exec_driver_sql("SELECT username, roles, disabled FROM account ORDER BY id")
        ]
        audit_head = conn.exec_driver_sql("SELECT count, last_hash FROM audit_head").one()
    return {
        "revision": revision,
        "tables": tables,
        "cases": cases,
        "accounts": accounts,
        "audit_head": {"count": audit_head[0], "last_hash": audit_head[1]},
    }


def load_manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
