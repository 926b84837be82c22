"""The server mode ("Máy chủ trong cơ quan"): the office database on a PostgreSQL 15+ server of the office network.

A data folder in the server mode holds `may-chu.json` ({"url": "postgresql://…"}) beside the key file: the
workstation opens that database instead of `bvte.sqlite3`. Imported only in that mode (psycopg is not loaded
by the single-PC program).

Rules the server must meet, checked at every opening, each refused with a message saying what to do:
- a connection that leaves this computer is encrypted and the server proven by the office's certificate
  (`sslmode=verify-full` and `sslrootcert=…`); only a server on this same computer (loopback) may go without;
- PostgreSQL 15 or newer;
- the database sorts text byte by byte (created with `LC_COLLATE 'C.UTF-8'` or 'C'): the Vietnamese order of
  names is carried by the stored sort keys, which a language collation would reorder.
"""
from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from . import paths
from .db import Database, DatabaseError, MissingDatabaseError

MIN_SERVER_VERSION = 150000
BYTE_ORDER_COLLATIONS = {"c", "posix", "c.utf-8", "c.utf8"}


class ServerSetupError(DatabaseError):
    """The server address or the server itself does not meet the rules above."""


def parse_url(text: str) -> URL:
    """The URL as SQLAlchemy opens it with psycopg 3; a clear message for anything else."""
    raw = (text or "").strip()
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ServerSetupError("Địa chỉ máy chủ dữ liệu không đúng dạng. Ví dụ đúng: "
                               "postgresql://bvte_app@may-chu.ubnd.local/bvte?sslmode=verify-full"
                               "&sslrootcert=C:/BVTE/chung-chi-co-quan.crt") from None
    if url.get_backend_name() != "postgresql":
        raise ServerSetupError("Máy chủ trong cơ quan phải là PostgreSQL (địa chỉ bắt đầu bằng postgresql://).")
    if not url.database:
        raise ServerSetupError("Địa chỉ máy chủ dữ liệu thiếu tên cơ sở dữ liệu (ví dụ …/bvte).")
    url = url.set(drivername="postgresql+psycopg")
    if not _is_local(url.host) and url.query.get("sslmode") != "verify-full":
        raise ServerSetupError(
            "Kết nối tới máy chủ dữ liệu phải được mã hoá và kiểm tra chứng chỉ của cơ quan: thêm "
            "?sslmode=verify-full&sslrootcert=ĐƯỜNG-DẪN-CHỨNG-CHỈ vào địa chỉ (xem hướng dẫn cài máy chủ).")
    return url


def _is_local(host: str | None) -> bool:
    if not host or host.startswith("/") or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def shown_url(url: str | URL) -> str:
    """The address without its password, to show or log."""
    return (make_url(url) if isinstance(url, str) else url).render_as_string(hide_password=True)


def read_server_url(folder: Path) -> str | None:
    file = paths.server_path(folder)
    try:
        with open(file, encoding="utf-8") as fh:
            data = json.loads(fh.read(64 * 1024))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ServerSetupError(f"Tệp {file.name} trong thư mục dữ liệu bị hỏng: {exc}") from None
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(url, str):
        raise ServerSetupError(f"Tệp {file.name} trong thư mục dữ liệu không có địa chỉ máy chủ (\"url\").")
    return url


def write_server_url(folder: Path, url: str) -> None:
    """Point this data folder at the office server (the URL is checked first)."""
    parse_url(url)
    folder.mkdir(parents=True, exist_ok=True)
    file = paths.server_path(folder)
    tmp = file.with_name(file.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"url": url.strip()}, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, file)
    paths.make_private(folder)


def make_server_engine(url: str) -> Engine:
    # hide_parameters: an error message never carries children's names; pre_ping: a workstation that slept
    # through a server restart reconnects instead of failing its next save. jit=off: PostgreSQL would compile the
    # case list's stage expression (hundreds of subplans, a high estimated cost) to machine code at each keystroke of a
    # search, about a second each time, for a query that runs in milliseconds.
    return create_engine(parse_url(url), hide_parameters=True, pool_pre_ping=True, pool_size=3, max_overflow=5,
                         connect_args={"connect_timeout": 10, "application_name": "BVTE", "options": "-c jit=off"})


