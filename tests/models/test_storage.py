"""The database file: built by the real migrations, durable settings, upgraded with a copy kept aside."""
from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import inspect

from models.db import Database, NewerDatabaseError, alembic_config, open_database


def test_migrations_build_the_schema_and_match_the_models(db):
    assert db.current_revision() == db.head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert {"office", "child", "person", "child_relation", "case_file", "intake", "document_counter", "draft"} <= tables
    # `alembic check`: the models and the migrations describe the same schema (raises if not).
    command.check(alembic_config(db.engine))


def test_durability_settings_are_on_for_every_connection(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_file_from_a_newer_release_is_refused_untouched(data_dir):
    db = Database(data_dir)
    cfg = alembic_config(db.engine)
    command.upgrade(cfg, "0001")
    # Pretend the file was made by an older release whose schema is one step behind.
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='0000_old'")
    db.dispose()
    with pytest.raises(NewerDatabaseError, match="phiên bản BVTE mới hơn"):
        open_database(data_dir)  # unknown revision: refused, file untouched
    with sqlite3.connect(data_dir / "bvte.sqlite3") as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0000_old",)


def test_upgrade_from_an_older_revision_keeps_a_copy(data_dir, monkeypatch):
    db = Database(data_dir)
    command.upgrade(alembic_config(db.engine), "0001")
    # Make this program believe its head is newer than the file, as after installing a new release.
    monkeypatch.setattr(Database, "head_revision", lambda self: "0002_future")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO office (province, commune_name, commune_kind, agency_name, agency_abbrev,"
                             " place_name, chairman_name, vice_chairmen, worker_name, worker_phone, report_recipient,"
                             " updated_at) VALUES ('Tỉnh', 'Xã', 'xa', 'UBND', 'UBND', 'Xã', '', '', 'A', '', 'B',"
                             " '2026-01-01 00:00:00')")
    copy = db.upgrade()
    assert copy is not None and copy.exists()
    with sqlite3.connect(copy) as raw:
        assert raw.execute("SELECT commune_name FROM office").fetchone() == ("Xã",)
    db.dispose()
