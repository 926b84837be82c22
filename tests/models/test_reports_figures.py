"""Every figure of the period report, recomputed here straight from the database (not through
models.reports.facts) and compared with what openpyxl reads back from the written workbook."""
from __future__ import annotations

import re

import shutil
import subprocess
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models.clock import VN, today
from models.demo import generate_demo
from models.entities import Case, CaseAbuseForm, Child, Intake
from models.process_entities import (
    CaseReview, CaseStatusEvent, EmergencyMeasure, InitialAssessment, PlanApproval, PlanVersion, Separation,
    SupportPlan,
)
from models.register_entities import GroupMembership, SupportEntry
from desktop.actions.reports import export_report
from models.services.calendar_edits import load_calendar

FORMS = ["bao_luc", "boc_lot", "xam_hai_tinh_duc", "mua_ban", "bo_roi", "khac"]
GENDERS = ["nam", "nu", "khong_biet"]


# -- the independent computation ------------------------------------------------------------------------
def _age(dob, est, on: date):
    if dob is not None:
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    return est


def _band(age):
    if age is None or age < 0 or age >= 16:
        return 3
    return 0 if age < 6 else (1 if age < 11 else 2)


def _cross(items):
    """[(gender, age)] → the 16 figures of the form × gender × age table: total, then per gender 4 bands + sum."""
    out = [len(items)]
    for g in GENDERS:
        bands = [sum(1 for gg, a in items if gg == g and _band(a) == b) for b in range(4)]
        out += bands + [sum(bands)]
    return out


def _by_gender(genders):
    return [len(genders)] + [sum(1 for g in genders if g == x) for x in GENDERS]


