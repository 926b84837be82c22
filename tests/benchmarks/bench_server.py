"""The server mode (PostgreSQL) at a given size: the figures a workstation user waits for, with their targets.

    BVTE_USER=canbo BVTE_PASSWORD=… .venv/bin/python tests/benchmarks/bench_server.py DATA_DIR
        [--url postgresql://SUPERUSER@127.0.0.1:PORT/postgres] [--runs 5] [--admin admin]

DATA_DIR is a single-PC office folder (e.g. made by `bvte demo --children 50000 --cases 20000`); it is copied to a
temporary folder first and never written to. Without --url a throw-away cluster is started and removed
(tests/tools/pg_cluster.py, as `BVTE_TEST_PG=auto`). On the server the script makes, as docs/may-chu-postgresql.sql
does, an owner role, an application role and a new empty database (byte-order collation), copies the office there
with `bvte migrate-office` (signed in as --admin, the account allowed to; password BVTE_ADMIN_PASSWORD, default
BVTE_PASSWORD; it ends with VACUUM ANALYZE, models/portable.settle_after_copy), then signs in as a workstation: a data
folder holding only `keys.json` and `may-chu.json` (the application role), as BVTE_USER / BVTE_PASSWORD.
Figures (medians of --runs runs, each with the machine's load): search as you type, opening a case in the window
(the definition of bench_foundation), the to-do list, the annual report. Targets at 50,000 children / 20,000 cases:
search ≤ 100 ms, opening a case ≤ 150 ms, to-do list ≤ 500 ms, annual report ≤ 5 s; above 60,000 children
(e.g. 200,000 / 80,000) twice those. Everything it made (database, roles, copies, cluster) is removed at the end,
also on failure.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import figures as f  # noqa: E402
from tests.benchmarks.run_all import line  # noqa: E402


class ServerOffice:
    """An owner role, an application role and an empty database on the server, dropped by `drop()`."""

    def __init__(self, superuser_url: str):
        from sqlalchemy.engine import make_url

        self.base = make_url(superuser_url)
        tag = f"{os.getpid()}_{secrets.token_hex(3)}"
        self.owner, self.app, self.name = f"bvte_bench_owner_{tag}", f"bvte_bench_app_{tag}", f"bvte_bench_{tag}"
        self.secret = secrets.token_hex(16)
        self.made: list[str] = []

    def _super(self, database: str | None = None):
        import psycopg

        url = self.base.set(database=database) if database else self.base
        return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def url(self, role: str) -> str:
        return self.base.set(username=role, password=self.secret, database=self.name).render_as_string(
            hide_password=False)

    def create(self) -> None:
        with self._super() as conn:
            for role in (self.owner, self.app):
                conn.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{self.secret}' NOSUPERUSER NOCREATEDB "
                             "NOCREATEROLE")
                self.made.append(role)
            conn.execute(f"CREATE DATABASE \"{self.name}\" OWNER \"{self.owner}\" TEMPLATE template0 ENCODING 'UTF8' "
                         "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
            self.made.append(self.name)
            conn.execute(f'REVOKE ALL ON DATABASE "{self.name}" FROM PUBLIC')
            conn.execute(f'GRANT CONNECT ON DATABASE "{self.name}" TO "{self.owner}", "{self.app}"')
        with self._super(self.name) as conn:
            conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
            conn.execute(f'GRANT USAGE ON SCHEMA public TO "{self.app}"')
            for what, grant in (("TABLES", "SELECT, INSERT, UPDATE, DELETE"), ("SEQUENCES", "USAGE, SELECT"),
                                ("FUNCTIONS", "EXECUTE")):
                conn.execute(f'ALTER DEFAULT PRIVILEGES FOR ROLE "{self.owner}" IN SCHEMA public GRANT {grant} ON '
                             f'{what} TO "{self.app}"')

    def size(self) -> str:
        with self._super(self.name) as conn:
            return conn.execute(f"SELECT pg_size_pretty(pg_database_size('{self.name}'))").fetchone()[0]

    def drop(self) -> None:
        with self._super() as conn:
            if self.name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            for role in (self.app, self.owner):
                if role in self.made:
                    conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        self.made.clear()


def migrate(copy: Path, server: ServerOffice, admin: str) -> float:
    """`bvte migrate-office` from the work copy to the new database, as the owner role (docs §5)."""
    env = dict(os.environ, BVTE_PASSWORD=os.environ.get("BVTE_ADMIN_PASSWORD") or f.password())
    start = time.perf_counter()
    done = subprocess.run([*f.bvte_command(), "--data-dir", str(copy), "migrate-office", "--user", admin, "--to",
                           server.url(server.owner)], cwd=f.ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bvte migrate-office failed ({done.returncode}): {done.stdout}{done.stderr}")
    print(done.stdout.strip().splitlines()[0], flush=True)
    return took


def workstation_folder(copy: Path, server: ServerOffice) -> Path:
    """A workstation's data folder (docs §6): the office's key file and the application role's address."""
    from models.server import write_server_url

    folder = Path(tempfile.mkdtemp(prefix="bvte-bench-ws-")) / "data"
    folder.mkdir()
    shutil.copy2(copy / "keys.json", folder / "keys.json")
    write_server_url(folder, server.url(server.app))
    return folder


