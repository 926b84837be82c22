"""Printouts of Mẫu 02–07 and the meeting minutes: a case driven through the REAL services (worker and
chairman accounts), rendered, and read back from the PDF. Labels are taken from the form JSON files, so a
wording fix in resources/forms does not break these tests."""
from __future__ import annotations

import copy
import io
import re
import unicodedata
from datetime import datetime

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from models.clock import VN
from models.errors import UserError
from models.services import assessment, meeting, plan, review, separation
from models.services.accounts import add_account, login
from models.services.cases import load_case
from models.services.intake import create_intake, parse_intake
from models.services.office import get_office
from models.process_rules import process_form, rating_items
from models.services.cases import forms_of
from printouts import process_layout, registry
from tests.conftest import intake_raw
from tests.models.test_process_data import (
    activity, ia_raw, meeting_raw, plan_raw, ra_raw, review_raw, separation_raw,
)

AT = datetime(2026, 11, 25, 10, 0, tzinfo=VN)
A4_POINTS = (595.2756, 841.8898)
DOTS = re.compile(r"\.{20,}")
APPROVAL = {"approved_by": "Phạm Văn Hùng", "signing_capacity": "chu_tich", "approved_at": "09:00 25/11/2026"}


def vn(text: str) -> datetime:
    return datetime.strptime(text, "%H:%M %d/%m/%Y").replace(tzinfo=VN)


def squash(text: str) -> str:
    return " ".join(text.split())


def read_pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def read_text(path) -> str:
    return squash(" ".join(read_pages(path)))


def read_rows(path) -> list[list[str]]:
    """Every table row of the PDF, cell by cell (whitespace-normalised)."""
    with pdfplumber.open(path) as pdf:
        return [[squash(c or "") for c in row] for page in pdf.pages for table in page.extract_tables() for row in table]


def read_cells(path) -> str:
    """All table cells, one after another (" ¦ " between cells), so a cell's text reads whole."""
    return " ¦ ".join(c for row in read_rows(path) for c in row)


def signature_text(path) -> tuple[str, str]:
    """(left, right) text of the signature area of the last page: "Nơi nhận:" and its lines on the left,
    the signer's authority, title and name on the right (read apart, not interleaved line by line)."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[-1]
        words = page.extract_words()
        top = next((w["top"] for w, nxt in zip(words, words[1:])
                    if w["text"] == "Nơi" and nxt["text"].startswith("nhận")), 0) - 2
        split = page.width - 15 * mm - 85 * mm
        left = page.within_bbox((0, max(top, 0), split, page.height)).extract_text() or ""
        right = page.within_bbox((split, max(top, 0), page.width, page.height)).extract_text() or ""
        return squash(left), squash(right)


def bold_text(path, phrase: str) -> bool:
    """Whether the phrase's first words are printed in a bold face."""
    first = phrase.split()[:5]
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["fontname"])
            for i in range(len(words) - 4):
                if [w["text"] for w in words[i:i + 5]] == first:
                    return "Bold" in words[i]["fontname"]
    return False


def top_margin_text(path, page_index: int) -> str:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_index]
        return (page.within_bbox((0, 0, page.width, 20 * mm)).extract_text() or "").strip()


# --- Driving a case through the services ----------------------------------------------------------------
@pytest.fixture
def leader(workspace, data_dir):
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], "mat-khau-chu-tich")
    ws = login(data_dir, "chutich", "mat-khau-chu-tich")
    yield ws
    ws.close()


@pytest.fixture
def office(office_db):
    return get_office(office_db)


