"""The server mode (PostgreSQL): what differs from the single-PC file, and several workstations at once.

Run with BVTE_TEST_PG=postgresql://superuser@127.0.0.1:PORT/postgres (or =auto); the rest of the suite then
also runs on the server (every test taking `data_dir`)."""
from __future__ import annotations

import json
from pathlib import Path
import threading
import zipfile

import pytest
from sqlalchemy import select, text

from models.backup import _check_snapshot, inspect_backup, make_backup
from models.db import Database, DatabaseError
from models.entities import AuditEvent
from models.numbering import next_number
from models.security import audit
from models.server import ServerSetupError, parse_url, write_server_url
from models.services.accounts import login, setup_office
from models.services.audit_log import AuditFilter, count_events
from models.services.cases import CaseFilter, count_cases, fetch_cases
from models.services.intake import create_intake, parse_intake
from models.transfer import TransferError, migrate_office, table_digest, tables
from tests.conftest import PASSWORD, drop_pg_database, intake_raw, new_pg_database


def test_a_server_on_another_computer_must_prove_itself_with_the_office_certificate():
    with pytest.raises(ServerSetupError, match="sslmode=verify-full"):
        parse_url("postgresql://bvte_app@192.168.1.10/bvte")
    with pytest.raises(ServerSetupError, match="sslmode=verify-full"):
        parse_url("postgresql://bvte_app@may-chu.ubnd.local/bvte?sslmode=require")
    assert parse_url("postgresql://bvte_app@may-chu.ubnd.local/bvte?sslmode=verify-full&sslrootcert=ca.crt")
    assert parse_url("postgresql://bvte_app@127.0.0.1:5432/bvte")  # the server itself, on loopback
    with pytest.raises(ServerSetupError, match="PostgreSQL"):
        parse_url("mysql://x@127.0.0.1/bvte")


def test_the_single_pc_mode_never_loads_the_server_driver(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from models.services.accounts import setup_office; "
            f"ws = setup_office(__import__('pathlib').Path({str(tmp_path / 'd')!r}), 'admin', 'Trần Thị Lan', "
            f"{PASSWORD!r}); ws.close(); print('psycopg' in sys.modules, 'models.server' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def _add_case(ws, **overrides) -> int:
    data, errors = parse_intake(intake_raw(**overrides))
    assert errors == {}
    return create_intake(ws.db, data, ws.actor)


@pytest.mark.pg_only
def test_an_office_on_the_server_searches_sorts_and_logs_like_the_file(workspace):
    assert workspace.db.is_server
    for name in ("Nguyễn Thị Ánh", "Đặng Văn An", "Lê Thị Ánh"):
        _add_case(workspace, child_name=name, personal_id="")
    with workspace.db.session() as session:
        assert count_cases(session, CaseFilter(text="anh")) == 2
        assert count_cases(session, CaseFilter(text="dang")) == 1  # "d" finds "Đ"
        names = [r.child_name for r in fetch_cases(session, CaseFilter(order="name"))]
    assert names == ["Đặng Văn An", "Lê Thị Ánh", "Nguyễn Thị Ánh"]  # given name, then middle, then family name
    assert count_events(workspace, AuditFilter(text="TRAN THI LAN")) >= 1  # the server's bvte_fold
    with workspace.db.session() as session:
        assert audit.verify_chain(session).ok


@pytest.mark.pg_only
def test_document_numbers_and_the_audit_chain_stay_whole_with_many_workstations_at_once(workspace):
    db, actor = workspace.db, workspace.actor
    numbers: list[int] = []
    errors: list[BaseException] = []

    def workstation():
        try:
            for _ in range(5):
                with db.transaction() as session:
                    n = next_number(session, "BC", 2031)
                    audit.record(session, actor, "create", "test", str(n))
                numbers.append(n)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=workstation) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 41))  # none repeated, none skipped
    with db.session() as session:
        report = audit.verify_chain(session)
        assert report.ok, report.message
        assert session.scalar(select(AuditEvent).where(AuditEvent.entity == "test").limit(1)) is not None


