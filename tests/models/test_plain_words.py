"""No internal names on screen (issue 12 item 11): audit codes read as Vietnamese words, backup messages
name the parts of a backup, not its internal files."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from models.backup import BackupError, inspect_backup, make_backup
from models.security.roles import SYSTEM
from models.services.audit_log import ACTION_WORDS, ENTITY_WORDS, AuditRow

ROOT = Path(__file__).resolve().parents[2]
RECORD = re.compile(r'audit\.record\(\s*session,\s*[\w.]+,\s*(?:"([a-z_-]+)"|\w+),\s*"([a-z0-9_-]+)"')


def test_every_audit_code_written_has_vietnamese_words():
    """Each action and each kind of record written to the trail (found in the code) is shown in words."""
    actions, entities = set(), set()
    for path in (ROOT / "models").rglob("*.py"):
        for action, entity in RECORD.findall(path.read_text(encoding="utf-8")):
            if action:
                actions.add(action)
            entities.add(entity)
    assert {"mau05", "case", "office"} <= entities  # the scan found the calls
    assert not actions - set(ACTION_WORDS), sorted(actions - set(ACTION_WORDS))
    assert not entities - set(ENTITY_WORDS), sorted(entities - set(ENTITY_WORDS))


def _row(**kw) -> AuditRow:
    base = dict(id=1, at=None, username="canbo", full_name="Trần Thị Lan", action="approve", entity="mau05",
                entity_id="HS-2026-0001", field="", old_value="", new_value="", detail="")
    base.update(kw)
    return AuditRow(**base)


def test_rows_read_in_words():
    row = _row()
    assert row.action_word == "Phê duyệt" and row.entity_words.startswith("Mẫu 05")
    assert "mau05" not in row.entity_words
    system = _row(username=SYSTEM.username, full_name="", action="backup", entity="backup", entity_id="")
    assert system.user_words == "Hệ thống BVTE" and "he-thong" not in system.user_words


def test_a_broken_backup_is_described_without_internal_file_names(workspace, tmp_path):
    good = tmp_path / "ban-sao.bvtebak"
    make_backup(workspace, good)
    broken = tmp_path / "thieu.bvtebak"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            if name != "keys.json":
                dst.writestr(name, src.read(name))
    with pytest.raises(BackupError) as err:
        inspect_backup(broken)
    message = str(err.value)
    assert "phần khoá" in message
    assert "keys.json" not in message and "manifest.json" not in message