class Flow:
    """A case carried step by step through the real services (worker = admin fixture, chairman = leader)."""

    def __init__(self, db, actor, leader, **intake_overrides):
        self.db, self.actor, self.leader = db, actor, leader
        data, errors = parse_intake(intake_raw(**intake_overrides), at=AT)
        assert errors == {}
        self.case_id = create_intake(db, data, actor)

    def case(self):
        return load_case(self.db, self.case_id)

    def initial(self, **kw):
        assessment.save_initial_assessment(self.db, self.actor, self.case_id, ia_raw(**kw), at=vn("10:00 20/11/2026"))
        return self

    def emergency_measure(self):
        assessment.record_emergency_measure(self.db, self.actor, self.case_id, {
            "kind": "noi_an_toan", "description": "Đưa cháu sang nhà bà ngoại ở tạm.",
            "taken_at": "11:00 20/11/2026", "decided_by": "Phạm Văn Hùng", "carried_out_by": "Công an xã",
        }, at=AT)
        return self

    def separate(self, **kw):
        sep_id = separation.save_separation_draft(self.db, self.actor, self.case_id, separation_raw(**kw),
                                                  at=vn("11:00 20/11/2026"))
        separation.decide_separation(self.leader.db, self.leader.actor, sep_id, decided_by="Phạm Văn Hùng",
                                     decided_at=vn("12:00 20/11/2026"), at=AT)
        return self

    def assess(self, **kw):
        assessment.save_risk_assessment(self.db, self.actor, self.case_id, ra_raw(**kw), at=vn("09:00 23/11/2026"))
        return self

    def meet(self, **kw):
        meeting.save_meeting(self.db, self.actor, self.case_id, meeting_raw(**kw), at=AT)
        return self

    def draft_plan(self, **kw):
        self.version_id = plan.create_plan(self.db, self.actor, self.case_id, plan_raw(**kw), at=AT)
        return self

    def approve(self, approval=None, at="16:00 24/11/2026"):
        plan.submit_plan(self.db, self.actor, self.version_id, at=vn(at))
        plan.approve_plan(self.leader.db, self.leader.actor, self.version_id, approval or APPROVAL, at=AT)
        return self

    def plan_id(self):
        return self.case().plans[-1].id

    def progress(self):
        p = self.case().plans[-1]
        key = p.versions[-1].activities[0].key
        plan.record_progress(self.db, self.actor, p.id, key, {"status": "dang_thuc_hien", "noted_on": "25/11/2026",
                                                              "note": "Đã đưa cháu đi khám lần đầu."}, at=AT)
        return self

    def review(self, **kw):
        review.record_review(self.db, self.actor, self.plan_id(), review_raw(**kw), at=vn("10:30 25/11/2026"))
        return self

    def full(self):
        return (self.initial().emergency_measure().separate().assess().meet().draft_plan().approve()
                .progress().review())


@pytest.fixture
def flow(office_db, actor, leader):
    return Flow(office_db, actor, leader)


def render(tmp_path, form, case, office, name=None, **kw):
    out = tmp_path / f"{name or form}.pdf"
    registry.render(form, case, office, out, **kw)
    return out


# --- Mẫu 02 ---------------------------------------------------------------------------------------------
def test_form02_filled(flow, office, tmp_path):
    case = flow.initial().emergency_measure().case()
    out = render(tmp_path, "02", case, office)
    text = read_text(out)
    spec = process_form("02")
    for label in [spec["title"], spec["subtitle"], spec["conclusion"]["heading"], spec["emergency_measures"]["heading"],
                  *(f["label"] for f in spec["header_fields"])]:
        assert squash(label) in text, label
    for q in spec["questions"]:
        assert squash(q["text"]) in text, q["text"]
    assert "Họ và tên trẻ em: Nguyễn Thị Ánh" in text
    assert "Trần Thị Lan" in text
    assert "09 giờ 30, ngày 20/11/2026" in text
    assert "Nhiều vết bầm ở tay và lưng do cha dượng đánh bằng roi." in text
    # Health threatened: yes; life: no; the parent is the abuser: yes → emergency (Điều 31.1), marked.
    assert f"■ {spec['answers']['yes']}" in text and f"■ {spec['answers']['no']}" in text
    assert "■ " + squash(spec["conclusion"]["needs_emergency"]) in text
    assert "□ " + squash(spec["conclusion"]["no_emergency"]) in text
    assert spec["emergency_measures"]["kinds"]["noi_an_toan"] in text and "Đưa cháu sang nhà bà ngoại ở tạm." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text  # a worksheet: no header block
    assert squash(spec["signature"]["title"]) in text


