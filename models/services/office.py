"""Office settings: read them, check and save them (first-run dialog and the settings screen)."""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import select

from .. import validation as v
from ..db import Database
from ..entities import Office
from ..security import audit
from ..security.roles import Actor
from ..vocab import COMMUNE_KINDS

# (field, label shown next to it, required)
OFFICE_FIELDS: list[tuple[str, str, bool]] = [
    ("province", "Tỉnh / thành phố", True),
    ("commune_name", "Tên xã / phường / đặc khu", True),
    ("commune_kind", "Loại đơn vị", True),
    ("agency_name", "Tên cơ quan (in ở góc trái văn bản)", True),
    ("agency_abbrev", "Chữ viết tắt tên cơ quan (Số: …/BC-…)", True),
    ("place_name", "Địa danh ghi ở dòng ngày tháng", True),
    ("chairman_name", "Chủ tịch UBND", False),
    ("vice_chairmen", "Phó Chủ tịch UBND (mỗi người một dòng)", False),
    ("worker_name", "Người làm công tác bảo vệ trẻ em", True),
    ("worker_phone", "Số điện thoại của người làm công tác BVTE", False),
    ("report_recipient", "Cơ quan nhận báo cáo", True),
    ("report_deadlines", "Hạn nộp báo cáo: 6 tháng, 9 tháng, năm, Tháng hành động (để trống: 15/5, 15/9, 10/11, 20/7)",
     False),
    ("idle_lock_minutes", "Khoá màn hình sau bao nhiêu phút không dùng (0 = không khoá)", False),
    ("backup_reminder_days", "Nhắc sao lưu ra ổ ngoài sau bao nhiêu ngày", False),
]
# Numbers: (default when left empty, lowest, highest).
NUMBER_FIELDS = {"idle_lock_minutes": (10, 0, 240), "backup_reminder_days": (7, 1, 90)}


def get_office(db: Database) -> Office | None:
    with db.session() as session:
        return session.scalar(select(Office).limit(1))


def check_office(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(cleaned values, {field: message})."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    labels = {key: label for key, label, _ in OFFICE_FIELDS}
    for key, label, required in OFFICE_FIELDS:
        try:
            if key in {"chairman_name", "worker_name"}:
                cleaned[key] = v.person_name(raw.get(key), required=required, what=label)
            elif key == "vice_chairmen":
                names = [v.person_name(line, what=label) for line in str(raw.get(key) or "").splitlines()]
                cleaned[key] = "\n".join(n for n in names if n)
            elif key in NUMBER_FIELDS:
                default, lo, hi = NUMBER_FIELDS[key]
                number = v.small_int(raw.get(key), lo=lo, hi=hi, what=label)
                cleaned[key] = default if number is None else number
            elif key == "report_deadlines":
                from ..reports.deadlines import clean as clean_deadlines

                cleaned[key] = clean_deadlines(raw.get(key))
            elif key == "worker_phone":
                cleaned[key] = v.phone(raw.get(key))
            elif key == "agency_abbrev":
                value = v.text(raw.get(key), required=True, max_len=30, what=label).upper()
                if any(ch.isspace() for ch in value):
                    raise v.Invalid("Chữ viết tắt không có dấu cách, ví dụ UBND.")
                cleaned[key] = value
            else:
                cleaned[key] = v.text(raw.get(key), required=required, max_len=200, what=labels[key])
        except v.Invalid as exc:
            errors[key] = str(exc)
    if cleaned.get("commune_kind") and cleaned["commune_kind"] not in COMMUNE_KINDS:
        errors["commune_kind"] = "Chọn xã, phường hoặc đặc khu."
    return cleaned, errors


DEMO_MARK = "DỮ LIỆU MẪU"  # on the window title, every printout and every export of a demo office


def is_demo(office: Office | None) -> bool:
    return bool(office is not None and getattr(office, "is_demo", False))


def mark_demo(db: Database, actor: Actor) -> None:
    """The office is demo data (set once, when the demo office is made)."""
    with db.transaction() as session:
        office = session.scalar(select(Office).limit(1))
        if office is not None and not office.is_demo:
            office.is_demo = True
            audit.record(session, actor, "update", "office", "1", changes=[("is_demo", False, True)])


def save_office(db: Database, raw: Mapping[str, Any], actor: Actor) -> dict[str, str]:
    """Save the settings if they are all valid; returns the messages per field otherwise."""
    actor.require("settings")
    cleaned, errors = check_office(raw)
    if errors:
        return errors
    with db.transaction() as session:
        office = session.scalar(select(Office).limit(1))
        if office is None:
            office = Office()
            session.add(office)
        changes = [(key, getattr(office, key) or "", value) for key, value in cleaned.items()
                   if (getattr(office, key) or "") != value]
        for key, value in cleaned.items():
            setattr(office, key, value)
        if changes:
            audit.record(session, actor, "update", "office", "1", changes=changes)
    return {}
