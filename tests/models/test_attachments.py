"""Attached documents in the data: add, list, view, save a copy, remove, back up and restore, rekey — and the
content never in clear text on disk (in the single-PC file, its journal, its backups, the temp folder)."""
from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from models import attachment_crypto as crypto
from models.attachment_entities import Attachment
from models.attachment_files import BadAttachment, MAX_BYTES, check_bytes
from models.entities import AuditEvent, Case
from models.errors import UserError
from models.services import attachments as att
from models.services.accounts import add_account, disable_account, login
from models.services.intake import create_intake, parse_intake
from models.backup import make_backup, restore_backup
from tests.attacks.payloads import jpeg_bytes, pdf_bytes, png_bytes
from tests.conftest import PASSWORD, intake_raw


def _case(ws) -> Case:
    from models.services.cases import load_case

    case_id = create_intake(ws.db, parse_intake(intake_raw())[0], ws.actor)
    return load_case(ws.db, case_id)


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_add_list_view_and_the_audit_trail(workspace, tmp_path):
    case = _case(workspace)
    png = _file(tmp_path, "Giấy khai sinh Ánh.png", png_bytes(marker="GPS 21.0285 105.8542"))
    pdf = _file(tmp_path, "mau05-da-ky.pdf", pdf_bytes(3))
    a = att.add(workspace, "child", case.child_id, att.check(png), kind="giay_khai_sinh", note="Bản chụp")
    b = att.add(workspace, "form", case.id, att.check(pdf), kind="ban_da_ky", note="Bản đã ký Mẫu 01",
                form_code="01", form_record_id=case.intake.id if case.intake else None)
    [child_doc] = att.list_for(workspace, "child", case.child_id)
    assert child_doc.id == a and child_doc.file_name == "Giấy khai sinh Ánh.png" and child_doc.file_type == "png"
    assert child_doc.kind_label == "Giấy khai sinh" and child_doc.width == 120 and child_doc.pages is None
    [form_doc] = att.list_for(workspace, "form", case.id, form_code="01")
    assert form_doc.id == b and form_doc.pages == 3 and form_doc.summary.startswith("Tệp PDF, 3 trang")
    assert att.list_for(workspace, "case", case.id) == []
    info, data = att.open_content(workspace, b)
    assert data == pdf.read_bytes() and hashlib.sha256(data).hexdigest() == info.sha256
    # The image is re-encoded: the text chunk (metadata) is gone, the pixels are the same.
    _info, image = att.open_content(workspace, a)
    assert b"GPS 21.0285" not in image
    from PIL import Image
    import io

    assert Image.open(io.BytesIO(image)).getpixel((1, 1)) == (200, 30, 30)
    assert att.thumbnail(workspace, a).startswith(b"\x89PNG")
    with workspace.db.session() as session:
        events = [(e.action, e.entity, e.entity_id, e.detail) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.entity == att.AUDIT_ENTITY).order_by(AuditEvent.id))]
    assert events[0][:3] == ("create", "tep_dinh_kem", str(case.child_id)) and "Giấy khai sinh Ánh.png" in events[0][3]
    assert events[1][:3] == ("create", "tep_dinh_kem", case.code) and "bản đã ký Mẫu số 01" in events[1][3]
    assert [e[0] for e in events[2:]] == ["view", "view"]


def test_jpeg_is_turned_upright_and_loses_its_exif(workspace, tmp_path):
    case = _case(workspace)
    raw = jpeg_bytes(160, 120, exif_marker="MAY-ANH-SO-12345")
    assert b"MAY-ANH-SO-12345" in raw
    incoming = check_bytes(raw, "anh.jpeg")
    assert b"MAY-ANH-SO-12345" not in incoming.content and b"Exif" not in incoming.content
    assert (incoming.width, incoming.height) == (120, 160)  # orientation 6 applied
    assert incoming.file_name == "anh.jpeg" and incoming.source_sha256 == hashlib.sha256(raw).hexdigest()
    att.add(workspace, "case", case.id, incoming, kind="anh")
    assert [i.file_type for i in att.list_for(workspace, "case", case.id)] == ["jpeg"]


