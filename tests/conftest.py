"""Shared fixtures: every test gets its own data folder and a database made through the real migrations."""
from __future__ import annotations

import os

# Qt aborts without a display unless told to draw offscreen; this must happen before any QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("BVTE_DATA_DIR", None)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# On CI the property tests replay the same examples every run (a red build must be reproducible);
# on a developer's machine they explore new ones each time.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

import models.security.vault as vault_module  # noqa: E402
from models.db import Database  # noqa: E402
from models.services.accounts import Workspace, setup_office  # noqa: E402
from models.services.office import save_office  # noqa: E402
from models.security.roles import Actor  # noqa: E402

PASSWORD = "mat-khau-thu-nghiem"

OFFICE = {
    "province": "Hải Dương",
    "commune_name": "Cẩm Hưng",
    "commune_kind": "xa",
    "agency_name": "Ủy ban nhân dân xã Cẩm Hưng",
    "agency_abbrev": "UBND",
    "place_name": "Cẩm Hưng",
    "chairman_name": "Phạm Văn Hùng",
    "vice_chairmen": "Nguyễn Thị Hoa\nLê Văn Tâm",
    "worker_name": "Trần Thị Lan",
    "worker_phone": "0912 345 678",
    "report_recipient": "Ủy ban nhân dân tỉnh Hải Dương (qua Sở Y tế)",
}


def intake_raw(**overrides) -> dict:
    """A complete, valid Mẫu 01 as the wizard or the command line hands it over."""
    raw = {
        "category": "bi_xam_hai",
        "source": "dien_thoai",
        "received_at": "08:30 20/11/2026",
        "report_date": "20/11/2026",
        "receiving_officer": "Trần Thị Lan",
        "child_name": "Nguyễn Thị Ánh",
        "date_of_birth": "05/09/2015",
        "estimated_age": "",
        "gender": "nu",
        "ethnicity": "Kinh",
        "personal_id": "030315001234",
        "village": "Thôn Phú Lộc",
        "address": "Xóm 3",
        "incident_place": "Tại nhà riêng, thôn Phú Lộc",
        "child_condition": "Có nhiều vết bầm ở tay và lưng, cháu sợ hãi, ít nói.",
        "predicted_consequences": "Cháu tiếp tục bị đánh nếu ở cùng người cha dượng.",
        "father_name": "Nguyễn Văn Dũng",
        "father_age": "41",
        "father_occupation": "Làm ruộng",
        "mother_name": "Đặng Thị Hương",
        "mother_age": "36",
        "mother_occupation": "Công nhân",
        "family_situation": "Cha mẹ ly thân, cháu ở với mẹ và cha dượng.",
        "current_caregiver": "Bà ngoại Đặng Thị Lựu",
        "prior_actions": "Công an xã đã đến nhà nhắc nhở.",
        "informant_consent": True,
        "informant_name": "Lê Thị Mai",
        "informant_phone": "0987 654 321",
        "informant_address": "Thôn Phú Lộc",
        "notes": "Giáo viên chủ nhiệm cũng đã phát hiện vết bầm.",
        "abuse_forms": ["bao_luc"],
    }
    raw.update(overrides)
    return raw


@pytest.fixture(autouse=True)
def light_key_derivation(monkeypatch):
    """Argon2id with a few MB instead of 64 MB, so that a hundred test offices are made quickly.
    The real parameters are exercised by the tests that ask for `real_kdf`."""
    monkeypatch.setattr(vault_module, "KDF", {"name": "argon2id", "time_cost": 1, "memory_cost": 8192, "parallelism": 1})


@pytest.fixture
def real_kdf(monkeypatch):
    monkeypatch.setattr(vault_module, "KDF", vault_module.REAL_KDF)


