"""Reading the audit trail: filtered, page by page, newest first; one case's history; the chain check.

Only leaders and administrators read the trail (permission "audit.view"). Reading it is not itself recorded.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from ..field_crypto import protects
from ..name_search import escape_like
from ..clock import VN
from ..entities import Account, AuditEvent
from ..security.audit import ChainReport, verify_chain
from ..security.roles import ROLES, SYSTEM
from ..security.vault import Vault, VaultError
from ..textnorm import fold, nfc
from ..vocab import COMMUNE_KINDS
from .accounts import Workspace
from .office import OFFICE_FIELDS

ACTION_WORDS: dict[str, str] = {
    "view": "Xem",
    "create": "Tạo",
    "update": "Sửa",
    "print": "In",
    "export": "Xuất",
    "approve": "Phê duyệt",
    "return": "Trả lại để sửa",
    "delete": "Xoá",
    "login": "Đăng nhập",
    "backup": "Sao lưu",
    "restore": "Khôi phục",
    "key": "Cấp khoá ký",
    "import": "Nhập",
    "close": "Đóng hồ sơ",
    "reopen": "Mở lại hồ sơ",
    "merge": "Gộp hồ sơ trẻ trùng",
}

ENTITY_WORDS: dict[str, str] = {
    "case": "Hồ sơ",
    "child": "Trẻ em",
    "office": "Cài đặt cơ quan",
    "account": "Tài khoản",
    "backup": "Bản sao lưu",
    "demo": "Dữ liệu mẫu",
    "report": "Báo cáo định kỳ",
    "calendar": "Lịch ngày làm việc",
    "child_group": "Nhóm hoàn cảnh đặc biệt của trẻ",
    "child_support": "Lần hỗ trợ trẻ",
    "mau02": "Mẫu 02 (đánh giá ban đầu) của hồ sơ",
    "mau03": "Mẫu 03 (đánh giá nguy cơ cụ thể) của hồ sơ",
    "mau04": "Mẫu 04 (kế hoạch) của hồ sơ",
    "mau05": "Mẫu 05 (phê duyệt kế hoạch) của hồ sơ",
    "mau06": "Mẫu 06 (rà soát) của hồ sơ",
    "mau07": "Mẫu 07 (tạm thời cách ly) của hồ sơ",
    "bien_ban_hop": "Biên bản họp của hồ sơ",
    "bao_cao_vu_viec": "Báo cáo vụ việc lên cấp trên của hồ sơ",
    "bien_phap": "Biện pháp khẩn cấp của hồ sơ",
    "hoat_dong": "Hoạt động của kế hoạch, hồ sơ",
    "danh_sach": "Danh sách in ra (việc cần làm, hồ sơ, trẻ em)",
    "carer": "Người nhận chăm sóc thay thế (Mẫu 08 / thông báo của người thân thích)",
    "mau11": "Mẫu 11 (xác minh điều kiện người nhận chăm sóc thay thế)",
    "mau09": "Mẫu 09 (danh sách người nhận chăm sóc thay thế gửi cấp trên), quý",
    "tep_dinh_kem": "Tệp đính kèm (bản quét, ảnh, bản đã ký)",
    # Alternative care, the child's side (models.services.care_need, placements): the child's id, the placement's id.
    "mau10": "Mẫu 10 (đánh giá trẻ em cần chăm sóc thay thế) của trẻ em",
    "mau14": "Mẫu 14 (danh sách trẻ em của cơ sở trợ giúp xã hội), trẻ em",
    "gap_mat_cstt": "Buổi gặp giữa trẻ em và người nhận chăm sóc thay thế, trẻ em",
    "mau12": "Mẫu 12 (quyết định giao, nhận trẻ em chăm sóc thay thế) số",
    "mau13": "Mẫu 13 (báo cáo theo dõi chăm sóc thay thế) của quyết định giao trẻ số",
    "mau15": "Mẫu 15 (đơn đề nghị chấm dứt chăm sóc thay thế) của quyết định giao trẻ số",
    "mau16": "Mẫu 16 (quyết định chấm dứt chăm sóc thay thế) của quyết định giao trẻ số",
}

# Stored field names → the words a user reads (office settings reuse the settings screen's labels).
FIELD_WORDS: dict[str, str] = {
    **{key: label for key, label, _ in OFFICE_FIELDS},
    "roles": "Vai trò",
    "disabled": "Vô hiệu hoá",
    "sign_key": "Khoá ký nhật ký",
    "is_demo": "Dữ liệu mẫu",
}


def _roles_words(value: str) -> str:
    return ", ".join(ROLES.get(code, code) for code in value.split(",") if code)


# Stored values that are codes → readable words, per field.
_VALUE_WORDS = {
    "roles": _roles_words,
    "disabled": lambda value: {"True": "Có", "False": "Không"}.get(value, value),
    "is_demo": lambda value: {"True": "Có", "False": "Không"}.get(value, value),
    "commune_kind": lambda value: COMMUNE_KINDS.get(value, value),
}


@dataclass(frozen=True)
class AuditFilter:
    text: str = ""
    username: str | None = None
    action: str | None = None
    entity_id: str | None = None
    date_from: date | None = None  # inclusive, Vietnam time
    date_to: date | None = None  # inclusive, Vietnam time
    entity: str | tuple[str, ...] | None = None  # "case", "account", … or several (with entity_id: one object's history)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    full_name: str  # "" when the account is unknown (the program itself, a removed account)
    action: str
    entity: str
    entity_id: str
    field: str
    old_value: str
    new_value: str
    detail: str

    @property
    def action_word(self) -> str:
        return ACTION_WORDS.get(self.action, self.action)

    @property
    def user_words(self) -> str:
        if not self.full_name and self.username == SYSTEM.username:
            return SYSTEM.full_name  # the program itself (automatic backups, upgrades), not "he-thong"
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    @property
    def entity_words(self) -> str:
        what = ENTITY_WORDS.get(self.entity, self.entity)
        if self.entity == "office" or not self.entity_id:
            return what
        return f"{what} {self.entity_id}"

    @property
    def field_words(self) -> str:
        return FIELD_WORDS.get(self.field, self.field)

    def _value(self, value: str) -> str:
        convert = _VALUE_WORDS.get(self.field)
        return convert(value) if convert and value else value

    @property
    def old_words(self) -> str:
        return self._value(self.old_value)

    @property
    def new_words(self) -> str:
        return self._value(self.new_value)


FOLD_FUNCTION = "bvte_fold"


def _register_fold(session: Session) -> None:
    """Diacritic- and case-free matching inside SQLite: the same fold() as the case search. (On the server the
    function is PostgreSQL's own `bvte_fold`, made by migration 0100.)"""
    if session.get_bind().dialect.name == "postgresql":
        return
    raw = session.connection().connection.dbapi_connection
    raw.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VN)


