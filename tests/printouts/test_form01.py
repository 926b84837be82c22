"""Mẫu số 01 printout: filled from a real saved case and blank, read back from the PDF."""
from __future__ import annotations

import copy
import io
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from models.clock import VN
from models.wording import form_definition
from models.services.cases import load_case
from models.services.intake import create_intake, parse_intake
from models.services.office import get_office
from printouts import admin_layout, fonts, form01
from printouts.form01 import render as render_form01, render_blank as render_blank01
from models.security.roles import Actor
from tests.conftest import intake_raw


def _actor(db) -> Actor:
    return Actor("admin", "Trần Thị Lan", frozenset({"admin", "worker"}))

AT = datetime(2026, 11, 21, 9, 0, tzinfo=VN)  # "now" for validation: the day after the report
A4_POINTS = (595.2756, 841.8898)
DOTS = re.compile(r"\.{20,}")


def squash(text: str) -> str:
    """Whitespace-normalised text (pdfplumber may merge or split spaces)."""
    return " ".join(text.split())


def make_case(db, **overrides):
    data, errors = parse_intake(intake_raw(**overrides), at=AT)
    assert errors == {}
    return load_case(db, create_intake(db, data, _actor(db)))


def read_pdf(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def top_margin_text(path, page_index: int) -> str:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_index]
        return (page.within_bbox((0, 0, page.width, 20 * mm)).extract_text() or "").strip()


@pytest.fixture
def office(office_db):
    return get_office(office_db)


@pytest.fixture
def filled_pdf(office_db, office, tmp_path) -> Path:
    out = tmp_path / "mau01.pdf"
    render_form01(make_case(office_db), office, out)
    return out


@pytest.fixture
def blank_pdf(tmp_path) -> Path:
    out = tmp_path / "mau01-trong.pdf"
    render_blank01(None, out)
    return out


# --- Filled ---------------------------------------------------------------------------------------------
def test_filled_has_the_verbatim_labels(filled_pdf):
    text = squash(" ".join(read_pdf(filled_pdf)))
    for label in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI",
        "A. Thông tin chung",
        "1. Nguồn nhận thông tin",
        "2. Thông tin về trẻ em",
        "3. Thông tin về người cung cấp thông tin (nếu đồng ý cung cấp)",
        "Thông qua (điện thoại/gặp trực tiếp/người khác báo): điện thoại",
        "Họ và tên trẻ em",
        "Phỏng đoán hậu quả có thể sẽ xảy ra cho trẻ em nếu không có được hỗ trợ, can thiệp?",
        "Những hành động hỗ trợ, can thiệp đã được thực hiện đối với trẻ em trước khi nhận được thông tin:",
        "Cán bộ tiếp nhận thông tin",
        "(Ký, ghi rõ họ và tên)",
    ]:
        assert label in text, label


def test_filled_prints_the_case(filled_pdf):
    pages = read_pdf(filled_pdf)
    text = squash(" ".join(pages))
    lines = [squash(line) for page in pages for line in page.splitlines()]
    assert "Số: 01/BC-UBND" in text
    assert "Cẩm Hưng, ngày 20 tháng 11 năm 2026" in text
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ CẨM HƯNG" in text  # agency upper-cased
    assert "Họ và tên trẻ em: Nguyễn Thị Ánh" in text
    assert "Thời gian (mấy giờ): 08 giờ 30 Ngày 20 tháng 11 năm 2026" in text
    assert "Ngày tháng năm sinh: 05/09/2015" in text
    assert "Nữ X" in text and "Nam X" not in text and "Không biết X" not in text
    assert "Cháu tiếp tục bị đánh nếu ở cùng người cha dượng." in text
    # Father's name, age and occupation fit on one line.
    assert "Họ và tên cha: Nguyễn Văn Dũng Tuổi: 41 Nghề nghiệp: Làm ruộng" in lines
    assert "Họ và tên mẹ: Đặng Thị Hương Tuổi: 36 Nghề nghiệp: Công nhân" in lines
    assert "Họ và tên: Lê Thị Mai Số điện thoại: 0987 654 321" in lines
    assert "Địa chỉ: Thôn Phú Lộc" in text
    assert "Ghi chú thêm: Giáo viên chủ nhiệm cũng đã phát hiện vết bầm." in text
    assert lines[-1] == "Trần Thị Lan"  # the officer's name closes the signature block


def test_filled_leaves_out_footnote_markers_and_footnotes(filled_pdf):
    text = squash(" ".join(read_pdf(filled_pdf)))
    for marker in ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]:
        assert marker not in text
    assert "Tên cơ quan tiếp nhận thông tin." not in text
    assert not DOTS.search(text)


def test_filled_fits_one_a4_page_with_embedded_fonts(filled_pdf):
    reader = PdfReader(filled_pdf)
    assert len(reader.pages) == 1
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=0.5)
        font_dicts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
        assert len(font_dicts) >= 3  # regular, bold, italic
        for font in font_dicts:
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]


