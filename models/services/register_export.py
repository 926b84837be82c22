"""The register as an Excel workbook in the import layout (so export → import loses nothing).

Sheets: 'Danh sách trẻ em' (one row per group membership; a child without a group has one row),
'Hỗ trợ' (one row per support received), 'Hướng dẫn' (the layout, the group codes, confidentiality).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from .. import validation as v
from ..clock import fmt_datetime, now
from ..db import Database
from ..entities import Child, ChildRelation, Person
from ..register_entities import GroupMembership, SupportEntry
from ..security import audit
from ..security.roles import Actor
from ..vocab import GENDERS
from .register import GROUP_ORDER, SUPPORT_KINDS, format_group_code, parse_group_code, special_groups
from .register_import import CHILD_FIELDS, CHILD_SHEET, GUIDE_SHEET, SUPPORT_FIELDS, SUPPORT_SHEET

DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class ExportSummary:
    path: Path
    children: int
    rows: int
    support: int


def export_register(db: Database, actor: Actor, path: Path | str, *, group: str | None = None) -> ExportSummary:
    """Write the register (or the children of one group) to `path` (.xlsx). Recorded in the audit trail."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    actor.require("export")
    path = Path(path)
    code = None
    if group:
        code, _sub = parse_group_code(group)
    with db.session() as session:
        query = select(Child).order_by(Child.sort_key, Child.id)
        if code:
            query = query.where(Child.id.in_(select(GroupMembership.child_id).where(GroupMembership.group_code == code)))
        children = list(session.scalars(query))
        ids = {c.id for c in children}
        people: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for cid, role, name in session.execute(
            select(ChildRelation.child_id, ChildRelation.role, Person.full_name)
            .join(Person, Person.id == ChildRelation.person_id).order_by(ChildRelation.id)
        ):
            if cid in ids:
                people[cid][role].append(name)
        memberships: dict[int, list[GroupMembership]] = defaultdict(list)
        mq = select(GroupMembership).order_by(GroupMembership.child_id, GroupMembership.from_date, GroupMembership.id)
        if code:
            mq = mq.where(GroupMembership.group_code == code)
        for m in session.scalars(mq):
            if m.child_id in ids:
                memberships[m.child_id].append(m)
        support: dict[int, list[SupportEntry]] = defaultdict(list)
        for s in session.scalars(select(SupportEntry).order_by(SupportEntry.given_on, SupportEntry.id)):
            if s.child_id in ids:
                support[s.child_id].append(s)

    wb = Workbook()
    ws = wb.active
    ws.title = CHILD_SHEET
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE7F3")
    ws.append([f.header for f in CHILD_FIELDS])
    col = {f.key: i + 1 for i, f in enumerate(CHILD_FIELDS)}
    n = 0
    for child in children:
        fam = people.get(child.id, {})
        base = {
            "full_name": child.full_name, "date_of_birth": child.date_of_birth,
            "estimated_age": child.estimated_age if child.date_of_birth is None else None,
            "gender": GENDERS.get(child.gender, "") if child.gender != "khong_biet" else "",
            "ethnicity": child.ethnicity, "personal_id": child.personal_id or "", "village": child.village,
            "address": child.address, "father_name": ", ".join(fam.get("cha", [])),
            "mother_name": ", ".join(fam.get("me", [])), "caregiver_name": ", ".join(fam.get("cham_soc", [])),
        }
        for m in memberships.get(child.id) or [None]:
            n += 1
            values = dict(base, stt=n)
            if m is not None:
                values.update(groups=format_group_code(m.group_code, m.subgroup), from_date=m.from_date,
                              to_date=m.to_date, group_note=m.note)
            ws.append([values.get(f.key) for f in CHILD_FIELDS])
            r = ws.max_row
            for key in ("date_of_birth", "from_date", "to_date"):
                ws.cell(r, col[key]).number_format = DATE_FORMAT
            ws.cell(r, col["personal_id"]).number_format = "@"
    widths = {"stt": 6, "full_name": 26, "date_of_birth": 12, "estimated_age": 9, "gender": 9, "ethnicity": 10,
              "personal_id": 16, "village": 20, "address": 26, "father_name": 22, "mother_name": 22,
              "caregiver_name": 22, "groups": 8, "from_date": 12, "to_date": 12, "group_note": 30}
    _style(ws, CHILD_FIELDS, widths, head_font, head_fill, get_column_letter, Alignment)

    ss = wb.create_sheet(SUPPORT_SHEET)
    ss.append([f.header for f in SUPPORT_FIELDS])
    scol = {f.key: i + 1 for i, f in enumerate(SUPPORT_FIELDS)}
    k = 0
    by_id = {c.id: c for c in children}
    for cid, entries in support.items():
        child = by_id[cid]
        for s in entries:
            k += 1
            ss.append([{
                "stt": k, "full_name": child.full_name, "date_of_birth": child.date_of_birth,
                "personal_id": child.personal_id or "", "village": child.village, "kind": SUPPORT_KINDS.get(s.kind, s.kind),
                "given_on": s.given_on, "amount": s.amount, "description": s.description, "provider": s.provider,
            }.get(f.key) for f in SUPPORT_FIELDS])
            r = ss.max_row
            ss.cell(r, scol["date_of_birth"]).number_format = DATE_FORMAT
            ss.cell(r, scol["given_on"]).number_format = DATE_FORMAT
            ss.cell(r, scol["amount"]).number_format = "#,##0"
            ss.cell(r, scol["personal_id"]).number_format = "@"
    _style(ss, SUPPORT_FIELDS, {"stt": 6, "full_name": 26, "date_of_birth": 12, "personal_id": 16, "village": 20,
                                "kind": 30, "given_on": 12, "amount": 14, "description": 40, "provider": 24},
           head_font, head_fill, get_column_letter, Alignment)

    _guide(wb.create_sheet(GUIDE_SHEET), group=code, head_font=head_font)
    try:
        wb.save(path)
    except OSError as exc:
        raise v.Invalid(f"Không ghi được tệp {path.name}: {exc.strerror or exc}. Kiểm tra thư mục và tệp có đang mở trong Excel không.") from None
    with db.transaction() as session:
        what = f"nhóm {code}" if code else "toàn bộ sổ"
        audit.record(session, actor, "export", "child", "",
                     detail=f"Xuất danh sách trẻ em ({what}) ra tệp {path.name}: {len(children)} trẻ, {k} lần hỗ trợ")
    return ExportSummary(path, len(children), n, k)