def _filtered(query: Select, flt: AuditFilter, session: Session) -> Select:
    if flt.username:
        query = query.where(AuditEvent.username == flt.username)
    if flt.action:
        query = query.where(AuditEvent.action == flt.action)
    if isinstance(flt.entity, tuple):
        query = query.where(AuditEvent.entity.in_(flt.entity))
    elif flt.entity:
        query = query.where(AuditEvent.entity == flt.entity)
    if flt.entity_id is not None:
        query = query.where(AuditEvent.entity_id == nfc(flt.entity_id))
    if flt.date_from is not None:
        query = query.where(AuditEvent.at >= _day_start(flt.date_from))
    if flt.date_to is not None:
        query = query.where(AuditEvent.at < _day_start(flt.date_to + timedelta(days=1)))
    words = fold(flt.text).split()
    if words:
        full_name = func.coalesce(Account.full_name, "")
        columns = [AuditEvent.username, AuditEvent.entity_id, AuditEvent.field, AuditEvent.old_value,
                   AuditEvent.new_value, AuditEvent.detail, full_name]
        if protects(session):
            # On the office server the values are encrypted: the words are looked for here, in the entries the
            # other filters keep (decrypted), and the matching ones are then read as usual.
            rows = session.execute(_filtered(_base([AuditEvent.id, *columns]), replace(flt, text=""), session))
            ids = [r[0] for r in rows if all(w in fold(" ".join(r[1:])) for w in words)]
            return query.where(AuditEvent.id.in_(ids))
        joined = columns[0]
        for column in columns[1:]:
            joined = joined.op("||")(" ").op("||")(column)
        haystack = getattr(func, FOLD_FUNCTION)(joined)
        query = query.where(and_(*(haystack.like(f"%{escape_like(w)}%", escape="\\") for w in words)))
    return query