def expected(session, start: date, end: date, now: datetime):
    lo = datetime.combine(start, time(0), tzinfo=VN)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=VN)
    cut = min(hi, now)
    cases = {}
    for cid, child_id, opened, closed, rec, cat, gender, dob, est in session.execute(
            select(Case.id, Case.child_id, Case.opened_at, Case.closed_at, Intake.received_at, Intake.category,
                   Child.gender, Child.date_of_birth, Child.estimated_age)
            .join(Child, Child.id == Case.child_id).outerjoin(Intake, Intake.case_id == Case.id)):
        received = rec or opened
        cases[cid] = dict(child=child_id, received=received, closed=closed, cat=cat, gender=gender,
                          age=_age(dob, est, received.astimezone(VN).date()), forms=set())
    for cid, code in session.execute(select(CaseAbuseForm.case_id, CaseAbuseForm.code)):
        cases[cid]["forms"].add(code)
    inp = {cid: c for cid, c in cases.items() if lo <= c["received"] < hi}
    e: dict[str, list] = {}
    ga = [(c["gender"], c["age"]) for c in inp.values()]
    e["so_truong_hop"] = _cross(ga)
    first_case_of_child = {}
    for cid in sorted(inp):
        first_case_of_child.setdefault(inp[cid]["child"], cid)
    e["so_tre_em"] = _cross([(inp[c]["gender"], inp[c]["age"]) for c in first_case_of_child.values()])
    first_abuse_case_of_child = {}
    for cid in sorted(inp):
        if inp[cid]["cat"] == "bi_xam_hai":
            first_abuse_case_of_child.setdefault(inp[cid]["child"], cid)
    e["so_tre_em_bi_xam_hai"] = _cross([(inp[c]["gender"], inp[c]["age"]) for c in first_abuse_case_of_child.values()])
    for f in FORMS:
        e[f"hinh_thuc_{f}"] = _cross([(c["gender"], c["age"]) for c in inp.values() if f in c["forms"]])
    e["hinh_thuc_chua_ro"] = _cross([(c["gender"], c["age"]) for c in inp.values() if not c["forms"]])
    e["can_thiep"] = _cross([(c["gender"], c["age"]) for c in inp.values() if c["cat"] == "bi_xam_hai"])
    e["ho_tro_nguy_co"] = _cross([(c["gender"], c["age"]) for c in inp.values() if (c["cat"] or "").startswith("nguy_co")])
    e["ho_tro_hcdb"] = _cross([(c["gender"], c["age"]) for c in inp.values() if c["cat"] == "hoan_canh_dac_biet"])
    e["doi_tuong_chua_ro"] = _cross([(c["gender"], c["age"]) for c in inp.values() if not c["cat"]])

    # emergency: confirmed Mẫu 02 conclusion; first separation decision or emergency measure vs 12 hours
    first = {}
    for cid, at in session.execute(select(Separation.case_id, Separation.decided_at).where(Separation.decided_at.is_not(None))):
        first[cid] = min(first.get(cid, at), at)
    for cid, at in session.execute(select(EmergencyMeasure.case_id, EmergencyMeasure.taken_at)):
        first[cid] = min(first.get(cid, at), at)
    em = defaultdict(list)
    for (cid,) in session.execute(select(InitialAssessment.case_id).where(
            InitialAssessment.completed_at.is_not(None), InitialAssessment.needs_emergency.is_(True))):
        if cid in inp:
            g = inp[cid]["gender"]
            em["all"].append(g)
            resp = first.get(cid)
            em["chua" if resp is None else ("ok" if resp <= inp[cid]["received"] + timedelta(hours=12) else "late")].append(g)
    e["can_khan_cap"], e["dung_12_gio"] = _by_gender(em["all"]), _by_gender(em["ok"])
    e["qua_12_gio"], e["chua_ap_dung"] = _by_gender(em["late"]), _by_gender(em["chua"])
    seps = [(cid, days) for cid, at, days in session.execute(
        select(Separation.case_id, Separation.decided_at, Separation.duration_days).where(Separation.decided_at.is_not(None)))
        if lo <= at < hi]
    e["quyet_dinh_cach_ly"] = _by_gender([cases[c]["gender"] for c, _ in seps])
    e["cach_ly_qua_15"] = _by_gender([cases[c]["gender"] for c, d in seps if d > 15])

    # plans: first approved version approved in the period; 5 + 2 working days
    cal = load_calendar(session)
    ia_done = dict(session.execute(select(InitialAssessment.case_id, InitialAssessment.completed_at)
                                   .where(InitialAssessment.completed_at.is_not(None))).all())
    starts = defaultdict(list)
    for cid, at in session.execute(select(CaseReview.case_id, CaseReview.created_at)):
        starts[cid].append(at)
    for cid, at in session.execute(select(CaseStatusEvent.case_id, CaseStatusEvent.at).where(CaseStatusEvent.kind == "mo_lai")):
        starts[cid].append(at)
    plans = defaultdict(lambda: {"ok": [], "late": [], "sub": [], "app": [], "all": [], "adj": []})
    p = plans[0]
    for pid, cid, created in session.execute(select(SupportPlan.id, SupportPlan.case_id, SupportPlan.created_at)):
        vs = session.execute(select(PlanVersion.version, PlanVersion.submitted_at, PlanApproval.approved_at)
                             .outerjoin(PlanApproval, PlanApproval.version_id == PlanVersion.id)
                             .where(PlanVersion.plan_id == pid).order_by(PlanVersion.version)).all()
        approved = [v for v in vs if v[2] is not None]
        if not approved:
            continue
        g = cases[cid]["gender"]
        for v in approved[1:]:
            if lo <= v[2] < hi:
                p["adj"].append(g)
        v1 = approved[0]
        if not lo <= v1[2] < hi:
            continue
        submitted = min(v[1] for v in vs if v[1] is not None and v[0] <= v1[0])
        anchor = max([x for x in [ia_done.get(cid), *starts[cid]] if x is not None and x <= created]
                     or [cases[cid]["received"]])
        sub_late = submitted > cal.add_working_days(anchor, 5)
        app_late = v1[2] > cal.add_working_days(submitted, 2)
        p["all"].append(g)
        p["late" if sub_late or app_late else "ok"].append(g)
        if sub_late:
            p["sub"].append(g)
        if app_late:
            p["app"].append(g)
    e["phe_duyet"], e["dung_han"], e["tre_han"] = _by_gender(p["all"]), _by_gender(p["ok"]), _by_gender(p["late"])
    e["trinh_tre"], e["duyet_tre"], e["dieu_chinh"] = _by_gender(p["sub"]), _by_gender(p["app"]), _by_gender(p["adj"])

    # open / closed: state changes from the events, closed_at where no event records it
    evs = defaultdict(list)
    for cid, kind, at in session.execute(select(CaseStatusEvent.case_id, CaseStatusEvent.kind, CaseStatusEvent.at)):
        evs[cid].append((at, kind))
    for cid, c in cases.items():
        if c["closed"] is not None and (c["closed"], "dong") not in evs[cid]:
            evs[cid].append((c["closed"], "dong"))
        evs[cid].sort()

    def is_open(cid, moment):
        if cases[cid]["received"] >= moment:
            return False
        before = [k for at, k in evs[cid] if at < moment]
        return not before or before[-1] == "mo_lai"

    e["mo_dau_ky"] = _by_gender([c["gender"] for cid, c in cases.items() if is_open(cid, lo)])
    e["tiep_nhan"] = _by_gender([c["gender"] for c in inp.values()])
    e["dong"] = _by_gender([cases[cid]["gender"] for cid in cases for at, k in evs[cid] if k == "dong" and lo <= at < hi])
    e["mo_lai"] = _by_gender([cases[cid]["gender"] for cid in cases for at, k in evs[cid] if k == "mo_lai" and lo <= at < hi])
    e["mo_cuoi_ky"] = _by_gender([c["gender"] for cid, c in cases.items() if is_open(cid, cut)])
    listed = {cid for cid in cases if cid in inp or is_open(cid, lo)}

    # register: memberships active in the period, distinct children; helped = support given in the period
    helped = {cid for cid, on in session.execute(select(SupportEntry.child_id, SupportEntry.given_on)) if start <= on <= end}
    mem = [(cid, g, s, gender) for cid, g, s, a, b, gender in session.execute(
        select(GroupMembership.child_id, GroupMembership.group_code, GroupMembership.subgroup,
               GroupMembership.from_date, GroupMembership.to_date, Child.gender)
        .join(Child, Child.id == GroupMembership.child_id))
        if (a is None or a <= end) and (b is None or b >= start)]

    def hc(rows):
        kids = {(cid, gender) for cid, _g, _s, gender in rows}
        return [len(kids)] + [sum(1 for _c, g in kids if g == x) for x in GENDERS] + [sum(1 for c, _g in kids if c in helped)]

    h = {"tong": hc(mem)}
    for cid, g, s, gender in mem:
        h.setdefault(g, hc([m for m in mem if m[1] == g]))
        if s is not None:
            h.setdefault(f"{g}.{s}", hc([m for m in mem if m[1] == g and m[2] == s]))
    return e, h, listed, cases


