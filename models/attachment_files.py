"""Checking a file someone wants to attach: it comes from outside, so it is treated as hostile.

- At most `MAX_BYTES` (20 MB) per file, read with bounded memory (at most the limit + 1 byte is ever read).
- The type is decided by the content, never by the name: the first bytes (PDF `%PDF-`, JPEG `FF D8 FF`, PNG's
  signature), then a real parse — Pillow for images (the pixel count checked against `MAX_PIXELS` from the
  header *before* anything is decoded, and Pillow's own decompression-bomb warning turned into a refusal),
  pypdf for a PDF (the page tree read and counted; an encrypted PDF, a PDF without pages, a truncated one are
  refused). Anything else — a program renamed .pdf, a text renamed .jpg, a HEIC photo, a Word file — is refused
  with a Vietnamese message naming the file.
- Images are re-encoded (JPEG stays JPEG at quality 90, PNG stays PNG, losslessly): what is stored is only the
  pixels, turned upright, without EXIF (a phone photo's GPS position of a child's home, the camera's serial
  number), comments or anything appended after the image. The original's sha256 and size are kept.
- A PDF is kept as it came (its content cannot be rebuilt without losing the scan), and is only ever shown
  through the viewer in memory; its thumbnail, if any, is made by the window (QtPdf) and checked here like an
  image (`check_thumbnail`).
"""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError

MAX_BYTES = 20 * 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
MAX_PIXELS = 60_000_000  # a 600 dpi A4 scan is 35 million pixels; a 50-megapixel phone photo still fits
THUMB_SIZE = 160  # pixels, the longer side
MAX_THUMB_BYTES = 512 * 1024
JPEG_QUALITY = 90
TYPES = ("pdf", "jpeg", "png")
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}
_ACCEPTED_EXT = {"pdf": {".pdf"}, "jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"}, "png": {".png"}}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"