@pytest.mark.pg_only
def test_an_office_moves_to_the_server_and_back_row_by_row(tmp_path, pg_server):
    single = tmp_path / "mot-may"
    ws = setup_office(single, "admin", "Trần Thị Lan", PASSWORD, also_worker=True)
    url = new_pg_database(pg_server)
    try:
        assert not ws.db.is_server
        for name in ("Nguyễn Thị Ánh", "Đặng Văn An"):
            _add_case(ws, child_name=name, personal_id="")
        up = migrate_office(ws, url)
        assert up.chain_ok and up.tables["case_file"][0] == 2
        # The server now holds the same rows: a workstation pointed at it signs in and sees both cases.
        station = tmp_path / "may-tram"
        station.mkdir()
        (station / "keys.json").write_bytes((single / "keys.json").read_bytes())
        write_server_url(station, url)
        ws2 = login(station, "admin", PASSWORD)
        try:
            assert ws2.db.is_server
            with ws2.db.session() as session:
                assert [r.child_name for r in fetch_cases(session, CaseFilter(order="name"))] == [
                    "Đặng Văn An", "Nguyễn Thị Ánh"]
                # The copy ended with VACUUM ANALYZE: every page of the copied tables is marked all-visible (what
                # lets the index-only scans skip the rows), as autovacuum would do only some minutes later.
                visible = dict(session.execute(text(
                    "SELECT relname, relallvisible FROM pg_class "
                    "WHERE relname IN ('child', 'case_file', 'child_token')")).all())
                assert set(visible) == {"child", "case_file", "child_token"} and min(visible.values()) >= 1, visible
            # A second copy onto the same server is refused (nothing is overwritten).
            with pytest.raises(TransferError, match="đã có dữ liệu"):
                migrate_office(ws, url)
            # ...and back to a single-PC folder, every table identical.
            back = migrate_office(ws2, str(tmp_path / "tro-lai"))
            with ws2.db.engine.connect() as conn:  # the server as it is now: what the copy proved equal
                assert back.tables == {t.name: table_digest(conn, t) for t in tables()}
            assert back.tables["case_file"] == up.tables["case_file"] and back.tables["child"] == up.tables["child"]
            ws3 = login(tmp_path / "tro-lai", "admin", PASSWORD)
            try:
                assert not ws3.db.is_server
                with ws3.db.session() as session:
                    assert count_cases(session, CaseFilter()) == 2
                    assert audit.verify_chain(session).ok
            finally:
                ws3.close()
        finally:
            ws2.close()
    finally:
        ws.close()
        drop_pg_database(pg_server, url)


@pytest.mark.pg_only
def test_a_backup_of_the_server_is_an_encrypted_single_pc_copy(workspace, tmp_path):
    _add_case(workspace)
    info = make_backup(workspace, tmp_path / "sao-luu.bvtebak")
    assert info.case_count == 1
    manifest = inspect_backup(tmp_path / "sao-luu.bvtebak")
    with zipfile.ZipFile(tmp_path / "sao-luu.bvtebak") as zf:
        zf.extract("bvte.sqlite3", tmp_path / "x")
    db_file = tmp_path / "x" / "bvte.sqlite3"
    assert db_file.read_bytes()[:16] != b"SQLite format 3\x00"  # encrypted
    assert _check_snapshot(db_file, workspace.db.key) == 1
    assert manifest["audit_anchor"]["audit_count"] >= 2  # setting up the office, the intake
    # Restored into an empty single-PC folder, it opens with the same accounts and the same case.
    from models.backup import BackupError, restore_backup

    restore_backup(tmp_path / "mot-may", tmp_path / "sao-luu.bvtebak", "admin", PASSWORD)
    ws = login(tmp_path / "mot-may", "admin", PASSWORD)
    try:
        assert not ws.db.is_server
        with ws.db.session() as session:
            assert count_cases(session, CaseFilter()) == 1
            assert audit.verify_chain(session).ok
    finally:
        ws.close()
    # A workstation does not overwrite the server with a backup: it says how instead.
    with pytest.raises(BackupError, match="migrate-office"):
        restore_backup(workspace.folder, tmp_path / "sao-luu.bvtebak", "admin", PASSWORD)


@pytest.mark.pg_only
def test_a_new_office_is_not_set_up_over_a_server_that_has_one(workspace, tmp_path):
    other = tmp_path / "may-khac"
    other.mkdir()
    (other / "may-chu.json").write_text(json.dumps({"url": workspace.db.server_url}), encoding="utf-8")
    with pytest.raises(DatabaseError, match="đã có dữ liệu"):
        setup_office(other, "admin2", "Lê Văn Tâm", PASSWORD)
    assert not (other / "keys.json").exists()