def test_remove_asks_a_reason_erases_the_content_and_keeps_the_trace(workspace, tmp_path):
    case = _case(workspace)
    a = att.add(workspace, "case", case.id, check_bytes(png_bytes(), "x.png"), kind="anh")
    with pytest.raises(UserError, match="lý do"):
        att.remove(workspace, a, "  ")
    att.remove(workspace, a, "Đính kèm nhầm ảnh của trẻ khác")
    assert att.list_for(workspace, "case", case.id) == []
    [gone] = att.list_for(workspace, "case", case.id, include_removed=True)
    assert gone.removed and gone.removed_reason == "Đính kèm nhầm ảnh của trẻ khác" and gone.removed_by == "admin"
    with workspace.db.session() as session:
        row = session.get(Attachment, a)
        assert row.content is None and row.thumbnail is None and row.wrapped_key == b"" and row.key_id == ""
        detail = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "delete"))
    assert "Đính kèm nhầm ảnh của trẻ khác" in detail
    with pytest.raises(UserError, match="đã được gỡ bỏ"):
        att.open_content(workspace, a)
    with pytest.raises(UserError, match="đã được gỡ bỏ"):
        att.remove(workspace, a, "lần nữa cho chắc")
    with workspace.db.engine.begin() as conn:  # a new data key passes over the removed row
        assert crypto.rewrap_all(conn, workspace.db.key, os.urandom(32)) == 0


def test_owner_must_exist_and_kind_must_be_known(workspace):
    case = _case(workspace)
    incoming = check_bytes(png_bytes(), "x.png")
    with pytest.raises(UserError, match="Không tìm thấy trẻ em số 999"):
        att.add(workspace, "child", 999, incoming, kind="anh")
    with pytest.raises(UserError, match="Chọn loại giấy tờ"):
        att.add(workspace, "case", case.id, incoming, kind="khong-co")
    with pytest.raises(UserError, match="mẫu nào"):
        att.add(workspace, "form", case.id, incoming, kind="ban_da_ky")
    # A carer or a placement (the alternative-care tables) is an owner like any other: no change needed here.
    from models.care_entities import Carer

    with pytest.raises(UserError, match="Không tìm thấy người chăm sóc thay thế số 7"):
        att.add(workspace, "carer", 7, incoming, kind="giay_to_tuy_than")
    with workspace.db.transaction() as session:
        carer = Carer(registration="don_dang_ky", kind="ca_nhan", full_name="Đặng Thị Lựu", name_key="dang thi luu")
        session.add(carer)
        session.flush()
        carer_id = carer.id
    doc = att.add(workspace, "carer", carer_id, incoming, kind="giay_kham_suc_khoe")
    assert [i.id for i in att.list_for(workspace, "carer", carer_id)] == [doc]


def test_a_leader_views_but_does_not_add_or_remove(workspace, tmp_path):
    case = _case(workspace)
    a = att.add(workspace, "case", case.id, check_bytes(png_bytes(), "x.png"), kind="anh")
    add_account(workspace, "chutich", "Phạm Văn Hùng", ["leader"], PASSWORD)
    leader = login(workspace.folder, "chutich", PASSWORD)
    try:
        assert att.open_content(leader, a)[1].startswith(b"\x89PNG")
        with pytest.raises(UserError, match="không có quyền sửa hồ sơ"):
            att.add(leader, "case", case.id, check_bytes(png_bytes(), "y.png"), kind="anh")
        with pytest.raises(UserError, match="không có quyền sửa hồ sơ"):
            att.remove(leader, a, "không cần nữa")
    finally:
        leader.close()


