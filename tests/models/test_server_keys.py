"""The office's key file shared through the office server (models/server_keys.py): a workstation never needs a
copy carried by hand after the first one. pg_only: these run in CI's PostgreSQL half (BVTE_TEST_PG)."""
from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import update

from models.field_crypto import key_file_table
from models.security.vault import Vault, VaultError
from models.server import paths
from models.services.accounts import add_account, change_own_password, disable_account, login
from models.services.cases import CaseFilter, count_cases
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw

pytestmark = pytest.mark.pg_only
NEW = "mat-khau-moi-cua-admin-2026"


def _station(workspace, tmp_path, name="may-b"):
    """A second workstation, set up once as the guide says: the key file and the server's address."""
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy2(Vault.file_in(workspace.folder), Vault.file_in(folder))
    shutil.copy2(paths.server_path(workspace.folder), paths.server_path(folder))
    return folder


def _case(ws):
    data, errors = parse_intake(intake_raw(child_name="Phạm Thu Hương", personal_id=""))
    assert errors == {}
    create_intake(ws.db, data, ws.actor)


def test_an_account_made_on_one_workstation_signs_in_on_another(workspace, tmp_path):
    b = _station(workspace, tmp_path)
    _case(workspace)
    add_account(workspace, "canbo2", "Lê Văn Hai", ["worker"], "mat-khau-canbo-hai-2026")
    assert "canbo2" not in Vault.load(b).usernames()  # nothing copied by hand
    ws = login(b, "canbo2", "mat-khau-canbo-hai-2026")
    try:
        assert "canbo2" in Vault.load(b).usernames()
        with ws.db.session() as session:
            assert count_cases(session, CaseFilter(text="huong")) == 1
    finally:
        ws.close()


def test_after_a_new_data_key_the_other_workstations_sign_in_and_follow(workspace, tmp_path, monkeypatch):
    import models.server_keys as server_keys

    b = _station(workspace, tmp_path)
    _case(workspace)
    add_account(workspace, "canbo2", "Lê Văn Hai", ["worker"], "mat-khau-canbo-hai-2026")
    running = login(b, "canbo2", "mat-khau-canbo-hai-2026")  # at work on B while A changes its password
    try:
        old_key = running.db.key
        change_own_password(workspace, PASSWORD, NEW)  # a new data key for the whole office
        assert workspace.db.key != old_key
        monkeypatch.setattr(server_keys, "FOLLOW_EVERY", 0.0)
        with running.db.session() as session:  # B's next action looks at the server and follows the new key
            assert count_cases(session, CaseFilter()) == 1
        assert running.db.key == workspace.db.key
    finally:
        running.close()
    ws = login(b, "admin", NEW)  # the new password works on B at once
    try:
        with ws.db.session() as session:
            assert count_cases(session, CaseFilter(text="huong")) == 1
    finally:
        ws.close()
    with pytest.raises(VaultError):
        login(b, "admin", PASSWORD)  # the old one does not


def test_a_disabled_account_is_gone_from_every_workstation(workspace, tmp_path):
    b = _station(workspace, tmp_path)
    add_account(workspace, "canbo2", "Lê Văn Hai", ["worker"], "mat-khau-canbo-hai-2026")
    disable_account(workspace, "canbo2")
    with pytest.raises(VaultError):
        login(b, "canbo2", "mat-khau-canbo-hai-2026")
    assert "canbo2" not in Vault.load(b).usernames()


def test_a_key_file_of_another_office_on_the_server_is_not_taken(workspace, tmp_path):
    b = _station(workspace, tmp_path)
    before = Vault.file_in(b).read_text(encoding="utf-8")
    other = json.loads(before)
    other["office_id"] = "00000000-0000-0000-0000-000000000000"
    with workspace.db.engine.begin() as conn:  # what a server administrator could put there
        conn.execute(update(key_file_table).values(version=99, content=json.dumps(other), office_id=other["office_id"]))
    with pytest.raises(VaultError, match="cơ quan khác"):
        login(b, "admin", PASSWORD)
    assert Vault.file_in(b).read_text(encoding="utf-8") == before  # left as it was
