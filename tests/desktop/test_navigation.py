"""Navigation (issue 12 item 12): a case in a child's register file opens in the case list; the window's
"Đóng cửa sổ" stands apart from "Đóng hồ sơ"; the administrator's empty case tab says why."""
from __future__ import annotations

from desktop.main_window import MainWindow
from models.services.accounts import add_account, login
from models.services.intake import create_intake, parse_intake
from tests.conftest import PASSWORD, intake_raw


def test_a_case_in_the_register_file_opens_in_the_case_list(qtbot, workspace, office_db):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    window.search.setText("khong ai co ten nay")  # a filter that hides the case: opening must still find it
    window.apply_filter()
    register = window.open_register()
    child_id = register.model.id_at(0)
    register.select_child(child_id)
    table = register.child_view.cases
    assert table.rowCount() == 1 and "Nhấp đúp" in table.toolTip()
    table.cellDoubleClicked.emit(0, 0)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Hồ sơ trường hợp"
    assert window.case_view._case_id == case_id
    assert window.model.id_at(window.table.currentIndex().row()) == case_id


def test_close_window_is_not_beside_close_case(qtbot, workspace, office_db):
    case_id = create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    screen = window.open_process_screen(case_id, "dong")
    bar = screen.buttons
    widgets = [bar.itemAt(i).widget() for i in range(bar.count())]
    names = [w.objectName() if w is not None else "|stretch|" for w in widgets]
    assert names[0] == "close" and screen.close_button.text() == "Đóng cửa sổ"
    assert names.index("close_case") > names.index("|stretch|") > names.index("close")
    screen.close()


def test_the_administrators_empty_case_tab_says_why(qtbot, workspace, office_db, data_dir):
    add_account(workspace, "quantri", "Lê Văn Quản", ["admin"], PASSWORD)
    create_intake(office_db, parse_intake(intake_raw())[0], workspace.actor)
    admin = login(data_dir, "quantri", PASSWORD)
    window = MainWindow(admin)
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(1)
    assert window.model.rowCount() == 0
    text = window.count_label.text()
    assert "quản trị viên không xem được hồ sơ" in text and "cán bộ hoặc lãnh đạo" in text
    assert "Không có hồ sơ nào phù hợp" not in text
    window.close()
    admin.close()
