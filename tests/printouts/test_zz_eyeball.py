from printouts import registry
from tests.printouts.test_forms_02_07 import flow, leader, office  # noqa: F401


def test_eyeball(flow, office):
    flow.full()
    registry.render_dossier(flow.case_id, flow.db, office, "/tmp/lp/dossier.pdf")
    for f in ("02", "03", "04", "05", "06", "07", "minutes"):
        registry.render_blank(f, office, f"/tmp/lp/blank{f}.pdf")
