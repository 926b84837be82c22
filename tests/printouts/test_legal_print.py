"""Paper a chairman can sign (issue 13, items 3, 4, 7, 8, 9): the decree's own words where they are known,
"not the decree's text" said where they are not, an office's local wording, and the layout of Mẫu 01, 03,
04, the decisions, the minutes and the case file — each read back from the produced PDF."""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest

from models import wording as forms
from models.clock import VN, date_phrase
from models.services.intake import create_intake, parse_intake
from models.process_rules import process_form
from printouts import registry
from tests.conftest import intake_raw
from tests.models.test_process_data import plan_raw
from tests.printouts.test_forms_02_07 import (  # noqa: F401  (fixtures)
    AT, SPEC_NAME, flow, leader, office, read_cells, read_pages, read_text, render, squash,
)

LAW_FORMS = Path("/work/shared/law/official-forms-found.md")
OFFICIAL_FORMS_MD = LAW_FORMS.read_text(encoding="utf-8") if LAW_FORMS.exists() else ""


def lines_of(path) -> list[str]:
    """Every printed line, as a person reads it (words of one baseline joined)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            out += [squash(line) for line in (page.extract_text() or "").split("\n") if line.strip()]
    return out


def left_header(path) -> str:
    """The left block of the NĐ 30 header (agency, number), read apart from the right one."""
    from reportlab.lib.units import mm

    from printouts import admin_layout as L

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        box = page.within_bbox((0, 15 * mm, L.MARGIN_LEFT + L.HEADER_LEFT_WIDTH, 44 * mm))
        return squash(" ".join((box.extract_text() or "").split("\n")))


def page_count(path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


@pytest.fixture(autouse=True)
def shipped_forms():
    """Each test starts and ends with the shipped wording (a local folder set by a test does not leak)."""
    forms.use_data_folder(None)
    yield
    forms.use_data_folder(None)


# --- Item 3: Mẫu 06 table 1.a verbatim ------------------------------------------------------------------
def _official_06_rows() -> dict[int, tuple[str, dict[str, str]]]:
    rows = {}
    for m in re.finditer(r"^(\d)\. (.+?) \| Cao \((.+?)\); Trung bình \((.+?)\); Thấp \((.+?)\)\. \|$",
                         OFFICIAL_FORMS_MD, re.M):
        rows[int(m.group(1))] = (m.group(2), {"cao": m.group(3), "trung_binh": m.group(4), "thap": m.group(5)})
    return rows


@pytest.mark.skipif(not OFFICIAL_FORMS_MD, reason="the shared law folder is not on this machine")
def test_form06_table_1a_is_the_decree_text_word_for_word(flow, office, tmp_path):
    official = _official_06_rows()
    assert sorted(official) == [1, 2, 3]
    assert "\nTổng số | Cao: Trung bình: Thấp: |" in OFFICIAL_FORMS_MD
    table = process_form("06")["part1"]["tables"][0]
    assert table["total_label"] == "Tổng số"
    for item in table["items"]:
        text, levels = official[item["number"]]
        assert item["text"] == text and item["levels"] == levels, item["id"]
    # And on paper: the five level texts that used to differ, and the total label.
    cells = read_cells(render(tmp_path, "06", flow.full().case(), office))
    for phrase in ("Cao (tổn hại của trẻ em vẫn còn rất nghiêm trọng, ảnh hưởng đến sự phát triển của trẻ em)",
                   "Trung bình (tổn hại của trẻ em còn ít nghiêm trọng)",
                   "Cao (đối tượng xâm hại vẫn có khả năng tiếp cận trẻ em và thường xuyên)",
                   "Cao (môi trường chăm sóc vẫn có nhiều trở ngại đáng kể để bảo đảm an toàn cho trẻ em)",
                   "Trung bình (có một vài trở ngại, nhưng trẻ em vẫn có được sự bảo vệ nhất định)"):
        assert phrase in cells, phrase
    assert "¦ Tổng số ¦ Cao: 0 Trung bình: 1 Thấp: 2" in cells


# --- Item 4: what is not the decree's text --------------------------------------------------------------
@pytest.mark.parametrize("form", ["01", "03", "04"])
def test_official_forms_print_their_form_number(flow, office, tmp_path, form):
    out = tmp_path / f"blank{form}.pdf"
    registry.render_blank(form, office, out)
    assert lines_of(out)[0] == f"Mẫu số {form}"
    case = flow.initial().assess().draft_plan().case()
    assert lines_of(render(tmp_path, form, case, office))[0] == f"Mẫu số {form}"


@pytest.mark.parametrize("form", ["02", "05", "06", "07", "minutes"])
def test_reconstructed_forms_claim_no_form_number(flow, office, tmp_path, form):
    blank = tmp_path / f"blank{form}.pdf"
    registry.render_blank(form, office, blank)
    filled = render(tmp_path, form, flow.full().case(), office)
    for out in (blank, filled):
        lines = lines_of(out)
        assert not any(re.fullmatch(r"Mẫu số \d\d", line) for line in lines), out.name
        assert f"Mẫu số {form}" not in squash(" ".join(lines))
    notice = forms.wording_of(form).notice()
    said = "không ban hành mẫu biên bản" if form == "minutes" else "không phải nguyên văn"
    assert said in notice and "Nghị định 56/2017/NĐ-CP" in notice and "Điều" in notice


def _pdf_title(path) -> str:
    from pypdf import PdfReader

    return PdfReader(path).metadata.title


@pytest.mark.parametrize("form, printed_code", [("01", "Mẫu số 01"), ("03", "Mẫu số 03"), ("12", None), ("02", None),
                                                ("minutes", None)])
def test_the_pdf_title_says_what_the_page_says(office, tmp_path, form, printed_code):
    """A form that prints "Mẫu số NN" is titled so in the PDF's metadata; one whose page carries no number
    (its words are built from the articles: Mẫu 12, 02, the minutes) is titled by its name alone."""
    out = tmp_path / f"blank{form}.pdf"
    registry.render_blank(form, office, out)
    name = process_form(SPEC_NAME.get(form, form))["name"]
    if printed_code:
        assert lines_of(out)[0] == printed_code
        assert _pdf_title(out) == f"{printed_code}: {name}"
    else:
        assert not any(re.fullmatch(r"Mẫu số \d\d", line) for line in lines_of(out))
        assert _pdf_title(out) == name and "Mẫu số" not in _pdf_title(out)


def test_the_pdf_title_of_a_filled_reconstructed_decision(flow, office, tmp_path):
    out = render(tmp_path, "07", flow.full().case(), office)
    assert _pdf_title(out) == process_form("07")["name"]


def test_a_local_wording_drops_the_number_from_the_pdf_title_too(office, tmp_path, data_dir):
    _local_file(data_dir, "03", lambda c: c.update(local_basis="theo Công văn số 12/SYT của Sở Y tế"))
    assert forms.use_data_folder(data_dir) == []
    out = tmp_path / "local03.pdf"
    registry.render_blank("03", office, out)
    assert lines_of(out)[0] != "Mẫu số 03"
    assert _pdf_title(out) == process_form("03")["name"]


def test_wording_notice_names_the_articles_and_the_known_part():
    assert forms.wording_of("01").notice() == "" and forms.wording_of("03").notice() == ""
    assert "Điều 26" in forms.wording_of("02").notice()
    assert "Điều 28" in forms.wording_of("05").notice()
    assert "Điều 32" in forms.wording_of("07").notice()
    six = forms.wording_of("06").notice()
    assert six.startswith("Tiêu đề, ba dòng đầu, mục 1 và bảng 1.a là nguyên văn Mẫu số 06") and "Điều 30" in six
    assert "không ban hành mẫu biên bản" in forms.wording_of("minutes").notice()


def _local_file(data_dir: Path, form: str, edit) -> Path:
    folder = data_dir / forms.LOCAL_FOLDER
    folder.mkdir(exist_ok=True)
    content = forms.shipped_definition(form)
    edit(content)
    path = folder / forms.file_name(form)
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def test_local_wording_changes_the_printout(flow, office, tmp_path, data_dir):
    case = flow.initial().assess().meet().draft_plan().approve().case()
    before = squash(" ".join(read_pages(render(tmp_path, "05", case, office, name="before"))))

    def edit(c):
        c["proposal"] = "Theo đề nghị của công chức Văn hóa - Xã hội xã tại Tờ trình ngày 24 tháng 11 năm 2026."
        c["articles"][2] = "Điều 3. Văn phòng HĐND và UBND xã, công chức Văn hóa - Xã hội và cha, mẹ trẻ em chịu trách nhiệm thi hành Quyết định này./."
        c["local_basis"] = "theo Công văn số 12/SYT của Sở Y tế"

    _local_file(data_dir, "05", edit)
    assert forms.use_data_folder(data_dir) == []
    after = squash(" ".join(read_pages(render(tmp_path, "05", case, office, name="after"))))
    assert "Tờ trình ngày 24 tháng 11 năm 2026" in after and "Tờ trình" not in before
    assert "Văn phòng HĐND và UBND xã" in after
    assert "Nguyễn Thị Ánh" in after  # the placeholders still filled
    notice = forms.wording_of("05").notice()
    assert "theo mẫu của địa phương" in notice and "mau-dia-phuong/mau05.json" in notice and "Sở Y tế" in notice
    # Back to the shipped wording without the folder.
    forms.use_data_folder(None)
    assert "Tờ trình" not in squash(" ".join(read_pages(render(tmp_path, "05", case, office, name="again"))))


def test_local_wording_is_taken_when_the_office_opens(workspace, data_dir):
    from models.db import open_database

    _local_file(data_dir, "02", lambda c: c.update(title="BÁO CÁO ĐÁNH GIÁ BAN ĐẦU (MẪU CỦA TỈNH)"))
    forms.use_data_folder(None)
    db = open_database(data_dir, workspace.db.key)
    try:
        assert process_form("02")["title"] == "BÁO CÁO ĐÁNH GIÁ BAN ĐẦU (MẪU CỦA TỈNH)"
        assert forms.wording_of("02").local
    finally:
        db.dispose()


@pytest.mark.parametrize("breakage, expected", [
    (lambda c: c["articles"].__setitem__(0, "Điều 1. Phê duyệt Kế hoạch hỗ trợ, can thiệp."), "{child_address}"),
    (lambda c: c.pop("proposal"), "thiếu mục proposal"),
    (lambda c: c["articles"].append("Điều 4. Thêm."), "phải có 3 dòng"),
    (lambda c: c["signing_capacities"].update(kt="x"), "không có trong tệp gốc"),
    (lambda c: c.update(subject="Về việc phê duyệt kế hoạch cho trẻ em {child_name}"), "subject_groups"),
])
def test_broken_local_wording_is_refused_and_the_shipped_one_used(flow, office, tmp_path, data_dir, breakage, expected):
    case = flow.initial().assess().meet().draft_plan().approve().case()
    _local_file(data_dir, "05", breakage)
    problems = forms.use_data_folder(data_dir)
    assert len(problems) == 1 and expected in problems[0]
    assert problems[0].startswith("Tệp mẫu của địa phương mau-dia-phuong/mau05.json không dùng được")
    assert "đang dùng lời văn có sẵn" in problems[0]
    notice = forms.wording_of("05").notice()
    assert problems[0] in notice and not forms.wording_of("05").local
    text = squash(" ".join(read_pages(render(tmp_path, "05", case, office))))
    shipped = forms.shipped_definition("05")
    assert squash(shipped["proposal"]) in text and "Điều 4. Thêm" not in text


@pytest.mark.parametrize("content, expected", [
    (b"{ \"title\": ", "không đúng định dạng JSON"),
    (b"\xff\xfe\x00{", "UTF-8"),
    (b"[1, 2]", "không đúng định dạng"),
    (b" " * (forms.MAX_LOCAL_BYTES + 10), "lớn hơn"),
])
def test_unreadable_local_files_are_refused_with_a_message(data_dir, content, expected):
    folder = data_dir / forms.LOCAL_FOLDER
    folder.mkdir()
    (folder / "mau07.json").write_bytes(content)
    problems = forms.use_data_folder(data_dir)
    assert len(problems) == 1 and expected in problems[0], problems
    assert forms.form_definition("07") == forms.shipped_definition("07")


def test_deeply_nested_local_file_is_refused_not_crashing(data_dir):
    folder = data_dir / forms.LOCAL_FOLDER
    folder.mkdir()
    (folder / "bien_ban_hop.json").write_bytes(b"[" * 50_000 + b"]" * 50_000)
    problems = forms.use_data_folder(data_dir)
    assert len(problems) == 1 and "bien_ban_hop.json" in problems[0]


# --- Item 7: Mẫu 01 and the NĐ 30 dates -----------------------------------------------------------------
def test_date_phrase_follows_nd30():
    assert date_phrase(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert date_phrase(date(2026, 6, 23)) == "ngày 23 tháng 6 năm 2026"
    assert date_phrase(date(2026, 1, 9)) == "ngày 09 tháng 01 năm 2026"
    assert date_phrase(date(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"
    assert date_phrase(datetime(2026, 3, 1, 23, 30, tzinfo=VN)) == "ngày 01 tháng 3 năm 2026"


@pytest.mark.parametrize("received, day_words", [
    ("08:30 05/02/2026", "Ngày 05 tháng 02 năm 2026"),
    ("08:30 23/06/2026", "Ngày 23 tháng 6 năm 2026"),
])
def test_form01_dates_in_words(office_db, office, tmp_path, actor, received, day_words):
    report_day = received.split(" ")[1]
    data, errors = parse_intake(intake_raw(received_at=received, report_date=report_day),
                                at=datetime(2026, 11, 25, 10, 0, tzinfo=VN))
    assert errors == {}
    from models.services.cases import load_case

    case = load_case(office_db, create_intake(office_db, data, actor))
    text = squash(" ".join(read_pages(render(tmp_path, "01", case, office))))
    assert day_words in text
    d = datetime.strptime(report_day, "%d/%m/%Y").date()
    assert f"Cẩm Hưng, {date_phrase(d)}" in text
    assert "tháng 06" not in text


def test_form01_blank_is_the_decree_form_on_one_page(tmp_path):
    out = tmp_path / "blank01.pdf"
    registry.render_blank("01", None, out)
    assert page_count(out) == 1
    text = squash(" ".join(read_pages(out)))
    assert left_header(out) == "TÊN CƠ QUAN TIẾP NHẬN THÔNG TIN …(1)… Số: ....../BC-(2)"
    assert "(6)" not in text  # a marker with no footnote is not printed
    assert "(4) Trẻ em thuộc đối tượng: bị xâm hại/có nguy cơ bị bạo lực/bóc lột/bỏ rơi/trẻ em có hoàn cảnh đặc biệt." in text
    for marker in ("(1)", "(2)", "(3)", "(4)", "(5)"):
        assert marker in text
    lines = lines_of(out)
    assert any(line.startswith("Ghi chú thêm") for line in lines)
    assert any("Cán bộ tiếp nhận thông tin" in line for line in lines)
    data = forms.form_definition("01")
    assert "CHƯA ĐỐI CHIẾU" in data["footnotes_unverified"]["(5)"]


# --- Item 8: Mẫu 03 and 04 as printed in the decree -----------------------------------------------------
def test_form03_parts_3_6_7_as_the_decree_prints_them(flow, office, tmp_path):
    case = flow.initial().assess().case()
    out = render(tmp_path, "03", case, office)
    lines = lines_of(out)
    text = squash(" ".join(lines))
    spec = process_form("03")
    part3 = text[text.index(spec["part3"]["heading"]):text.index(spec["part4"]["heading"])]
    assert "□" not in part3 and "■" not in part3
    for rule in spec["part3"]["rules"]:
        assert f"- {squash(rule['case_text'])}" in part3
    part6 = text[text.index(spec["part6"]["heading"]):text.index(spec["part7"]["heading"])]
    assert part6.count("Không lấy ý kiến") == 1 and "Cha dượng là người gây tổn hại" in part6
    part7 = text[text.index(spec["part7"]["heading"]):]
    assert "□" not in part7 and "■" not in part7
    for line in spec["part7"]["printed_lines"]:
        assert f"- {squash(line)}" in part7
    # The finer choices stay on the screen: no extra lines on paper.
    for label in spec["part7"]["needs"].values():
        assert not any(line in (label, f"□ {label}", f"■ {label}") for line in lines), label


def test_form03_part6_when_the_reason_restates_the_form(flow, office, tmp_path):
    note = process_form("03")["part6"]["skip_note"]
    case = flow.initial().assess(parents_skip_reason=note).case()
    text = squash(" ".join(read_pages(render(tmp_path, "03", case, office))))
    assert text.count(squash(note)) == 1


def test_form04_has_no_lines_the_form_does_not_have(flow, office, tmp_path):
    raw = plan_raw(objectives=[{"text": "Cháu được đi học đều đặn."}, {"printed_id": "hoa_nhap_cong_dong"},
                               {"printed_id": "phuc_hoi_ton_hai"}])
    case = flow.initial().assess().meet().draft_plan(**raw).approve().case()
    out = render(tmp_path, "04", case, office)
    text = squash(" ".join(read_pages(out)))
    assert "Số:" not in text and "/KH-" not in text and "Họ và tên trẻ em" not in text
    spec = process_form("04")
    printed = {o["id"]: o["text"] for o in spec["objectives"]["printed"]}
    first, third, own = printed["phuc_hoi_ton_hai"], printed["hoa_nhap_cong_dong"], "Cháu được đi học đều đặn."
    assert text.index(first) < text.index(third) < text.index(own)  # the form's order, then the plan's own
    assert "(Kèm theo Quyết định số 01/QĐ-UBND ngày 25 tháng 11 năm 2026 của Chủ tịch Ủy ban nhân dân xã Cẩm Hưng)" in text
    blank = tmp_path / "blank04.pdf"
    registry.render_blank("04", office, blank)
    blank_text = squash(" ".join(read_pages(blank)))
    assert "Số:" not in blank_text and "Họ và tên trẻ em" not in blank_text and "Kèm theo" not in blank_text


# --- Item 9: decisions, minutes, the case file ----------------------------------------------------------
@pytest.mark.parametrize("form", ["05", "07"])
def test_decisions_cite_laws_by_date(flow, office, tmp_path, form):
    text = squash(" ".join(read_pages(render(tmp_path, form, flow.full().case(), office))))
    assert "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016;" in text
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" in text
    assert "Luật Trẻ em năm 2016" not in text and "chính quyền địa phương năm 2025" not in text


@pytest.mark.parametrize("name", ["Ánh", "Nguyễn Thị Ánh", "Tôn Nữ Thị Phương Thảo", "Nguyễn Hoàng Bảo Khánh Linh",
                                  "Công Tằng Tôn Nữ Thị Hoàng Anh Thư Ngọc Diệp"])
def test_decision_subject_never_breaks_inside_a_word_group(office_db, actor, leader, office, tmp_path, name):
    from tests.printouts.test_forms_02_07 import Flow

    case = Flow(office_db, actor, leader, child_name=name).initial().assess().meet().draft_plan().approve().case()
    lines = lines_of(render(tmp_path, "05", case, office))
    start = lines.index("QUYẾT ĐỊNH")
    subject = lines[start + 1:lines.index(next(l for l in lines if l.startswith("CHỦ TỊCH ỦY BAN")))]
    groups = process_form("05")["subject_groups"][:-1] + [name]
    for group in groups:
        assert any(group in line for line in subject), (group, subject)
    assert " ".join(subject) == squash(process_form("05")["subject"].replace("{child_name}", name))


def _rule_under(path, text_above: str, text_below: str) -> bool:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        below = min(w["top"] for w in words if w["text"] == text_below)
        above = max(w["bottom"] for w in words if w["text"] == text_above and w["bottom"] < below)
        rules = [ln for ln in page.lines if above < ln["top"] < below and abs(ln["top"] - ln["bottom"]) < 1]
        return bool(rules)


def test_minutes_numbered_by_hand_with_a_rule_under_the_subject(flow, office, tmp_path):
    filled = render(tmp_path, "minutes", flow.initial().assess().meet().case(), office)
    blank = tmp_path / "blank_minutes.pdf"
    registry.render_blank("minutes", office, blank)
    for out in (filled, blank):
        text = squash(" ".join(read_pages(out)))
        assert "Số: ....../BB-UBND" in text
        assert _rule_under(out, "Ánh" if out == filled else "em", "I.")
    assert all(not line.endswith(" can") for line in lines_of(filled))


def test_case_file_puts_the_decision_before_the_plan_it_approves(flow, office, tmp_path):
    from tests.printouts.test_dossier import kinds_by_page

    flow.full()
    out = tmp_path / "hoso.pdf"
    registry.render_dossier(flow.case_id, flow.db, office, out)
    kinds = [k for _, k in kinds_by_page(out)]
    assert kinds.index("05") + 1 == kinds.index("04")
    text = squash(" ".join(read_pages(out)))
    attached = re.search(r"\(Kèm theo Quyết định số (\d+/QĐ-UBND) ", text)
    assert attached and text.rindex(f"Số: {attached.group(1)}", 0, attached.start()) >= 0