# -- both storage modes ------------------------------------------------------------------------------------
# BVTE_TEST_PG=postgresql://superuser@127.0.0.1:PORT/postgres (or "auto": a throw-away cluster started here, see
# tests/tools/pg_cluster.py) runs every test that takes `data_dir` on the server mode: each test gets its own
# PostgreSQL database, copied from one migrated through the real migrations, dropped afterwards.
TEST_PG = os.environ.get("BVTE_TEST_PG", "").strip()


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about the single-PC file itself (SQLCipher, its pages, its copy)")
    config.addinivalue_line("markers", "pg_only: needs the PostgreSQL server (BVTE_TEST_PG)")
    if TEST_PG:
        # A test that leaves a workspace open lets the garbage collector close its server connection later, inside
        # whichever test runs then; psycopg warns there (SQLite's driver does not), which would fail that other test.
        config.addinivalue_line("filterwarnings", "ignore::ResourceWarning:psycopg")
        config.addinivalue_line(
            "filterwarnings", "ignore:Exception ignored in. <function BaseConnection.__del__:pytest.PytestUnraisableExceptionWarning")


def pytest_collection_modifyitems(config, items):
    skip_file = pytest.mark.skip(reason="about the single-PC file; this run is on PostgreSQL (BVTE_TEST_PG)")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set BVTE_TEST_PG")
    for item in items:
        if TEST_PG and "sqlite_only" in item.keywords:
            item.add_marker(skip_file)
        if not TEST_PG and "pg_only" in item.keywords:
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def pg_server():
    """The superuser URL of the test run's PostgreSQL and the name of a migrated template database."""
    if not TEST_PG:
        pytest.skip("needs PostgreSQL: set BVTE_TEST_PG")
    from tests.tools import pg_cluster

    cluster = None
    url = TEST_PG
    if url == "auto":
        cluster = pg_cluster.Cluster()
        url = cluster.__enter__()
    import psycopg

    template = f"bvte_tmpl_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template}"')
        conn.execute(f"CREATE DATABASE \"{template}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                     "LC_CTYPE 'C.UTF-8'")
    from models.db import Database
    from sqlalchemy.engine import make_url

    base = make_url(url)
    import tempfile
    from pathlib import Path

    db = Database(Path(tempfile.gettempdir()), b"", server_url=base.set(database=template).render_as_string(hide_password=False))
    db.check_key()
    db.upgrade()
    db.dispose()
    try:
        yield base, template
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        if cluster is not None:
            cluster.__exit__()


_pg_count = iter(range(1, 10**9))


def new_pg_database(pg_server) -> str:
    """A fresh migrated database on the test server; its URL."""
    import psycopg

    base, template = pg_server
    name = f"{template}_t{next(_pg_count)}"
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return base.set(database=name).render_as_string(hide_password=False)


def drop_pg_database(pg_server, url: str) -> None:
    import sys

    import psycopg
    from sqlalchemy.engine import make_url

    if "PySide6.QtWidgets" in sys.modules:
        # Close what the test left open while its database still exists: a screen closed later (by pytest-qt,
        # after this fixture) or its draft timer firing in the next test would write to a dropped database.
        from PySide6.QtWidgets import QApplication

        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()
    worker = sys.modules.get("desktop.common.worker")
    if worker is not None:  # a window's background job (to-do list, check) must not outlive its database
        worker.wait_for_background_jobs()

    base, _ = pg_server
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@pytest.fixture
def data_dir(tmp_path, request):
    folder = tmp_path / "bvte-data"
    folder.mkdir()
    if TEST_PG:
        from models.server import write_server_url

        server = request.getfixturevalue("pg_server")
        url = new_pg_database(server)
        write_server_url(folder, url)
        yield folder
        drop_pg_database(server, url)
        return
    yield folder


@pytest.fixture
def workspace(data_dir) -> Workspace:
    """A new office (key file + encrypted database) opened by its administrator, who is also the worker."""
    ws = setup_office(data_dir, "admin", "Trần Thị Lan", PASSWORD, also_worker=True)
    yield ws
    ws.close()


@pytest.fixture
def db(workspace) -> Database:
    return workspace.db


@pytest.fixture
def actor(workspace) -> Actor:
    return workspace.actor


@pytest.fixture
def office_db(db, actor) -> Database:
    """A database whose office settings are filled in (as after the first-run dialog)."""
    assert save_office(db, OFFICE, actor) == {}
    return db