# --- Mẫu 03 ---------------------------------------------------------------------------------------------
def test_form03_filled(flow, office, tmp_path):
    case = flow.initial().assess().case()
    out = render(tmp_path, "03", case, office)
    text, cells, rows = read_text(out), read_cells(out), read_rows(out)
    spec = process_form("03")
    levels = spec["levels"]
    assert spec["part1"]["columns"] in rows
    for label in [spec["title"], spec["subtitle"], spec["part1"]["heading"],
                  spec["part2"]["heading"], spec["part3"]["heading"], spec["part3"]["intro"], spec["part4"]["heading"],
                  spec["part5"]["heading"], spec["part6"]["heading"], spec["part7"]["heading"],
                  *spec["part7"]["printed_lines"], *(f["label"] for f in spec["header_fields"])]:
        assert squash(label) in text, label
    for q in spec["part1"]["questions"]:
        assert squash(q["text"]) in cells, q["text"]
    for table in spec["part2"]["tables"]:
        assert squash(table["heading"]) in text and [squash(c) for c in table["columns"]] in rows
        for item in table["items"]:
            assert squash(f"{item['number']}. {item['text']}") in cells, item["text"]
            for key, explanation in item["levels"].items():
                assert squash(f"{levels[key]} ({explanation})") in cells, explanation
    # Values, the chosen levels marked.
    assert "Ngày, tháng, năm thực hiện bản đánh giá: 23/11/2026" in text
    assert "Mô tả: Cháu bị đánh nhiều lần" in cells
    assert "Yếu tố tích cực: Bà ngoại thương cháu, nhà gần trường. Yếu tố tiêu cực: Cha dượng vẫn sống" in cells
    assert "■ Cao (trẻ em bị tổn hại nghiêm trọng)" in cells
    assert "□ Trung bình (trẻ em bị tổn hại nhưng không nghiêm trọng)" in cells
    assert "■ Thấp (trẻ em không tự bảo vệ được)" in cells
    # Computed totals: harm 3 Cao, 1 TB, 1 Thấp; self-protection 1 Cao, 2 TB, 2 Thấp → high risk.
    total = squash(spec["part2"]["tables"][0]["total_label"])
    assert [total, "Cao: 3 Trung bình: 1 Thấp: 1"] in rows
    assert [total, "Cao: 1 Trung bình: 2 Thấp: 2"] in rows
    high, low = spec["part3"]["rules"]
    assert squash(f"- {high['case_text']} {high['text']}") in text  # the form's dashes; the one that applies in bold
    assert squash(f"- {low['case_text']} {low['text']}") in text
    assert bold_text(out, high["text"]) and not bold_text(out, low["text"])
    assert "1. Tổn hại về thể chất và tâm lý do bị đánh. 2. Môi trường chăm sóc" in text  # priority order
    assert "Cháu muốn ở với bà ngoại và được đi học bình thường." in text
    assert squash(spec["part6"]["skip_note"]) in text and "Cha dượng là người gây tổn hại" in text
    # Part 7: the form's two lines only, in bold where a chosen service falls (the finer list stays on screen).
    assert spec["part7"]["needs"]["tu_van"] not in text.replace(spec["part7"]["printed_lines"][1], "")
    assert bold_text(out, spec["part7"]["printed_lines"][0]) and bold_text(out, spec["part7"]["printed_lines"][1])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text


def _ratings(harm_high: int, self_high: int) -> dict:
    harm = [i["id"] for i in rating_items("03", "harm")]
    self_ = [i["id"] for i in rating_items("03", "self_protection")]
    return {"harm": {k: ("cao" if n < harm_high else "thap") for n, k in enumerate(harm)},
            "self_protection": {k: ("cao" if n < self_high else "trung_binh") for n, k in enumerate(self_)}}


@pytest.mark.parametrize("harm_high, self_high, expected", [
    (3, 1, "high"), (2, 2, "low"), (0, 0, "low"), (1, 4, "low"), (5, 4, "high"),
])
def test_form03_counts_and_conclusion(flow, office, tmp_path, harm_high, self_high, expected):
    case = flow.initial().assess(ratings=_ratings(harm_high, self_high)).case()
    out = render(tmp_path, "03", case, office)
    text, rows = read_text(out), read_rows(out)
    spec = process_form("03")
    total = squash(spec["part2"]["tables"][0]["total_label"])
    assert [total, f"Cao: {harm_high} Trung bình: 0 Thấp: {5 - harm_high}"] in rows
    assert [total, f"Cao: {self_high} Trung bình: {5 - self_high} Thấp: 0"] in rows
    rules = {r["conclusion"]: r for r in spec["part3"]["rules"]}
    other = "low" if expected == "high" else "high"
    assert squash(f"- {rules[expected]['case_text']} {rules[expected]['text']}") in text
    assert squash(f"- {rules[other]['case_text']} {rules[other]['text']}") in text
    assert bold_text(out, rules[expected]["text"]) and not bold_text(out, rules[other]["text"])  # a tie → low