def measure(folder: Path, runs: int, out: Path) -> None:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import func, select

    from desktop.common.worker import wait_for_background_jobs
    from desktop.main_window import MainWindow
    from models.entities import Case, Child
    from models.services.accounts import login

    ws = login(folder, f.USER, f.password())
    window = None
    try:
        assert ws.db.is_server, "the workstation must be on the server"
        with ws.db.session() as s:
            children, cases = s.scalar(select(func.count(Child.id))), s.scalar(select(func.count(Case.id)))
        big = children > 60_000
        k = 2 if big else 1
        print(f"máy chủ PostgreSQL: {children:,} trẻ em, {cases:,} hồ sơ; đăng nhập {f.USER} trên máy trạm "
              f"(vai trò ứng dụng); {f.load()}", flush=True)

        search = f.search_keystrokes(ws, runs=runs)
        line("Tìm kiếm khi gõ (phím chậm nhất của 'nguyen thi h')", f.spread(search, "ms", 1000), f"≤ {100 * k} ms",
             f.median(search) <= 0.1 * k)

        app = QApplication.instance() or QApplication([])
        window = MainWindow(ws)
        window.show()
        app.processEvents()
        wait_for_background_jobs()  # the to-do tab and the check at opening, started with the window
        app.processEvents()
        window.select_case(window.model.id_at(0))  # the first opening builds the case view's pieces once
        opening = f.open_case(window, max(runs, 5))
        line("Mở một hồ sơ (chọn trong danh sách, khung hồ sơ vẽ xong)", f.spread(opening, "ms", 1000),
             f"≤ {150 * k} ms", f.median(opening) <= 0.15 * k)

        todo = [f.todo_list(ws) for _ in range(runs)]
        line("Việc cần làm (tính trên mọi hồ sơ đang mở)", f.spread(todo, "ms", 1000), f"≤ {500 * k} ms",
             f.median(todo) <= 0.5 * k)

        f.annual_report(ws, out)  # the first one loads openpyxl
        report = [f.annual_report(ws, out) for _ in range(runs)]
        line("Báo cáo năm (Excel)", f.spread(report), f"≤ {5 * k} s", f.median(report) <= 5.0 * k)
    finally:
        if window is not None:
            window.idle_guard.stop()
            window.tasks_view.stop_following()
            if window.opening_check is not None:
                window.opening_check.cancel()
            wait_for_background_jobs()
            window.hide()
            window.deleteLater()
        ws.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--url", help="superuser URL of a PostgreSQL 15+ server (default: a throw-away cluster)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--admin", default="admin", help="the account that copies the office (needs 'backup')")
    args = parser.parse_args()
    f.password()
    if args.runs < 3:
        parser.error("--runs: at least 3")
    from tests.tools import pg_cluster

    cluster = None
    copy = workstation = None
    out = Path(tempfile.mkdtemp(prefix="bvte-bench-out-"))
    server = None
    try:
        url = args.url
        if not url:
            cluster = pg_cluster.Cluster()
            url = cluster.__enter__()
        server = ServerOffice(url)
        copy = f.work_copy(args.data_dir)
        server.create()
        took = migrate(copy, server, args.admin)
        line("Chuyển cơ quan lên máy chủ (bvte migrate-office)", f"{took:.1f} s", "", None)
        print(f"cơ sở dữ liệu {server.size()}", flush=True)
        workstation = workstation_folder(copy, server)
        measure(workstation, args.runs, out)
    finally:
        if server is not None:
            server.drop()
        for folder in (copy, workstation):
            if folder is not None:
                f.remove_copy(folder)
        shutil.rmtree(out, ignore_errors=True)
        if cluster is not None:
            cluster.__exit__()
    return 0


if __name__ == "__main__":
    sys.exit(main())
