"""The database file: built by the real migrations, durable settings, upgraded with a copy kept aside."""
from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import inspect

from models.db import Database, NewerDatabaseError, alembic_config, open_database


def test_migrations_build_the_schema_and_match_the_models(db):
    from alembic.script import ScriptDirectory

    # The constant that spares Alembic's import at start-up names the real newest migration.
    assert "+".join(sorted(ScriptDirectory.from_config(alembic_config(db.engine)).get_heads())) == db.head_revision()
    assert db.current_revision() == db.head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert {"office", "child", "person", "child_relation", "case_file", "intake", "document_counter", "draft"} <= tables
    # `alembic check`: the models and the migrations describe the same schema (raises if not).
    command.check(alembic_config(db.engine))


@pytest.mark.sqlite_only
def test_durability_settings_are_on_for_every_connection(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


KEY = bytes(range(32))


@pytest.mark.sqlite_only
def test_a_file_from_a_newer_release_is_refused_untouched(data_dir):
    db = Database(data_dir, KEY)
    command.upgrade(alembic_config(db.engine), "heads")
    # As if a newer BVTE had upgraded the file to a schema this program does not know.
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('0099_future')")
    db.dispose()
    with pytest.raises(NewerDatabaseError, match="phiên bản BVTE mới hơn"):
        open_database(data_dir, KEY)
    again = Database(data_dir, KEY)
    assert again.current_revision() == "0099_future"  # untouched
    again.dispose()


def test_upgrade_from_the_first_schema_keeps_an_encrypted_copy_and_the_data(data_dir):
    db = Database(data_dir, KEY)
    command.upgrade(alembic_config(db.engine), "0001")  # the schema of the first release
    with db.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO office (province, commune_name, commune_kind, agency_name, agency_abbrev,"
                             " place_name, chairman_name, vice_chairmen, worker_name, worker_phone, report_recipient,"
                             " updated_at) VALUES ('Tỉnh', 'Xã Một', 'xa', 'UBND', 'UBND', 'Xã', '', '', 'A', '', 'B',"
                             " '2026-01-01 00:00:00')")
    copy = db.upgrade()
    assert db.current_revision() == db.head_revision()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT commune_name, idle_lock_minutes FROM office").one() == ("Xã Một", 10)
    db.dispose()
    assert copy is not None and copy.parent.name == "backups"
    with pytest.raises(sqlite3.DatabaseError):  # the copy is as encrypted as the original
        sqlite3.connect(copy).execute("SELECT * FROM office").fetchall()
    from models.db import make_engine

    engine = make_engine(copy, KEY)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0001"
        assert conn.exec_driver_sql("SELECT commune_name FROM office").scalar() == "Xã Một"
    engine.dispose()


@pytest.mark.sqlite_only
def test_a_clear_text_file_from_before_encryption_is_encrypted_in_place(data_dir):
    plain = sqlite3.connect(data_dir / "bvte.sqlite3")
    plain.execute("CREATE TABLE note (x TEXT)")
    plain.execute("INSERT INTO note VALUES ('Nguyễn Thị Ánh')")
    plain.commit()
    plain.close()
    db = open_database(data_dir, KEY)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT x FROM note").scalar() == "Nguyễn Thị Ánh"
    db.dispose()
    assert "Nguyễn".encode() not in (data_dir / "bvte.sqlite3").read_bytes()