def test_form03_long_answer_flows_inside_the_margins(flow, office, tmp_path):
    sentence = "Cháu kể lại nhiều lần bị đánh vào buổi tối khi cha dượng say rượu, hàng xóm có nghe tiếng khóc. "
    long_answer = (sentence * 200)[:15_000].strip()
    case = flow.initial().assess(answers={**ra_raw()["answers"], "tinh_trang": {"mo_ta": long_answer}}).case()
    out = render(tmp_path, "03", case, office)
    pages = read_pages(out)
    assert len(pages) >= 5
    cells = read_cells(out)
    assert squash(long_answer[:200]) in cells and squash(long_answer[-200:]) in cells
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                assert ch["x0"] >= 30 * mm - 0.5 and ch["x1"] <= page.width - 15 * mm + 0.5
                if ch["top"] > 20 * mm:
                    assert ch["bottom"] <= page.height - 20 * mm + 0.5
    for i in range(1, len(pages)):
        assert top_margin_text(out, i) == str(i + 1)
    assert top_margin_text(out, 0) == "Mẫu số 03"  # the form's label, no page number


# --- Mẫu 04 / 05 ----------------------------------------------------------------------------------------
def test_form04_filled(flow, office, tmp_path):
    case = flow.initial().assess().meet().draft_plan().approve().case()
    out = render(tmp_path, "04", case, office)
    text, rows = read_text(out), read_rows(out)
    spec = process_form("04")
    for label in [spec["header"]["agency"], spec["title"], spec["subtitle"], spec["objectives"]["heading"],
                  spec["activity_kinds"]["heading"], spec["organisation"]["heading"], spec["budget"]["heading"],
                  spec["budget"]["note"], spec["signatures"]["left"]["title"], spec["signatures"]["right"]["title"],
                  spec["budget"]["annex_title"]]:
        assert squash(label) in text, label
    assert spec["organisation"]["columns"] in rows and spec["budget"]["annex_columns"] in rows
    assert "XÃ CẨM HƯNG" in text and "Số:" not in text and "Cẩm Hưng, ngày 25 tháng 11 năm 2026" in text
    assert "(Kèm theo Quyết định số 01/QĐ-UBND ngày 25 tháng 11 năm 2026" in text
    printed = {o["id"]: o["text"] for o in spec["objectives"]["printed"]}
    assert f"- {printed['phuc_hoi_ton_hai']}" in text and f"- {printed['khac_phuc_khong_an_toan']}" in text
    assert printed["hoa_nhap_cong_dong"] not in text  # not chosen
    assert "- Cháu được đi học đều đặn." in text
    assert "- Chăm sóc y tế, trị liệu tâm lý." in text  # the only kind used, ending the list
    assert ["1", "Khám và điều trị vết thương, khám tâm lý tại Trạm y tế", "Trưởng trạm y tế xã", "Trần Thị Lan",
            "26/11/2026 - 26/02/2027"] in rows
    assert "Tổng cộng: 3.700.000 đồng" in text
    # Điều 28.3: the provider mobilised and the cost, in the detailed estimate the form refers to.
    assert ["1", "Khám và điều trị vết thương, khám tâm lý tại Trạm y tế", "Trạm y tế xã Cẩm Hưng", "3.700.000"] in rows
    assert ["", spec["budget"]["total_label"], "", "3.700.000"] in rows
    assert "CHỦ TỊCH" in text and "Phạm Văn Hùng" in text and "Trần Thị Lan" in text
    assert "DỰ THẢO" not in text


def test_form04_forty_activities_repeat_the_table_header(flow, office, tmp_path):
    acts = [activity(name=f"Hoạt động số {n:02d}: thăm gia đình, tư vấn cho cháu và người chăm sóc",
                     cost="100.000") for n in range(1, 41)]
    case = flow.initial().assess().draft_plan(activities=acts).case()
    out = render(tmp_path, "04", case, office)
    spec = process_form("04")
    columns, annex_columns = spec["organisation"]["columns"], spec["budget"]["annex_columns"]
    pages_with_rows, found = 0, []
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                rows = [[squash(c or "") for c in row] for row in table]
                if len(rows[0]) != len(columns):
                    assert rows[0] == annex_columns  # the cost estimate repeats its own header
                    continue
                # Each page's part of the table starts with the header row, then whole rows.
                assert rows[0] == columns
                pages_with_rows += 1
                found += [int(r[0]) for r in rows[1:]]
                assert all(r[1].startswith("Hoạt động số") and r[4] == "26/11/2026 - 26/02/2027" for r in rows[1:])
    assert pages_with_rows >= 2
    assert found == list(range(1, 41))
    pages = read_pages(out)
    text = " ".join(pages)
    assert "DỰ THẢO" in text and "Số:" not in text  # the form has no number line
    assert "Tổng cộng: 4.000.000 đồng" in text


