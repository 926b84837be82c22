"""The register as an Excel workbook in the import layout (so export → import loses nothing).

Sheets: 'Danh sách trẻ em' (one row per group membership; a child without a group has one row),
'Hỗ trợ' (one row per support received), 'Hướng dẫn' (the layout, the group codes, confidentiality).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from .. import xlsx_stream as xs
from ..clock import fmt_datetime, now
from ..db import Database
from ..safe_files import release_after_audit
from ..entities import Child, ChildRelation, Person
from ..field_crypto import name_order, protects
from ..register_entities import GroupMembership, SupportEntry
from ..security import audit
from ..security.roles import Actor
from ..vocab import GENDERS
from .register import GROUP_ORDER, SUPPORT_KINDS, format_group_code, parse_group_code, special_groups
from .register_import import CHILD_FIELDS, CHILD_SHEET, GUIDE_SHEET, SUPPORT_FIELDS, SUPPORT_SHEET
from .attachments import listing_for_children

ATTACHMENT_SHEET = "Giấy tờ đính kèm"
ATTACHMENT_HEADERS = ["STT", "Họ và tên trẻ em", "Ngày sinh", "Số định danh", "Loại giấy tờ", "Ghi chú", "Tên tệp",
                      "Dạng tệp, cỡ", "Ngày đính kèm"]

@dataclass
class ExportSummary:
    path: Path
    children: int
    rows: int
    support: int


def export_register(db: Database, actor: Actor, path: Path | str, *, group: str | None = None,
                    office_id: str = "") -> ExportSummary:
    """Write the register (or the children of one group) to `path` (.xlsx). Recorded in the audit trail; the
    audit chain's head at the time is kept in a hidden sheet (models/security/anchors.py)."""
    actor.require("export")
    path = Path(path)
    code = None
    if group:
        code, _sub = parse_group_code(group)
    with db.session() as session:
        # Plain rows, not ORM objects: a 50,000-child register loads in a fraction of the time.
        query = select(Child.id, Child.full_name, Child.date_of_birth, Child.estimated_age, Child.gender,
                       Child.ethnicity, Child.personal_id, Child.village, Child.address)
        if code:
            query = query.where(Child.id.in_(select(GroupMembership.child_id).where(GroupMembership.group_code == code)))
        if protects(session):  # names encrypted on the server: put in order here
            children = name_order(session.execute(query.add_columns(Child.sort_key)).all(),
                                  key=lambda r: (r.sort_key or "", r.id))
        else:
            children = list(session.execute(query.order_by(Child.sort_key, Child.id)))
        ids = {c.id for c in children}
        people: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for cid, role, name in session.execute(
            select(ChildRelation.child_id, ChildRelation.role, Person.full_name)
            .join(Person, Person.id == ChildRelation.person_id).order_by(ChildRelation.id)
        ):
            if cid in ids:
                people[cid][role].append(name)
        memberships: dict[int, list] = defaultdict(list)
        G = GroupMembership
        mq = select(G.child_id, G.group_code, G.subgroup, G.from_date, G.to_date, G.note).order_by(GroupMembership.child_id, GroupMembership.from_date, GroupMembership.id)
        if code:
            mq = mq.where(GroupMembership.group_code == code)
        for m in session.execute(mq):
            if m.child_id in ids:
                memberships[m.child_id].append(m)
        # Attached documents are listed (what, when, which file), never included: their content stays encrypted.
        files = listing_for_children(session, ids)
        support: dict[int, list] = defaultdict(list)
        S = SupportEntry
        for s in session.execute(select(S.child_id, S.kind, S.given_on, S.amount, S.description, S.provider)
                                 .order_by(S.given_on, S.id)):
            if s.child_id in ids:
                support[s.child_id].append(s)
        anchor = audit.anchor(session, office_id)

    # The sheets are streamed into a temporary file beside the target (time and memory linear in the register);
    # the export is recorded in the audit trail, and only then does the file get its final name.
    counts = {"rows": 0, "support": 0, "files": 0}

    def child_rows():
        yield [(f.header, xs.HEADER) for f in CHILD_FIELDS]
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
                counts["rows"] += 1
                values = dict(base, stt=counts["rows"])
                if m is not None:
                    values.update(groups=format_group_code(m.group_code, m.subgroup), from_date=m.from_date,
                                  to_date=m.to_date, group_note=m.note)
                yield [values.get(f.key) for f in CHILD_FIELDS]

    by_id = {c.id: c for c in children}

    def support_rows():
        yield [(f.header, xs.HEADER) for f in SUPPORT_FIELDS]
        for cid, entries in support.items():
            child = by_id[cid]
            for s in entries:
                counts["support"] += 1
                values = {
                    "stt": counts["support"], "full_name": child.full_name, "date_of_birth": child.date_of_birth,
                    "personal_id": child.personal_id or "", "village": child.village,
                    "kind": SUPPORT_KINDS.get(s.kind, s.kind), "given_on": s.given_on, "amount": s.amount,
                    "description": s.description, "provider": s.provider,
                }
                yield [values.get(f.key) for f in SUPPORT_FIELDS]

    def attachment_rows():
        yield [(h, xs.HEADER) for h in ATTACHMENT_HEADERS]
        n = 0
        for cid, infos in files.items():
            child = by_id[cid]
            for info in infos:
                n += 1
                counts["files"] += 1
                yield [n, child.full_name, child.date_of_birth, child.personal_id or "", info.kind_label, info.note,
                       info.file_name, info.summary, info.created_at.date()]

    def column_styles(fields):
        dates = {"date_of_birth", "from_date", "to_date", "given_on"}
        return [xs.DATE if f.key in dates else xs.TEXT if f.key == "personal_id"
                else xs.AMOUNT if f.key == "amount" else xs.NORMAL for f in fields]

    widths = {"stt": 6, "full_name": 26, "date_of_birth": 12, "estimated_age": 9, "gender": 9, "ethnicity": 10,
              "personal_id": 16, "village": 20, "address": 26, "father_name": 22, "mother_name": 22,
              "caregiver_name": 22, "groups": 8, "from_date": 12, "to_date": 12, "group_note": 30}
    support_widths = {"stt": 6, "full_name": 26, "date_of_birth": 12, "personal_id": 16, "village": 20,
                      "kind": 30, "given_on": 12, "amount": 14, "description": 40, "provider": 24}
    sheets = [
        xs.SheetSpec(CHILD_SHEET, child_rows(), [widths.get(f.key, 14) for f in CHILD_FIELDS], True,
                     column_styles(CHILD_FIELDS)),
        xs.SheetSpec(SUPPORT_SHEET, support_rows(), [support_widths.get(f.key, 14) for f in SUPPORT_FIELDS], True,
                     column_styles(SUPPORT_FIELDS)),
        xs.SheetSpec(ATTACHMENT_SHEET, attachment_rows(), [6, 26, 12, 16, 20, 30, 30, 24, 12], True,
                     [xs.NORMAL, xs.NORMAL, xs.DATE, xs.TEXT, xs.NORMAL, xs.NORMAL, xs.NORMAL, xs.NORMAL, xs.DATE]),
        xs.SheetSpec(GUIDE_SHEET, _guide(group=code), [10, 120]),
    ]
    from ..security.anchors import stream_sheet

    sheets.append(stream_sheet(anchor))  # hidden: the import offers visible sheets only
    mark = _demo_mark(db)
    if mark is not None:  # a demo office's list says so on its first sheet (re-import finds sheets by name)
        sheets.insert(0, mark)
    what = f"nhóm {code}" if code else "toàn bộ sổ"

    def record(session) -> None:
        audit.record(session, actor, "export", "child", "",
                     detail=f"Xuất danh sách trẻ em ({what}) ra tệp {path.name}: {len(children)} trẻ, "
                            f"{counts['support']} lần hỗ trợ, danh mục {counts['files']} tệp đính kèm (không kèm nội dung)")

    release_after_audit(db, path, lambda out: xs.write_xlsx(out, sheets), record)
    return ExportSummary(path, len(children), counts["rows"], counts["support"])


