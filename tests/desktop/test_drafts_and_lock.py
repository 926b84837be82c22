"""A power cut in the middle of typing loses at most a few seconds; a second window on the same data is refused."""
from __future__ import annotations

import os
import select as io_select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

import desktop.app as app_module
from desktop.common import messages
from desktop.app import LOCK_NAME
from desktop.main_window import MainWindow
from models.entities import Case, Draft
from models.services import drafts
from tests.conftest import PASSWORD
from tests.desktop.helpers import type_text

REPO = Path(__file__).resolve().parents[2]

# Runs in a child process: opens the wizard, types like a person, and says READY once the autosave has
# written the draft. The test then kills it with SIGKILL, as a power cut would.
TYPIST = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from desktop.main_window import MainWindow
    from models.services.accounts import login
    from models.services import drafts
    from tests.desktop.helpers import type_text

    app = QApplication([])
    ws = login(__import__("pathlib").Path(sys.argv[1]), "admin", sys.argv[2])
    db = ws.db
    window = MainWindow(ws)
    window.show()
    wiz = window.open_intake_wizard()
    wiz.widgets["category"].button("nguy_co_bo_roi").click()
    wiz.widgets["source"].button("dien_thoai").click()
    wiz.next()
    type_text(wiz.widgets["child_name"], "Hoàng Thị Hồng Nhung")
    type_text(wiz.widgets["village"], "Tổ dân phố Đông Hưng")

    def check():
        found = drafts.list_drafts(db, "01")
        if found and found[0].payload.get("village") == "Tổ dân phố Đông Hưng":
            print("READY", flush=True)
        else:
            QTimer.singleShot(200, check)

    QTimer.singleShot(200, check)
    app.exec()
    """
)


def test_draft_survives_a_killed_window_and_is_offered_again(qtbot, workspace, office_db, data_dir, monkeypatch):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    child = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(data_dir), PASSWORD], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        # The autosave runs every 3 s; never wait forever if the child dies or hangs.
        ready, _, _ = io_select.select([child.stdout], [], [], 60)
        line = child.stdout.readline() if ready else ""
        assert line.strip() == "READY", "the typing window never saved its draft"
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL

    assert office_db.integrity_ok()
    # Next start: the draft is offered, and accepting it brings back what was typed.
    asked = []

    def open_it(parent, title, text, answers, **kwargs):
        asked.append(text)
        return answers.index("Mở để làm tiếp")

    monkeypatch.setattr(messages, "choose", open_it)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.offer_drafts()
    assert asked and "Hoàng Thị Hồng Nhung" in asked[0]
    wiz = window.wizard
    assert wiz is not None
    assert wiz.widgets["child_name"].text() == "Hoàng Thị Hồng Nhung"
    assert wiz.widgets["village"].text() == "Tổ dân phố Đông Hưng"
    assert wiz.widgets["category"].value() == "nguy_co_bo_roi"

    # Finishing the report writes the case and removes the draft in the same transaction.
    wiz.next()
    wiz.next()
    type_text(wiz.widgets["child_condition"], "Cháu bị bỏ lại ở chợ, đang được hàng xóm trông.")
    wiz.next()
    wiz.next()
    wiz.button(QWizard.FinishButton).click()
    with office_db.session() as s:
        assert s.scalar(select(func.count(Case.id))) == 1
        assert s.scalar(select(func.count(Draft.id))) == 0


def test_closing_the_wizard_keeps_or_discards_the_draft_as_asked(qtbot, workspace, office_db, monkeypatch):
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    wiz = window.open_intake_wizard()
    type_text(wiz.widgets["child_name"], "Vũ Văn Khánh")
    monkeypatch.setattr(messages, "choose", lambda parent, title, text, answers, **k: answers.index("Giữ bản nháp"))
    wiz.reject()
    assert [d.payload["child_name"] for d in drafts.list_drafts(office_db, "01")] == ["Vũ Văn Khánh"]

    wiz = window.open_intake_wizard(drafts.list_drafts(office_db, "01")[0])
    monkeypatch.setattr(messages, "choose", lambda parent, title, text, answers, **k: answers.index("Xoá bản nháp"))
    wiz.reject()
    assert drafts.list_drafts(office_db, "01") == []


def test_second_window_on_the_same_data_is_refused(qtbot, office_db, data_dir, monkeypatch):
    from PySide6.QtCore import QLockFile

    held = QLockFile(str(data_dir / LOCK_NAME))
    assert held.tryLock(100)
    shown = []
    monkeypatch.setattr(app_module.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    try:
        assert app_module.run_gui(str(data_dir)) == 1
    finally:
        held.unlock()
    assert shown and "đang mở trong một cửa sổ khác" in shown[0]