def test_every_plan_version_prints_as_approved(flow, office, tmp_path):
    flow.initial().assess().draft_plan().approve()
    v1 = flow.version_id
    new_raw = plan_raw(activities=[activity(), activity(name="Tư vấn tâm lý cho mẹ", cost="500.000")])
    flow.version_id = plan.save_plan(flow.db, flow.actor, v1, new_raw, reason="Bổ sung tư vấn cho mẹ", at=AT)
    flow.approve({**APPROVAL, "signing_capacity": "kt_pho_chu_tich", "approved_by": "Nguyễn Thị Hoa",
                  "approved_at": "10:00 25/11/2026"}, at="09:30 25/11/2026")
    plan.adjust_plan(flow.db, flow.actor, flow.plan_id(), "Đổi người phối hợp", at=AT)
    case = flow.case()
    first = read_text(render(tmp_path, "04", case, office, "v1", version=1))
    second = read_text(render(tmp_path, "04", case, office, "v2", version="1.2"))
    draft = read_text(render(tmp_path, "04", case, office, "v3"))
    assert "Kèm theo Quyết định số 01/QĐ-UBND" in first and "Tư vấn tâm lý cho mẹ" not in first and "Tổng cộng: 3.700.000 đồng" in first
    assert "Kèm theo Quyết định số 02/QĐ-UBND" in second and "Tư vấn tâm lý cho mẹ" in second and "Tổng cộng: 4.200.000 đồng" in second
    assert "KT. CHỦ TỊCH" in second and "PHÓ CHỦ TỊCH" in second and "Nguyễn Thị Hoa" in second
    assert "TM. ỦY BAN NHÂN DÂN" in second
    assert "DỰ THẢO" in draft and "Số:" not in draft and "Kèm theo" not in draft
    d1, d2 = render(tmp_path, "05", case, office, "d1", version=1), render(tmp_path, "05", case, office, "d2", version=2)
    assert "Số: 01/QĐ-UBND" in read_text(d1) and signature_text(d1)[1] == "CHỦ TỊCH Phạm Văn Hùng"
    assert "Số: 02/QĐ-UBND" in read_text(d2)
    assert signature_text(d2)[1] == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Nguyễn Thị Hoa"
    with pytest.raises(ValueError, match="phiên bản 7"):
        render(tmp_path, "04", case, office, "none", version=7)


def test_form05_filled(flow, office, tmp_path):
    case = flow.initial().separate().assess().meet().draft_plan().approve().case()
    out = render(tmp_path, "05", case, office)
    text = read_text(out)
    spec = process_form("05")
    assert "Số: 02/QĐ-UBND" in text  # the separation took 01
    assert "Cẩm Hưng, ngày 25 tháng 11 năm 2026" in text
    assert spec["title"] in text
    assert "Về việc phê duyệt Kế hoạch hỗ trợ, can thiệp đối với trẻ em Nguyễn Thị Ánh" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ CẨM HƯNG" in text
    for line in [*spec["grounds"], spec["proposal"], spec["decides"], spec["recipients"]["heading"]]:
        assert squash(line) in text, line
    assert "Điều 1. Phê duyệt Kế hoạch hỗ trợ, can thiệp đối với trẻ em Nguyễn Thị Ánh, sinh 05/09/2015, " \
           "trú tại Xóm 3, Thôn Phú Lộc, xã Cẩm Hưng" in text
    assert "từ ngày 26/11/2026 đến ngày 26/02/2027" in text
    left, right = signature_text(out)
    assert "Điều 3." in text and left == "Nơi nhận: - Như Điều 3; - Cha, mẹ, người chăm sóc trẻ em; - Lưu: VT, VHXH."
    assert right == "CHỦ TỊCH Phạm Văn Hùng"
    assert text.index("Căn cứ") < text.index(spec["decides"]) < text.index("Điều 1.") < text.index("Nơi nhận:")


