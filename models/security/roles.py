"""Roles and what each may do. Every service that reads or changes data checks the actor first."""
from __future__ import annotations

from dataclasses import dataclass, field
from ..errors import UserError

ROLES: dict[str, str] = {
    "worker": "Cán bộ bảo vệ trẻ em",
    "leader": "Lãnh đạo (Chủ tịch / Phó Chủ tịch)",
    "admin": "Quản trị viên",
}

# The leader reads and approves but does not edit the worker's forms; the administrator manages accounts,
# settings and backups, and reads the audit trail, but does not read children's files unless also a worker.
PERMISSIONS: dict[str, frozenset[str]] = {
    "worker": frozenset({"case.view", "case.create", "case.edit", "print", "export", "import"}),
    "leader": frozenset({"case.view", "print", "approve", "audit.view"}),
    "admin": frozenset({"accounts", "settings", "backup", "restore", "audit.view"}),
}

PERMISSION_WORDS = {
    "case.view": "xem hồ sơ", "case.create": "tạo hồ sơ", "case.edit": "sửa hồ sơ", "print": "in văn bản",
    "export": "xuất báo cáo", "import": "nhập danh sách", "approve": "phê duyệt", "audit.view": "xem nhật ký",
    "accounts": "quản lý tài khoản", "settings": "sửa cài đặt cơ quan", "backup": "sao lưu", "restore": "khôi phục",
}


class NotAllowed(UserError):
    """The account's role does not allow this action (message in Vietnamese)."""


@dataclass(frozen=True)
class Actor:
    username: str
    full_name: str
    roles: frozenset[str]
    # The account's audit-signing key (vault.SigningKey) while it is signed in; None for the program itself.
    signing: object = field(default=None, compare=False, repr=False)

    def can(self, permission: str) -> bool:
        return any(permission in PERMISSIONS.get(role, ()) for role in self.roles)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise NotAllowed(
                f"Tài khoản {self.username} ({self.role_words}) không có quyền {PERMISSION_WORDS.get(permission, permission)}."
            )

    @property
    def role_words(self) -> str:
        return ", ".join(ROLES[r].lower() for r in ("admin", "worker", "leader") if r in self.roles)


# Acts on behalf of the program itself (migrations, automatic backups): never a person.
SYSTEM = Actor("he-thong", "Hệ thống BVTE", frozenset({"admin"}))