def test_the_stored_bytes_are_encrypted_and_bound_to_their_row(workspace):
    """What the server of the server mode would hold: ciphertext only, and not movable to another row."""
    case = _case(workspace)
    marker = b"NOI-DUNG-BI-MAT-" + os.urandom(6).hex().encode()
    a = att.add(workspace, "case", case.id, check_bytes(pdf_bytes(1, marker=marker.decode()), "a.pdf"), kind="khac")
    b = att.add(workspace, "case", case.id, check_bytes(pdf_bytes(1), "b.pdf"), kind="khac")
    with workspace.db.engine.begin() as conn:
        rows = {r.id: r for r in conn.execute(text("SELECT id, content, thumbnail, wrapped_key FROM attachment"))}
        assert marker not in bytes(rows[a].content) and b"%PDF" not in bytes(rows[a].content)
        # b's wrapped key copied onto a: a no longer opens (the key is bound to its row and owner).
        conn.execute(text("UPDATE attachment SET wrapped_key = :w WHERE id = :id"), {"w": rows[b].wrapped_key, "id": a})
    with pytest.raises(UserError, match="không khớp"):
        att.open_content(workspace, a)
    with workspace.db.engine.begin() as conn:
        conn.execute(text("UPDATE attachment SET wrapped_key = :w WHERE id = :id"), {"w": rows[a].wrapped_key, "id": a})
        conn.execute(text("UPDATE attachment SET content = :c WHERE id = :id"), {"c": rows[b].content, "id": a})
    with pytest.raises(UserError, match="bị hỏng hoặc đã bị sửa"):
        att.open_content(workspace, a)


def test_a_new_data_key_rewraps_every_document(workspace):
    """Disabling an account draws a new data key: documents attached before still open, under the new key."""
    case = _case(workspace)
    a = att.add(workspace, "case", case.id, check_bytes(pdf_bytes(2), "a.pdf"), kind="khac")
    old_id = crypto.key_id(workspace.db.key)
    add_account(workspace, "canbo2", "Lê Văn Tâm", ["worker"], PASSWORD)
    disable_account(workspace, "canbo2")
    assert crypto.key_id(workspace.db.key) != old_id
    with workspace.db.session() as session:
        assert session.scalar(select(Attachment.key_id).where(Attachment.id == a)) == crypto.key_id(workspace.db.key)
    assert att.open_content(workspace, a)[1].startswith(b"%PDF-")
    workspace.close()
    again = login(workspace.folder, "admin", PASSWORD)
    try:
        assert att.open_content(again, a)[1].startswith(b"%PDF-")
    finally:
        again.close()


def test_an_interrupted_rewrap_is_finished_and_nothing_is_lost(workspace):
    """The rewrap is idempotent: rows already under the new key are left alone (a rekey finished at sign-in)."""
    case = _case(workspace)
    a = att.add(workspace, "case", case.id, check_bytes(png_bytes(), "a.png"), kind="anh")
    old, new = workspace.db.key, os.urandom(32)
    with workspace.db.engine.begin() as conn:
        assert crypto.rewrap_all(conn, old, new) == 1
        assert crypto.rewrap_all(conn, old, new) == 0
    # This program still holds the old key: the document says so, calmly, until the key is known.
    with pytest.raises(UserError, match="khoá dữ liệu khác"):
        att.open_content(workspace, a)
    workspace.db.attachment_keys = (new,)
    assert att.open_content(workspace, a)[1].startswith(b"\x89PNG")


def test_merging_two_records_of_a_child_moves_the_documents(workspace):
    from models.services.register_merge import merge_children

    first = _case(workspace)
    other = create_intake(workspace.db, parse_intake(intake_raw(child_name="Nguyễn Thị Ánh", personal_id="",
                                                                 date_of_birth="05/09/2015"))[0], workspace.actor)
    with workspace.db.session() as session:
        other_child = session.get(Case, other).child_id
    if other_child == first.child_id:
        pytest.skip("the intake recognised the same child")
    a = att.add(workspace, "child", other_child, check_bytes(png_bytes(), "a.png"), kind="anh")
    merge_children(workspace.db, workspace.actor, first.child_id, other_child)
    assert [i.id for i in att.list_for(workspace, "child", first.child_id)] == [a]
    assert att.open_content(workspace, a)[1].startswith(b"\x89PNG")


def test_save_a_copy_is_recorded_before_the_file_gets_its_name(workspace, tmp_path):
    case = _case(workspace)
    data = pdf_bytes(1)
    a = att.add(workspace, "case", case.id, check_bytes(data, "a.pdf"), kind="khac")
    out = att.save_copy(workspace, a, tmp_path / "ban-sao.pdf")
    assert out.read_bytes() == data
    with workspace.db.session() as session:
        detail = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "export",
                                                                AuditEvent.entity == att.AUDIT_ENTITY))
    assert "ban-sao.pdf" in detail