# --- Mẫu 06, 07, minutes --------------------------------------------------------------------------------
def test_form06_filled(flow, office, tmp_path):
    case = flow.initial().assess().meet().draft_plan().approve().review().case()
    out = render(tmp_path, "06", case, office)
    text, cells, rows = read_text(out), read_cells(out), read_rows(out)
    spec = process_form("06")
    for label in [spec["title"], spec["part1"]["heading"], spec["part2"]["heading"], spec["part3"]["heading"],
                  spec["part4"]["heading"], spec["part5"]["heading"], *(f["label"] for f in spec["header_fields"])]:
        assert squash(label) in text, label
    tables = spec["part1"]["tables"]
    total = squash(tables[0]["total_label"])
    assert [total, "Cao: 0 Trung bình: 1 Thấp: 2"] in rows
    assert [squash(tables[1]["total_label"]), "Cao: 4 Trung bình: 1 Thấp: 0"] in rows
    for item in tables[0]["items"]:
        assert squash(f"{item['number']}. {item['text']}") in cells
    assert "■ Thấp (tổn hại của trẻ em không còn nghiêm trọng)" in cells
    assert "■ " + squash(spec["part1"]["conclusion"]["low"]) in text
    assert "□ " + squash(spec["part1"]["conclusion"]["high"]) in text
    assert "■ " + squash(spec["part5"]["outcomes"]["ket_thuc"]) in text
    assert "□ " + squash(spec["part5"]["outcomes"]["ke_hoach_moi"]) in text
    for value in ["Các hoạt động đã hoàn thành.", "Mẹ đã ly thân với cha dượng.", "Thôn đã cử cộng tác viên theo dõi.",
                  "Trẻ em an toàn, không còn nguy cơ bị xâm hại.", "Ngày, tháng, năm thực hiện: 25/11/2026"]:
        assert value in text, value


def test_form07_filled(flow, office, tmp_path):
    case = flow.initial().separate().case()
    out = render(tmp_path, "07", case, office)
    text = read_text(out)
    spec = process_form("07")
    grounds = {g["id"]: g["text"] for g in spec["grounds"]["items"]}
    assert "Số: 01/QĐ-UBND" in text and "Cẩm Hưng, ngày 20 tháng 11 năm 2026" in text
    assert squash(spec["subject"]) in text and "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ CẨM HƯNG" in text
    for line in [*spec["legal_grounds_intro"], spec["grounds"]["heading"], spec["proposal"], spec["decides"]]:
        assert squash(line) in text, line
    assert squash(grounds["bi_xam_hai_boi_cha_me"]) in text and squash(grounds["nguy_co_tiep_tuc"]) in text
    assert squash(grounds["tu_choi_ke_hoach"]) not in text
    assert "Tạm thời cách ly trẻ em Nguyễn Thị Ánh, sinh 05/09/2015" in text
    assert "khỏi Ông Vũ Văn Tài, cha dượng của trẻ em" in text
    assert "15 ngày, kể từ 12 giờ 30, ngày 20/11/2026" in text
    assert "Nhà bà ngoại Đặng Thị Lựu, thôn Phú Lộc" in text
    assert "Bà Đặng Thị Lựu (bà ngoại), Thôn Phú Lộc, xã Cẩm Hưng" in text
    assert "Điều 3. Công an xã, người làm công tác bảo vệ trẻ em" in text
    left, right = signature_text(out)
    assert left == "Nơi nhận: - Như Điều 3; - Công an xã; - Lưu: VT, VHXH."  # as recorded with the decision
    assert right == "CHỦ TỊCH Phạm Văn Hùng" and "DỰ THẢO" not in text


def test_form07_draft_and_authority_order(flow, office, tmp_path, leader):
    flow.initial()
    sep_id = separation.save_separation_draft(flow.db, flow.actor, flow.case_id, separation_raw(), at=vn("11:00 20/11/2026"))
    draft = read_text(render(tmp_path, "07", flow.case(), office, "draft"))
    assert "DỰ THẢO" in draft and "Số: ....../QĐ-UBND" in draft and "Phạm Văn Hùng" not in draft
    separation.decide_separation(leader.db, leader.actor, sep_id, decided_by="Lê Văn Tâm",
                                 signing_capacity="kt_pho_chu_tich", decided_at=vn("12:00 20/11/2026"), at=AT)
    separation.extend_separation(flow.db, flow.actor, sep_id, {"duration_days": "30", "order_number": "12/QĐ-TA",
                                                              "order_date": "01/12/2026", "order_body": "Tòa án nhân dân khu vực 3"})
    out = render(tmp_path, "07", flow.case(), office, "extended")
    text = read_text(out)
    assert signature_text(out)[1] == "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Văn Tâm"
    # the decision prints as signed: 15 days; the later extension is on record, not on this paper
    assert "15 ngày, kể từ" in text and "30 ngày" not in text and "12/QĐ-TA" not in text
    sep = flow.case().separations[-1]
    assert (sep.duration_days, sep.original_duration_days, sep.order_number) == (30, 15, "12/QĐ-TA")