def test_an_unreachable_server_is_said_in_words(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    write_server_url(folder, "postgresql://bvte_app@127.0.0.1:1/bvte")
    db = Database(folder, b"k" * 32, server_url="postgresql://bvte_app@127.0.0.1:1/bvte")
    with pytest.raises(DatabaseError, match="Không kết nối được máy chủ dữ liệu"):
        db.check_key()


@pytest.mark.pg_only
def test_the_application_role_works_with_least_rights_and_cannot_change_the_schema(tmp_path, pg_server):
    """As in docs/may-chu-postgresql.md: an owner role makes and upgrades the schema; the workstations connect with
    an application role that may only read and write rows."""
    import psycopg
    from sqlalchemy.engine import make_url

    base, _ = pg_server
    admin = base.render_as_string(hide_password=False)
    db_name = f"bvte_roles_{tmp_path.name[-12:]}".replace("-", "_").lower()
    setup_sql = (Path(__file__).resolve().parents[2] / "docs" / "may-chu-postgresql.sql").read_text(encoding="utf-8")
    setup_sql = (setup_sql.replace("bvte_db", db_name).replace("'MẬT-KHẨU-CHỦ'", "'x1'")
                 .replace("'MẬT-KHẨU-ỨNG-DỤNG'", "'x2'"))
    part1, part2 = setup_sql.split("\\connect")
    part2 = part2.split("\n", 1)[1]

    def statements(text: str) -> list[str]:
        body = "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("--"))
        return [st.strip() for st in body.split(";") if st.strip()]

    with psycopg.connect(admin, autocommit=True) as conn:
        for st in statements(part1):
            conn.execute(st)
    with psycopg.connect(make_url(admin).set(database=db_name).render_as_string(hide_password=False),
                         autocommit=True) as conn:
        for st in statements(part2):
            conn.execute(st)
    owner_url = make_url(admin).set(database=db_name, username="bvte_owner").render_as_string(hide_password=False)
    app_url = make_url(admin).set(database=db_name, username="bvte_app").render_as_string(hide_password=False)
    try:
        first = tmp_path / "may-dau"
        write_server_url(first, owner_url)
        ws = setup_office(first, "admin", "Trần Thị Lan", PASSWORD, also_worker=True)
        ws.close()
        station = tmp_path / "may-tram"
        station.mkdir()
        (station / "keys.json").write_bytes((first / "keys.json").read_bytes())
        write_server_url(station, app_url)
        ws = login(station, "admin", PASSWORD)
        try:
            _add_case(ws, personal_id="")
            with ws.db.session() as session:
                assert count_cases(session, CaseFilter()) == 1
                assert count_events(ws, AuditFilter(text="tran thi lan")) >= 1
                assert audit.verify_chain(session).ok
            with ws.db.engine.connect() as conn:
                for forbidden in ("DROP TABLE audit_event", "ALTER TABLE child ADD COLUMN x int",
                                  "TRUNCATE audit_event", "CREATE TABLE lay_cap (x int)"):
                    with pytest.raises(Exception, match="permission denied|must be owner"):
                        conn.exec_driver_sql(forbidden)
                    conn.rollback()
        finally:
            ws.close()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            conn.execute("DROP ROLE IF EXISTS bvte_app")
            conn.execute("DROP ROLE IF EXISTS bvte_owner")


@pytest.mark.pg_only
def test_the_check_at_opening_asks_the_server_and_leaves_no_file_behind(workspace):
    from models.integrity import OpeningCheck

    assert OpeningCheck(workspace.db).run().ok
    assert not (workspace.folder / "bvte.sqlite3").exists()


@pytest.mark.pg_only
def test_the_command_line_moves_an_office_and_says_what_it_proved(tmp_path, pg_server, monkeypatch, capsys):
    from desktop.cli import main as cli_main

    single = tmp_path / "mot-may"
    ws = setup_office(single, "admin", "Trần Thị Lan", PASSWORD, also_worker=True)
    _add_case(ws)
    ws.close()
    url = new_pg_database(pg_server)
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    try:
        assert cli_main(["--data-dir", str(single), "migrate-office", "--user", "admin", "--to", url]) == 0
        out = capsys.readouterr().out
        assert "khớp số dòng và mã băm" in out and "chuỗi nhật ký ở nơi nhận nguyên vẹn" in out
        assert cli_main(["--data-dir", str(single), "migrate-office", "--user", "admin", "--to", url]) != 0
        assert "không chép đè" in capsys.readouterr().err
        # The folder then points at the server (bvte --database) and works there.
        assert cli_main(["--data-dir", str(single), "--database", url, "cases", "--user", "admin", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)[0]["child"] == "Nguyễn Thị Ánh"
        assert (single / "may-chu.json").exists()
    finally:
        drop_pg_database(pg_server, url)