# What a refused file most likely is, by its first bytes: said in the message, so the person knows what to do.
_KNOWN = [
    (b"MZ", "là một chương trình máy tính (tệp .exe hoặc .dll), không phải giấy tờ"),
    (b"\x7fELF", "là một chương trình máy tính, không phải giấy tờ"),
    (b"PK\x03\x04", "là một tệp nén hoặc tệp Word/Excel (.zip, .docx, .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "là một tệp Word/Excel đời cũ (.doc, .xls)"),
    (b"Rar!", "là một tệp nén (.rar)"),
    (b"GIF8", "là ảnh GIF"),
    (b"BM", "là ảnh BMP"),
    (b"II*\x00", "là ảnh TIFF"),
    (b"MM\x00*", "là ảnh TIFF"),
    (b"RIFF", "là ảnh WEBP hoặc tệp âm thanh, video"),
    (b"{\\rtf", "là một văn bản RTF"),
]


class BadAttachment(UserError):
    """A file that cannot be attached (Vietnamese message naming the file)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


@dataclass(frozen=True)
class Incoming:
    """A file that passed the checks: what will be stored (before encryption)."""

    file_name: str  # sanitised, with the extension of its type
    file_type: str  # pdf / jpeg / png
    content: bytes  # the bytes to store (an image re-encoded; a PDF as it came)
    source_size: int
    source_sha256: str
    pages: int | None = None
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None  # a small PNG (images); a PDF's comes from the window

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


# -- names --------------------------------------------------------------------------------------------------
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def clean_file_name(name: str, file_type: str | None = None) -> str:
    """The last part of a path, NFC, without control or forbidden characters, at most 120 characters before its
    extension; the extension made that of the detected type (a PNG named .jpg is stored as .png)."""
    base = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    base = re.sub(r"\s+", " ", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = "." + ext.lower() if ext else ""
    if file_type is not None and ext not in _ACCEPTED_EXT[file_type]:
        if ext and ext not in {e for s in _ACCEPTED_EXT.values() for e in s} and len(ext) <= 6:
            stem = f"{stem}{ext}" if stem else ext.lstrip(".")
        ext = EXTENSIONS[file_type]
    stem = stem.strip(" .")[:120].strip(" .") or "tep-dinh-kem"
    if stem.lower() in _WINDOWS_RESERVED:
        stem = "_" + stem
    return stem + ext


def _shown(name: str) -> str:
    return clean_file_name(name) or "tệp đã chọn"


# -- reading -------------------------------------------------------------------------------------------------
def read_bounded(path: Path | str) -> bytes:
    """The file's bytes, reading at most MAX_BYTES + 1 (a bigger file is refused without being read whole)."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise BadAttachment(f"Không tìm thấy tệp «{_shown(path.name)}».") from None
    except IsADirectoryError:
        raise BadAttachment(f"«{_shown(path.name)}» là một thư mục, không phải tệp.") from None
    except OSError as exc:
        raise BadAttachment(f"Không đọc được tệp «{_shown(path.name)}»: {exc.strerror or exc}.") from None
    if len(data) > MAX_BYTES:
        raise BadAttachment(f"Tệp «{_shown(path.name)}» lớn hơn {MAX_MB} MB, quá giới hạn của một tệp đính kèm. "
                            "Hãy quét lại với độ phân giải thấp hơn (200–300 dpi là đủ đọc) hoặc tách thành "
                            "nhiều tệp.")
    return data


def check_file(path: Path | str) -> Incoming:
    path = Path(path)
    return check_bytes(read_bounded(path), path.name)


def detect(data: bytes) -> str | None:
    if data.startswith(PDF_SIGNATURE):
        return "pdf"
    if data.startswith(JPEG_SIGNATURE):
        return "jpeg"
    if data.startswith(PNG_SIGNATURE):
        return "png"
    return None


def check_bytes(data: bytes, name: str) -> Incoming:
    """Check `data` (the file called `name`) and return what to store; raises BadAttachment."""
    shown = _shown(name)
    if len(data) > MAX_BYTES:
        raise BadAttachment(f"Tệp «{shown}» lớn hơn {MAX_MB} MB, quá giới hạn của một tệp đính kèm.")
    if not data:
        raise BadAttachment(f"Tệp «{shown}» rỗng (0 byte).")
    kind = detect(data)
    if kind is None:
        raise BadAttachment(_not_accepted(data, shown))
    digest = hashlib.sha256(data).hexdigest()
    if kind == "pdf":
        pages = _pdf_pages(data, shown)
        return Incoming(clean_file_name(name, "pdf"), "pdf", data, len(data), digest, pages=pages)
    content, width, height, thumb = _image(data, kind, shown)
    return Incoming(clean_file_name(name, kind), kind, content, len(data), digest, width=width, height=height,
                    thumbnail=thumb)


def _not_accepted(data: bytes, shown: str) -> str:
    head = data[:32]
    what = next((words for magic, words in _KNOWN if head.startswith(magic)), None)
    if what is None and b"ftyp" in head[:12] and any(h in head for h in (b"heic", b"heix", b"mif1", b"heif")):
        what = "là ảnh HEIC của điện thoại"
    if what is None:
        try:
            data[:4096].decode("utf-8")
            what = "là một tệp chữ (văn bản thường)"
        except UnicodeDecodeError:
            what = "có nội dung không nhận ra được"
    return (f"Không đính kèm được tệp «{shown}»: tệp này {what}. Chỉ nhận ảnh JPEG, ảnh PNG hoặc tệp PDF "
            "(kiểm tra theo nội dung của tệp, không theo tên). Với ảnh chụp bằng điện thoại, hãy chọn lưu ảnh "
            "dạng JPEG; với giấy tờ, hãy quét thành PDF.")


# -- images --------------------------------------------------------------------------------------------------
def _image(data: bytes, kind: str, shown: str) -> tuple[bytes, int, int, bytes]:
    from PIL import Image, ImageOps

    fmt = "JPEG" if kind == "jpeg" else "PNG"
    label = "ảnh JPEG" if kind == "jpeg" else "ảnh PNG"

    def bomb(size: str = "") -> BadAttachment:
        return BadAttachment(
            f"Không đính kèm được tệp «{shown}»: ảnh khai kích thước{size} vượt quá giới hạn "
            f"{MAX_PIXELS // 1_000_000} triệu điểm ảnh (một ảnh như vậy có thể làm treo máy). "
            "Hãy chụp hoặc quét lại với độ phân giải thấp hơn.")

    broken = (f"Không đính kèm được tệp «{shown}»: tệp có phần đầu của {label} nhưng nội dung bị hỏng hoặc không "
              "phải ảnh thật. Hãy chụp hoặc quét lại.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=[fmt])  # reads the header only
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise bomb() from None
        except Exception:  # noqa: BLE001 - whatever a hostile image makes the decoder raise, the answer is the same
            raise BadAttachment(broken) from None
        width, height = im.size
        if width <= 0 or height <= 0 or width * height > MAX_PIXELS:  # before a single pixel is decoded
            raise bomb(f" {width} × {height} điểm ảnh")
        try:
            im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise bomb() from None
        except Exception:  # noqa: BLE001
            raise BadAttachment(broken) from None
        try:
            upright = ImageOps.exif_transpose(im)
        except Exception:  # noqa: BLE001 - a broken EXIF block: the pixels as they are
            upright = im
        if kind == "jpeg":
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
        elif upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            upright = upright.convert("RGBA")
        out = io.BytesIO()
        if kind == "jpeg":
            upright.save(out, "JPEG", quality=JPEG_QUALITY)  # no exif=, no comment: nothing but the pixels
        else:
            extra = {"transparency": upright.info["transparency"]} if (
                upright.mode == "P" and "transparency" in upright.info) else {}
            upright.save(out, "PNG", **extra)
        return out.getvalue(), upright.size[0], upright.size[1], _thumbnail(upright)


def _thumbnail(im) -> bytes:
    small = im.copy()
    if small.mode not in ("RGB", "RGBA", "L"):
        small = small.convert("RGBA")
    small.thumbnail((THUMB_SIZE, THUMB_SIZE))
    out = io.BytesIO()
    small.save(out, "PNG")
    return out.getvalue()


def check_thumbnail(data: bytes | None) -> bytes | None:
    """A thumbnail made by the window (a PDF's first page): accepted only as a small, real PNG, re-encoded."""
    if not data:
        return None
    from PIL import Image

    if len(data) > MAX_THUMB_BYTES or not data.startswith(PNG_SIGNATURE):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=["PNG"])
            if max(im.size) > 4 * THUMB_SIZE:
                return None
            im.load()
        except Exception:  # noqa: BLE001
            return None
    return _thumbnail(im)


# -- PDF -----------------------------------------------------------------------------------------------------
def _pdf_pages(data: bytes, shown: str) -> int:
    """The number of pages, read by pypdf (page tree only, no page is drawn); raises BadAttachment."""
    if b"%%EOF" not in data[-4096:]:
        raise BadAttachment(f"Không đính kèm được tệp «{shown}»: tệp PDF bị cắt cụt (thiếu phần cuối), có thể do "
                            "chép chưa xong. Hãy lưu hoặc quét lại.")
    import logging

    from pypdf import PdfReader

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)  # a hostile file's parse warnings are not the user's business
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception:  # noqa: BLE001
                    opened = 0
                if not opened:
                    raise BadAttachment(f"Không đính kèm được tệp «{shown}»: tệp PDF có mật khẩu. Hãy lưu lại bản "
                                        "không đặt mật khẩu rồi đính kèm.")
            pages = len(reader.pages)
    except BadAttachment:
        raise
    except Exception:  # noqa: BLE001 - any parse failure of a hostile file is the same refusal
        raise BadAttachment(f"Không đính kèm được tệp «{shown}»: tệp có phần đầu của PDF nhưng nội dung bị hỏng "
                            "hoặc không phải PDF thật. Hãy mở thử bằng trình đọc PDF, lưu hoặc quét lại.") from None
    finally:
        pypdf_log.setLevel(level)
    if pages <= 0:
        raise BadAttachment(f"Không đính kèm được tệp «{shown}»: tệp PDF không có trang nào.")
    return pages
