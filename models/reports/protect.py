"""Password protection of a workbook (ECMA-376 Agile encryption via msoffcrypto-tool): Excel and
LibreOffice ask for the password before showing anything; without it the file is unreadable."""
from __future__ import annotations

import io
from ..errors import UserError

MIN_PASSWORD = 8
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted OOXML file is an OLE compound file


class PasswordError(UserError, ValueError):
    """A password that cannot be used, or a wrong one (Vietnamese message)."""


def check_password(password: str | None) -> str:
    if not password:
        raise PasswordError("Báo cáo có họ tên trẻ em phải được đặt mật khẩu. Hãy nhập mật khẩu.")
    if len(password) < MIN_PASSWORD:
        raise PasswordError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
    from ..security.weak_passwords import weak_password_message

    if (message := weak_password_message(password)) is not None:
        raise PasswordError(message)
    return password


def is_encrypted(data: bytes) -> bool:
    return data[:8] == OLE_MAGIC


def encrypt(data: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    check_password(password)
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def decrypt(data: bytes, password: str) -> bytes:
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, InvalidKeyError

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
    except (InvalidKeyError, DecryptionError):
        raise PasswordError("Mật khẩu không đúng.") from None
    except Exception as exc:  # noqa: BLE001 - a damaged container
        raise PasswordError(f"Không giải mã được tệp: {exc}") from exc
    return out.getvalue()