def _base(columns) -> Select:
    return select(*columns).outerjoin(Account, Account.username == AuditEvent.username)


def count_events(ws: Workspace, flt: AuditFilter) -> int:
    ws.actor.require("audit.view")
    with ws.db.session() as session:
        _register_fold(session)
        return session.scalar(_filtered(_base([func.count(AuditEvent.id)]), flt, session)) or 0


def fetch_events(ws: Workspace, flt: AuditFilter, offset: int = 0, limit: int = 200,
                 *, after: AuditRow | None = None) -> list[AuditRow]:
    """A page of entries, newest first. With `after` (the last row of the previous page) the page starts right
    after it through the primary key (keyed paging: each page costs the same however deep), else at `offset`."""
    ws.actor.require("audit.view")
    query = _base([
        AuditEvent.id, AuditEvent.at, AuditEvent.username, func.coalesce(Account.full_name, ""),
        AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.field, AuditEvent.old_value,
        AuditEvent.new_value, AuditEvent.detail,
    ])
    if after is not None:
        query, offset = query.where(AuditEvent.id < after.id), 0
    with ws.db.session() as session:
        _register_fold(session)
        query = _filtered(query, flt, session).order_by(AuditEvent.id.desc()).offset(offset).limit(limit)
        return [AuditRow(*row) for row in session.execute(query)]


# What is recorded under a case's code: the case itself and every step of its process (the forms, the
# emergency measures, the meeting, the plan's activities), so that its history tells the whole story.
CASE_ENTITIES = ("case", "mau02", "bien_phap", "mau07", "mau03", "bien_ban_hop", "mau04", "mau05", "hoat_dong",
                 "mau06", "tep_dinh_kem")


def case_filter(case_code: str) -> AuditFilter:
    return AuditFilter(entity=CASE_ENTITIES, entity_id=case_code)


def case_history(ws: Workspace, case_code: str) -> list[AuditRow]:
    """Everything recorded about one case (viewed, created, printed, exported …), newest first."""
    flt = case_filter(case_code)
    return fetch_events(ws, flt, 0, max(count_events(ws, flt), 1))


def audit_users(ws: Workspace) -> list[tuple[str, str]]:
    """(username, full name) of everyone who appears in the trail, for the user filter."""
    ws.actor.require("audit.view")
    with ws.db.session() as session:
        names = dict(session.execute(select(Account.username, Account.full_name)).all())
        used = session.scalars(select(AuditEvent.username).distinct().order_by(AuditEvent.username)).all()
    return [(username, names.get(username, "")) for username in used]


def audit_actions(ws: Workspace) -> list[str]:
    """Action codes for the action filter: the known ones, then any others present in the trail."""
    ws.actor.require("audit.view")
    with ws.db.session() as session:
        used = session.scalars(select(AuditEvent.action).distinct()).all()
    return list(ACTION_WORDS) + sorted(set(used) - set(ACTION_WORDS))


def check_chain(ws: Workspace) -> ChainReport:
    """Is the trail whole? (Any edit, insertion or deletion breaks the hash chain from that entry on; an entry
    not signed by its author's registered key is found too.)"""
    ws.actor.require("audit.view")
    try:
        keys = Vault.load(ws.folder).public_keys()
    except VaultError:
        keys = None
    with ws.db.session() as session:
        return verify_chain(session, public_keys=keys)