def test_minutes_filled(flow, office, tmp_path):
    case = flow.initial().assess().meet().case()
    out = render(tmp_path, "minutes", case, office)
    text, rows = read_text(out), read_rows(out)
    spec = process_form("bien_ban_hop")
    assert spec["sections"][1]["table_columns"] in rows
    for label in [spec["title"], *(s["heading"] for s in spec["sections"]),
                  spec["signatures"]["left"]["title"], spec["signatures"]["right"]["title"]]:
        assert squash(label) in text, label
    assert "Cuộc họp xác định nhu cầu cần hỗ trợ, can thiệp cho trẻ em Nguyễn Thị Ánh" in text
    assert "Thời gian: 14 giờ 00, ngày 23/11/2026" in text and "Địa điểm: Hội trường UBND xã Cẩm Hưng" in text
    assert "Chủ trì: Phạm Văn Hùng — Chủ tịch UBND xã" in text and "Thư ký: Trần Thị Lan" in text
    assert ["3", "Nguyễn Văn Bình", "Trưởng Công an xã"] in rows and ["4", "Đặng Thị Hương", "Mẹ của trẻ em"] in rows
    assert "Giao người làm công tác bảo vệ trẻ em xây dựng kế hoạch trong 05 ngày làm việc." in text
    assert "Cháu tiếp tục ở nhà bà ngoại; Công an xã theo dõi cha dượng." in text
    assert "kết thúc vào hồi 15 giờ 30, ngày 23/11/2026" in text
    assert "Số: ....../BB-UBND" in text and "Cẩm Hưng, ngày 23 tháng 11 năm 2026" in text


# --- Blank forms ----------------------------------------------------------------------------------------
BLANK_LABELS = {
    "02": lambda s: [s["title"], s["conclusion"]["heading"], *(f["label"] for f in s["header_fields"]),
                     *(q["text"] for q in s["questions"])],
    "03": lambda s: [s["title"], s["subtitle"], s["part1"]["heading"], s["part4"]["examples_label"],
                     *s["part4"]["examples"], *(t["total_label"] for t in s["part2"]["tables"]),
                     *(q["text"] for q in s["part1"]["questions"]),
                     *(f["label"] for f in s["header_fields"])],
    "04": lambda s: [s["header"]["agency"], s["title"], s["subtitle"], *s["organisation"]["columns"],
                     *(o["text"] for o in s["objectives"]["printed"]), *(k["text"] for k in s["activity_kinds"]["kinds"]),
                     s["budget"]["heading"], s["signatures"]["right"]["title"]],
    "05": lambda s: [s["title"], *s["grounds"], s["decides"], "Điều 1.", "Điều 2.", "Điều 3.", s["recipients"]["heading"]],
    "06": lambda s: [s["title"], s["part1"]["heading"], *(f["label"] for f in s["header_fields"]),
                     *s["part5"]["outcomes"].values()],
    "07": lambda s: [s["title"], s["subject"], *s["legal_grounds_intro"], *(g["text"] for g in s["grounds"]["items"]),
                     s["decides"]],
    "minutes": lambda s: [s["title"], *(sec["heading"] for sec in s["sections"]), *s["sections"][1]["table_columns"],
                          s["signatures"]["left"]["title"], s["signatures"]["right"]["title"]],
}
SPEC_NAME = {"minutes": "bien_ban_hop"}


