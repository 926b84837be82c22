"""Main window: the case list with search and filters on the left, the chosen case on the right."""
from __future__ import annotations


from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QComboBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMainWindow, QMessageBox, QPushButton,
    QSplitter, QTableView, QTabWidget, QToolBar, QVBoxLayout, QWidget,
)

from models import __version__, forms
from models.errors import UserError
from models.clock import fmt_datetime, now
from models.services.accounts import Workspace
from models.services import drafts
from models.services.calendar_edits import load_calendar
from models.services.cases import CaseFilter, case_years, open_case
from models.services.office import DEMO_MARK, get_office, is_demo
from models.stages import STAGES

from desktop.actions import printing
from desktop.admin import backup_actions
from desktop.common import messages
from desktop.common.worker import run_with_progress, start_in_background, wait_for_background_jobs
from desktop.cases.case_list_model import CaseListModel
from desktop.cases.case_view import CaseView
from desktop.admin.login import IdleGuard
from desktop.admin.settings_dialog import SettingsDialog
from desktop.common.frame import fit_columns, fit_to_screen, read_only_table
from desktop.cases.tasks_view import TasksView
from desktop.cases.wizard01 import IntakeWizard

CHECK_DELAY_MS = 3000  # the file's check waits for the to-do list, at most this long
WINDOW_SETTINGS = "cua-so.ini"  # beside the data: where and how large the main window was
NO_CASE_VIEW = ("Tài khoản quản trị viên không xem được hồ sơ trẻ em: quản trị viên lo tài khoản, cài đặt và sao "
                "lưu, còn hồ sơ chỉ cán bộ bảo vệ trẻ em và lãnh đạo được xem (bảo vệ thông tin riêng tư của trẻ). "
                "Muốn làm việc với hồ sơ, hãy đăng nhập bằng tài khoản cán bộ hoặc lãnh đạo (menu Tài khoản → "
                "Đổi người dùng).")
OVERVIEW_TAB = "Tổng quan"
CARERS_TAB = "Người nhận CSTT"  # người nhận chăm sóc thay thế (desktop/care/carers.py)
CARE_TAB = "Chăm sóc thay thế"
SEARCH_DELAY_MS = 60  # wait for a pause in typing, but short enough to feel instant


