"""Help where the worker is: every window has its page and F1 opens it, every link of the guide leads
somewhere, the printed manual holds every page (read back from the PDF), what's new shows once, the drawing
of the process marks the case's step, and the manual's screenshots are taken afresh when it is built."""
from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from models import __version__, help as guide
from models.stages import STAGES
from tests.desktop.helpers import type_text
from tests.desktop.window_catalog import CATALOG, Context, make_office

ROOT = Path(__file__).resolve().parents[2]


def _pdf_text(data: bytes) -> tuple[list[str], int]:
    """Each page's text as a person reads it (pdfplumber), and the number of pictures (pypdf)."""
    import pdfplumber
    from pypdf import PdfReader

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    images = sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)
    return texts, images


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the guide as data --------------------------------------------------------------------------------------
def test_every_page_is_in_the_contents_and_every_link_resolves():
    assert set(guide.page_files()) == set(guide.pages()), "every .md page is listed in muc-luc.json, and no more"
    assert guide.broken_links(known_screens=set(CATALOG)) == []
    for page in guide.pages().values():
        assert page.text.startswith(f"# {page.title}\n") and len(page.text) > 300, page.name
    # the links really are there to check: the case process pages lead to each other
    targets = {t for _i, _w, t in guide.links(guide.page("quy-trinh").text)}
    assert {"tiep-nhan-mau-01.md", "ke-hoach-mau-04.md", "ra-soat-mau-06.md", "so-do:quy-trinh"} <= targets


def test_a_broken_link_is_found(monkeypatch):
    bad = guide.Page("thu", "Thử", "# Thử\n[đi đâu](khong-co.md) ![ảnh](anh:khong-co-cua-so) ![x](so-do:khac)\n",
                     "Bắt đầu")
    monkeypatch.setattr(guide, "pages", lambda: {"thu": bad})
    found = guide.broken_links(known_screens=set(CATALOG))
    assert found == ["thu: khong-co.md", "thu: anh:khong-co-cua-so", "thu: so-do:khac"]


def test_the_guide_cites_the_decree_for_each_time_limit():
    """The time limits a worker must keep are stated with their article, as the law says them."""
    text = {name: _flat(p.text) for name, p in guide.pages().items()}
    assert "không quá 12 giờ từ khi nhận được thông tin" in text["danh-gia-ban-dau-mau-02"]  # Điều 31.2
    assert "khoản 2 Điều 31" in text["danh-gia-ban-dau-mau-02"]
    assert "trong thời hạn 05 ngày làm việc" in text["ke-hoach-mau-04"] and "khoản 1 Điều 28" in text["ke-hoach-mau-04"]
    assert "trong thời hạn 02 ngày làm việc" in text["phe-duyet-mau-05"] and "khoản 4 Điều 28" in text["phe-duyet-mau-05"]
    assert "không quá 15 ngày" in text["cach-ly-mau-07"] or "Tối đa **15 ngày**" in guide.page("cach-ly-mau-07").text
    law_file = _shared("law/phap-dien-tre-em.md")
    if law_file is not None:  # the quoted words are the decree's own
        law = _flat(law_file.read_text(encoding="utf-8"))
        for quoted in ("không quá 12 giờ từ khi nhận được thông tin", "trong thời hạn 05 ngày làm việc, trừ trường hợp khẩn cấp",
                       "trong thời hạn 02 ngày làm việc trừ trường hợp khẩn cấp"):
            assert quoted in law, quoted


def _shared(name: str) -> Path | None:
    """The project's shared documents (law, seeds) beside the checkout, where a machine has them."""
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        if (base / name).exists():
            return base / name
    return None


def test_the_steps_are_named_as_the_process_document_names_them():
    seed = _shared("seeds")
    if seed is None:
        pytest.skip("the seed documents are not on this machine")
    text = _flat(next(seed.glob("000_*.txt")).read_text(encoding="utf-8"))
    for step in guide.process()["steps"]:
        assert f"Bước {step['no']}. {step['seed_title']}" in text, step["no"]


def test_every_stage_of_a_case_is_a_step_of_the_drawing():
    steps = guide.process()["steps"]
    assert [s["no"] for s in steps] == [1, 2, 3, 4, 5, 6]
    for stage in STAGES:
        if stage == guide.process()["closed_stage"]:
            assert guide.step_of_stage(stage) is None
        else:
            assert guide.step_of_stage(stage) in range(1, 7), stage
    assert all(s["page"] in guide.pages() for s in steps)
    assert guide.step_of_stage("cho_phe_duyet") == 4 and guide.step_of_stage("dang_thuc_hien") == 5