@pytest.mark.parametrize("form", ["02", "03", "04", "05", "06", "07", "minutes"])
def test_blank_forms(flow, tmp_path, form):
    flow.initial().assess()  # a case exists, but a blank form shows none of it
    out = tmp_path / f"blank-{form}.pdf"
    registry.render_blank(form, None, out)
    text = read_text(out)
    everything = text + " ¦ " + read_cells(out)
    spec = process_form(SPEC_NAME.get(form, form))
    for label in BLANK_LABELS[form](spec):
        label = squash(label.split("{", 1)[0])
        assert label in everything, label
    assert len(DOTS.findall(text)) >= (1 if form == "04" else 3)  # Mẫu 04 is mostly its table
    for value in ["Nguyễn Thị Ánh", "Trần Thị Lan", "Phạm Văn Hùng", "Cẩm Hưng", "■", "/QĐ-UBND 0", "Đặng Thị Lựu"]:
        assert value not in text, value
    reader = PdfReader(out)
    # The title says what the page says: the number only on the forms that print it (Mẫu 03, 04).
    assert reader.metadata.title == (f"{spec['code_label']}: {spec['name']}" if form in ("03", "04") else spec["name"])
    assert reader.metadata.author == "BVTE"
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.5)
        for font in page["/Resources"]["/Font"].values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()
    assert text == unicodedata.normalize("NFC", text)


def test_blank_with_office_header(office, tmp_path):
    for form in ("04", "05", "07", "minutes"):
        out = tmp_path / f"office-{form}.pdf"
        registry.render_blank(form, office, out)
        text = read_text(out)
        assert "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM XÃ CẨM HƯNG" in text, form  # two header lines
        assert "Cẩm Hưng, ngày" in text and "/BB-UBND" in text if form == "minutes" else True
    text = read_text(tmp_path / "office-05.pdf")
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ CẨM HƯNG" in text and "Số: ....../QĐ-UBND" in text and "Cẩm Hưng, ngày" in text


# --- General --------------------------------------------------------------------------------------------
def test_filled_pdfs_are_a4_embedded_nfc_and_nameless(flow, office, tmp_path):
    case = flow.full().case()
    for form in forms_of(case):
        out = render(tmp_path, form, case, office)
        reader = PdfReader(out)
        meta = reader.metadata
        assert "Nguyễn Thị Ánh" not in f"{meta.title} {meta.subject}" and meta.author == "BVTE", form
        for page in reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.5)
            for font in page["/Resources"]["/Font"].values():
                assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()
        text = read_text(out)
        assert text == unicodedata.normalize("NFC", text), form
        # The plan names no child (Mẫu 04 has no such line): it goes with its decision, which does.
        assert ("Nguyễn Thị Ánh" in text) == (form != "04"), form
    assert forms_of(case) == ["01", "02", "07", "03", "bien_ban_hop", "04", "05", "06"]  # the legal order of the file


def test_user_text_prints_literally(flow, office, tmp_path):
    case = flow.initial(safety_measures='Đưa cháu đi <b>& "ngay" </i>', threat_description="A&B <br/>").case()
    text = read_text(render(tmp_path, "02", case, office))
    assert 'Đưa cháu đi <b>& "ngay" </i>' in text and "A&B <br/>" in text


def test_wording_comes_from_the_form_data(flow, office, tmp_path, monkeypatch):
    case = flow.initial().assess().case()
    changed = copy.deepcopy(process_form("03"))
    changed["part5"]["heading"] = "5. Ý kiến của trẻ em (đã sửa):"
    changed["levels"]["cao"] = "Mức cao"
    real = process_layout.spec
    monkeypatch.setattr(process_layout, "spec", lambda form: changed if form == "03" else real(form))
    text = read_text(render(tmp_path, "03", case, office))
    assert "5. Ý kiến của trẻ em (đã sửa):" in text and "■ Mức cao (trẻ em bị tổn hại nghiêm trọng)" in text


def test_registry_errors(flow, office, tmp_path):
    case = flow.case()  # intake only
    with pytest.raises(UserError, match="Mẫu số 03"):  # a refusal the user reads, not a bug
        registry.render("03", case, office, io.BytesIO())
    with pytest.raises(UserError, match="kế hoạch"):
        registry.render("05", case, office, io.BytesIO())
    with pytest.raises(UserError, match="Không có mẫu"):
        registry.render_blank("17", office, io.BytesIO())
    with pytest.raises(UserError, match="không phải văn bản của một hồ sơ"):  # a carer's paper, not a case's
        registry.render("08", case, office, io.BytesIO())
    buffer = io.BytesIO()
    registry.render("1", case, office, buffer)  # "1" means "01"
    assert buffer.getvalue().startswith(b"%PDF")