# -- reading the workbook back --------------------------------------------------------------------------
LABEL_IDS = {
    "Số trường hợp tiếp nhận": "so_truong_hop", "Số trẻ em (mỗi trẻ em đếm một lần)": "so_tre_em",
    "Trong đó: số trẻ em bị xâm hại (mỗi trẻ em đếm một lần)": "so_tre_em_bi_xam_hai",
    "Bạo lực": "hinh_thuc_bao_luc", "Bóc lột": "hinh_thuc_boc_lot", "Xâm hại tình dục": "hinh_thuc_xam_hai_tinh_duc",
    "Mua bán": "hinh_thuc_mua_ban", "Bỏ rơi, bỏ mặc": "hinh_thuc_bo_roi", "Hình thức khác": "hinh_thuc_khac",
    "Chưa xác định hình thức": "hinh_thuc_chua_ro", "Cấp độ can thiệp: trẻ em bị xâm hại": "can_thiep",
    "Cấp độ hỗ trợ: trẻ em có nguy cơ bị bạo lực, bóc lột, bỏ rơi": "ho_tro_nguy_co",
    "Cấp độ hỗ trợ: trẻ em có hoàn cảnh đặc biệt": "ho_tro_hcdb", "Chưa xác định đối tượng": "doi_tuong_chua_ro",
    "Trường hợp tiếp nhận trong kỳ cần can thiệp khẩn cấp (kết luận Mẫu 02)": "can_khan_cap",
    "Áp dụng biện pháp khẩn cấp hoặc cách ly trong 12 giờ": "dung_12_gio", "Áp dụng sau 12 giờ": "qua_12_gio",
    "Chưa ghi nhận biện pháp nào": "chua_ap_dung",
    "Quyết định tạm thời cách ly trẻ em (Mẫu 07) trong kỳ": "quyet_dinh_cach_ly",
    "Trong đó: thời hạn trên 15 ngày (theo quyết định của cơ quan có thẩm quyền)": "cach_ly_qua_15",
    "Kế hoạch được phê duyệt lần đầu trong kỳ": "phe_duyet",
    "Đúng hạn (trình trong 05 ngày làm việc, phê duyệt trong 02 ngày làm việc)": "dung_han", "Trễ hạn": "tre_han",
    "Trong đó: trình quá 05 ngày làm việc": "trinh_tre", "Trong đó: phê duyệt quá 02 ngày làm việc": "duyet_tre",
    "Kế hoạch điều chỉnh được phê duyệt trong kỳ": "dieu_chinh",
    "Hồ sơ đang mở đầu kỳ (chuyển từ kỳ trước)": "mo_dau_ky", "Hồ sơ tiếp nhận trong kỳ": "tiep_nhan",
    "Lượt đóng hồ sơ trong kỳ": "dong", "Lượt mở lại hồ sơ trong kỳ": "mo_lai", "Hồ sơ còn mở cuối kỳ": "mo_cuoi_ky",
}


