"""Hostile files offered as attachments: each refused with a Vietnamese message naming the file, nothing stored."""
from __future__ import annotations

import pytest

from models.attachment_files import MAX_BYTES, BadAttachment, check_bytes, check_thumbnail, clean_file_name
from models.services import attachments as att
from tests.attacks.payloads import (
    PDF_GARBAGE, exe_bytes, pdf_no_pages, pdf_bytes, png_bomb_header, png_bytes,
)


@pytest.mark.parametrize("name, data, words", [
    ("hop-dong.pdf", exe_bytes(), "là một chương trình máy tính"),
    ("anh-chup.jpg", "Đây là một tệp chữ, không phải ảnh.".encode(), "là một tệp chữ"),
    ("scan.png", png_bomb_header(), "vượt quá giới hạn 60 triệu điểm ảnh"),
    ("trong.pdf", pdf_no_pages(), "không có trang nào"),
    ("hong.pdf", PDF_GARBAGE, "nội dung bị hỏng"),
    ("cat-cut.pdf", pdf_bytes(2)[:600], "bị cắt cụt"),
    ("cat-cut.png", png_bytes()[:80], "bị hỏng hoặc không phải ảnh thật"),
    ("giay.docx", b"PK\x03\x04" + b"\x00" * 100, "tệp Word/Excel"),
    ("iphone.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "ảnh HEIC"),
    ("rong.pdf", b"", "rỗng"),
])
def test_refused_with_a_message_naming_the_file(name, data, words):
    with pytest.raises(BadAttachment) as refused:
        check_bytes(data, name)
    message = str(refused.value)
    assert words in message and f"«{name}»" in message
    assert refused.value.field == "file"


def test_over_size_is_refused_from_the_file_without_reading_it_whole(tmp_path):
    path = tmp_path / "qua-lon.jpg"
    with open(path, "wb") as fh:
        fh.write(b"\xff\xd8\xff\xe0")
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(BadAttachment, match="«qua-lon.jpg» lớn hơn 20 MB"):
        att.check(path)


def test_a_bomb_is_refused_before_decoding_even_within_pillows_own_limit():
    with pytest.raises(BadAttachment, match="8000 × 8000"):
        check_bytes(png_bomb_header(8000, 8000), "vua.png")  # 64 million pixels: under Pillow's 89 million


def test_an_encrypted_pdf_is_refused():
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(pdf_bytes(1))))
    writer.encrypt("mat-khau-rieng")
    out = BytesIO()
    writer.write(out)
    with pytest.raises(BadAttachment, match="có mật khẩu"):
        check_bytes(out.getvalue(), "khoa.pdf")


def test_names_are_cleaned_and_take_the_extension_of_the_content():
    assert clean_file_name("C:\\Users\\lan\\Desktop\\Giấy khai sinh.PNG", "png") == "Giấy khai sinh.png"
    assert clean_file_name("../../etc/passwd", "pdf") == "passwd.pdf"
    assert clean_file_name("anh.jpg", "png") == "anh.png"
    assert clean_file_name("bien\x00ban<1>?.pdf", "pdf") == "bienban1.pdf"
    assert clean_file_name("CON.pdf", "pdf") == "_CON.pdf"
    assert clean_file_name("...", "jpeg") == "tep-dinh-kem.jpg"
    assert len(clean_file_name("a" * 500 + ".pdf", "pdf")) == 124
    # a genuine PNG named .jpg is accepted as a PNG
    assert check_bytes(png_bytes(), "anh.jpg").file_name == "anh.png"


def test_a_thumbnail_from_the_window_is_checked_like_an_image():
    assert check_thumbnail(b"not a png") is None
    assert check_thumbnail(png_bomb_header(5000, 5000)) is None
    assert check_thumbnail(png_bytes(100, 140)).startswith(b"\x89PNG")
