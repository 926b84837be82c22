"""The whole case file as one PDF: every document in legal order, every plan version kept, page numbers
restarting with each document, one bookmark per document, no child's name in the metadata."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from models.services import plan
from models.process_rules import process_form
from printouts import registry
from tests.printouts.test_forms_02_07 import (  # noqa: F401  (fixtures)
    AT, APPROVAL, activity, flow, leader, office, plan_raw, read_pages, squash, top_margin_text,
)

# What starts each document's first page (wording from the form data), by kind.
def _markers() -> dict[str, str]:
    return {
        "01": "TIẾP NHẬN THÔNG TIN TRẺ EM",
        "02": process_form("02")["title"],
        "07": process_form("07")["subject"],
        "03": process_form("03")["subtitle"],
        "minutes": process_form("bien_ban_hop")["title"],
        "04": process_form("04")["title"],
        "05": process_form("05")["subject"].split("{", 1)[0].strip(),
        "progress": process_form("04")["progress"]["title"],
        "06": process_form("06")["title"],
    }


def kinds_by_page(path) -> list[tuple[int, str]]:
    """(page index, kind) of each document, found from the bookmarks, checked against the page text."""
    reader = PdfReader(path)
    pages = [squash(p) for p in read_pages(path)]
    out = []
    for entry in reader.outline:
        index = reader.get_destination_page_number(entry)
        title = entry.title
        if title == "Bìa và mục lục":  # the cover and contents before the documents
            continue
        kind = next(k for k, code in (("01", "Mẫu số 01"), ("02", "Mẫu số 02"), ("03", "Mẫu số 03"),
                                       ("04", "Mẫu số 04"), ("05", "Mẫu số 05"), ("06", "Mẫu số 06"),
                                       ("07", "Mẫu số 07"), ("minutes", "Biên bản"), ("progress", "Theo dõi"))
                    if title.startswith(code))
        assert squash(_markers()[kind]) in pages[index], (kind, index)
        out.append((index, kind))
    return out


def test_dossier_in_legal_order_with_page_numbers(flow, office, tmp_path):
    flow.full()
    out = tmp_path / "hoso.pdf"
    titles = registry.render_dossier(flow.case_id, flow.db, office, out)
    found = kinds_by_page(out)
    kinds = [k for _, k in found]
    assert kinds == ["01", "02", "07", "03", "minutes", "05", "04", "progress", "06"]
    assert len(titles) == len(kinds)
    starts = [i for i, _ in found]
    assert starts == sorted(starts) and starts[0] == 2  # after the cover and the table of contents
    pages = read_pages(out)
    # The page text follows the same order (each document begins where its bookmark points).
    text = squash(" ".join(pages))
    positions = [text.index(squash(_markers()[k])) for k in kinds]
    assert positions == sorted(positions)
    # Page numbers restart with each document: none on its first page, then 2, 3 …
    bounds = starts + [len(pages)]
    multi = 0
    labels = {"01": "Mẫu số 01", "03": "Mẫu số 03", "04": "Mẫu số 04"}  # the decree's own forms only
    for (first, end), kind in zip(zip(bounds, bounds[1:]), kinds):
        assert top_margin_text(out, first) == labels.get(kind, "")
        for i in range(first + 1, end):
            assert top_margin_text(out, i) == str(i - first + 1)
            multi += 1
    assert multi >= 3  # Mẫu 03 and 06 run over several pages
    meta = PdfReader(out).metadata
    assert "Nguyễn Thị Ánh" not in f"{meta.title} {meta.subject}" and meta.title.startswith("HS-")
    assert "Nguyễn Thị Ánh" in text and "Lê Thị Mai" in text  # the informant, on Mẫu 01 only
    assert text.count("Lê Thị Mai") == 1


def test_dossier_keeps_every_plan_version(flow, office, tmp_path):
    flow.initial().assess().meet().draft_plan().approve()
    new_raw = plan_raw(activities=[activity(), activity(name="Tư vấn tâm lý cho mẹ", cost="500.000")])
    flow.version_id = plan.save_plan(flow.db, flow.actor, flow.version_id, new_raw, reason="Bổ sung tư vấn", at=AT)
    flow.approve({**APPROVAL, "approved_at": "10:00 25/11/2026"}, at="09:30 25/11/2026")
    plan.adjust_plan(flow.db, flow.actor, flow.plan_id(), "Đổi người phối hợp", at=AT)  # a draft v3
    out = tmp_path / "versions.pdf"
    registry.render_dossier(flow.case(), None, office, out)
    kinds = [k for _, k in kinds_by_page(out)]
    assert kinds == ["01", "02", "03", "minutes", "05", "04", "05", "04", "04", "progress"]
    text = squash(" ".join(read_pages(out)))
    assert text.index("Số: 01/QĐ-UBND") < text.index("(Kèm theo Quyết định số 01/QĐ-UBND") \
        < text.index("Số: 02/QĐ-UBND") < text.index("(Kèm theo Quyết định số 02/QĐ-UBND") < text.index("DỰ THẢO")


def test_dossier_of_a_new_case_and_errors(flow, office):
    buffer = io.BytesIO()
    titles = registry.render_dossier(flow.case(), None, office, buffer)
    assert len(titles) == 1 and titles[0].startswith("Mẫu số 01")
    assert len(PdfReader(io.BytesIO(buffer.getvalue())).pages) >= 1
    with pytest.raises(ValueError, match="Không tìm thấy hồ sơ"):
        registry.render_dossier(999_999, flow.db, office, io.BytesIO())


def test_dossier_cover_and_contents_point_at_the_right_sheets(flow, office, tmp_path):
    """The cover says whose case file it is; the contents list every document with the sheet it starts on."""
    flow.full()
    out = tmp_path / "hoso.pdf"
    titles = registry.render_dossier(flow.case_id, flow.db, office, out)
    pages = read_pages(out)
    cover, contents = squash(pages[0]), squash(pages[1])
    assert squash("HỒ SƠ TRƯỜNG HỢP BẢO VỆ TRẺ EM") in cover and squash("Nguyễn Thị Ánh") in cover
    assert squash(flow.case().code) in cover and squash(f"Số văn bản trong hồ sơ {len(titles)}") in cover
    assert squash("MỤC LỤC") in contents
    found = kinds_by_page(out)
    for number, ((index, _kind), title) in enumerate(zip(found, titles), start=1):
        # "STT  title  sheet": the sheet is the 1-based page the document's bookmark points at
        assert squash(f"{number}") in contents and squash(title)[:30] in contents
        assert squash(f"{title}{index + 1}")[-40:] in contents or f"{index + 1}" in contents
    assert top_margin_text(out, 0) == "" and top_margin_text(out, 1) == ""
    sheets = [index + 1 for index, _ in found]
    listed = [int(tok) for tok in pages[1].split() if tok.isdigit()]
    assert all(sheet in listed for sheet in sheets)