def test_backup_restore_round_trip_keeps_every_document(workspace, tmp_path):
    case = _case(workspace)
    data = pdf_bytes(2)
    a = att.add(workspace, "form", case.id, check_bytes(data, "mau01.pdf"), kind="ban_da_ky", form_code="01")
    usb = tmp_path / "usb"
    usb.mkdir()
    info = make_backup(workspace, usb / "sao-luu.bvtebak")
    fresh = tmp_path / "may-moi"
    restore_backup(fresh, info.path, "admin", PASSWORD)
    ws = login(fresh, "admin", PASSWORD)
    try:
        got_info, got = att.open_content(ws, a)
        assert hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest() == got_info.sha256
        assert [i.form_code for i in att.list_for(ws, "form", case.id)] == ["01"]
    finally:
        ws.close()


@pytest.mark.sqlite_only  # the files of the single-PC data folder
def test_no_clear_text_copy_anywhere_on_disk(workspace, tmp_path):
    """A unique marker in a PDF (uncompressed text) and in a PNG's metadata: after adding, viewing, saving,
    backing up, it is nowhere in the data folder (database, WAL, journal, backups) nor in the temp folder."""
    import time

    from models.backup import automatic_backup

    started = time.time() - 2
    case = _case(workspace)
    marker = ("DAU-VET-" + os.urandom(8).hex()).encode()
    pdf = pdf_bytes(1, marker=marker.decode())
    assert marker in pdf
    a = att.add(workspace, "case", case.id, check_bytes(pdf, "bi-mat.pdf"), kind="khac", note="ghi chú")
    att.add(workspace, "child", case.child_id, check_bytes(png_bytes(marker=marker.decode()), "p.png"), kind="anh")
    assert marker in att.open_content(workspace, a)[1]  # in memory, as the viewer gets it
    automatic_backup(workspace, force=True)
    (workspace.folder / "usb").mkdir()
    make_backup(workspace, workspace.folder / "usb" / "tay.bvtebak")
    found, scanned = [], 0
    for place, recent_only in ((workspace.folder, False), (Path(tempfile.gettempdir()), True)):
        for path in place.rglob("*"):
            try:
                if not path.is_file() or path.is_symlink():
                    continue
                st = path.stat()
                if (recent_only and st.st_mtime < started) or st.st_size > 100 * 1024 * 1024:
                    continue
                blob = path.read_bytes()
                scanned += 1
                if marker in blob:
                    found.append(str(path))
                if blob[:4] == b"PK\x03\x04":  # a backup: its members, decompressed
                    with zipfile.ZipFile(path) as zf:
                        found += [f"{path}!{n}" for n in zf.namelist() if marker in zf.read(n)]
            except (OSError, zipfile.BadZipFile):
                continue
    names = {p.name for p in workspace.folder.rglob("*")}
    assert "bvte.sqlite3" in names and any(n.endswith(".bvtebak") for n in names) and scanned >= 4
    assert found == []


def test_a_huge_file_is_refused_before_it_is_read_whole(tmp_path):
    path = tmp_path / "lon.pdf"
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.seek(MAX_BYTES + 10)
        fh.write(b"\n%%EOF\n")
    with pytest.raises(BadAttachment, match="lớn hơn 20 MB"):
        att.check(path)


