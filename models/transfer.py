"""Copying a whole office between the two storage modes (single-PC file ⇄ office server), verified row by row.

Used by `bvte migrate-office --to URL|FOLDER` and by the server mode's backups (the server's data copied into an
encrypted single-PC file inside the .bvtebak) and restores. The copy:
- reads the source in one consistent snapshot (PostgreSQL: a REPEATABLE READ, READ ONLY transaction);
- refuses a target that already holds an office (accounts, children, cases or audit entries);
- writes every table in one transaction on a target made through the real migrations (same schema version);
- then proves the copy: for every table the number of rows and a sha256 of all its rows in key order are the
  same on both sides, and the audit chain of the target is walked again from its first entry.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Callable

from sqlalchemy import Connection, Engine, Table, func, select
from sqlalchemy.orm import Session

from .base import Base
from .errors import UserError

import models.entities  # noqa: F401  (every table on Base.metadata)

Progress = Callable[[float, str], None]
OFFICE_TABLES = ("account", "child", "case_file", "audit_event")
CHUNK = 2000


class TransferError(UserError):
    """The copy was refused or did not prove identical (the target is left as it was)."""


@dataclass
class TransferReport:
    tables: dict[str, tuple[int, str]] = field(default_factory=dict)  # table → (rows, sha256)
    chain_ok: bool = False
    chain_count: int = 0

    @property
    def rows(self) -> int:
        return sum(n for n, _ in self.tables.values())


def _chunk(table: Table) -> int:
    """Rows per batch: a table holding documents (attached scans, up to 20 MB a row) goes a few rows at a time."""
    from sqlalchemy import LargeBinary

    return 4 if any(isinstance(c.type, LargeBinary) for c in table.columns) else CHUNK


def tables() -> list[Table]:
    """The office's tables; not the server's own field key and name tokens (field_crypto.NOT_COPIED), which the
    target makes from the copied rows."""
    from .field_crypto import NOT_COPIED

    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def _value(v) -> str:
    if v is None:
        return "\x00"
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).isoformat() if v.tzinfo else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, bytes):
        return v.hex()
    return repr(v)


def _ordered(table: Table):
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    h = hashlib.sha256()
    count = 0
    for row in conn.execute(_ordered(table)).yield_per(_chunk(table)):
        h.update("\x1f".join(_value(v) for v in row).encode("utf-8") + b"\x1e")
        count += 1
    return count, h.hexdigest()


def _revisions(conn: Connection) -> frozenset[str]:
    from sqlalchemy import inspect

    if not inspect(conn).has_table("alembic_version"):
        return frozenset()
    return frozenset(r for (r,) in conn.exec_driver_sql("SELECT version_num FROM alembic_version"))


def _snapshot_begin(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def holds_office(conn: Connection) -> bool:
    from sqlalchemy import inspect

    names = set(inspect(conn).get_table_names())
    for name in OFFICE_TABLES:
        if name in names and conn.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar():
            return True
    return False


def copy_office(source: Engine, target: Engine, progress: Progress | None = None) -> TransferReport:
    """Copy every row of `source` into the empty, migrated `target`; verified as described above."""
    report_progress = progress or (lambda fraction, message: None)
    all_tables = tables()
    report = TransferReport()
    with source.connect() as src:
        with src.begin():
            _snapshot_begin(src)
            with target.connect() as dst:
                if _revisions(src) != _revisions(dst):
                    raise TransferError("Hai nơi chứa dữ liệu không cùng phiên bản cấu trúc: hãy mở cả hai bằng cùng "
                                        "phiên bản BVTE trước khi chuyển.")
                if holds_office(dst):
                    raise TransferError("Nơi nhận đã có dữ liệu của một cơ quan: không chép đè. Hãy chọn một cơ sở dữ "
                                        "liệu (hoặc thư mục) trống.")
                dst.rollback()  # the checks' read transaction; the copy is one transaction of its own
                with dst.begin():
                    from .portable import durable_commit

                    durable_commit(dst)
                    for table in reversed(all_tables):  # rows a migration put there (the audit head): replaced
                        dst.execute(table.delete())
                    for i, table in enumerate(all_tables):
                        report_progress(0.8 * i / len(all_tables), f"Đang chép bảng {table.name}…")
                        batch: list[dict] = []
                        chunk = _chunk(table)
                        for row in src.execute(_ordered(table)).mappings().yield_per(chunk):
                            batch.append(dict(row))
                            if len(batch) >= chunk:
                                dst.execute(table.insert(), batch)
                                batch = []
                        if batch:
                            dst.execute(table.insert(), batch)
                    from .field_crypto import rebuild_tokens
                    from .portable import sync_sequences

                    sync_sequences(dst, all_tables)
                    report_progress(0.75, "Đang lập chỉ mục tìm tên (đã mã hoá)…")
                    rebuild_tokens(dst)
                    report_progress(0.8, "Đang so sánh từng bảng…")
                    for table in all_tables:
                        mine, theirs = table_digest(src, table), table_digest(dst, table)
                        if mine != theirs:
                            raise TransferError(f"Bản chép của bảng {table.name} không khớp với bản gốc "
                                                f"({mine[0]} và {theirs[0]} dòng): đã huỷ, nơi nhận để nguyên như trước.")
                        report.tables[table.name] = mine
    report_progress(0.95, "Đang kiểm tra chuỗi nhật ký…")
    from .security.audit import verify_chain

    with Session(target) as session:
        chain = verify_chain(session)
    report.chain_ok, report.chain_count = chain.ok, chain.count
    if not chain.ok:
        raise TransferError(f"Chuỗi nhật ký ở nơi nhận không còn nguyên vẹn sau khi chép: {chain.message}")
    from .portable import is_postgresql, settle_after_copy

    if is_postgresql(target):
        report_progress(0.97, "Đang cập nhật thống kê của máy chủ…")
        settle_after_copy(target)
    report_progress(1.0, "Đã chép và kiểm tra xong.")
    return report


@dataclass
class MigrationResult(TransferReport):
    next_step: str = ""


def migrate_office(ws, to: str, progress: Progress | None = None) -> MigrationResult:
    """Copy the signed-in office to an empty PostgreSQL database (`to` = URL) or to an empty folder (single-PC)."""
    import shutil
    from pathlib import Path

    from . import paths
    from .db import Database
    from .security.vault import Vault

    source = ws.db
    if to.strip().lower().startswith("postgresql"):
        from .server import parse_url, shown_url

        parse_url(to)
        target = Database(ws.folder, source.key, server_url=to.strip())
        target.check_key()
        where = shown_url(to)
        step = (f"Trỏ từng máy trạm tới máy chủ: bvte --data-dir THƯ-MỤC --database \"{where}\" (chép tệp khoá "
                f"{Vault.file_in(ws.folder).name} của thư mục này sang thư mục đó).")
    else:
        folder = Path(to).expanduser().resolve()
        if folder.exists() and any(folder.iterdir()):
            raise TransferError(f"Thư mục {folder} không trống: không chép đè. Hãy chọn một thư mục trống.")
        if source.path.exists() and not source.is_server:
            raise TransferError("Dữ liệu này đã ở chế độ một máy: để chép sang máy khác hãy dùng bvte backup / restore.")
        folder.mkdir(parents=True, exist_ok=True)
        target = Database(folder, source.key)
        where = str(folder)
        step = f"Mở chương trình với thư mục dữ liệu mới: bvte --data-dir \"{folder}\"."
    try:
        with target.engine.connect() as conn:
            if holds_office(conn):
                raise TransferError("Nơi nhận đã có dữ liệu của một cơ quan: không chép đè. Hãy chọn một cơ sở dữ "
                                    "liệu (hoặc thư mục) trống.")
        target.upgrade()
        from .field_crypto import open_fields

        open_fields(target.engine, (source.key,))  # on a server: the protected fields are encrypted as they arrive
        report = copy_office(source.engine, target.engine, progress)
    finally:
        target.dispose()
    if not target.is_server:
        shutil.copy2(Vault.file_in(ws.folder), Vault.file_in(target.folder))
        paths.make_private(target.folder)
    return MigrationResult(tables=report.tables, chain_ok=report.chain_ok, chain_count=report.chain_count,
                           next_step=f"Dữ liệu đã ở {where}. {step}")
