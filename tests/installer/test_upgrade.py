"""Upgrades keep data: the data folder of the first release opens with today's program, every row intact.

`tests/fixtures/release-0.1.0` was made by release 0.1.0's own `bvte demo` (see its README.md) and is never
rewritten. Whenever a migration is added, opening it here runs that migration on real first-release data:
the rows recorded in its manifest must come through unchanged, and the untouched pre-upgrade copy must be
left in backups/. A file from a newer release must be refused without a byte changed.
"""
from __future__ import annotations

import gc
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli import main as cli_main
from models import paths
from models.db import NewerDatabaseError, make_engine
from models.entities import Case
from models.migrations import head_revisions
from models.security.audit import verify_chain
from models.security.vault import Vault
from models.services.accounts import login
from models.services.cases import load_case
from models.services.office import get_office
from tests.installer.fixture_digest import TABLES, load_manifest, table_digest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.1.0"
MANIFEST = load_manifest(FIXTURE)
PASSWORD = MANIFEST["password"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def release_folder(tmp_path) -> Path:
    folder = tmp_path / "du-lieu-0.1.0"
    shutil.copytree(FIXTURE, folder, ignore=shutil.ignore_patterns("README.md", "manifest.json"))
    return folder


def _assert_rows_as_released(engine) -> None:
    for table in TABLES:
        recorded = MANIFEST["tables"][table]
        got = table_digest(engine, table, recorded["columns"], max_id=recorded["max_id"])
        assert got == (recorded["count"], recorded["sha256"]), f"rows of {table} changed"


def test_the_fixture_is_a_first_release_folder():
    assert MANIFEST["made_by"]["version"] == "0.1.0"
    assert (FIXTURE / "keys.json").is_file() and paths.db_path(FIXTURE).is_file()
    assert not (FIXTURE / "backups").exists(), "the fixture must never be opened in place"
    assert MANIFEST["tables"]["case_file"]["count"] == len(MANIFEST["cases"]) > 0


def test_release_data_opens_with_every_case_intake_account_and_audit_entry(release_folder, monkeypatch, capsys):
    ws = login(release_folder, "admin", PASSWORD)  # runs any migration added since the release
    try:
        db = ws.db
        assert db.current_revisions() == head_revisions()
        _assert_rows_as_released(db.engine)
        with db.session() as session:
            codes = list(session.scalars(select(Case.id).order_by(Case.id)))
            chain = verify_chain(session)
        assert chain.ok, chain.message
        assert len(codes) == len(MANIFEST["cases"])
        office = get_office(db)
        for case_id, recorded in zip(codes, MANIFEST["cases"]):
            case = load_case(db, case_id)  # through today's models, as the window shows it
            assert (case.code, case.child.full_name, case.intake.doc_number, case.intake.category) == (
                recorded["code"], recorded["child"], recorded["doc_number"], recorded["category"])
        from printouts.form01 import render as render_form01

        out = io.BytesIO()
        render_form01(load_case(db, codes[-1]), office, out)
        assert out.getvalue().startswith(b"%PDF-")
    finally:
        ws.close()
    for account in MANIFEST["accounts"]:  # every account still opens the data with its own password
        other = login(release_folder, account["username"], PASSWORD)
        assert ",".join(sorted(other.actor.roles)) == ",".join(sorted(account["roles"].split(",")))
        other.close()

    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert cli_main(["--data-dir", str(release_folder), "verify", "--user", "admin"]) == 0
    assert "mới nhất" in capsys.readouterr().out


def test_an_upgrade_keeps_the_untouched_pre_upgrade_copy(release_folder):
    before = _sha256(paths.db_path(release_folder))
    ws = login(release_folder, "admin", PASSWORD)
    key = ws.db.key
    ws.close()
    copies = sorted(paths.backups_dir(release_folder).glob("truoc-nang-cap-*.sqlite3"))
    if frozenset(MANIFEST["revision"].split("+")) == head_revisions():
        # No migration since the release: the file is opened as it is, and no copy is made for nothing.
        assert copies == []
        return
    # A migration ran: the copy is named after the released schema and holds the released data, unchanged.
    assert len(copies) == 1 and copies[0].name.startswith(f"truoc-nang-cap-{MANIFEST['revision']}-")
    assert before != _sha256(paths.db_path(release_folder))
    engine = make_engine(copies[0], key)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == MANIFEST["revision"]
        _assert_rows_as_released(engine)
        with engine.connect() as conn:
            count, last = conn.exec_driver_sql("SELECT count, last_hash FROM audit_head").one()
        assert {"count": count, "last_hash": last} == MANIFEST["audit_head"]
    finally:
        engine.dispose()


def test_a_folder_from_a_newer_release_is_refused_and_left_unchanged(release_folder, monkeypatch, capsys):
    db_file = paths.db_path(release_folder)
    key = Vault.load(release_folder).unlock("admin", PASSWORD)
    engine = make_engine(db_file, key)
    with engine.begin() as conn:  # as if BVTE 9 had upgraded this folder to a schema this program never saw
        conn.exec_driver_sql("UPDATE alembic_version SET version_num='9001_from_a_newer_bvte'")
    engine.dispose()
    before = {p.name: _sha256(p) for p in release_folder.iterdir() if p.is_file()}

    with pytest.raises(NewerDatabaseError, match="phiên bản BVTE mới hơn"):
        login(release_folder, "admin", PASSWORD)
    gc.collect()  # the refused engine's connections are closed before the files are compared
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    capsys.readouterr()
    assert cli_main(["--data-dir", str(release_folder), "verify", "--user", "admin"]) == 3
    assert "phiên bản BVTE mới hơn" in capsys.readouterr().err
    gc.collect()

    after = {p.name: _sha256(p) for p in release_folder.iterdir() if p.is_file()}
    assert after == before
    assert not paths.backups_dir(release_folder).exists()