def test_exports_list_the_documents_without_their_content(workspace, office_db, tmp_path):
    """The register's workbook and the printed case file name each document (kind, file, date), nothing more."""
    import io

    import pdfplumber
    from openpyxl import load_workbook

    from desktop.actions import printing
    from models.services.register_export import ATTACHMENT_SHEET, export_register
    from models.services.register_import import prepare as prepare_import

    case = _case(workspace)
    marker = "NOI-DUNG-" + os.urandom(4).hex()
    att.add(workspace, "child", case.child_id, check_bytes(png_bytes(marker=marker), "Giấy khai sinh.png"),
            kind="giay_khai_sinh", note="Bản sao có chứng thực")
    att.add(workspace, "form", case.id, check_bytes(pdf_bytes(1, marker=marker), "=mau01-ky.pdf"), kind="ban_da_ky",
            form_code="01")
    out = tmp_path / "so.xlsx"
    export_register(workspace.db, workspace.actor, out)
    assert marker.encode() not in out.read_bytes()
    wb = load_workbook(out)
    rows = [[c.value for c in row] for row in wb[ATTACHMENT_SHEET].iter_rows()]
    assert rows[0][:2] == ["STT", "Họ và tên trẻ em"] and len(rows) == 2
    assert rows[1][1] == "Nguyễn Thị Ánh" and rows[1][4] == "Giấy khai sinh" and rows[1][6] == "Giấy khai sinh.png"
    # the exported workbook still imports (the list of files is not mistaken for the children's sheet)
    prepared = prepare_import(out)
    assert prepared.sheet.title == "Danh sách trẻ em"
    paper = printing.dossier(workspace, case.id)
    with pdfplumber.open(io.BytesIO(paper.pdf)) as doc:
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in doc.pages)
    (tmp_path / "ho-so.pdf").write_bytes(paper.pdf)
    assert "GIẤY TỜ ĐÍNH KÈM (LƯU TRONG CHƯƠNG TRÌNH, KHÔNG IN KÈM)" in text
    assert "Giấy khai sinh.png" in text and "=mau01-ky.pdf" in text and "Bản đã ký Mẫu" in text
    assert marker not in text and marker.encode() not in paper.pdf


def test_command_line_lists_without_content(workspace, tmp_path, monkeypatch, capsys):
    import json

    from desktop.cli import main as cli_main

    case = _case(workspace)
    marker = "NOI-DUNG-" + os.urandom(4).hex()
    a = att.add(workspace, "child", case.child_id, check_bytes(pdf_bytes(1, marker=marker), "giay-kham.pdf"),
                kind="giay_kham_suc_khoe")
    att.add(workspace, "form", case.id, check_bytes(png_bytes(), "mau01.png"), kind="ban_da_ky", form_code="01")
    att.remove(workspace, a, "Nhầm trẻ khác")
    monkeypatch.setenv("BVTE_PASSWORD", PASSWORD)
    folder = str(workspace.folder)
    assert cli_main(["--data-dir", folder, "attachments", "--user", "admin", "--child", str(case.child_id)]) == 0
    assert capsys.readouterr().out.strip() == "Chưa có tệp đính kèm."
    assert cli_main(["--data-dir", folder, "attachments", "--user", "admin", "--child", str(case.child_id),
                     "--removed"]) == 0
    out = capsys.readouterr().out
    assert "giay-kham.pdf" in out and "đã gỡ bỏ" in out and "Nhầm trẻ khác" in out and marker not in out
    assert cli_main(["--data-dir", folder, "attachments", "--user", "admin", "--case", case.code, "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["form"] == "01" and listed["file_name"] == "mau01.png" and "content" not in listed


def test_moving_the_office_between_engines_carries_the_documents(workspace, tmp_path):
    """`migrate-office` and the server mode's backups copy every table row by row (models.transfer): the
    documents arrive still encrypted and open with the same data key; a few rows at a time (bounded memory)."""
    from models.db import Database
    from models.transfer import _chunk, copy_office

    case = _case(workspace)
    data = pdf_bytes(3)
    ids = [att.add(workspace, "case", case.id, check_bytes(data, f"{i}.pdf"), kind="khac") for i in range(6)]
    assert _chunk(Attachment.__table__) < 10
    target_folder = tmp_path / "noi-nhan"
    target_folder.mkdir()
    target = Database(target_folder, workspace.db.key)
    try:
        target.upgrade()
        copy_office(workspace.db.engine, target.engine)
        with target.session() as session:
            row = session.scalar(select(Attachment).where(Attachment.id == ids[-1]))
            assert row.file_name == "5.pdf"
        from types import SimpleNamespace

        moved = SimpleNamespace(db=target, actor=workspace.actor)
        assert att.open_content(moved, ids[-1])[1] == data
    finally:
        target.dispose()
