"""Opening the office database: SQLite pragmas for durability, migrations at start-up, a copy before upgrading.

The file survives power cuts because every commit is fsynced (synchronous=FULL) through the WAL journal.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from . import paths
from .clock import now

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseError(Exception):
    """A problem with the data file the user must be told about in plain words."""


class NewerDatabaseError(DatabaseError):
    pass


def _set_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(db_file: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_file}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


class Database:
    """The office database in one data folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = paths.db_path(folder)
        self.engine = make_engine(self.path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    # -- sessions ---------------------------------------------------------------------------------
    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action = one transaction: everything is written, or nothing."""
        with self._sessions() as session, session.begin():
            yield session

    # -- schema -----------------------------------------------------------------------------------
    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str:
        return ScriptDirectory.from_config(alembic_config(self.engine)).get_current_head()

    def upgrade(self) -> Path | None:
        """Bring the schema to this version of the program; returns the pre-upgrade copy, if one was made."""
        current = self.current_revision()
        head = self.head_revision()
        if current == head:
            return None
        script = ScriptDirectory.from_config(alembic_config(self.engine))
        if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
            raise NewerDatabaseError(
                "Dữ liệu này được tạo bởi một phiên bản BVTE mới hơn phiên bản đang chạy. "
                "Hãy cài phiên bản mới nhất; chương trình không mở để tránh làm hỏng dữ liệu."
            )
        copy = self._copy_aside(current) if current is not None else None
        with self.engine.begin() as conn:
            cfg = alembic_config(self.engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return copy

    def _copy_aside(self, revision: str) -> Path:
        """A consistent copy of the file (SQLite's online backup, WAL included) before changing its schema."""
        target_dir = paths.backups_dir(self.folder)
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"truoc-nang-cap-{revision}-{now():%Y%m%d-%H%M%S}.sqlite3"
        src = sqlite3.connect(self.path)
        try:
            dst = sqlite3.connect(target)
            with dst:
                src.backup(dst)
            dst.close()
        finally:
            src.close()
        return target

    def integrity_ok(self) -> bool:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(folder: Path) -> Database:
    """Open (creating if needed) the database in the folder and bring it up to date."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(f"Không tạo được thư mục dữ liệu {folder}: {exc.strerror}") from exc
    db = Database(folder)
    try:
        db.upgrade()
    except sqlite3.DatabaseError as exc:  # pragma: no cover - depends on the file's damage
        raise DatabaseError(f"Không mở được tệp dữ liệu {db.path}: {exc}") from exc
    return db