class MainWindow(QMainWindow):
    check_finished = Signal(bool)  # the integrity check at opening is over (False: the file is damaged)

    def __init__(self, ws: Workspace, *, backup_on_exit: bool = False):
        super().__init__()
        self.opening_check = None
        self._backup_on_exit = backup_on_exit
        self.ws = ws
        self.db = db = ws.db
        self.actor = ws.actor
        self.wizard: IntakeWizard | None = None
        self.demo = is_demo(get_office(db))
        self.setWindowTitle(f"BVTE — Bảo vệ trẻ em · {ws.actor.full_name} ({ws.actor.role_words})"
                            + (f" · {DEMO_MARK} (không phải hồ sơ thật)" if self.demo else ""))
        fit_to_screen(self, 1280, 760)  # the size when not maximised; see show_as_remembered()

        toolbar = QToolBar("Công việc")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.new_action = QAction("Tiếp nhận thông tin mới (Mẫu 01)", self)
        self.new_action.setShortcut(QKeySequence.New)
        self.new_action.triggered.connect(lambda: self.open_intake_wizard())
        toolbar.addAction(self.new_action)
        self.settings_action = QAction("Cài đặt cơ quan", self)
        self.settings_action.triggered.connect(self.edit_settings)
        toolbar.addAction(self.settings_action)
        self.new_action.setEnabled(self.actor.can("case.create"))
        self.settings_action.setEnabled(self.actor.can("settings"))
        self._build_menus()
        from desktop.help.f1 import install_f1

        install_f1(self)  # F1: the page of the tab in front (help_page)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Tìm theo tên trẻ (gõ có dấu hoặc không dấu) hoặc mã hồ sơ…")
        self.search.setClearButtonEnabled(True)
        self.year = QComboBox()
        self.year.setObjectName("year")
        self.stage = QComboBox()
        self.stage.setObjectName("stage")
        self.stage.addItem("Mọi giai đoạn", None)
        for code, label in STAGES.items():
            self.stage.addItem(label, code)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Năm:"))
        filters.addWidget(self.year)
        filters.addWidget(QLabel("Giai đoạn:"))
        filters.addWidget(self.stage)
        self.month_filter: int | None = None  # set from the overview's "cases by month"
        self.month_button = QPushButton()
        self.month_button.setObjectName("month_filter")
        self.month_button.setToolTip("Bỏ lọc theo tháng")
        self.month_button.setVisible(False)
        self.month_button.clicked.connect(lambda: self.set_month_filter(None))
        filters.addWidget(self.month_button)

        self.model = CaseListModel(db, self, visible=self.actor.can("case.view"))
        self.table = QTableView()
        self.table.setModel(self.model)
        # One line per case: long stage names are elided, shown in full on hover.
        read_only_table(self.table, "cases", widths=(105, 200, 105, 60, 110, 100, 150), wrap=False,
                        alternating=True, row_room=10)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(5, Qt.DescendingOrder)
        fit_columns(self.table, room=1, room_min=180)  # the child's name first; no header cut
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.count_label.setWordWrap(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table)
        left_layout.addWidget(self.count_label)
        self.case_view = CaseView()
        self.case_view.print_requested.connect(self.print_form)
        self.case_view.history_requested.connect(self.show_audit_log)
        self.case_view.open_requested.connect(self.open_process_screen)
        self.case_view.help_requested.connect(self.open_step_help)
        self.case_view.can_print = self.actor.can("print")
        self.case_view.can_approve = self.actor.can("approve")
        self.case_view.closure.setVisible(self.actor.can("case.edit"))
        self.case_view.history.setVisible(self.actor.can("audit.view"))
        self.case_view.print01.setVisible(self.actor.can("print"))
        self.case_view.print_all.setVisible(self.actor.can("print"))
        if not self.actor.can("case.view"):
            self.case_view.empty_text = "Không có hồ sơ để hiện với tài khoản này (xem dòng dưới danh sách)."
            self.case_view.show_case(None)
        self.case_view.dossier_requested.connect(self.print_dossier)
        self.case_view.set_workspace(ws)  # the case's attachments and the signed copies of its papers
        self.case_view.signed_requested.connect(self.open_signed_paper)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.case_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 380])
        splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        # Việc cần làm is the home screen: what is due or late across all cases, one click to the right screen.
        self.tasks_view = TasksView(ws)
        self.tasks_view.open_requested.connect(self.open_process_screen)
        self.tasks_view.report_requested.connect(lambda code: self.export_report(code))
        self._tasks_shown = False
        self.tasks_view.loaded.connect(lambda _count: setattr(self, "_tasks_shown", True))
        self.tabs.addTab(self.tasks_view, "Việc cần làm")
        self.tabs.addTab(splitter, "Hồ sơ trường hợp")
        # The register is built the first time its tab is opened: start-up stays quick.
        self.register: QWidget | None = None
        self.tabs.addTab(QWidget(), "Sổ theo dõi trẻ em")
        # Tổng quan: built the first time it is opened too (desktop/reports/overview.py)
        self.overview = None
        self.tabs.addTab(QWidget(), OVERVIEW_TAB)
        # Alternative care, the carers' side (desktop/care/carers.py): built the first time it is opened.
        self.carers = None
        self.tabs.addTab(QWidget(), CARERS_TAB)
        self.tasks_view.loaded.connect(lambda _count: self.overview.set_tasks(self.tasks_view.model.tasks)
                                       if self.overview is not None else None)
        # Chăm sóc thay thế (issue 15): children needing care and placements (desktop/care/care_view.py).
        from desktop.care.care_view import CareView

        self.care_view = CareView(ws)
        self.care_view.changed.connect(self.tasks_view.refresh)
        self.care_view.print_requested.connect(self.print_care_form)
        self.tabs.addTab(self.care_view, CARE_TAB)
        self.case_view.can_start_care = self.actor.can("case.edit")
        self.case_view.care_requested.connect(self.start_care)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        if db.is_server:
            from models.server import shown_url

            where = f"máy chủ {shown_url(db.server_url)}"
        else:
            where = str(db.path)
        self.statusBar().showMessage(f"BVTE {__version__} · dữ liệu: {where}")
        if db.is_server:  # others' work shows in the to-do list within seconds
            self.tasks_view.follow_others()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.year.currentIndexChanged.connect(lambda _i: self.set_month_filter(None, apply=False))
        self.year.currentIndexChanged.connect(self.apply_filter)
        self.stage.currentIndexChanged.connect(self.apply_filter)
        self._fill_years()
        self._update_count()
        office = get_office(db)
        self.idle_guard = IdleGuard(ws, office.idle_lock_minutes if office else 10, on_quit=self.close, parent=self,
                                    on_switch=self.sign_out)

    def _build_menus(self) -> None:
        def add(menu, text, slot, allowed=True):
            action = menu.addAction(text)
            action.triggered.connect(slot)
            action.setEnabled(allowed)
            return action

        work = self.menuBar().addMenu("&Công việc")
        work.addAction(self.new_action)
        add(work, "Thoát", self.close)
        office = self.menuBar().addMenu("Cơ &quan")
        office.addAction(self.settings_action)
        self.audit_action = add(office, "Nhật ký truy cập…", self.show_audit_log, self.actor.can("audit.view"))
        self.calendar_action = add(office, "Lịch ngày làm việc, ngày nghỉ…", self.edit_calendar,
                                   self.actor.can("case.edit") or self.actor.can("settings"))
        office.addSeparator()
        self.export_action = add(office, "Xuất báo cáo định kỳ (Excel)…", self.export_report, self.actor.can("export"))
        add(office, "Gộp báo cáo của các xã (cấp tỉnh)…", self.merge_reports)
        office.addSeparator()
        from desktop.admin.first_run_demo import is_demo_folder

        self.discard_demo_action = add(office, "Xoá dữ liệu mẫu, bắt đầu thật…", self.discard_demo,
                                       self.demo and self.actor.can("settings") and is_demo_folder(self.ws.folder))
        self.discard_demo_action.setVisible(self.demo)
        self.backup_action = add(office, "Sao lưu dữ liệu…", lambda: backup_actions.backup_now(self, self.ws),
                                 self.actor.can("backup"))
        self.restore_action = add(office, "Khôi phục từ bản sao lưu…", self.restore, self.actor.can("restore"))
        printing = self.menuBar().addMenu("&In")
        allowed = self.actor.can("print")
        self.print_dossier_action = add(printing, "In toàn bộ hồ sơ đang chọn (có bìa và mục lục)…",
                                        lambda: self.print_dossier(self.case_view.case_id), allowed)
        blank = printing.addMenu("In mẫu trắng (để điền tay)")
        blank.setEnabled(allowed)
        for form in forms.blank_forms():
            add(blank, form.short, lambda _c=False, f=form.code: self.print_blank(f), allowed)
        printing.addSeparator()
        self.print_tasks_action = add(printing, "In danh sách việc cần làm…", lambda: self.print_list("tasks"), allowed)
        self.print_cases_action = add(printing, "In danh sách hồ sơ (theo bộ lọc đang chọn)…",
                                      lambda: self.print_list("cases"), allowed and self.actor.can("case.view"))
        self.print_register_action = add(printing, "In danh sách trẻ em trong sổ theo dõi (theo bộ lọc đang chọn)…",
                                         lambda: self.print_list("register"), allowed)
        account = self.menuBar().addMenu("&Tài khoản")
        # A shared PC (the worker and the chairman use one): lock on leaving the desk, or hand over.
        self.lock_action = add(account, "Khoá ngay", lambda: self.idle_guard.lock(idle=False))
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.switch_action = add(account, "Đổi người dùng…", self.sign_out)
        self.sign_out_action = add(account, "Đăng xuất", self.sign_out)
        account.addSeparator()
        add(account, f"Đổi mật khẩu của {self.actor.username}…", self.change_password)
        self.accounts_action = add(account, "Quản lý tài khoản…", self.manage_accounts, self.actor.can("accounts"))
        helping = self.menuBar().addMenu("Trợ &giúp")
        self.help_action = add(helping, "Hướng dẫn sử dụng", lambda: self.open_help())
        self.help_action.setShortcutVisibleInContextMenu(True)
        self.help_action.setToolTip("Phím F1 ở bất kỳ cửa sổ nào mở trang hướng dẫn của cửa sổ đó")
        self.diagram_action = add(helping, "Sơ đồ quy trình…", self.show_process_diagram)
        self.manual_action = add(helping, "Bản in hướng dẫn (PDF)…", self.open_manual)
        helping.addSeparator()
        self.whats_new_action = add(helping, "Có gì mới…", self.show_whats_new)
        self.about_action = add(helping, "Giới thiệu BVTE…", self.show_about)

    def after_start(self) -> None:
        """What runs once the window is up: unfinished drafts and the USB reminder at once; the integrity check
        of the data file and then the daily backup in the background (the window is usable meanwhile); after an
        upgrade, once, what is new."""
        self.start_opening_check_after_tasks()
        self.offer_drafts()
        backup_actions.remind_external_backup(self, self.ws)
        from desktop.help.about import whats_new_once

        self.whats_new = whats_new_once(self._window_settings(), self.actor.username, self)

    # -- help ------------------------------------------------------------------------------------------
    def help_page(self) -> str:
        """F1 on the main window: the page of the tab in front."""
        tab = self.tabs.tabText(self.tabs.currentIndex()) if hasattr(self, "tabs") else ""
        return {"Việc cần làm": "viec-can-lam", "Hồ sơ trường hợp": "danh-sach-ho-so",
                "Sổ theo dõi trẻ em": "so-theo-doi", CARERS_TAB: "nguoi-nhan-cham-soc-thay-the"}.get(tab, "bat-dau")

    def open_help(self, page: str | None = None):
        from desktop.help.f1 import open_help

        return open_help(self, page)

    def open_step_help(self, form: str):
        """The page of a next step's screen (the case view's "Hướng dẫn" links)."""
        from desktop.process import screen_class

        return self.open_help(screen_class(form).HELP_PAGE)

    def show_process_diagram(self):
        """The six steps; with the chosen case's position when a case is chosen."""
        from models.services.cases import load_case
        from models.stages import stage_of

        from desktop.help.window import show_diagram

        case_id = self.case_view._case_id if self.actor.can("case.view") else None
        if case_id is None:
            return show_diagram(self)
        case = load_case(self.db, case_id)
        return show_diagram(self, stage_of(case), f"{case.code} · {case.child.full_name}")

    def open_manual(self):
        from desktop.help.window import open_manual

        return open_manual(self)

    def show_whats_new(self):
        from desktop.help.about import WhatsNewDialog

        dialog = WhatsNewDialog(parent=self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_about(self):
        from desktop.help.about import AboutDialog

        dialog = AboutDialog(self.ws.folder, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def start_opening_check_after_tasks(self, *, then_backup: bool = True) -> None:
        """The user's work first: the check starts once the to-do list is filled (or after a few seconds)."""
        started = [False]

        def start(*_args) -> None:
            if not started[0]:
                started[0] = True
                self.start_opening_check(then_backup=then_backup)

        if self._tasks_shown or not self.tasks_view.allowed:
            start()
            return
        self.tasks_view.loaded.connect(start)
        QTimer.singleShot(CHECK_DELAY_MS, self, start)

    def start_opening_check(self, *, then_backup: bool = True):
        """The file's check in the background; a damaged file is reported when found, a sound one is backed up
        (once a day, if it changed since the last automatic backup)."""
        from models.integrity import OpeningCheck

        check = self.opening_check = OpeningCheck(self.db)

        def work():
            result = check.run()
            if result.ok and then_backup and not result.interrupted:
                return result, backup_actions.daily_backup_in_background(self.ws)
            return result, ""

        def done(value, error) -> None:
            self.opening_check = None
            if error is not None:
                self.statusBar().showMessage(f"Chưa sao lưu tự động được: {error}", 10000)
                return
            result, message = value
            self.check_finished.emit(result.ok or result.interrupted)
            if result.interrupted:
                return
            if not result.ok:
                self.damaged_file_found()
            elif message:
                self.statusBar().showMessage(message, 10000)

        return start_in_background(self, work, done)

    def damaged_file_found(self) -> None:
        from desktop.admin.recovery import offer_restore_of_damaged

        password, ok = QInputDialog.getText(
            self, "Dữ liệu bị hỏng",
            "Kiểm tra cho thấy tệp dữ liệu bị hỏng. Nhập lại mật khẩu để khôi phục từ bản sao lưu tự động gần nhất:",
            QLineEdit.Password,
        )
        if ok and offer_restore_of_damaged(self, self.ws.folder, self.actor.username, password, current=self.ws):
            QMessageBox.information(self, "Đã khôi phục", "Đã khôi phục dữ liệu. Hãy mở lại chương trình và đăng nhập.")
            self._backup_on_exit = False
            self.close()

    def restore(self) -> None:
        if backup_actions.restore_from_file(self, self.ws):
            self._backup_on_exit = False  # the data was just replaced; the old session is closed
            self._restored = True
            self.close()

    signed_out = False  # the window closed by "Đăng xuất" / "Đổi người dùng": the log-in box comes back
    discard_demo_requested = False  # "Xoá dữ liệu mẫu, bắt đầu thật": the demo folder goes once closed

    def discard_demo(self) -> None:
        """Administrator of a demo office: delete the demo data and start the real office (first-run choice)."""
        if not self.discard_demo_action.isEnabled():
            return
        if not messages.confirm(
            self, "Xoá dữ liệu mẫu",
            "Toàn bộ dữ liệu mẫu (trẻ em, hồ sơ, tài khoản mẫu, bản sao lưu của dữ liệu mẫu) sẽ bị xoá.\n"
            f"Thư mục: {self.ws.folder}\n\nSau đó chương trình hỏi lại để thiết lập cơ quan thật. Tiếp tục?",
            "Xoá dữ liệu mẫu",
        ):
            return
        self.discard_demo_requested = True
        self._backup_on_exit = False  # no backup of data about to be deleted
        self.sign_out()
    signed_out_changed = Signal()

    def sign_out(self) -> None:
        """Close this person's window (drafts kept, backup as on exit); the program asks who signs in next."""
        self.signed_out = True
        for widget in QApplication.topLevelWidgets():
            if widget is not self and widget.isVisible() and widget.isWindow():
                widget.close()  # the screens of the case process keep their drafts on close
        self.close()
        self.signed_out_changed.emit()

    # -- where the window was ---------------------------------------------------------------------------
    def _window_settings(self) -> QSettings:
        """The window's place and size, kept per data folder in a small text file (no personal data; not in
        the encrypted database, which is not open yet when the login box is placed)."""
        return QSettings(str(self.ws.folder / WINDOW_SETTINGS), QSettings.IniFormat)

    def show_as_remembered(self) -> None:
        """Maximised the first time; afterwards as the user left it (if it still fits on a screen)."""
        geometry = self._window_settings().value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry):
            self.show()
        else:
            self.showMaximized()

    def remember_geometry(self) -> None:
        settings = self._window_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.sync()

    def closeEvent(self, event) -> None:
        self.idle_guard.stop()
        self.tasks_view.stop_following()  # no more looks at the server once the window is closed
        if self.opening_check is not None:
            self.opening_check.cancel()  # a check still running is not finished at the cost of the user's time
        self.remember_geometry()
        wait_for_background_jobs()  # nothing may still read the database once it is closed
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.save_draft()  # whatever was typed is kept as a draft, offered at the next start
        if self._backup_on_exit:
            self.hide()  # the window goes at once; a small progress box stays while a changed office is backed up
            backup_actions.backup_on_exit(None, self.ws)
        super().closeEvent(event)

    def export_report(self, period_code: str | None = None) -> None:
        from desktop.reports.report_dialog import ExportReportDialog

        dialog = ExportReportDialog(self.ws, self)
        if period_code:
            dialog.choose_period(period_code)
        dialog.exec()
        self.tasks_view._show_reports(now())  # an exported report is marked done in the to-do list

    def merge_reports(self) -> None:
        from desktop.reports.report_dialog import MergeDialog

        MergeDialog(self).exec()

    def change_password(self) -> None:
        from desktop.common.password_dialog import ChangePasswordDialog

        ChangePasswordDialog(self.ws, self).exec()

    def manage_accounts(self) -> None:
        from desktop.admin.accounts_dialog import AccountsDialog

        AccountsDialog(self.ws, self).exec()

    def show_audit_log(self, case_code: str | None = None) -> None:
        from desktop.admin.audit_view import AuditLogDialog

        AuditLogDialog(self.ws, self, case_code=case_code or None).exec()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.tabText(index) == CARE_TAB:
            self.care_view.refresh()
            return
        if self.tabs.tabText(index) == OVERVIEW_TAB and self.overview is None:
            from desktop.reports.overview import OverviewView

            self.overview = OverviewView(self.ws)
            self.overview.stage_clicked.connect(self.show_stage)
            self.overview.month_clicked.connect(self.show_month)
            self.overview.group_clicked.connect(self.show_group)
            self.overview.overdue_clicked.connect(self.show_overdue)
            self.overview.care_clicked.connect(lambda _stage: self.tabs.setCurrentWidget(self.care_view))
            if self._tasks_shown:
                self.overview.set_tasks(self.tasks_view.model.tasks)
            elif not self.tasks_view._loaded:
                self.tasks_view.refresh_in_background()  # its overdue steps are counted from the to-do list
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, self.overview, OVERVIEW_TAB)
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
            self.overview.refresh()
            return
        if self.tabs.tabText(index) == CARERS_TAB and self.carers is None:
            self.open_carers()
            return
        if self.tabs.tabText(index) == "Sổ theo dõi trẻ em" and self.register is None:
            from desktop.register.register_window import RegisterWindow

            self.register = RegisterWindow(self.ws)
            self.register.child_view.case_requested.connect(self.show_case_in_list)
            self.register.child_view.care_requested.connect(self.start_care_for_child)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, self.register, "Sổ theo dõi trẻ em")
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)

    def open_carers(self):
        """The carers' tab (built once), in front."""
        if self.carers is None:
            from desktop.care.carers import CarersView

            self.carers = CarersView(self.ws)
            self.carers.changed.connect(self.tasks_view.refresh)
            index = next(i for i in range(self.tabs.count()) if self.tabs.tabText(i) == CARERS_TAB)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, self.carers, CARERS_TAB)
            self.tabs.blockSignals(False)
        self.tabs.setCurrentWidget(self.carers)
        return self.carers

    # -- from the overview into the lists ------------------------------------------------------------------
    def _show_tab(self, text: str) -> None:
        self.tabs.setCurrentIndex(next(i for i in range(self.tabs.count()) if self.tabs.tabText(i) == text))

    def show_stage(self, stage: str) -> None:
        """The case list with the open cases of this stage."""
        self.search.clear()
        self.year.setCurrentIndex(0)
        self.stage.setCurrentIndex(max(self.stage.findData(stage), 0))
        self.apply_filter()
        self._show_tab("Hồ sơ trường hợp")

    def show_month(self, key: int) -> None:
        """The case list with the cases of this month (yyyymm)."""
        self.search.clear()
        self.stage.setCurrentIndex(0)
        index = self.year.findData(key // 100)
        if index < 0:
            self._fill_years()
            index = self.year.findData(key // 100)
        self.year.setCurrentIndex(max(index, 0))
        self.set_month_filter(key % 100)
        self._show_tab("Hồ sơ trường hợp")

    def set_month_filter(self, month: int | None, *, apply: bool = True) -> None:
        self.month_filter = month
        self.month_button.setVisible(month is not None)
        if month is not None:
            self.month_button.setText(f"Tháng {month:02d} ✕")
        if apply:
            self.apply_filter()

    def show_group(self, code: str) -> None:
        """The register with the children of this group."""
        register = self.open_register()
        register.group.setCurrentIndex(max(register.group.findData(code), 0))

    def show_overdue(self, step: str) -> None:
        """The to-do list with only the overdue tasks of this step."""
        self._show_tab("Việc cần làm")
        self.tasks_view.show_only(step)

    def open_register(self) -> QWidget:
        self.tabs.setCurrentIndex(next(i for i in range(self.tabs.count()) if self.tabs.tabText(i) == "Sổ theo dõi trẻ em"))
        return self.register

    # -- list ----------------------------------------------------------------------------------------
    def _fill_years(self) -> None:
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("Tất cả", None)
        with self.db.session() as session:
            for year in case_years(session):
                self.year.addItem(str(year), year)
        index = self.year.findData(current)
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = CaseFilter(self.search.text(), self.year.currentData(), self.stage.currentData(), self.model.filter.order,
                         month=self.month_filter if self.year.currentData() is not None else None)
        shown = self.case_view.case_id
        self.model.set_filter(flt)
        self._update_count()
        if shown is not None:
            row = self.model.row_of(shown)
            if row is None:
                self.case_view.show_case(None)  # the case shown is no longer in the list
            else:
                self.table.selectRow(row)

    def _update_count(self) -> None:
        if not self.actor.can("case.view"):
            self.count_label.setText(NO_CASE_VIEW)
            return
        total = self.model.total
        self.count_label.setText(f"{total:,} hồ sơ".replace(",", ".") if total else "Không có hồ sơ nào phù hợp.")

    def _row_changed(self, current, _previous) -> None:
        case_id = self.model.id_at(current.row()) if current.isValid() else None
        if case_id != self.case_view.case_id:  # re-selecting the case already shown is not a new view
            self.show_case(case_id)

    def show_case(self, case_id: int | None) -> None:
        case = open_case(self.db, self.actor, case_id) if case_id is not None else None
        with self.db.session() as session:
            calendar = load_calendar(session)
        self.case_view.show_case(case, get_office(self.db), calendar, can_edit=self.actor.can("case.edit"))

    # -- the case process ----------------------------------------------------------------------------
    def open_process_screen(self, case_id: int, form: str, ref=None):
        """Open the screen that does `form` on the case (from the to-do list or the case view), on the item
        the user came for (`ref`: a plan activity's key)."""
        from desktop.process import open_screen

        if not self.actor.can("case.view"):
            return None
        if form in ("08", "09", "11"):  # alternative care, the carers' side: no case (models.services.carers)
            view = self.open_carers()
            return view.open_send(ref) if form == "09" and self.actor.can("export") else view
        if form == "cstt":  # alternative care: `ref` is the placement (models.services.placements.care_tasks)
            self.tabs.setCurrentWidget(self.care_view)
            return self.care_view.open_task(ref)
        screen = open_screen(form, self.ws, case_id, parent=self)
        if ref is not None and hasattr(screen, "focus_item"):
            screen.focus_item(ref)
        screen.setAttribute(Qt.WA_DeleteOnClose)  # screens come and go all day: do not keep them alive
        screen.saved.connect(self._process_saved)
        self.process_screen = screen
        screen.show()
        return screen

    def open_signed_paper(self, case_id: int, form: str, record_id: int, title: str):
        """The signed copies of one paper of the case (scanned back in), beside the printout."""
        from desktop.cases.signed_paper import SignedPaperDialog

        dialog = SignedPaperDialog(self.ws, case_id, form, None if record_id < 0 else record_id, title, self)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.changed.connect(self._process_saved)
        dialog.open()
        return dialog

    def _process_saved(self, case_id: int) -> None:
        self.tasks_view.refresh()
        self.apply_filter()
        if self.case_view.case_id == case_id:
            self.show_case(case_id)

    def edit_calendar(self) -> None:
        from desktop.admin.calendar_dialog import CalendarDialog

        CalendarDialog(self.ws, self).exec()
        self.tasks_view.refresh()

    def show_case_in_list(self, case_id: int) -> None:
        """From a child's register file: the case in the case tab, whatever the filters hid."""
        self.search.clear()
        self.year.setCurrentIndex(0)
        self.stage.setCurrentIndex(0)
        self.apply_filter()
        self.tabs.setCurrentWidget(self.case_view.parentWidget())
        self.select_case(case_id)

    def select_case(self, case_id: int) -> None:
        row = self.model.row_of(case_id)
        if row is not None:
            self.table.selectRow(row)
        self.show_case(case_id)

    # -- actions -------------------------------------------------------------------------------------
    def open_intake_wizard(self, draft: drafts.DraftInfo | None = None) -> IntakeWizard:
        office = get_office(self.db)
        self.wizard = IntakeWizard(self.ws, worker_name=office.worker_name if office else "", draft=draft, parent=self)
        self.wizard.saved.connect(self._intake_saved)
        self.wizard.show()
        return self.wizard

    def _intake_saved(self, case_id: int) -> None:
        self._fill_years()
        self.apply_filter()
        self.select_case(case_id)
        self.tabs.setCurrentWidget(self.case_view.parentWidget())
        self.tasks_view.refresh()
        self.statusBar().showMessage("Đã lưu báo cáo tiếp nhận (Mẫu 01).", 8000)

    def offer_drafts(self) -> None:
        """After a crash or power cut: offer the unfinished reports again."""
        if not self.actor.can("case.create"):
            return
        for draft in drafts.list_drafts(self.db, "01", user=self.actor.username):
            name = str(draft.payload.get("child_name") or "").strip() or "(chưa ghi tên trẻ)"
            answer = messages.choose(
                self, "Có báo cáo chưa hoàn thành",
                f"Có một báo cáo tiếp nhận (Mẫu 01) chưa hoàn thành, về trẻ: {name}, "
                f"lưu lần cuối lúc {fmt_datetime(draft.updated_at)}.\n\nMở để làm tiếp?",
                ["Mở để làm tiếp", "Để sau"],
            )
            if answer == 0:
                self.open_intake_wizard(draft)
                return

    def edit_settings(self) -> None:
        SettingsDialog(self.ws, parent=self).exec()
        office = get_office(self.db)
        if office is not None:
            self.idle_guard.set_minutes(office.idle_lock_minutes)
        self.show_case(self.model.id_at(self.table.currentIndex().row()) if self.table.currentIndex().isValid() else None)

    def render_pdf(self, case_id: int, form: str) -> bytes:
        """The PDF of one form of a case, recorded in the audit log (desktop.actions.printing)."""
        return printing.show(self.ws, printing.form(self.ws, case_id, form)).pdf

    def _preview(self, paper):
        from desktop.common.pdf_preview import PdfPreview

        # "Lưu thành tệp PDF…" takes the path of `bvte print`: the audit entry first, then the file's name.
        self.preview = PdfPreview(paper.pdf, title=paper.title, file_name=paper.file_name, forms=paper.forms,
                                  save=lambda path, _pdf: printing.save(self.ws, paper, path), parent=self)
        self.preview.show()
        return self.preview

    def print_dossier(self, case_id: int | None):
        """The whole case file: cover, table of contents, every paper in legal order."""
        if case_id is None:
            messages.choose(self, "Chưa in được", "Hãy chọn một hồ sơ trong danh sách trước.", ["Đóng"])
            return None
        try:
            paper = run_with_progress(self, "Đang chuẩn bị bản in hồ sơ…", lambda: printing.dossier(self.ws, case_id))
        except UserError as exc:
            messages.choose(self, "Chưa in được", str(exc), ["Đóng"])
            return None
        return self._preview(printing.show(self.ws, paper))

    def print_blank(self, form: str):
        return self._preview(printing.blank(self.ws, form))

    def print_list(self, kind: str):
        """The to-do list, the case list or the register list, as the window shows it (filters included)."""
        self.actor.require("print")
        if kind == "tasks":
            view = self.tasks_view.model
            headers = [str(view.headerData(c, Qt.Horizontal)) for c in range(view.columnCount())]
            rows = [[str(view.index(r, c).data() or "") for c in range(len(headers))] for r in range(view.rowCount())]
            scope, weights = "mọi hồ sơ đang mở", [1.2, 1.6, 2.6, 1.3, 1.3]
        else:
            if kind == "register":
                self.open_register()
                model = self.register.model
                combos = [self.register.search.text()] + [c.currentText() for c in
                                                          (self.register.group, self.register.village,
                                                           self.register.age, self.register.gender)]
                weights = [2.2, 1.3, 0.8, 1.3, 1.2, 1.2]
            else:
                model = self.model
                combos = [self.search.text(), f"năm {self.year.currentText()}", self.stage.currentText()]
                weights = [1.3, 2.0, 1.2, 0.8, 1.2, 1.1, 1.8]
            headers = list(model.columns)
            found = run_with_progress(self, "Đang chuẩn bị danh sách…",
                                      lambda: model.fetch_rows(model.filter, 0, max(model.total, 1)))
            rows = [[str(model.cell(row, c) or "") for c in range(len(headers))] for row in found]
            scope = "; ".join(t for t in combos if t.strip()) or "tất cả"
        return self._preview(printing.listing(self.ws, kind, headers, rows, scope=scope, weights=weights))

    def start_care(self, case_id: int):
        """From a case with a signed Mẫu 07: the child's Mẫu 10 (the open one, or a new one started from the case)."""
        from models.services.care_need import open_need_of, start_from_separation

        self.tabs.setCurrentWidget(self.care_view)
        try:
            start = start_from_separation(self.db, case_id)
        except UserError as exc:
            messages.choose(self, "Chưa bắt đầu được", str(exc), ["Đóng"])
            return None
        open_id = open_need_of(self.db, start["child_id"])
        return self.care_view.open_need_for(None if open_id else start, care_need_id=open_id)

    def start_care_for_child(self, child_id: int):
        """From the register, for a child living in the community: the child's open Mẫu 10, or a new one."""
        from models.services.care_need import open_need_of

        self.tabs.setCurrentWidget(self.care_view)
        open_id = open_need_of(self.db, child_id)
        start = None if open_id else {"child_id": child_id, "source": "cong_dong"}
        return self.care_view.open_need_for(start, care_need_id=open_id)

    def print_care_form(self, form: str, record_id: int) -> None:
        """A paper of alternative care (Mẫu 10, 12 …; "ho_so": all the placement's papers): `record_id` is the
        CareNeed or the Placement."""
        try:
            paper = printing.show(self.ws, printing.care_dossier(self.ws, record_id) if form == "ho_so"
                                  else printing.care_form(self.ws, form, record_id))
        except UserError as exc:
            messages.choose(self, "Chưa in được", str(exc), ["Đóng"])
            return
        self._preview(paper)

    def print_form(self, case_id: int, form: str) -> None:
        try:
            paper = printing.show(self.ws, printing.form(self.ws, case_id, form))
        except UserError as exc:  # the case lacks that form: a Vietnamese message from the printouts
            messages.choose(self, "Chưa in được", str(exc), ["Đóng"])
            return
        self._preview(paper)