def _style(ws, fields, widths, font, fill, letter, Alignment) -> None:
    for i, f in enumerate(fields, start=1):
        cell = ws.cell(1, i)
        cell.font = font
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[letter(i)].width = widths.get(f.key, 14)
    ws.freeze_panes = "A2"


def _guide(ws, *, group: str | None, head_font) -> None:
    lines = [
        ("DANH SÁCH TRẺ EM — SỔ THEO DÕI TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT", True),
        (f"Xuất lúc {fmt_datetime(now())}" + (f", chỉ gồm nhóm {group}" if group else ""), False),
        ("Tài liệu có thông tin bí mật đời sống riêng tư của trẻ em (Luật Trẻ em, Điều 33): chỉ chuyển cho người có "
         "trách nhiệm, không đăng tải, không để ở máy dùng chung.", True),
        ("", False),
        ("Cách ghi (tệp này nhập lại được vào BVTE: Sổ trẻ em → Nhập từ Excel, hoặc lệnh bvte import-children):", True),
        ("• Trang «Danh sách trẻ em»: mỗi dòng là một trẻ; trẻ thuộc nhiều nhóm thì ghi mỗi nhóm một dòng "
         "(lặp lại họ tên, ngày sinh), hoặc ghi nhiều mã trong ô Nhóm, cách nhau bằng dấu chấm phẩy.", False),
        ("• Ngày ghi dạng ngày/tháng/năm (05/09/2015) hoặc dùng ô kiểu Ngày của Excel.", False),
        ("• Số định danh cá nhân: đúng 12 chữ số; định dạng cột là Văn bản để Excel không bỏ số 0 ở đầu.", False),
        ("• Giới tính: Nam, Nữ hoặc để trống. Tuổi ước lượng chỉ ghi khi không biết ngày sinh.", False),
        ("• Nhóm: chữ cái của nhóm kèm số diện, ví dụ c.11 (diện 11 của nhóm c); chưa rõ diện thì chỉ ghi chữ cái.", False),
        ("• Trang «Hỗ trợ»: mỗi dòng một lần hỗ trợ; trẻ được nhận ra theo số định danh, hoặc họ tên và ngày sinh.", False),
        ("• Nhập lại cùng một tệp không tạo bản ghi trùng.", False),
        ("", False),
        ("Mã nhóm (Luật Trẻ em, Điều 10; Nghị định 56/2017/NĐ-CP, Điều 3–16):", True),
    ]
    for text, bold in lines:
        ws.append([text])
        if bold:
            ws.cell(ws.max_row, 1).font = head_font
    for code in GROUP_ORDER:
        g = special_groups()[code]
        ws.append([f"{code}", f"{g.title} ({g.article})"])
        ws.cell(ws.max_row, 1).font = head_font
        for i, text in enumerate(g.subgroups, start=1):
            ws.append([f"{code}.{i}", text])
    ws.append([])
    ws.append(["Loại hỗ trợ:"])
    ws.cell(ws.max_row, 1).font = head_font
    for label in SUPPORT_KINDS.values():
        ws.append(["", label])
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 120
