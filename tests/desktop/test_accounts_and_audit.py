"""Account management, changing one's password, and reading the audit trail — driven like a user."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop.common import messages
from desktop.admin.accounts_dialog import AccountsDialog, AddAccountForm, ResetPasswordForm
from desktop.admin.audit_view import COLUMNS, AuditLogDialog
from desktop.common.password_dialog import ChangePasswordDialog
from models.clock import today
from models.security.roles import NotAllowed
from models.security.vault import BadCredentials, Vault
from models.services.accounts import add_account, list_accounts, login
from models.services.audit_log import AuditFilter, case_history, count_events, fetch_events
from models.services.cases import load_case, open_case
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw
from tests.desktop.helpers import type_text

WORKER_PASSWORD = "mat-khau-can-bo"


@pytest.fixture
def sign_in(data_dir):
    """login() for the test, closing every workspace it opened at the end."""
    opened = []

    def _login(username: str, password: str):
        ws = login(data_dir, username, password)
        opened.append(ws)
        return ws

    yield _login
    for ws in opened:
        ws.close()


def _click_ok(form: QDialog) -> None:
    form.buttons.button(QDialogButtonBox.Ok).click()


def _fill_add_form(form: AddAccountForm, username: str, full_name: str, password: str, confirm: str,
                   roles=("worker",)) -> None:
    type_text(form.username, username)
    type_text(form.full_name, full_name)
    for code, box in form.roles.items():
        box.setChecked(code in roles)
    type_text(form.password, password)
    type_text(form.confirm, confirm)


def _column(dialog: AuditLogDialog, title: str) -> list[str]:
    col = COLUMNS.index(title)
    model = dialog.model
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


# -- accounts ----------------------------------------------------------------------------------------------
def test_admin_adds_a_worker_who_can_then_log_in(qtbot, workspace, data_dir, sign_in, monkeypatch):
    dialog = AccountsDialog(workspace)
    qtbot.addWidget(dialog)
    assert [a.username for a in dialog.accounts] == ["admin"]

    def user_fills_the_form(form):
        _fill_add_form(form, "tam.le", "lê văn tâm", WORKER_PASSWORD, WORKER_PASSWORD, roles=("worker", "leader"))
        _click_ok(form)
        return form.result()

    monkeypatch.setattr(AddAccountForm, "exec", user_fills_the_form)
    dialog.add_button.click()

    assert dialog.message.text() == "Đã thêm tài khoản tam.le."
    assert [a.username for a in dialog.accounts] == ["admin", "tam.le"]
    row = [a.username for a in dialog.accounts].index("tam.le")
    assert dialog.table.item(row, 1).text() == "Lê Văn Tâm"
    assert dialog.table.item(row, 2).text() == "Cán bộ bảo vệ trẻ em, Lãnh đạo (Chủ tịch / Phó Chủ tịch)"
    assert dialog.table.item(row, 3).text() == "Đang hoạt động"
    assert dialog.table.item(row, 4).text() == "Chưa đăng nhập"

    worker = sign_in("tam.le", WORKER_PASSWORD)
    assert worker.actor.roles == frozenset({"worker", "leader"})
    assert worker.actor.full_name == "Lê Văn Tâm"


def test_add_form_refuses_mismatch_and_short_password(qtbot, workspace, data_dir):
    form = AddAccountForm(workspace)
    qtbot.addWidget(form)
    _fill_add_form(form, "tam.le", "Lê Văn Tâm", WORKER_PASSWORD, WORKER_PASSWORD + "x")
    _click_ok(form)
    assert form.message.text() == "Hai lần nhập mật khẩu không giống nhau."
    assert form.result() != QDialog.Accepted

    form.password.clear()
    form.confirm.clear()
    type_text(form.password, "ab12c")
    type_text(form.confirm, "ab12c")
    _click_ok(form)
    assert form.message.text() == "Mật khẩu phải có ít nhất 8 ký tự."
    assert form.result() != QDialog.Accepted

    for box in form.roles.values():
        box.setChecked(False)
    form.password.setText(WORKER_PASSWORD)
    form.confirm.setText(WORKER_PASSWORD)
    _click_ok(form)
    assert form.message.text() == "Chọn ít nhất một vai trò cho tài khoản."

    # Nothing half-made: no account row, no key, no audit entry for it.
    assert [a.username for a in list_accounts(workspace)] == ["admin"]
    assert Vault.load(data_dir).usernames() == ["admin"]
    assert count_events(workspace, AuditFilter(entity_id="tam.le")) == 0


def test_reset_password_then_log_in_with_the_new_one(qtbot, workspace, sign_in, monkeypatch):
    add_account(workspace, "tam.le", "Lê Văn Tâm", ["worker"], WORKER_PASSWORD)
    dialog = AccountsDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.select("tam.le")
    assert dialog.reset_button.isEnabled()

    def user_types_new_password(form):
        assert form.account_username == "tam.le"
        type_text(form.password, "mat-khau-moi-2026")
        type_text(form.confirm, "mat-khau-moi-2026")
        _click_ok(form)
        return form.result()

    monkeypatch.setattr(ResetPasswordForm, "exec", user_types_new_password)
    dialog.reset_button.click()
    assert dialog.message.text().startswith("Đã đặt lại mật khẩu cho tam.le.")

    assert sign_in("tam.le", "mat-khau-moi-2026").actor.username == "tam.le"
    with pytest.raises(BadCredentials):
        sign_in("tam.le", WORKER_PASSWORD)


def test_disable_asks_first_then_refuses_the_login(qtbot, workspace, sign_in, monkeypatch):
    add_account(workspace, "tam.le", "Lê Văn Tâm", ["worker"], WORKER_PASSWORD)
    dialog = AccountsDialog(workspace)
    qtbot.addWidget(dialog)
    questions = []
    answer = {"value": False}

    def fake_confirm(parent, title, text, yes_text):
        questions.append((title, text, yes_text))
        return answer["value"]

    monkeypatch.setattr(messages, "confirm", fake_confirm)
    dialog.select("tam.le")
    dialog.disable_button.click()
    assert questions[0][0] == "Vô hiệu hoá tài khoản"
    assert questions[0][1].startswith("Vô hiệu hoá tài khoản tam.le (Lê Văn Tâm)?")
    assert sign_in("tam.le", WORKER_PASSWORD).actor.username == "tam.le"  # "Huỷ" changed nothing

    answer["value"] = True
    dialog.disable_button.click()
    assert dialog.message.text() == "Đã vô hiệu hoá tài khoản tam.le và đổi khoá mã hoá dữ liệu."
    row = [a.username for a in dialog.accounts].index("tam.le")
    assert dialog.table.item(row, 3).text() == "Đã vô hiệu hoá"
    assert not dialog.disable_button.isEnabled() and not dialog.reset_button.isEnabled()
    # The key for this account is gone, so the vault refuses before the database is even opened.
    with pytest.raises(BadCredentials, match=r"^Sai tên đăng nhập hoặc mật khẩu\.$"):
        login(workspace.folder, "tam.le", WORKER_PASSWORD)


def test_admin_cannot_disable_itself(qtbot, workspace, sign_in, monkeypatch):
    dialog = AccountsDialog(workspace)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(messages, "confirm", lambda *a: pytest.fail("no question for a refused action"))
    dialog.select("admin")
    dialog.disable_button.click()
    assert dialog.message.text() == "Không thể tự vô hiệu hoá tài khoản đang dùng."
    assert "b00020" in dialog.message.styleSheet()
    assert sign_in("admin", PASSWORD).actor.username == "admin"


def test_accounts_dialog_is_for_administrators_only(workspace, sign_in):
    add_account(workspace, "tam.le", "Lê Văn Tâm", ["worker"], WORKER_PASSWORD)
    worker = sign_in("tam.le", WORKER_PASSWORD)
    with pytest.raises(NotAllowed, match="không có quyền quản lý tài khoản"):
        AccountsDialog(worker)


# -- own password --------------------------------------------------------------------------------------------
def test_change_own_password(qtbot, workspace, sign_in):
    dialog = ChangePasswordDialog(workspace)
    qtbot.addWidget(dialog)
    type_text(dialog.current, "khong-phai-mat-khau")
    type_text(dialog.new, "mat-khau-moi-2026")
    type_text(dialog.confirm, "mat-khau-moi-2026")
    _click_ok(dialog)
    assert dialog.message.text() == (
        "Mật khẩu hiện tại không đúng. Còn 4 lần thử trước khi tài khoản bị tạm khoá."
    )
    assert dialog.result() != QDialog.Accepted
    assert dialog.current.text() == ""

    type_text(dialog.current, PASSWORD)
    dialog.confirm.clear()
    type_text(dialog.confirm, "mat-khau-khac-2026")
    _click_ok(dialog)
    assert dialog.message.text() == "Hai lần nhập mật khẩu mới không giống nhau."

    type_text(dialog.confirm, "mat-khau-moi-2026")
    _click_ok(dialog)
    assert dialog.result() == QDialog.Accepted
    assert sign_in("admin", "mat-khau-moi-2026").actor.username == "admin"
    with pytest.raises(BadCredentials):
        sign_in("admin", PASSWORD)


# -- audit trail -----------------------------------------------------------------------------------------------
@pytest.fixture
def busy_office(workspace, office_db, sign_in):
    """An office with some history: settings saved, two cases, a worker who logged in and opened one."""
    first = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    second = create_intake(
        office_db, parse_intake(intake_raw(child_name="Lê Văn Bình", personal_id="030315009999"))[0], workspace.actor
    )
    add_account(workspace, "tam.le", "Lê Văn Tâm", ["worker"], WORKER_PASSWORD)
    worker = sign_in("tam.le", WORKER_PASSWORD)
    open_case(worker.db, worker.actor, first)
    admin = sign_in("admin", PASSWORD)
    return admin, load_case(office_db, first).code, load_case(office_db, second).code


def test_audit_log_shows_vietnamese_rows_and_filters(qtbot, busy_office):
    admin, first_code, _second = busy_office
    dialog = AuditLogDialog(admin)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Nhật ký sử dụng"
    total = dialog.model.total
    assert dialog.count_label.text() == f"{total} mục"
    actions = _column(dialog, "Việc")
    assert {"Đăng nhập", "Tạo", "Sửa", "Xem"} <= set(actions)
    assert actions[0] == "Đăng nhập"  # newest first: the admin's own log-in
    users = set(_column(dialog, "Người dùng"))
    assert {"Trần Thị Lan (admin)", "Lê Văn Tâm (tam.le)"} <= users
    assert f"Hồ sơ {first_code}" in _column(dialog, "Đối tượng")
    assert "Tên xã / phường / đặc khu" in _column(dialog, "Trường")  # field names in Vietnamese
    assert "Cán bộ bảo vệ trẻ em" in _column(dialog, "Giá trị mới")  # role codes in Vietnamese

    dialog.user.setCurrentIndex(dialog.user.findData("tam.le"))
    assert set(_column(dialog, "Người dùng")) == {"Lê Văn Tâm (tam.le)"}
    assert _column(dialog, "Việc") == ["Xem", "Đăng nhập"]
    assert dialog.count_label.text() == "2 mục"

    dialog.action.setCurrentIndex(dialog.action.findData("print"))
    assert dialog.model.rowCount() == 0
    assert dialog.count_label.text() == "Không có mục nào phù hợp."
    dialog.user.setCurrentIndex(0)
    dialog.action.setCurrentIndex(dialog.action.findData("login"))
    assert set(_column(dialog, "Việc")) == {"Đăng nhập"}
    dialog.action.setCurrentIndex(0)

    # Search ignores marks and case, like the case list: "cam hung" finds "Cẩm Hưng".
    type_text(dialog.search, "cam hung")
    qtbot.waitUntil(lambda: dialog.model.filter.text == "cam hung")
    assert dialog.model.rowCount() >= 2
    assert all("Cẩm Hưng" in v for v in _column(dialog, "Giá trị mới"))

    dialog.search.clear()
    dialog.use_from.setChecked(True)
    dialog.date_from.setDate(QDate.fromString((today() + timedelta(days=1)).strftime("%d/%m/%Y"), "dd/MM/yyyy"))
    qtbot.waitUntil(lambda: dialog.model.filter.date_from is not None and dialog.model.filter.text == "")
    assert dialog.model.rowCount() == 0
    dialog.date_from.setDate(QDate.fromString(today().strftime("%d/%m/%Y"), "dd/MM/yyyy"))
    assert dialog.model.total == total


def test_case_history_shows_only_that_case(qtbot, busy_office):
    admin, first_code, second_code = busy_office
    dialog = AuditLogDialog(admin, case_code=first_code)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Lịch sử hồ sơ {first_code}"
    assert dialog.table.isColumnHidden(COLUMNS.index("Đối tượng"))
    assert _column(dialog, "Việc") == ["Xem", "Tạo"]
    assert _column(dialog, "Người dùng") == ["Lê Văn Tâm (tam.le)", "Trần Thị Lan (admin)"]
    rows = case_history(admin, first_code)
    assert [(r.entity, r.entity_id, r.action) for r in rows] == [("case", first_code, "view"), ("case", first_code, "create")]
    assert [r.action for r in case_history(admin, second_code)] == ["create"]


def test_audit_log_pages_as_the_view_scrolls(qtbot, workspace, sign_in, monkeypatch):
    import desktop.admin.audit_view as audit_view

    monkeypatch.setattr(audit_view.AuditLogModel, "page", 2)
    for _ in range(3):
        sign_in("admin", PASSWORD)
    dialog = AuditLogDialog(workspace)
    qtbot.addWidget(dialog)
    # The set-up's two entries (the administrator's signing key, the account) and three sign-ins.
    assert dialog.model.total == 5 and dialog.model.rowCount() == 2
    assert dialog.model.canFetchMore()
    dialog.model.fetchMore()
    assert dialog.model.rowCount() == 4 and dialog.model.canFetchMore()
    dialog.model.fetchMore()
    assert dialog.model.rowCount() == 5 and not dialog.model.canFetchMore()
    assert [r.id for r in fetch_events(workspace, AuditFilter(), 1, 2)] == [4, 3]


def test_tampering_turns_the_status_line_red(qtbot, busy_office):
    admin, _first, _second = busy_office
    dialog = AuditLogDialog(admin)
    qtbot.addWidget(dialog)
    assert dialog.chain_label.text() == f"✓ Nhật ký nguyên vẹn: {dialog.model.total} mục, mọi mục đều có chữ ký đúng."
    assert "1b5e20" in dialog.chain_label.styleSheet()

    with admin.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_event SET new_value='x' WHERE id=2")
    dialog.recheck_button.click()
    assert dialog.chain_label.text().startswith("⚠ Nội dung mục nhật ký số 2 đã bị sửa.")
    assert "b00020" in dialog.chain_label.styleSheet()
    again = AuditLogDialog(admin)
    qtbot.addWidget(again)
    assert not again.chain_ok and "mục nhật ký số 2" in again.chain_label.text()


def test_a_worker_may_not_read_the_audit_log(workspace, sign_in):
    add_account(workspace, "tam.le", "Lê Văn Tâm", ["worker"], WORKER_PASSWORD)
    worker = sign_in("tam.le", WORKER_PASSWORD)
    with pytest.raises(NotAllowed, match="không có quyền xem nhật ký"):
        AuditLogDialog(worker)
    with pytest.raises(NotAllowed):
        AuditLogDialog(worker, case_code="HS-2026-0001")
    with pytest.raises(NotAllowed):
        count_events(worker, AuditFilter())
