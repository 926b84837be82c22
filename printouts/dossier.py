"""The whole case file as one PDF, in the order of the law (NĐ 56 Điều 24–32; domain §2):

    Mẫu 01 → Mẫu 02 (with the emergency measures) → Mẫu 07 (each separation) → minutes held before any
    Mẫu 03 → for each round: Mẫu 03 → its minutes → for each plan built on it: every version, as its Mẫu 05
    (the draft decision when submitted, not yet approved) followed by the Mẫu 04 plan it approves ("kèm
    theo"; a version never submitted has its plan only) → the progress sheet
    → Mẫu 06.

Each document is laid out exactly as when printed alone and starts on a new page; page numbers restart
with each document (NĐ 30: none on a document's first page, then 2, 3 … centred in the top margin), and
the PDF has one bookmark per document. The whole file is one reportlab build, so a large case prints in
well under a second.
"""
from __future__ import annotations

import io
import os
from typing import Any

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from models.db import Database
from models.entities import Case, Office
from models.services.cases import load_case

from . import admin_layout as L
from . import fonts
from . import form01, form02, form03, form04, form05, form06, form07, minutes, progress
from . import process_layout as P


def documents(case: Case, office: Office | None) -> list[P.Doc]:
    """The documents of the case file, in legal order."""
    docs: list[P.Doc] = []
    if case.intake is not None:
        docs.append(form01.document(case, office))
    if getattr(case, "initial_assessment", None) is not None:
        docs.append(form02.document(case, office))
    for sep in getattr(case, "separations", []) or []:
        docs.append(form07.document(case, office, sep))
    meetings = list(getattr(case, "meetings", []) or [])
    plans = list(getattr(case, "plans", []) or [])
    reviews = list(getattr(case, "reviews", []) or [])
    assessments = list(getattr(case, "risk_assessments", []) or [])
    ra_ids = {ra.id for ra in assessments}
    used_meetings: set[int] = set()
    used_plans: set[int] = set()

    def meeting_docs(ra_id) -> None:
        for m in meetings:
            if m.id not in used_meetings and m.risk_assessment_id == ra_id:
                used_meetings.add(m.id)
                docs.append(minutes.document(case, office, m))

    def plan_docs(plan) -> None:
        used_plans.add(plan.id)
        for version in plan.versions:  # the decision first, then the plan it approves ("kèm theo")
            if version.approval is not None or version.submitted_at is not None:
                docs.append(form05.document(case, office, version))
            docs.append(form04.document(case, office, version))
        if progress.has_progress(plan):
            docs.append(progress.document(case, office, plan))
        for review in reviews:
            if review.plan_id == plan.id:
                docs.append(form06.document(case, office, review))

    meeting_docs(None)
    for m in meetings:  # minutes of an assessment no longer there: before the rounds
        if m.risk_assessment_id is not None and m.risk_assessment_id not in ra_ids:
            meeting_docs(m.risk_assessment_id)
    for ra in assessments:
        docs.append(form03.document(case, office, ra))
        meeting_docs(ra.id)
        for plan in plans:
            if plan.risk_assessment_id == ra.id:
                plan_docs(plan)
    for plan in plans:
        if plan.id not in used_plans:
            plan_docs(plan)
    return docs


# --- Building -------------------------------------------------------------------------------------------
class _DocumentStart(Flowable):
    """Zero-size mark at the top of each document: restarts the page count and adds the bookmark."""

    def __init__(self, index: int, title: str):
        super().__init__()
        self.index = index
        self.title = L.clean(title)
        self.width = self.height = 0

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        canvas = self.canv
        doc = canvas._doctemplate
        doc._bvte_first_page = doc.page
        doc._bvte_in_front = False
        doc._bvte_starts[self.index] = doc.page
        key = f"doc{self.index}"
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(self.title, key, level=0)


def _page_number(canvas, doc) -> None:
    """At the end of each page: its number within its own document, from that document's page 2."""
    from .marks import draw_page_marks

    draw_page_marks(canvas, doc)
    number = doc.page - getattr(doc, "_bvte_first_page", 1) + 1
    if number < 2 or getattr(doc, "_bvte_in_front", False):
        return
    canvas.saveState()
    canvas.setFont(fonts.REGULAR, 13)
    canvas.drawCentredString(L.MARGIN_LEFT + L.FRAME_WIDTH / 2, L.PAGE_HEIGHT - L.MARGIN_TOP / 2 - 4, str(number))
    canvas.restoreState()


class _FrontStart(Flowable):
    """Zero-size mark at the top of the cover: its pages carry no document page number."""

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        doc = self.canv._doctemplate
        doc._bvte_in_front = True
        self.canv.bookmarkPage("front")
        self.canv.addOutlineEntry("Bìa và mục lục", "front", level=0)


