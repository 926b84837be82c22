"""Small form helpers shared by dialogs and wizards: a labelled field with its error message beneath it."""
from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QTime, Qt
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDateEdit, QDateTimeEdit, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QRadioButton, QVBoxLayout, QWidget,
)

from models.clock import now as clock_now, today as clock_today

ERROR_STYLE = "color: #b00020;"


class ErrorLabel(QLabel):
    """The message shown under a field; hidden while there is nothing to say."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


class RadioChoice(QWidget):
    """One choice among a few, shown as radio buttons; value() is the chosen code ("" while none is).

    With `none_label` ("Chưa trả lời") the unanswered state is a button of its own, chosen at first, so
    that an answer given by mistake can be taken back: nothing is ever decided by default."""

    def __init__(self, options: dict[str, str], parent=None, *, vertical: bool = False, none_label: str = ""):
        super().__init__(parent)
        layout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._buttons: dict[str, QRadioButton] = {}
        self._none: QRadioButton | None = None
        if none_label:
            self._none = QRadioButton(none_label)
            self._none.setObjectName("opt_unanswered")
            self._none.setChecked(True)
            self._group.addButton(self._none)
            layout.addWidget(self._none)
        for code, label in options.items():
            button = QRadioButton(label)
            button.setObjectName(f"opt_{code}")
            self._group.addButton(button)
            self._buttons[code] = button
            layout.addWidget(button)
        if not vertical:
            layout.addStretch(1)

    def value(self) -> str:
        return next((code for code, b in self._buttons.items() if b.isChecked()), "")

    def set_value(self, code: str | None) -> None:
        if code in self._buttons:
            self._buttons[code].setChecked(True)
        elif not code and self._none is not None:
            self._none.setChecked(True)

    def button(self, code: str) -> QRadioButton:
        """The button of `code` ("" = the unanswered one, when there is one)."""
        return self._none if code == "" and self._none is not None else self._buttons[code]

    def buttons(self) -> list[QRadioButton]:
        return ([self._none] if self._none is not None else []) + list(self._buttons.values())


UNANSWERED = "Chưa trả lời"


def yes_no_choice(yes: str = "Có", no: str = "Không", parent=None) -> RadioChoice:
    """A yes/no question with its third state, "Chưa trả lời", chosen until the user answers."""
    return RadioChoice({"yes": yes, "no": no}, parent, none_label=UNANSWERED)


def yes_no_value(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def yes_no_answer(code: str) -> bool | None:
    return {"yes": True, "no": False}.get(code)


class CheckList(QWidget):
    """Several codes may be chosen; value() is the list of chosen codes (one per line when labels are long)."""

    def __init__(self, options: dict[str, str], parent=None, *, vertical: bool = False):
        super().__init__(parent)
        layout = QVBoxLayout(self) if vertical else QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if vertical:
            layout.setSpacing(2)
        self._boxes: dict[str, QCheckBox] = {}
        for code, label in options.items():
            box = QCheckBox(label)
            box.setObjectName(f"chk_{code}")
            self._boxes[code] = box
            layout.addWidget(box)
        if not vertical:
            layout.addStretch(1)

    def value(self) -> list[str]:
        return [code for code, box in self._boxes.items() if box.isChecked()]

    def set_value(self, codes) -> None:
        for code, box in self._boxes.items():
            box.setChecked(code in (codes or []))

    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]


def read_value(widget: QWidget):
    """The raw value of an input widget, as the models' checks take it (text, code or list)."""
    if isinstance(widget, (RadioChoice, CheckList)):
        return widget.value()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if data is not None else widget.currentText()
    if isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
        return widget.dateTime().toString("HH:mm dd/MM/yyyy")
    if isinstance(widget, QDateEdit):
        return widget.date().toString("dd/MM/yyyy")
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(type(widget))


def write_value(widget: QWidget, value) -> None:
    """Put a raw value (from a draft) back into its widget."""
    if isinstance(widget, (RadioChoice, CheckList)):
        widget.set_value(value)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index < 0:
            index = widget.findText(str(value or ""))
        if index >= 0:
            widget.setCurrentIndex(index)
        elif widget.isEditable():
            widget.setEditText(str(value or ""))
    elif isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
        moment = QDateTime.fromString(str(value), "HH:mm dd/MM/yyyy")
        if moment.isValid():
            widget.setDateTime(moment)
    elif isinstance(widget, QDateEdit):
        day = QDate.fromString(str(value), "dd/MM/yyyy")
        if day.isValid():
            widget.setDate(day)
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))


def vn_now() -> QDateTime:
    """The current minute in Vietnam time, whatever the PC's time zone (models.clock)."""
    moment = clock_now()
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


def vn_today() -> QDate:
    day = clock_today()
    return QDate(day.year, day.month, day.day)


def date_time_edit(parent=None) -> QDateTimeEdit:
    edit = QDateTimeEdit(vn_now(), parent)
    edit.setDisplayFormat("HH:mm dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def date_edit(parent=None) -> QDateEdit:
    edit = QDateEdit(vn_today(), parent)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def multiline(parent=None, height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


def set_label_buddy(label: QLabel, widget: QWidget) -> None:
    label.setBuddy(widget)
    label.setTextInteractionFlags(Qt.NoTextInteraction)
