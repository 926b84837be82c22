"""Several workstations at once on the server mode (PostgreSQL), on this machine's loopback.

    .venv/bin/python tests/benchmarks/bench_server_load.py [--url postgresql://superuser@127.0.0.1:PORT/postgres]
                                                          [--workers 2,5,10,20] [--seconds 20]

Without --url a throw-away cluster is started and removed (tests/tools/pg_cluster.py). For each N a new office
database is made (one administrator-worker, 40 cases), then N workstation processes, each signed in on its own,
repeat for a fixed time a mix of user actions:
  intake  (a new case: Mẫu 01 with its document number "Số: NN/BC-…"),
  search  (the case list searched by a name without diacritics, first page in name order),
  form    (Mẫu 02 of one of 8 shared cases opened, changed and saved from the version opened: a save made from an
           older version must be refused and explained, never overwrite),
  print   (Mẫu 01 of a case to a PDF in memory),
  tasks   (the to-do list).
Then it checks: 0 lost updates (every accepted form save raised the version by exactly one and the stored value is
the last accepted one), 0 duplicate document numbers or case codes, 0 broken audit chains; and prints p50/p95
latency per action (milliseconds) and how many form saves were refused as conflicts.
"""
from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PASSWORD = "mat-khau-tai-thu-nghiem"
SHARED_CASES = 8


def _light_kdf():
    import models.security.vault as vault

    vault.KDF = {"name": "argon2id", "time_cost": 1, "memory_cost": 8192, "parallelism": 1}


