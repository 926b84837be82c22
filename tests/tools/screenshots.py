"""Screenshots of the real window under X (run on demand, not part of the test run).

    BVTE_USER=canbo BVTE_PASSWORD=… xvfb-run -a -s '-screen 0 1366x768x24' \
        .venv/bin/python tests/tools/screenshots.py DATA_DIR OUT_DIR

Opens the main window on DATA_DIR (the to-do home tab), selects the first case, opens the Mẫu 01 wizard,
the print preview and the screen of the most urgent task, and saves a PNG of the whole screen after each step.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow
from models.services.accounts import login
import os


def main() -> None:
    data_dir, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    window = MainWindow(login(data_dir, os.environ["BVTE_USER"], os.environ["BVTE_PASSWORD"]))
    window.show()
    steps = []

    def shot(name):
        def take():
            app.primaryScreen().grabWindow(0).save(str(out / f"{name}.png"))
        return take

    def cases_tab():
        window.tabs.setCurrentIndex(1)

    def select_first():
        window.table.selectRow(0)

    def process_screen():
        window.preview.close()
        window.tabs.setCurrentIndex(0)
        task = window.tasks_view.model.tasks[0]
        window.open_process_screen(task.case_id, task.form)

    def search():
        window.search.setText("nguyen thi")

    def wizard():
        window.open_intake_wizard()
        window.wizard.move(300, 60)

    def wizard_next():
        window.wizard.widgets["category"].set_value("bi_xam_hai")
        window.wizard.widgets["source"].set_value("dien_thoai")
        window.wizard.next()
        window.wizard.widgets["child_name"].setText("Trần Văn 😀")
        window.wizard.widgets["personal_id"].setText("12345678901")
        window.wizard.next()

    def preview():
        window.wizard.reject_without_prompt = True
        window.wizard.hide()
        window.print_form(window.model.case_id(0), "01")
        window.preview.resize(800, 740)
        window.preview.move(280, 10)

    steps = [shot("0-todo"), cases_tab, select_first, shot("1-main"), search, shot("2-search"), wizard, shot("3-wizard"),
             wizard_next, shot("4-wizard-errors"), preview, shot("5-preview"), process_screen, shot("6-process-screen"), app.quit]
    for i, step in enumerate(steps):
        QTimer.singleShot(800 * (i + 1), step)
    app.exec()


if __name__ == "__main__":
    main()