def _connect_message(exc: BaseException, url: str) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    where = shown_url(url)
    if "password authentication failed" in low or "no password supplied" in low or "authentication" in low:
        why = "máy chủ không chấp nhận tài khoản kết nối (tên hoặc mật khẩu của vai trò cơ sở dữ liệu)"
    elif "certificate" in low or "ssl" in low:
        why = "chứng chỉ của máy chủ không khớp với chứng chỉ của cơ quan, hoặc máy chủ chưa bật mã hoá (SSL)"
    elif "does not exist" in low:
        why = "trên máy chủ không có cơ sở dữ liệu hoặc vai trò với tên này"
    elif "timeout" in low or "could not connect" in low or "connection refused" in low or "connection failed" in low:
        why = "không liên lạc được với máy chủ (máy chủ tắt, sai địa chỉ, hoặc mạng nội bộ có sự cố)"
    else:
        why = text.splitlines()[0] if text else "lỗi không rõ"
    return (f"Không kết nối được máy chủ dữ liệu {where}: {why}. Dữ liệu trên máy chủ không bị ảnh hưởng. "
            "Hãy kiểm tra mạng và máy chủ, hoặc nhờ cán bộ kỹ thuật của cơ quan.")


def check_server(db: Database) -> None:
    try:
        with db.engine.connect() as conn:
            version = int(conn.exec_driver_sql("SHOW server_version_num").scalar())
            collate = conn.exec_driver_sql(
                "SELECT datcollate FROM pg_database WHERE datname = current_database()").scalar()
    except SQLAlchemyError as exc:
        db.engine.dispose()
        raise DatabaseError(_connect_message(exc, db.server_url)) from exc
    if version < MIN_SERVER_VERSION:
        db.engine.dispose()
        raise ServerSetupError("Máy chủ dữ liệu cần PostgreSQL 15 trở lên.")
    if str(collate).lower() not in BYTE_ORDER_COLLATIONS:
        db.engine.dispose()
        raise ServerSetupError(
            f"Cơ sở dữ liệu trên máy chủ được tạo với cách sắp xếp chữ {collate}: danh sách tên sẽ không theo thứ tự "
            "tiếng Việt. Hãy tạo lại cơ sở dữ liệu (còn trống) với LC_COLLATE 'C.UTF-8' như trong hướng dẫn cài máy chủ.")


def _has_office(db: Database) -> bool:
    with db.engine.connect() as conn:
        if conn.exec_driver_sql("SELECT to_regclass('account')").scalar() is None:
            return False
        return bool(conn.exec_driver_sql("SELECT count(*) FROM account").scalar())


def open_server_database(folder: Path, key: bytes, *, create: bool = False) -> Database:
    url = read_server_url(folder)
    db = Database(folder, key, server_url=url)
    db.check_key()
    try:
        if create and _has_office(db):
            raise ServerSetupError("Cơ sở dữ liệu trên máy chủ đã có dữ liệu của một cơ quan: không thiết lập cơ quan "
                                   "mới lên trên. Hãy đăng nhập bằng tài khoản của cơ quan, hoặc dùng một cơ sở dữ liệu trống.")
        if not create and not db.current_revisions():
            raise MissingDatabaseError(
                f"Cơ sở dữ liệu {shown_url(url)} trên máy chủ còn trống: chưa có dữ liệu của cơ quan. Chương trình "
                "không tạo dữ liệu mới; hãy kiểm tra địa chỉ máy chủ, hoặc chuyển dữ liệu lên bằng lệnh "
                "bvte migrate-office.")
        db.upgrade()
        from .field_crypto import open_fields

        open_fields(db.engine, (key, *db.attachment_keys))
    except DatabaseError:
        db.dispose()
        raise
    except SQLAlchemyError as exc:
        db.dispose()
        low = str(getattr(exc, "orig", None) or exc).lower()
        if "permission denied" in low or "must be owner" in low:
            raise ServerSetupError(
                "Phiên bản BVTE này cần nâng cấp cấu trúc dữ liệu trên máy chủ, việc mà vai trò kết nối của máy trạm "
                "không được phép làm. Cán bộ kỹ thuật hãy mở BVTE một lần bằng vai trò chủ sở hữu (bvte_owner) như "
                "trong hướng dẫn cài máy chủ, rồi các máy trạm mở lại.") from exc
        raise DatabaseError(_connect_message(exc, url)) from exc
    from .wording import use_data_folder

    use_data_folder(folder)
    return db
