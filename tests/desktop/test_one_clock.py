"""One clock: every screen works in Vietnam time (Asia/Ho_Chi_Minh) whatever the PC's time zone.

On a PC set to UTC the Mẫu 01 wizard once defaulted the moment of receiving the information to the PC's
clock (00:57 while Mẫu 02 showed 07:44), and the new case's 12-hour limit read "Còn 4 giờ 59 phút".
The window is run here in a child test process with TZ=UTC and TZ=America/New_York (Qt and Python both
read the zone from TZ), driving the real wizard and screens."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

CHILD = os.environ.get("BVTE_CLOCK_CHILD", "")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_the_window_keeps_vietnam_time_on_a_pc_in_another_zone(zone):
    if CHILD:
        pytest.skip("the child run only drives the screens")
    env = {**os.environ, "TZ": zone, "BVTE_CLOCK_CHILD": zone}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         f"{Path(__file__).relative_to(ROOT)}::test_screens_in_the_pc_zone"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout


def test_screens_in_the_pc_zone(qtbot, workspace, office_db, monkeypatch):
    if not CHILD:
        pytest.skip("run by the test above with TZ set to another zone")
    from PySide6.QtCore import QDateTime
    from PySide6.QtWidgets import QWizard

    from desktop.common import messages
    from desktop.process import open_screen
    from desktop.cases.wizard01 import IntakeWizard
    from models.clock import now
    from models.services.cases import load_case
    from models.stages import next_step
    from models.validation import parse_datetime, parse_date
    from tests.desktop.helpers import type_text

    # The PC (Python and Qt) really is in another zone.
    assert time.localtime().tm_gmtoff != 7 * 3600
    assert QDateTime.currentDateTime().offsetFromUtc() != 7 * 3600
    monkeypatch.setattr(messages, "choose", lambda *a, **k: 0)

    wiz = IntakeWizard(workspace, worker_name="Trần Thị Lan")
    qtbot.addWidget(wiz)
    wiz.show()
    received = parse_datetime(wiz.widgets["received_at"].dateTime().toString("HH:mm dd/MM/yyyy"))
    assert abs(received - now()) < timedelta(minutes=2), (received, now())
    assert parse_date(wiz.widgets["report_date"].date().toString("dd/MM/yyyy")) == now().date()
    assert wiz.widgets["report_date"].maximumDate().toString("dd/MM/yyyy") == now().strftime("%d/%m/%Y")
    # A report taken with the wizard's own default moment: the 12-hour limit has (almost) all its 12 hours.
    wiz.widgets["category"].button("bi_xam_hai").click()
    wiz.widgets["source"].button("gap_truc_tiep").click()
    wiz.next()
    type_text(wiz.widgets["child_name"], "Vu Thi Hong Nhung")
    wiz.next()
    type_text(wiz.widgets["child_condition"], "Nhieu vet bam o tay.")
    wiz.next()
    wiz.next()
    wiz.button(QWizard.FinishButton).click()
    assert wiz.case_id is not None
    case = load_case(office_db, wiz.case_id)
    assert abs(case.intake.received_at - now()) < timedelta(minutes=2)
    status = next_step(case).status(now())
    assert status.startswith(("Còn 11 giờ", "Còn 12 giờ")), status

    # Mẫu 02 opened right after shows the same clock as the wizard.
    s02 = open_screen("02", workspace, wiz.case_id)
    qtbot.addWidget(s02)
    s02.show()
    assessed = parse_datetime(s02.widgets["assessed_at"].dateTime().toString("HH:mm dd/MM/yyyy"))
    assert abs(assessed - received) < timedelta(minutes=2)
    s02.widgets["threat_health"].button("yes").click()
    assert "Còn 11 giờ" in s02.conclusion.text() or "Còn 12 giờ" in s02.conclusion.text(), s02.conclusion.text()