def _intake(n: int, rng: random.Random) -> dict:
    from tests.conftest import intake_raw

    family = rng.choice(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Vũ"])
    given = rng.choice(["Ánh", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Ngọc"])
    return intake_raw(child_name=f"{family} Văn {given}", personal_id="", received_at="08:30 20/11/2026")


def prepare(folder: Path, url: str) -> list[int]:
    _light_kdf()
    from models.server import write_server_url
    from models.services.accounts import setup_office
    from models.services.intake import create_intake, parse_intake
    from models.services.office import save_office
    from models.services import assessment
    from tests.conftest import OFFICE
    from tests.models.test_process_data import ia_raw

    write_server_url(folder, url)
    ws = setup_office(folder, "admin", "Trần Thị Lan", PASSWORD, also_worker=True)
    try:
        assert save_office(ws.db, OFFICE, ws.actor) == {}
        rng = random.Random(1)
        ids = []
        for i in range(40):
            data, errors = parse_intake(_intake(i, rng))
            assert not errors, errors
            ids.append(create_intake(ws.db, data, ws.actor))
        for cid in ids[:SHARED_CASES]:
            assessment.save_initial_assessment(ws.db, ws.actor, cid, ia_raw(), complete=False)
        return ids
    finally:
        ws.close()


def workstation(folder: str, seconds: float, seed: int, case_ids: list[int], ready, go, out) -> None:
    _light_kdf()
    from sqlalchemy import select

    from models.process_entities import InitialAssessment
    from models.services import assessment
    from models.services.accounts import login
    from models.services.cases import CaseFilter, fetch_cases, load_case
    from models.services.intake import create_intake, parse_intake
    from models.services.office import get_office
    from models.services.process_common import EditConflict
    from models.services.tasks import compute_tasks
    from printouts.form01 import render as render_form01
    from tests.models.test_process_data import ia_raw

    rng = random.Random(seed)
    ws = login(Path(folder), "admin", PASSWORD)
    office = get_office(ws.db)
    times: dict[str, list[float]] = defaultdict(list)
    accepted: list[tuple[int, int, str]] = []  # (case, version saved, value)
    conflicts = 0
    errors: list[str] = []
    ready.put(seed)
    go.wait()  # every workstation signed in before the clock starts
    end = time.time() + seconds
    n = 0
    while time.time() < end:
        action = rng.choices(["intake", "search", "form", "print", "tasks"], [2, 4, 3, 1, 1])[0]
        t0 = time.perf_counter()
        try:
            if action == "intake":
                data, bad = parse_intake(_intake(n, rng))
                create_intake(ws.db, data, ws.actor)
            elif action == "search":
                with ws.db.session() as s:
                    fetch_cases(s, CaseFilter(text=rng.choice(["anh", "binh", "nguyen van", "dung", "le"]),
                                              order="name"), limit=50)
            elif action == "form":
                cid = rng.choice(case_ids[:SHARED_CASES])
                with ws.db.session() as s:
                    opened = s.scalar(select(InitialAssessment.row_version).where(InitialAssessment.case_id == cid))
                time.sleep(rng.uniform(0, 0.05))  # the person types
                value = f"Người đánh giá {seed}-{n}"
                try:
                    assessment.save_initial_assessment(ws.db, ws.actor, cid, ia_raw(
                        assessor=rng.choice(["Lê Văn Tâm", "Trần Thị Lan", "Ngô Thị Hoa"]), safety_measures=value, row_version=opened), complete=False)
                    accepted.append((cid, opened + 1, value))
                except EditConflict:
                    conflicts += 1
            elif action == "print":
                case = load_case(ws.db, rng.choice(case_ids))
                render_form01(case, office, io.BytesIO())
            else:
                compute_tasks(ws.db)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors.append(f"{action}: {type(exc).__name__}: {exc}"[:300])
        times[action].append((time.perf_counter() - t0) * 1000)
        n += 1
    ws.close()
    out.put({"times": dict(times), "accepted": accepted, "conflicts": conflicts, "errors": errors})


def check(url: str, folder: Path, results: list[dict]) -> dict:
    _light_kdf()
    from sqlalchemy import func, select

    from models.entities import Case, Intake
    from models.process_entities import InitialAssessment
    from models.security import audit
    from models.services.accounts import login

    ws = login(folder, "admin", PASSWORD)
    try:
        with ws.db.session() as s:
            dup_numbers = s.execute(select(Intake.doc_year, Intake.doc_number).where(Intake.doc_number.is_not(None))
                                    .group_by(Intake.doc_year, Intake.doc_number).having(func.count() > 1)).all()
            dup_codes = s.execute(select(Case.code).group_by(Case.code).having(func.count() > 1)).all()
            rows = {r.case_id: r for r in s.scalars(select(InitialAssessment))}
            chain = audit.verify_chain(s)
        lost = 0
        by_case: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for r in results:
            for cid, version, value in r["accepted"]:
                by_case[cid].append((version, value))
        for cid, saves in by_case.items():
            versions = sorted(v for v, _ in saves)
            row = rows[cid]
            # Every accepted save made exactly one new version, and the stored value is the last accepted one.
            if versions != list(range(2, 2 + len(versions))) or row.row_version != 1 + len(versions):
                lost += 1
            elif row.safety_measures != max(saves)[1]:
                lost += 1
        return {"duplicate_numbers": len(dup_numbers), "duplicate_codes": len(dup_codes), "lost_updates": lost,
                "chain_ok": chain.ok, "chain_entries": chain.count}
    finally:
        ws.close()


def run(url_base: str, n: int, seconds: float) -> dict:
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url_base)
    name = f"bvte_load_{n}"
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                     "LC_CTYPE 'C.UTF-8'")
    url = base.set(database=name).render_as_string(hide_password=False)
    with tempfile.TemporaryDirectory(prefix="bvte-load-") as tmp:
        folder = Path(tmp) / "office"
        case_ids = prepare(folder, url)
        ctx = mp.get_context("spawn")
        out, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
        procs = [ctx.Process(target=workstation, args=(str(folder), seconds, 100 + i, case_ids, ready, go, out))
                 for i in range(n)]
        for p in procs:
            p.start()
        for _ in procs:
            ready.get(timeout=600)
        go.set()
        results = [out.get(timeout=seconds + 300) for _ in procs]
        for p in procs:
            p.join()
        verdict = check(url, folder, results)
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    merged: dict[str, list[float]] = defaultdict(list)
    for r in results:
        for action, values in r["times"].items():
            merged[action].extend(values)
    figures = {}
    for action, values in sorted(merged.items()):
        values.sort()
        figures[action] = {"count": len(values), "p50_ms": round(statistics.median(values), 1),
                           "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))], 1)}
    return {"workers": n, "seconds": seconds, **verdict,
            "form_conflicts_refused": sum(r["conflicts"] for r in results),
            "form_saves_accepted": sum(len(r["accepted"]) for r in results),
            "errors": [e for r in results for e in r["errors"]][:10],
            "error_count": sum(len(r["errors"]) for r in results), "actions": figures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="superuser URL of a PostgreSQL 15+ (default: a throw-away cluster)")
    parser.add_argument("--workers", default="2,5,10,20")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    cluster = None
    url = args.url
    if not url:
        from tests.tools.pg_cluster import Cluster

        cluster = Cluster()
        url = cluster.__enter__()
    ok = True
    try:
        for n in [int(x) for x in args.workers.split(",")]:
            result = run(url, n, args.seconds)
            print(json.dumps(result, ensure_ascii=False), flush=True)
            ok &= (result["lost_updates"] == 0 and result["duplicate_numbers"] == 0 and result["duplicate_codes"] == 0
                   and result["chain_ok"] and result["error_count"] == 0)
    finally:
        if cluster is not None:
            cluster.__exit__()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