def _guide(*, group: str | None):
    """Rows of the 'Hướng dẫn' sheet (bold lines as (text, BOLD))."""
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
        ("• Trang «Giấy tờ đính kèm» chỉ liệt kê các tệp đã đính kèm (loại, tên tệp, ngày); nội dung các tệp không "
         "được xuất ra, chỉ xem được trong BVTE. Trang này không được nhập lại.", False),
        ("", False),
        ("Mã nhóm (Luật Trẻ em, Điều 10; Nghị định 56/2017/NĐ-CP, Điều 3–16):", True),
    ]
    for text, bold in lines:
        yield [(text, xs.BOLD) if bold else text]
    for code in GROUP_ORDER:
        g = special_groups()[code]
        yield [(code, xs.BOLD), f"{g.title} ({g.article})"]
        for i, text in enumerate(g.subgroups, start=1):
            yield [f"{code}.{i}", text]
    yield []
    yield [("Loại hỗ trợ:", xs.BOLD)]
    for label in SUPPORT_KINDS.values():
        yield ["", label]


def _demo_mark(db: Database):
    """The first sheet of a demo office's list: "DỮ LIỆU MẪU" (None for a real office)."""
    from .office import DEMO_MARK, get_office, is_demo

    if not is_demo(get_office(db)):
        return None
    return xs.SheetSpec(DEMO_MARK, [[f"{DEMO_MARK}: tệp này được xuất từ dữ liệu dùng thử, không phải trẻ em thật."]],
                        [110])