def read_rows(ws):
    """{label (stripped): [numbers]} for every row of a sheet whose other cells are numbers."""
    out = {}
    for row in ws.iter_rows(values_only=True):
        if not row or not isinstance(row[0], str):
            continue
        nums = [v for v in row[1:] if v is not None]
        if nums and isinstance(nums[0], str) and re.fullmatch(r"\d{4}", nums[0]):
            nums = nums[1:]  # the indicator code (Thông tư 13/2021) beside the label
        if nums and all(isinstance(v, int) for v in nums):
            out[row[0].strip()] = nums
    return out


@pytest.fixture
def demo_ws(workspace, office_db):
    from models.register_demo import add_register_demo

    generate_demo(workspace.db, workspace.actor, children=500, cases=260, seed=7)
    add_register_demo(workspace.db, workspace.actor, seed=7)
    return workspace


def test_every_figure_matches_the_database(demo_ws, tmp_path):
    year = today().year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    out = export_report(demo_ws, str(year), tmp_path)
    wb = load_workbook(out)
    assert wb.sheetnames[:6] == ["Bìa", "Tổng hợp", "Trẻ em có hoàn cảnh đặc biệt", "So sánh", "Biểu đồ",
                                 "Danh sách trường hợp"]
    with demo_ws.db.session() as s:
        e, h, listed, cases = expected(s, start, end, datetime.now(VN))
    got = {LABEL_IDS[k]: v for k, v in read_rows(wb["Tổng hợp"]).items() if k in LABEL_IDS}
    assert set(got) == set(LABEL_IDS.values())
    for key, want in e.items():
        assert got[key] == want, key
    # the cover says a part has no data only when it has none: the demo has the process and the register
    cover = " ".join(str(c.value) for row in wb["Bìa"].iter_rows() for c in row if c.value)
    assert "Chưa có dữ liệu quy trình" not in cover and "Chưa có sổ theo dõi" not in cover
    # the figures are not all zero: the demo has every kind of record in a past year
    assert e["so_truong_hop"][0] > 50 and e["can_khan_cap"][0] > 0 and e["phe_duyet"][0] > 0 and e["dong"][0] > 0
    # totals that add up: genders and bands sum to the total; the open-case balance holds
    for key in LABEL_IDS.values():
        row = got[key]
        if len(row) == 16:
            assert row[0] == row[5] + row[10] + row[15]
            for k in (1, 6, 11):
                assert row[k + 4] == sum(row[k:k + 4])
        else:
            assert row[0] == sum(row[1:4])
    assert got["so_truong_hop"][0] == sum(got[k][0] for k in ("can_thiep", "ho_tro_nguy_co", "ho_tro_hcdb", "doi_tuong_chua_ro"))
    assert got["can_khan_cap"][0] == got["dung_12_gio"][0] + got["qua_12_gio"][0] + got["chua_ap_dung"][0]
    assert got["phe_duyet"][0] == got["dung_han"][0] + got["tre_han"][0]
    assert got["mo_cuoi_ky"][0] == got["mo_dau_ky"][0] + got["tiep_nhan"][0] - got["dong"][0] + got["mo_lai"][0]

    # special circumstances: group and sub-group rows, by gender, helped
    hc = read_rows(wb["Trẻ em có hoàn cảnh đặc biệt"])
    assert hc["Tổng số trẻ em có hoàn cảnh đặc biệt (không trùng)"] == h["tong"]
    assert h["tong"][0] > 0
    by_code = {}
    for label, nums in hc.items():
        code = label.split(" ")[0].rstrip(")")
        by_code[code] = nums
    for key, want in h.items():
        if key != "tong":
            assert by_code[key] == want, key
    for nums in hc.values():
        assert nums[0] == sum(nums[1:4]) and nums[4] <= nums[0]

    # the list: one row per case received in the period or open during it, anonymous
    ls = wb["Danh sách trường hợp"]
    header = [c.value for c in next(r for r in ls.iter_rows() if r[0].value == "STT")]
    assert "Họ và tên trẻ em" not in header and "Thôn, tổ dân phố" not in header
    codes = [r[1] for r in ls.iter_rows(values_only=True) if isinstance(r[0], int)]
    with demo_ws.db.session() as s:
        want_codes = set(s.scalars(select(Case.code).where(Case.id.in_(listed))))
        names = set(s.scalars(select(Child.full_name)))
    assert len(codes) == len(want_codes) and set(codes) == want_codes
    texts = {v for sh in wb.worksheets for r in sh.iter_rows(values_only=True) for v in r if isinstance(v, str)}
    assert not (texts & names), "a child's name leaked into the anonymous report"
    dates = [r[7] for r in ls.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert all(isinstance(d, datetime) for d in dates)  # dates stored as dates, not text
    # print set-up
    for name in ("Tổng hợp", "Trẻ em có hoàn cảnh đặc biệt", "Danh sách trường hợp"):
        sh = wb[name]
        assert sh.page_setup.orientation == "landscape" and int(sh.page_setup.paperSize) == 9
        assert sh.freeze_panes and "&P" in sh.oddFooter.center.text
    assert wb["Danh sách trường hợp"].print_title_rows


def test_names_only_with_a_password(demo_ws, tmp_path):
    from models.reports.protect import PasswordError

    tmp_path = tmp_path / "usb"
    tmp_path.mkdir()

    with pytest.raises(PasswordError, match="mật khẩu"):
        export_report(demo_ws, "2025", tmp_path, with_names=True)
    with pytest.raises(PasswordError, match="ít nhất"):
        export_report(demo_ws, "2025", tmp_path, with_names=True, password="ngan")
    assert not list(tmp_path.iterdir())


def test_empty_period_and_no_process_data(office_db, workspace, tmp_path):
    out = export_report(workspace, "2020-01-01:2020-06-30", tmp_path / "rong.xlsx")
    wb = load_workbook(out)
    rows = read_rows(wb["Tổng hợp"])
    assert rows["Số trường hợp tiếp nhận"] == [0] * 16
    assert "từ 01/01/2020 đến 30/06/2020" in wb["Bìa"]["A5"].value
    cover = " ".join(str(c.value) for row in wb["Bìa"].iter_rows() for c in row if c.value)
    assert "Chưa có dữ liệu quy trình xử lý hồ sơ (Mẫu 02–07)" in cover  # an office with no case at all
    assert "Chưa có sổ theo dõi trẻ em có hoàn cảnh đặc biệt" in cover


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")),
                    reason="LibreOffice (Debian libreoffice-calc) is not installed: cannot open the workbook in a real spreadsheet program")