def front_pages(case: Case, office: Office | None, titles: list[str], starts: dict[int, int],
                attachments: list | None = None) -> list[Flowable]:
    """The cover of the case file (who, which case, when printed) and its table of contents: each document
    with the sheet it starts on (sheets counted from the cover; each document numbers its own pages); then the
    list of attached documents kept in the program (models.services.attachments.ListedAttachment), listed only."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    from models.clock import fmt_date, now
    from models.stages import STAGES, stage_of

    child = case.child
    agency = L.clean(office.agency_name) if office is not None and office.agency_name else ""
    out: list[Flowable] = [_FrontStart()]
    if agency:
        out.append(L.para(agency.upper(), "agency"))
    out += [Spacer(1, 40 * mm), L.para("HỒ SƠ TRƯỜNG HỢP BẢO VỆ TRẺ EM", "title"),
            L.para(f"Mã hồ sơ: {case.code}", "subtitle"), Spacer(1, 10 * mm)]
    born = fmt_date(child.date_of_birth) if child.date_of_birth else ""
    rows = [("Họ và tên trẻ em", child.full_name), ("Ngày sinh", born or "(chưa rõ)"),
            ("Ngày tiếp nhận thông tin", fmt_date(case.opened_at)),
            ("Giai đoạn hiện tại", STAGES.get(stage_of(case), "")),
            ("Số văn bản trong hồ sơ", str(len(titles))), ("Ngày in", fmt_date(now()))]
    table = Table([[L.para(k, "body_left"), L.para(v, "body_left")] for k, v in rows],
                  colWidths=[60 * mm, L.FRAME_WIDTH - 60 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out += [table, Spacer(1, 20 * mm),
            L.para("Hồ sơ có thông tin riêng tư của trẻ em: chỉ người có trách nhiệm được xem, "
                   "không sao chụp, không để nơi người khác đọc được.", "sig_note"),
            PageBreak(), L.para("MỤC LỤC", "title"), Spacer(1, 6 * mm)]
    body = [[L.para("STT", "sig_title"), L.para("Văn bản", "sig_title"), L.para("Từ tờ số", "sig_title")]]
    for i, title in enumerate(titles):
        body.append([L.para(str(i + 1), "sig_note"), L.para(title, "body_left"),
                     L.para(str(starts.get(i, "")), "sig_note")])
    toc = Table(body, colWidths=[14 * mm, L.FRAME_WIDTH - 44 * mm, 30 * mm], repeatRows=1)
    toc.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    out.append(toc)
    if attachments:
        out += [Spacer(1, 8 * mm), L.para("GIẤY TỜ ĐÍNH KÈM (LƯU TRONG CHƯƠNG TRÌNH, KHÔNG IN KÈM)", "sig_title"),
                Spacer(1, 3 * mm)]
        rows = [[L.para(h, "sig_title") for h in ("STT", "Của", "Loại giấy tờ", "Tên tệp", "Ngày đính kèm")]]
        for i, a in enumerate(attachments):
            kind = f"{a.kind}: {a.note}" if a.note else a.kind
            rows.append([L.para(str(i + 1), "sig_note"), L.para(a.whose, "body_left"), L.para(kind, "body_left"),
                         L.para(f"{a.file_name} ({a.summary})", "body_left"), L.para(a.created, "sig_note")])
        width = L.FRAME_WIDTH - 14 * mm - 26 * mm
        listing = Table(rows, colWidths=[14 * mm, 34 * mm, width * 0.4 - 8 * mm, width * 0.6 - 26 * mm, 26 * mm],
                        repeatRows=1)
        listing.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        out.append(listing)
    out.append(PageBreak())
    return out


def build(out: L.Output, docs: list[P.Doc], meta: L.Metadata, front: list[Flowable] | None = None,
          starts: dict[int, int] | None = None) -> dict[int, int]:
    """Lay the documents one after the other, each from a new page, into one PDF (made in memory first),
    after the `front` pages (cover, contents) if given. Returns the sheet on which each document starts."""
    fonts.register_fonts()
    starts = {} if starts is None else starts
    story: list[Flowable] = list(front or [])
    for i, d in enumerate(docs):
        if i:
            story.append(PageBreak())
        story.append(_DocumentStart(i, d.outline or d.meta.title))
        story.extend(d.story)
    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer, pagesize=L.PAGE_SIZE,
        leftMargin=L.MARGIN_LEFT, rightMargin=L.MARGIN_RIGHT, topMargin=L.MARGIN_TOP, bottomMargin=L.MARGIN_BOTTOM,
        title=L.clean(meta.title), author=L.clean(meta.author), subject=L.clean(meta.subject),
        creator="BVTE", lang="vi-VN", initialFontName=fonts.REGULAR, initialFontSize=L.BODY_SIZE, initialLeading=18,
    )
    frame = Frame(L.MARGIN_LEFT, L.MARGIN_BOTTOM, L.FRAME_WIDTH, L.PAGE_HEIGHT - L.MARGIN_TOP - L.MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_page_number)])
    template._bvte_starts = starts
    template.build(story)
    data = buffer.getvalue()
    if hasattr(out, "write"):
        out.write(data)  # type: ignore[union-attr]
    else:
        from models.safe_files import replace_atomically  # never half a PDF under the final name (disk full)

        replace_atomically(os.fspath(out), data)  # type: ignore[arg-type]
    return starts


def render_dossier(case_id_or_case: Any, db: Database | None, office: Office | None, out: L.Output, *,
                   cover: bool = True, attachments: list | None = None) -> list[str]:
    """The case file of a case (its id, with `db`, or a loaded Case) as one PDF. Returns the outline titles
    of the documents it holds, in order. `attachments`: the attached documents to list after the contents
    (their content is never printed)."""
    case = case_id_or_case
    if not isinstance(case, Case):
        if db is None:
            raise P.NotPrintable("Cần cơ sở dữ liệu để đọc hồ sơ.")
        case = load_case(db, int(case_id_or_case))
        if case is None:
            raise P.NotPrintable(f"Không tìm thấy hồ sơ số {case_id_or_case}.")
    docs = documents(case, office)
    if not docs:
        raise P.NotPrintable(f"Hồ sơ {case.code} chưa có văn bản nào để in.")
    titles = [d.outline or d.meta.title for d in docs]
    # Metadata: the case code and the list of papers, never the child's name.
    meta = L.Metadata(title=case.code, subject="; ".join(titles))
    if not cover:
        build(out, docs, meta)
        return titles
    # Laid out twice (flowables are used up by a build): first to learn where each document starts.
    starts = build(io.BytesIO(), docs, meta, front_pages(case, office, titles, {}, attachments))
    build(out, documents(case, office), meta, front_pages(case, office, titles, starts, attachments))
    return titles
