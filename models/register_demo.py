"""Demo register data: a realistic share of the demo children in the 14 groups, with support received.

Called by `bvte demo` after the children exist. Bulk Core INSERTs in one transaction. Shares are rough
orders of magnitude for a rural commune (most children are in no group; disability and 'không nơi nương
tựa' are the largest groups; HIV, trafficking and migration are rare).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select

from .clock import VN, today as clock_today
from .db import Database
from .entities import Case, CaseAbuseForm, Child
from .register_entities import GroupMembership, SupportEntry
from .security import audit
from .security.roles import Actor
from .services.register import special_groups

# (group, share of all children, weights of its sub-groups)
_SHARES = [
    ("a", 0.004, None), ("b", 0.002, None), ("c", 0.012, None), ("d", 0.018, (1, 3, 6)),
    ("đ", 0.0008, None), ("e", 0.002, None), ("g", 0.0005, None), ("h", 0.004, None),
    ("k", 0.001, None), ("m", 0.0003, None), ("n", 0.006, None), ("o", 0.0004, None),
]
# Children whose cases are about violence or sexual abuse join groups i and l.
_FROM_CASES = {"bao_luc": ("i", 0.12), "xam_hai_tinh_duc": ("l", 0.6), "boc_lot": ("k", 0.4), "mua_ban": ("m", 0.8),
               "bo_roi": ("b", 0.2)}

_SUPPORT = [  # kind, weight, amount range (None = described), descriptions
    ("tro_cap", 4, (540_000, 1_080_000), "Trợ cấp xã hội tháng {m}/{y}"),
    ("hien_vat", 3, None, "Quà Tết Nguyên đán: gạo, sữa, áo ấm"),
    ("tien_mat", 2, (200_000, 1_000_000), "Quà Tết Trung thu"),
    ("y_te", 2, None, "Cấp thẻ bảo hiểm y tế"),
    ("giao_duc", 2, None, "Miễn học phí, tặng sách vở đầu năm học"),
    ("tam_ly", 1, None, "Tư vấn tâm lý tại trường, 3 buổi"),
    ("phap_ly", 0.3, None, "Trợ giúp pháp lý miễn phí"),
]


@dataclass
class RegisterDemoSummary:
    memberships: int
    support: int
    children_in_groups: int


def add_register_demo(db: Database, actor: Actor, seed: int = 2026, today: date | None = None) -> RegisterDemoSummary:
    rng = random.Random(seed + 56)
    today = today or clock_today()
    groups = special_groups()
    with db.transaction() as session:
        children = session.execute(select(Child.id, Child.date_of_birth, Child.created_at)).all()
        case_forms: dict[int, list[tuple[str, date]]] = {}
        for cid, code, opened in session.execute(
            select(Case.child_id, CaseAbuseForm.code, Case.opened_at).join(CaseAbuseForm, CaseAbuseForm.case_id == Case.id)
        ):
            case_forms.setdefault(cid, []).append((code, opened.date()))
        if session.scalar(select(GroupMembership.id).limit(1)) is not None:
            return RegisterDemoSummary(0, 0, 0)  # the register is already filled: a second run adds nothing
        already: set[int] = set()
        memberships: list[dict] = []
        support: list[dict] = []
        members: set[int] = set()
        stamp = datetime.now(VN).replace(microsecond=0)

        def start_for(dob: date | None, created: datetime) -> date:
            first = max(dob or (today - timedelta(days=5 * 365)), today - timedelta(days=6 * 365))
            first = max(first, (created.date() if created else first) - timedelta(days=365))
            span = max((today - first).days, 1)
            return first + timedelta(days=rng.randrange(span))

        def add(cid: int, code: str, dob: date | None, created: datetime, weights=None, start: date | None = None) -> None:
            count = len(groups[code].subgroups)
            sub = rng.choices(range(1, count + 1), weights=weights)[0] if weights else rng.randint(1, count)
            begin = start or start_for(dob, created)
            end = None
            if rng.random() < 0.15 and (today - begin).days > 60:
                end = begin + timedelta(days=rng.randint(30, (today - begin).days))
            memberships.append({"child_id": cid, "group_code": code, "subgroup": sub, "from_date": begin,
                                "to_date": end, "note": "", "created_at": stamp, "created_by": actor.username})
            members.add(cid)

        for cid, dob, created in children:
            if cid in already:
                continue
            chosen = set()
            for code, share, weights in _SHARES:
                if rng.random() < share and code not in chosen:
                    chosen.add(code)
                    add(cid, code, dob, created, weights)
            for form, opened in case_forms.get(cid, ()):
                target = _FROM_CASES.get(form)
                if target and target[0] not in chosen and rng.random() < target[1]:
                    chosen.add(target[0])
                    add(cid, target[0], dob, created, start=opened)
        kinds = [k for k, *_ in _SUPPORT]
        weights = [w for _k, w, *_ in _SUPPORT]
        by_kind = {k: (amount, text) for k, _w, amount, text in _SUPPORT}
        for cid in members:
            for _ in range(rng.choice((0, 1, 1, 2, 3, 4))):
                kind = rng.choices(kinds, weights=weights)[0]
                amount_range, text = by_kind[kind]
                day = today - timedelta(days=rng.randint(1, 3 * 365))
                amount = rng.randrange(amount_range[0], amount_range[1] + 1, 10_000) if amount_range else None
                support.append({"child_id": cid, "kind": kind, "given_on": day, "amount": amount,
                                "description": text.format(m=f"{day.month:02d}", y=day.year),
                                "provider": rng.choice(("UBND xã", "Hội Chữ thập đỏ xã", "Hội Liên hiệp Phụ nữ xã",
                                                        "Trường học", "Trạm Y tế xã")),
                                "created_at": stamp, "created_by": actor.username})
        for table, rows in ((GroupMembership.__table__, memberships), (SupportEntry.__table__, support)):
            for start in range(0, len(rows), 10_000):
                session.execute(insert(table), rows[start:start + 10_000])
        audit.record(session, actor, "create", "demo",
                     detail=f"Dữ liệu mẫu sổ trẻ em HCĐB: {len(members)} trẻ, {len(memberships)} mục nhóm, {len(support)} lần hỗ trợ")
    return RegisterDemoSummary(len(memberships), len(support), len(members))