def test_libreoffice_opens_the_workbook(demo_ws, tmp_path):
    year = today().year - 1
    out = export_report(demo_ws, str(year), tmp_path)
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    conv = tmp_path / "csv"
    # Sheet 2 (Tổng hợp) as UTF-8 CSV: filter options 44 = comma, 34 = quote, 76 = UTF-8, then sheet number
    proc = subprocess.run(
        [exe, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--convert-to",
         'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2', "--outdir", str(conv), str(out)],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    produced = list(conv.glob("*.csv"))
    assert produced, proc.stdout + proc.stderr
    text = produced[0].read_text(encoding="utf-8")
    assert "TỔNG HỢP SỐ LIỆU BẢO VỆ TRẺ EM" in text and "Số trường hợp tiếp nhận" in text
    with demo_ws.db.session() as s:
        e, *_ = expected(s, date(year, 1, 1), date(year, 12, 31), datetime.now(VN))
    line = next(ln for ln in text.splitlines() if ln.startswith('"Số trường hợp tiếp nhận"') or ln.startswith("Số trường hợp tiếp nhận"))
    cells = [c.strip('"') for c in line.split(",")]
    assert cells[1] == ""  # the indicator code column (Thông tư 13/2021): no code on this row
    assert [int(c) for c in cells[2:18]] == e["so_truong_hop"]


def test_a_province_template_is_a_data_change(demo_ws, tmp_path, monkeypatch):
    """A row added and a label changed in the layout file appear in the workbook, counted right."""
    import copy

    from models.reports import layout

    original = layout.load("tong_hop")
    edited = copy.deepcopy(original)
    sec = edited["sections"][0]
    sec["rows"].insert(1, {"id": "nu_bao_luc_duoi_6", "label": "Trẻ em gái dưới 6 tuổi bị bạo lực",
                           "where": {"forms": "bao_luc", "gender": "nu", "age": {"below": 6}}})
    sec["title"] = "I. TIẾP NHẬN (THEO MẪU CỦA TỈNH)"
    real_load = layout.load
    monkeypatch.setattr(layout, "load", lambda name: edited if name == "tong_hop" else real_load(name))
    year = today().year - 1
    wb = load_workbook(export_report(demo_ws, str(year), tmp_path))
    rows = read_rows(wb["Tổng hợp"])
    assert any(r[0] == "I. TIẾP NHẬN (THEO MẪU CỦA TỈNH)" for r in wb["Tổng hợp"].iter_rows(values_only=True))
    with demo_ws.db.session() as s:
        e, *_ = expected(s, date(year, 1, 1), date(year, 12, 31), datetime.now(VN))
    assert rows["Trẻ em gái dưới 6 tuổi bị bạo lực"][0] == e["hinh_thuc_bao_luc"][6]


def test_merge_columns_name_existing_figures(demo_ws, tmp_path):
    from models.reports import layout
    from models.reports.facts import ReportFacts  # noqa: F401 - the keys are those the workbook stores

    wb = load_workbook(export_report(demo_ws, "2026", tmp_path))
    keys = {r[0] for r in wb["_bvte"].iter_rows(values_only=True)}
    for col in layout.report_definition()["merge_columns"]:
        assert col["key"] in keys, col


def test_the_compared_periods_count_the_same_from_rows_read_once(demo_ws):
    """The export reads the rows once for the report period and the periods it is compared with
    (facts.Source): each period's figures equal those of its own reading."""
    from models.reports import compare
    from models.reports.facts import Source, collect
    from models.reports.period import parse_period

    at = datetime.now(VN)
    for text in (str(today().year - 1), f"{today().year - 1}-H1"):
        period = parse_period(text)
        with demo_ws.db.session() as s:
            source = Source(s)
            facts = collect(s, period, at=at, source=source)
            shared = compare.build(s, facts, at=at, source=source)
        with demo_ws.db.session() as s:
            alone = collect(s, period, at=at)
            separate = compare.build(s, alone, at=at)
        assert facts.measures == alone.measures and facts.cases == alone.cases
        assert [(c.heading, c.period, c.figures) for c in [shared.current, *shared.others]] == \
            [(c.heading, c.period, c.figures) for c in [separate.current, *separate.others]]
        assert len(shared.others) == (1 if text.isdigit() else 2)
        assert any(v for c in shared.others for v in c.figures.values())  # figures, not all zeros