def test_whats_new_reads_the_changelog():
    releases = guide.releases()
    assert any(r.version == __version__.split("+")[0] for r in releases), "the running version has its section"
    assert all(r.items for r in releases)
    text = "## 0.3.0\n- ba\n## 0.2.0 (1/2027)\n- hai\n  tiếp\n## 0.1.0\n- một\n"
    assert guide.whats_new(None, "0.3.0", text) == []  # a new office: nothing is new to it
    assert [r.version for r in guide.whats_new("0.1.0", "0.3.0", text)] == ["0.3.0", "0.2.0"]
    assert guide.whats_new("0.1.0", "0.3.0", text)[1].items == ["hai tiếp"]
    assert [r.version for r in guide.whats_new("", "0.2.0", text)] == ["0.2.0"]  # seen unknown: this version's
    assert guide.whats_new("0.3.0", "0.3.0", text) == []


# -- the manual ----------------------------------------------------------------------------------------------
def test_the_manual_holds_every_page_with_contents_and_page_numbers(tmp_path):
    from desktop.cli import main
    from printouts.help_manual import NO_SCREENSHOTS

    out = tmp_path / "huong dan.pdf"
    assert main(["help", "--pdf", "-o", str(out)]) == 0
    data = out.read_bytes()
    pages, images = _pdf_text(data)
    assert images == 0  # no screenshots asked for: none, and the cover says so
    assert _flat(NO_SCREENSHOTS) in _flat(pages[0])
    contents = _flat(" ".join(p for p in pages[1:4]))
    assert contents.startswith("Hướng dẫn sử dụng BVTE") and "Mục lục" in contents
    body = [_flat(p) for p in pages]
    for page in guide.pages().values():
        # in the contents with its page number, and that page of the PDF opens with the title
        number = next((i + 1 for i, p in enumerate(body) if i > 2 and _flat(page.title) in p), None)
        assert number is not None, page.title
        assert f"{_flat(page.title)} " in contents and str(number) in contents
    for i, text in enumerate(body[1:], 2):
        assert f"Trang {i}" in text
    assert "Bước 4" in " ".join(body) and "Điều 28" in " ".join(body)  # the drawing of the process is in it


