"""A placement's papers as one PDF, in the order of the process (NĐ 56 Điều 38–48): the child's Mẫu 10, the
decision Mẫu 12, each follow-up Mẫu 13 by date, the carer's request Mẫu 15, the decision to end Mẫu 16. Each paper
is laid out as when printed alone and starts on a new page (printouts.dossier.build); the metadata name the
placement, never the child."""
from __future__ import annotations

from models.care_entities import Placement
from models.entities import Office

from . import admin_layout as L
from . import dossier
from . import form10, form12, form13, form15, form16
from . import process_layout as P


def documents(p: Placement, office: Office | None) -> list[P.Doc]:
    docs: list[P.Doc] = []
    if p.care_need is not None:
        docs.append(form10.document(p.care_need, office))
    docs.append(form12.document(p, office))
    docs += [form13.document(p, f, office) for f in sorted(p.followups, key=lambda f: (f.report_date, f.id))]
    docs += [form15.document(p, r, office) for r in p.end_requests]
    if p.end_decision is not None:
        docs.append(form16.document(p, office))
    return docs


def render_dossier(p: Placement, office: Office | None, out: L.Output) -> list[str]:
    """Returns the outline titles of the papers, in order."""
    docs = documents(p, office)
    titles = [d.outline or d.meta.title for d in docs]
    dossier.build(out, docs, L.Metadata(title=f"CSTT-{p.id}", subject="; ".join(titles)))
    return titles