def test_filled_metadata_names_the_form_not_the_child(filled_pdf):
    meta = PdfReader(filled_pdf).metadata
    assert meta.author == "BVTE"
    assert "Mẫu số 01" in meta.title
    everything = " ".join(str(v) for v in meta.values())
    for private in ["Nguyễn Thị Ánh", "Ánh", "Lê Thị Mai", "Nguyễn Văn Dũng"]:
        assert private not in everything


def test_extracted_text_is_nfc(filled_pdf):
    for page in read_pdf(filled_pdf):
        assert page == unicodedata.normalize("NFC", page)
        assert not any(unicodedata.combining(ch) for ch in page)


def test_decomposed_input_prints_composed(office_db, office, tmp_path):
    case = make_case(office_db)
    # The models store NFC; the printout must not rely on it (text pasted around the validation).
    case.child.full_name = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    case.intake.notes = unicodedata.normalize("NFD", "Cháu được bà ngoại đón về.")
    assert case.child.full_name != "Nguyễn Thị Ánh"
    out = tmp_path / "nfd.pdf"
    render_form01(case, office, out)
    text = squash(" ".join(read_pdf(out)))
    assert "Họ và tên trẻ em: Nguyễn Thị Ánh" in text
    assert "Ghi chú thêm: Cháu được bà ngoại đón về." in text
    assert text == unicodedata.normalize("NFC", text)


def test_markup_characters_print_literally(office_db, office, tmp_path):
    case = make_case(office_db, notes='Xem <b>& "mục 2" </i> <br/> A&B', incident_place="Nhà <số 5> & sân")
    out = tmp_path / "markup.pdf"
    render_form01(case, office, out)
    text = squash(" ".join(read_pdf(out)))
    assert 'Ghi chú thêm: Xem <b>& "mục 2" </i> <br/> A&B' in text
    assert "Địa điểm xảy ra vụ việc: Nhà <số 5> & sân" in text


def test_long_notes_flow_onto_numbered_pages(office_db, office, tmp_path):
    sentence = "Cháu kể lại sự việc xảy ra tại nhà vào buổi tối, có người hàng xóm chứng kiến. "
    notes = (sentence * 200)[:10_000].strip()
    assert len(notes) >= 9_990
    out = tmp_path / "long.pdf"
    render_form01(make_case(office_db, notes=notes), office, out)
    pages = read_pdf(out)
    assert len(pages) >= 2
    assert top_margin_text(out, 0) == "Mẫu số 01"  # no number on page 1: the form's label only
    for i in range(1, len(pages)):
        assert top_margin_text(out, i) == str(i + 1)
    text = squash(" ".join(pages))
    assert squash(notes[:300]) in text and squash(notes[-300:]) in text
    assert squash(pages[-1]).endswith("Cán bộ tiếp nhận thông tin (Ký, ghi rõ họ và tên) Trần Thị Lan")
    # Nothing runs into the margins (left 30 mm, right 15 mm, top/bottom 20 mm; page number excepted).
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                assert ch["x0"] >= 30 * mm - 0.5 and ch["x1"] <= page.width - 15 * mm + 0.5
                if ch["top"] > 20 * mm:
                    assert ch["bottom"] <= page.height - 20 * mm + 0.5


def test_unbroken_long_word_wraps_inside_the_margins(office_db, office, tmp_path):
    out = tmp_path / "word.pdf"
    render_form01(make_case(office_db, notes="A" * 5_000), office, out)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert all(ch["x1"] <= page.width - 15 * mm + 0.5 for ch in page.chars)


def test_missing_answers_and_other_category(office_db, office, tmp_path):
    case = make_case(
        office_db, category="nguy_co_bo_roi", gender="khong_biet", father_name="", father_age="",
        father_occupation="", informant_consent=False, informant_name="", informant_phone="",
        informant_address="", prior_actions="",
    )
    out = tmp_path / "sparse.pdf"
    render_form01(case, office, out)
    text = squash(" ".join(read_pdf(out)))
    assert "TIẾP NHẬN THÔNG TIN TRẺ EM CÓ NGUY CƠ BỊ BỎ RƠI" in text
    assert "Không biết X" in text and "Nữ X" not in text
    assert "Họ và tên cha: …… Tuổi: …… Nghề nghiệp: ……" in text
    assert "Họ và tên: …… Số điện thoại: ……" in text  # informant did not agree: nothing printed
    assert "Lê Thị Mai" not in text


def test_render_to_a_file_object(office_db, office):
    buffer = io.BytesIO()
    form01.render(make_case(office_db), office, buffer)
    assert buffer.getvalue().startswith(b"%PDF")
    blank = io.BytesIO()
    form01.render_blank(None, blank)
    assert blank.getvalue().startswith(b"%PDF")


def test_wording_comes_from_the_form_data(office_db, office, tmp_path, monkeypatch):
    changed = copy.deepcopy(form_definition("01"))
    changed["body"][0] = {"heading": "A. Thông tin chung (đã sửa)"}
    changed["signature"]["title"] = "Người tiếp nhận"
    monkeypatch.setattr(form01, "form_definition", lambda form: changed)
    out = tmp_path / "changed.pdf"
    render_blank01(None, out)
    text = squash(" ".join(read_pdf(out)))
    assert "A. Thông tin chung (đã sửa)" in text and "Người tiếp nhận" in text


