"""Widgets shared by several screens of the process: the two rating tables of Mẫu 03 (also shown in Mẫu 06), the
risk conclusion, the names a decision can be signed by (Mẫu 05, 07, the incident report), a plan version's label."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget,
)

from models.process_rules import HIGH, LEVELS, missing_ratings, process_form, rating_tables, risk_conclusion

from desktop.common.fields import ErrorLabel
from desktop.process.base import LATE_COLOUR, fmt_date, fmt_datetime, wrap_label

MISSING_STYLE = "color:#7a4d00; font-style:italic;"
MISSING_TEXT = "Chưa chọn mức độ"
REFUSED_TEXT = "Chưa chọn mức độ: chọn Cao, Trung bình hoặc Thấp."


class RowMark(ErrorLabel):
    """The line under a rated item: "Chưa chọn mức độ" while no level is chosen (the row is marked, not
    decided), the service's message in red after a refused save, nothing once rated."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rated = False
        self.refresh()

    def refresh(self) -> None:
        self.setStyleSheet(MISSING_STYLE)
        self.setText(MISSING_TEXT)
        self.setVisible(not self.rated)

    def show_message(self, message: str) -> None:
        if message:  # the service names the item; on its own row the short words suffice
            self.setStyleSheet("color: #b00020;")
            self.setText(REFUSED_TEXT)
            self.setToolTip(message)
            self.show()
        else:
            self.setToolTip("")
            self.refresh()


class RatingTables(QWidget):
    """The two rating tables of Mẫu 03 (or Mẫu 06): each item rated Cao / Trung bình / Thấp, each level
    shown with its printed explanation. An item with no level chosen is marked on its own row; a table's
    "Tổng số" row and the conclusion appear only once every item is rated (nothing is concluded from a
    blank)."""

    changed = Signal()

    def __init__(self, form: str, parent=None):
        super().__init__(parent)
        self.form = form
        self.levels = process_form("03")["levels"]
        self.groups: dict[str, dict[str, QButtonGroup]] = {}
        self.buttons: dict[tuple[str, str, str], QRadioButton] = {}
        self.totals: dict[str, QLabel] = {}
        self.marks: dict[str, RowMark] = {}  # "harm.item" → the row's mark / message
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for table in rating_tables(form):
            box = QGroupBox(table["heading"])
            grid = QGridLayout(box)
            grid.setColumnStretch(0, 2)
            for col in range(len(LEVELS)):
                grid.setColumnStretch(col + 1, 2)
            grid.addWidget(wrap_label(table["columns"][0], bold=True), 0, 0)
            for col, level in enumerate(LEVELS):
                grid.addWidget(wrap_label(self.levels[level], bold=True), 0, col + 1)
            self.groups[table["id"]] = {}
            for row, item in enumerate(table["items"], start=1):
                label_cell = QVBoxLayout()
                label_cell.setSpacing(1)
                label_cell.addWidget(wrap_label(f"{item['number']}. {item['text']}"))
                mark = RowMark()
                mark.setObjectName(f"missing_{table['id']}_{item['id']}")
                self.marks[f"{table['id']}.{item['id']}"] = mark
                label_cell.addWidget(mark)
                label_cell.addStretch(1)
                grid.addLayout(label_cell, row, 0)
                group = QButtonGroup(self)
                self.groups[table["id"]][item["id"]] = group
                for col, level in enumerate(LEVELS):
                    button = QRadioButton()
                    button.setObjectName(f"rate_{table['id']}_{item['id']}_{level}")
                    explanation = wrap_label(item["levels"][level])
                    explanation.setBuddy(button)
                    cell = QHBoxLayout()
                    cell.addWidget(button)
                    cell.addWidget(explanation, 1)
                    grid.addLayout(cell, row, col + 1)
                    group.addButton(button)
                    self.buttons[(table["id"], item["id"], level)] = button
                    button.toggled.connect(lambda _on: self.changed.emit())
            total = QLabel()
            total.setObjectName(f"total_{table['id']}")
            self.totals[table["id"]] = total
            grid.addWidget(wrap_label(table["total_label"], bold=True), len(table["items"]) + 1, 0)
            grid.addWidget(total, len(table["items"]) + 1, 1, 1, len(LEVELS))
            layout.addWidget(box)
        self.changed.connect(self._update_totals)
        self._update_totals()

    def value(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for (table, item, level), button in self.buttons.items():
            out.setdefault(table, {})
            if button.isChecked():
                out[table][item] = level
        return out

    def set_value(self, ratings) -> None:
        self.clear()
        for (table, item, level), button in self.buttons.items():
            if ((ratings or {}).get(table) or {}).get(item) == level:
                button.setChecked(True)
        self._update_totals()

    def clear(self) -> None:
        """Every item back to "no level chosen"."""
        for group in (g for t in self.groups.values() for g in t.values()):
            group.setExclusive(False)
            for b in group.buttons():
                b.setChecked(False)
            group.setExclusive(True)
        self._update_totals()

    def rate(self, table: str, item: str, level: str) -> None:
        self.buttons[(table, item, level)].setChecked(True)

    def conclusion(self):
        return risk_conclusion(self.value(), self.form)

    def missing(self) -> list[tuple[str, str]]:
        return missing_ratings(self.value(), self.form)

    def _update_totals(self) -> None:
        c = self.conclusion()
        missing = self.missing()
        for key, mark in self.marks.items():
            mark.rated = tuple(key.split(".", 1)) not in missing
            mark.refresh()
        for table, counts in (("harm", c.harm_counts), ("self_protection", c.self_counts)):
            left = sum(1 for t, _ in missing if t == table)
            if left:
                self.totals[table].setText(f"<i>— (còn {left} tiêu chí chưa chọn mức độ)</i>")
            else:
                self.totals[table].setText("   ".join(f"{self.levels[lv]}: <b>{counts[lv]}</b>" for lv in LEVELS))


def conclusion_html(conclusion, form: str = "03", missing: int = 0) -> str:
    """The conclusion, only when every item is rated; until then, how many are left (no level, no colour)."""
    if not conclusion.complete:
        return (f"<i>Chưa có kết luận: còn <b>{missing or 'một số'}</b> tiêu chí chưa chọn mức độ (đánh dấu "
                f"«{MISSING_TEXT}» trên từng dòng). Kết luận được tính khi mọi tiêu chí đã được chấm.</i>")
    colour = LATE_COLOUR if conclusion.level == HIGH else "#1b5e20"
    return (f"Số mục Cao: tổn hại <b>{conclusion.harm_counts['cao']}</b>, tự bảo vệ, phục hồi "
            f"<b>{conclusion.self_counts['cao']}</b> →<br><b style='color:{colour}'>{escape(conclusion.text)}</b>")


def signer_names(office, capacity: str) -> list[str]:
    if office is None:
        return []
    if capacity == "chu_tich":
        return [office.chairman_name] if office.chairman_name else []
    return list(office.vice_chairman_list)


def version_label(version) -> str:
    if version.approval is not None:
        a = version.approval
        state = f"đã phê duyệt {fmt_date(a.approved_at)} (QĐ số {a.doc_number:02d}, KH số {a.plan_doc_number:02d})"
    elif version.submitted_at is not None:
        state = f"đã trình {fmt_datetime(version.submitted_at)}, chờ phê duyệt"
    elif version.returned_at is not None:
        state = f"Chủ tịch trả lại để sửa {fmt_datetime(version.returned_at)}"
    else:
        state = "dự thảo"
    return f"Phiên bản {version.version} — {state}"


