"""The one scaffold every dialog is built on: the content scrolls, the buttons stay in a fixed bar below it,
and the window is never made larger than the screen it opens on.

    frame = DialogFrame(self, width=900, height=700)   # the size wished for; the screen may give less
    frame.body.addWidget(...)                           # content: scrolls vertically when the screen is small
    frame.bar.addWidget(button)   or   frame.set_buttons(QDialogButtonBox(...))

On an office PC at 1024×768 or at 125 % scaling (1092×614 usable points) a dialog whose content is taller than
the screen keeps "Lưu", "Tiếp theo >", "Đóng" visible; the content gets a vertical scroll bar, never a
horizontal one (the content is laid out to the width of the window).
"""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QApplication, QFrame, QLabel, QPushButton, QToolButton, QHBoxLayout, QLayout, QScrollArea, QVBoxLayout, QWidget,
)

# Room left for the window frame and title bar the window manager draws around a top-level window.
FRAME_MARGIN = QSize(16, 48)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable part of the screen the widget is on (without the taskbar)."""
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    screen = screen or QApplication.primaryScreen()
    return screen.availableGeometry()


def fit_size(widget: QWidget, width: int, height: int) -> QSize:
    """The wished size, made small enough for the screen (frame and title bar included)."""
    area = available_geometry(widget)
    return QSize(max(200, min(width, area.width() - FRAME_MARGIN.width())),
                 max(150, min(height, area.height() - FRAME_MARGIN.height())))


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize a top-level window to the wished size or the screen, whichever is smaller, and keep it on screen."""
    size = fit_size(widget, width, height)
    widget.resize(size)
    area = available_geometry(widget)
    if widget.parentWidget() is None or not widget.isWindow():
        widget.move(area.x() + (area.width() - size.width()) // 2, area.y() + max(0, (area.height() - size.height()) // 2 - FRAME_MARGIN.height() // 2))


def keep_on_screen(widget: QWidget) -> None:
    """Move (and if needed shrink) a shown window so that all of it is on its screen."""
    area = available_geometry(widget)
    frame = widget.frameGeometry()
    width = min(widget.width(), area.width() - FRAME_MARGIN.width())
    height = min(widget.height(), area.height() - FRAME_MARGIN.height())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
        frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        widget.move(max(x, area.x()), max(y, area.y()))


class VerticalScroll(QScrollArea):
    """A scroll area that asks for the width its content needs (so the window is laid out wide enough that
    no horizontal scroll bar appears) but only a little height (the screen decides how tall it can be)."""

    def __init__(self, content: QWidget | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        if content is not None:
            self.setWidget(content)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        # The content changed (a case shown, a message appeared): the window re-reads how wide it must be.
        if watched is self.widget() and event.type() == QEvent.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        inner = self.widget().minimumSizeHint() if self.widget() is not None else QSize(0, 0)
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth(),
                     min(inner.height(), 120))

    def sizeHint(self) -> QSize:
        inner = self.widget().sizeHint() if self.widget() is not None else QSize(0, 0)
        return QSize(inner.width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth(),
                     inner.height() + 2 * self.frameWidth())


class _FitOnFirstShow(QObject):
    def __init__(self, frame: "DialogFrame", parent: QWidget):
        super().__init__(parent)
        self.frame = frame

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Show and not self.frame._fitted:
            self.frame._fitted = True
            self.frame.fit()
        return False


class DialogFrame:
    """Content that scrolls above a fixed bar of buttons, sized to fit the screen."""

    def __init__(self, dialog: QWidget, *, width: int | None = None, height: int | None = None,
                 above: QWidget | None = None):
        self.dialog = dialog
        self.outer = QVBoxLayout(dialog)
        self.outer.setSizeConstraint(QLayout.SetDefaultConstraint)
        if above is not None:
            self.outer.addWidget(above)
        self.content = QWidget()
        self.content.setObjectName("frame_content")
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.scroll = VerticalScroll(self.content)
        self.scroll.setObjectName("frame_scroll")
        self.outer.addWidget(self.scroll, 1)
        self.bar = QHBoxLayout()
        self.bar.setObjectName("frame_bar")
        self.outer.addLayout(self.bar)
        self._wished = (width, height)
        dialog._frame = self  # noqa: SLF001 - the fit test finds the frame of every dialog here
        self._fitted = False
        self._filter = _FitOnFirstShow(self, dialog)
        dialog.installEventFilter(self._filter)
        from desktop.help.f1 import install_f1

        install_f1(dialog)  # F1 opens the dialog's page of the guide (its class's HELP_PAGE)

    def _order_tab_stops(self) -> None:
        """Tab goes through the fields first, then the buttons of the bar; the first field has the focus
        (unless the dialog already chose one, e.g. a password box)."""
        def bar_widgets(layout) -> list[QWidget]:
            out: list[QWidget] = []
            for i in range(layout.count()):
                item = layout.itemAt(i)
                if item.widget() is not None:
                    out.append(item.widget())
                    out.extend(item.widget().findChildren(QWidget))
                elif item.layout() is not None:
                    out.extend(bar_widgets(item.layout()))
            return out

        def takes_tab(w: QWidget) -> bool:
            return (bool(w.focusPolicy() & Qt.TabFocus) and w.isEnabled() and not w.isHidden()
                    and w.window() is self.dialog)

        fields = [w for w in self.content.findChildren(QWidget) if takes_tab(w) and w.isVisibleTo(self.dialog)
                  and not isinstance(w, (QPushButton, QToolButton))]
        buttons = [w for w in bar_widgets(self.bar) if takes_tab(w)]
        chain = [w for w in self.content.findChildren(QWidget) if takes_tab(w)] + buttons
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        focus = self.dialog.focusWidget()
        if fields and (focus is None or focus in buttons):
            fields[0].setFocus(Qt.TabFocusReason)

    def set_buttons(self, buttons: QWidget | QLayout) -> None:
        if isinstance(buttons, QLayout):
            self.bar.addLayout(buttons)
        else:
            self.bar.addWidget(buttons)

    def fit(self) -> None:
        """The wished size (or what the content needs), but never larger than the screen."""
        for label in self.content.findChildren(QLabel):
            if not label.wordWrap() and len(label.text()) > 60:
                label.setWordWrap(True)  # a long sentence wraps instead of widening the window past the screen
        self._order_tab_stops()
        self.scroll.updateGeometry()
        self.outer.invalidate()
        self.outer.activate()  # the minimum size follows the wrapped labels before the window is sized
        hint = self.dialog.sizeHint()
        width = max(self._wished[0] or 0, hint.width())
        height = max(self._wished[1] or 0, hint.height()) if self._wished[1] else hint.height()
        size = fit_size(self.dialog, width, height)
        self.dialog.resize(size)
        if self.dialog.isWindow():
            parent = self.dialog.parentWidget()
            area = available_geometry(self.dialog)
            if parent is not None:
                centre = parent.window().frameGeometry().center()
            else:
                centre = area.center()
            x = min(max(centre.x() - size.width() // 2, area.x()), area.right() + 1 - size.width() - FRAME_MARGIN.width() // 2)
            y = min(max(centre.y() - size.height() // 2, area.y()), area.bottom() + 1 - size.height() - FRAME_MARGIN.height())
            self.dialog.move(max(x, area.x()), max(y, area.y()))


class _ColumnFitter(QObject):
    """Keeps every header of a table readable: each column at least as wide as its header (and the width it
    was given), the `room` column taking whatever is left (at least `room_min`); when the table is too narrow
    for all that, the table scrolls sideways instead of cutting a header."""

    def __init__(self, table, room: int | None, room_min: int):
        super().__init__(table)
        self.table, self.room, self.room_min = table, room, room_min
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        self.wished = {c: header.sectionSize(c) for c in range(header.count())}
        for column in range(header.count()):
            header.setSectionResizeMode(column, header.ResizeMode.Interactive)
        table.viewport().installEventFilter(self)
        if table.model() is not None:
            table.model().headerDataChanged.connect(self._header_changed)
            table.model().modelReset.connect(self.fit)
        self.fit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Resize:
            self.fit()
        return False

    def _header_changed(self, *_args) -> None:
        self.fit()

    def fit(self) -> None:
        if not shiboken6.isValid(self.table):  # the table is being destroyed
            return
        header = self.table.horizontalHeader()
        used = 0
        for column in range(header.count()):
            if column == self.room or header.isSectionHidden(column):
                continue
            width = max(self.wished.get(column, 0), header.sectionSizeFromContents(column).width())
            header.resizeSection(column, width)
            used += width
        if self.room is not None:
            needed = max(self.room_min, header.sectionSizeFromContents(self.room).width())
            header.resizeSection(self.room, max(needed, self.table.viewport().width() - used))


def fit_columns(table, *, room: int | None = None, room_min: int = 160) -> None:
    """Give `room` (the child's name, say) the space first, never cut a header (see _ColumnFitter)."""
    table._column_fitter = _ColumnFitter(table, room, room_min)  # noqa: SLF001 - kept alive with the table


def field_row(widget: QWidget) -> QHBoxLayout:
    """A field on its own row: a narrow field (an age, a number) keeps its width, and the message shown under
    it gets the whole width of the column instead of being cut to the field's width."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    if widget.maximumWidth() < 2000:
        row.addStretch(1)
    return row


def read_only_table(table, name: str, *, widths: tuple[int, ...] = (), wrap: bool = True,
                    alternating: bool = False, row_room: int | None = None):
    """The one way a list is shown: whole rows selected one at a time, nothing edited in place, no row numbers;
    `widths` the columns' starting widths; `row_room` extra points per row above the font's height (None: Qt's
    own row height). Works for a QTableView and a QTableWidget; returns the table."""
    from PySide6.QtWidgets import QAbstractItemView

    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setWordWrap(wrap)
    table.setAlternatingRowColors(alternating)
    table.verticalHeader().hide()
    if row_room is not None:
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + row_room)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table