# --- Blank ----------------------------------------------------------------------------------------------
def test_blank_has_labels_markers_dots_and_footnotes(blank_pdf):
    pages = read_pdf(blank_pdf)
    text = squash(" ".join(pages))
    form = form_definition("01")
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BC-(2)",
        "…(3)…, ngày",
        "BÁO CÁO",
        "TIẾP NHẬN THÔNG TIN TRẺ EM …(4)…",
        "1. Nguồn nhận thông tin",
        "Thông qua (điện thoại/gặp trực tiếp/người khác báo):....",
        "Họ và tên trẻ em (5)....",
        "Ngày tháng năm sinh (5)....",
        "Giới tính (5): Nam....",
        "Tình trạng hiện tại của trẻ em:....",
        "Phỏng đoán hậu quả có thể sẽ xảy ra cho trẻ em nếu không có được hỗ trợ, can thiệp?",
        "Họ và tên cha: (5)....",
        "Ghi chú thêm....",
        "Cán bộ tiếp nhận thông tin",
        "(Ký, ghi rõ họ và tên)",
    ]:
        assert expected in text, expected
    for note in form["footnotes"]:
        assert squash(note) in text, note
    from tests.printouts.test_legal_print import left_header

    assert left_header(blank_pdf).startswith("TÊN CƠ QUAN TIẾP NHẬN THÔNG TIN …(1)…")
    assert len(DOTS.findall(text)) >= 20
    assert len(pages[0].splitlines()) > 20


def test_blank_has_no_case_data(office_db, blank_pdf):
    make_case(office_db)  # a case exists, but the blank form must not show any of it
    text = squash(" ".join(read_pdf(blank_pdf)))
    for value in ["Nguyễn Thị Ánh", "Trần Thị Lan", "Lê Thị Mai", "Nguyễn Văn Dũng", "Cẩm Hưng", "01/BC", "X "]:
        assert value not in text, value
    meta = PdfReader(blank_pdf).metadata
    assert meta.author == "BVTE" and "Mẫu số 01" in meta.title


def test_blank_with_office_fills_the_header(office, tmp_path):
    out = tmp_path / "blank-office.pdf"
    render_blank01(office, out)
    text = squash(" ".join(read_pdf(out)))
    assert "ỦY BAN NHÂN DÂN" in text and "XÃ CẨM HƯNG" in text
    assert "/BC-UBND" in text and "Cẩm Hưng, ngày" in text
    # The markers of what is now printed go, with their footnotes; the others stay.
    assert "(1)" not in text and "(2)" not in text and "(3)" not in text
    assert "(4) Trẻ em thuộc đối tượng" in text and "(5) Cán bộ tiếp nhận thông tin" in text


def test_blank_pages_are_a4_with_embedded_fonts(blank_pdf):
    reader = PdfReader(blank_pdf)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.5)
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()


# --- Kit ------------------------------------------------------------------------------------------------
def test_date_line_follows_nd30():
    assert admin_layout.place_date_line("Cẩm Hưng", date(2026, 11, 20)) == "Cẩm Hưng, ngày 20 tháng 11 năm 2026"
    assert admin_layout.date_words(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert admin_layout.date_words(date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"


def test_esc_normalises_and_escapes():
    assert admin_layout.esc(unicodedata.normalize("NFD", "Ánh <b>&")) == "Ánh &lt;b&gt;&amp;"
    assert admin_layout.esc("a\r\nb\x07") == "a<br/>b"


def test_balanced_agency_lines():
    lines = admin_layout.balanced_lines("ỦY BAN NHÂN DÂN XÃ CẨM HƯNG", "agency", admin_layout.HEADER_LEFT_WIDTH)
    assert lines == ["ỦY BAN NHÂN DÂN", "XÃ CẨM HƯNG"]


def test_fonts_use_times_only_when_all_four_styles_exist(tmp_path, monkeypatch):
    folder = tmp_path / "Fonts"
    folder.mkdir()
    names = ["times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"]
    for name in names[:3]:
        (folder / name).write_bytes(b"x")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    found = fonts.find_times_new_roman()
    assert found is None or folder not in {p.parent for p in found.values()}
    (folder / names[3]).write_bytes(b"x")
    found = fonts.find_times_new_roman()
    assert found is not None and {p.parent for p in found.values()} == {folder}
    assert fonts.register_fonts().name in {"Times New Roman", "Liberation Serif"}


def test_printouts_do_not_import_qt():
    code = (
        "import sys, printouts.form01, printouts.admin_layout, printouts.fonts; "
        "sys.exit(any(m.split('.')[0] in {'PySide6', 'shiboken6'} for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    assert subprocess.run([sys.executable, "-c", code], cwd=root, env=env).returncode == 0
