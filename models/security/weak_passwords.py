"""A short list of passwords everyone tries first (resources/weak_passwords.txt), refused for accounts and reports."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..textnorm import fold


@lru_cache(maxsize=1)
def _weak() -> frozenset[str]:
    text = resources.files("resources").joinpath("weak_passwords.txt").read_text(encoding="utf-8")
    return frozenset(fold(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def weak_password_message(password: str) -> str | None:
    """A Vietnamese message if the password is on the list (or one character repeated), else None."""
    key = fold(password)
    if key in _weak() or len(set(key)) <= 1:
        return ("Mật khẩu này quá dễ đoán (nằm trong danh sách mật khẩu hay bị thử đầu tiên). Hãy chọn mật khẩu khác, "
                "ví dụ ghép vài từ dễ nhớ với chữ số: «hoa-sen-2026-thon-3».")
    return None