def test_the_manual_is_built_with_fresh_screenshots(tmp_path):
    """The build step (installer/build.sh runs it) photographs the windows now, then builds the manual."""
    shots = tmp_path / "anh"
    shots.mkdir()
    (shots / "main-todo-worker.png").write_bytes(b"stale picture from an earlier build")
    started = time.time()
    out = tmp_path / "Huong-dan-su-dung-BVTE.pdf"
    done = subprocess.run([sys.executable, str(ROOT / "installer" / "build_manual.py"), str(out), "--shots", str(shots)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    needed = guide.screenshots_used()
    for name in needed:
        picture = shots / f"{name}.png"
        assert picture.stat().st_mtime >= started and picture.read_bytes().startswith(b"\x89PNG"), name
    pages, images = _pdf_text(out.read_bytes())
    assert images == len([1 for p in guide.pages().values() for is_img, _w, t in guide.links(p.text)
                          if is_img and t.startswith("anh:")])
    assert "chụp tự động từ chính chương trình" in _flat(pages[0])
    # never committed by hand: the repository holds no picture of a screen
    tracked = subprocess.run(["git", "ls-files", "*.png"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [t for t in tracked if "help" in t or "anh" in t or "screenshot" in t]


# -- the window ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def catalog_ctx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("help") / "du lieu"
    folder.mkdir()
    app = QApplication.instance() or QApplication([])
    ctx = Context(folder, app)
    make_office(folder, ctx.password)
    yield ctx
    for window in ctx._main.values():
        window.close()
    for ws in ctx._ws.values():
        ws.close()


def _press_f1(window):
    window.activateWindow()
    QApplication.processEvents()
    target = QApplication.focusWidget() if QApplication.focusWidget() and QApplication.focusWidget().window() is window else window
    QTest.keyClick(target, Qt.Key_F1)
    QApplication.processEvents()
    return getattr(window, "_help_window", None)


def test_f1_on_every_window_opens_its_page(qtbot, catalog_ctx):
    from desktop.help.f1 import help_page_of
    from desktop.main_window import MainWindow

    opened = {}
    for name, (make, _classes) in CATALOG.items():
        window = make(catalog_ctx).window()
        window.show()
        qtbot.waitExposed(window)
        page = help_page_of(window)
        assert page in guide.pages(), (name, page)
        helper = _press_f1(window)
        assert helper is not None and helper.isVisible(), f"F1 did nothing on {name}"
        assert helper.current == page, (name, helper.current, page)
        assert guide.page(page).title.split()[0] in helper.browser.toPlainText()
        opened[name] = page
        helper.close()
        if not isinstance(window, MainWindow):
            window.hide()
            window.deleteLater()
        QApplication.processEvents()
    assert opened["process-05"] == "phe-duyet-mau-05" and opened["wizard01-page1"] == "tiep-nhan-mau-01"
    assert opened["main-register-worker"] == "so-theo-doi" and opened["main-todo-worker"] == "viec-can-lam"
    assert opened["login"] == "dang-nhap" and opened["audit-log"] == "nhat-ky-truy-cap"


def test_the_guide_window_follows_links_goes_back_and_searches(qtbot):
    from desktop.help.window import HelpWindow

    window = HelpWindow("quy-trinh")
    qtbot.addWidget(window)
    window.show()
    assert "Quy trình sáu bước" in window.browser.toPlainText()
    assert "anh:" not in window.browser.toMarkdown()
    window.follow(QUrl("ke-hoach-mau-04.md"))
    assert window.current == "ke-hoach-mau-04" and "05 ngày làm việc" in window.browser.toPlainText()
    qtbot.mouseClick(window.back_button, Qt.LeftButton)
    assert window.current == "quy-trinh"
    type_text(window.search, "khôi phục")
    visible = [n for n, item in window.items.items() if not item.isHidden()]
    assert "sao-luu-khoi-phuc" in visible and "ke-hoach-mau-04" not in visible
    window.search.clear()
    type_text(window.search, "xyzkhongcochunay")
    assert window.no_match.isVisible() or window.no_match.isVisibleTo(window)


def test_the_case_view_links_each_next_step_to_its_page(qtbot, catalog_ctx):
    window = catalog_ctx.main("canbo")
    window.show()
    window.tabs.setCurrentIndex(1)
    window.select_case(catalog_ctx.case_with("04"))
    text = window.case_view.next_step.text()
    assert "href='help:04'" in text and "Hướng dẫn" in text
    window.case_view.next_step.linkActivated.emit("help:04")
    helper = window._help_window
    assert helper.isVisible() and helper.current == "ke-hoach-mau-04"
    helper.close()


def test_the_drawing_marks_the_case_step(qtbot, catalog_ctx):
    from desktop.help.diagram import CURRENT, ProcessDiagram

    window = catalog_ctx.main("canbo")
    window.tabs.setCurrentIndex(1)
    window.select_case(catalog_ctx.case_with("04"))
    dialog = window.show_process_diagram()
    qtbot.addWidget(dialog)
    assert "đang ở bước 4" in dialog.caption.text()
    assert dialog.diagram.current == 4

    def blue_pixels(widget) -> int:
        image = widget.grab().toImage()
        return sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
                   if image.pixelColor(x, y) == CURRENT)

    marked = ProcessDiagram("cho_phe_duyet")
    plain = ProcessDiagram(None)
    for w in (marked, plain):
        qtbot.addWidget(w)
        w.resize(900, 470)
    assert blue_pixels(marked) > 50 and blue_pixels(plain) == 0
    closed = ProcessDiagram("da_dong")
    assert closed.closed and closed.current is None


def test_whats_new_shows_once_after_an_upgrade(qtbot, tmp_path):
    from desktop.help.about import whats_new_once

    new_office = QSettings(str(tmp_path / "moi.ini"), QSettings.IniFormat)
    assert whats_new_once(new_office, "canbo") is None  # a new office: nothing is new
    assert whats_new_once(new_office, "canbo") is None
    upgraded = QSettings(str(tmp_path / "cu.ini"), QSettings.IniFormat)
    upgraded.setValue("main/geometry", b"x")  # the window was opened by an older program
    dialog = whats_new_once(upgraded, "canbo")
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert f"phiên bản {__version__}" in dialog.text.text() or __version__ in dialog.text.text()
    assert whats_new_once(upgraded, "canbo") is None  # once
    dialog2 = whats_new_once(upgraded, "chutich")  # once per person
    qtbot.addWidget(dialog2)
    assert dialog2 is not None


def test_about_names_version_licence_and_folders(qtbot, tmp_path):
    from desktop.help.about import AboutDialog

    from models import paths

    dialog = AboutDialog(tmp_path / "Dữ liệu")
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    assert f"BVTE {__version__}" in text and str(tmp_path / "Dữ liệu") in text and str(paths.log_dir()) in text
    assert "Giấy phép của BVTE" in text and "LGPL" in text
    dialog.copy_facts()
    assert str(paths.log_dir()) in QApplication.clipboard().text()


def test_the_help_command_explains_a_missing_file_name(tmp_path, capsys):
    from desktop.cli import EXIT_USAGE, main

    assert main(["help", "--pdf"]) == EXIT_USAGE
    assert "bvte help --pdf -o" in capsys.readouterr().err
    assert main(["help", "--pdf", "-o", str(tmp_path / "a.pdf"), "--anh", str(tmp_path / "khong-co")]) == EXIT_USAGE
    assert "Không có thư mục ảnh màn hình" in capsys.readouterr().err
    assert not (tmp_path / "a.pdf").exists()
