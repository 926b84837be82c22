"""A throw-away PostgreSQL cluster owned by the test run: a temporary folder, a free loopback port, no service.

    python tests/tools/pg_cluster.py start DIR   # prints the URL of a superuser on the new cluster
    python tests/tools/pg_cluster.py stop DIR

Debian's `postgresql-15` package puts initdb/pg_ctl in /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to
run as root: as root the cluster is made and run by the `postgres` user if it exists (Debian's package creates
it), else by `nobody`, through `runuser`.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise SystemExit(f"{name} not found: install Debian's postgresql package")


def _runner() -> list[str]:
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            subprocess.run(["id", user], check=True, capture_output=True)
            return ["runuser", "-u", user, "--"]
        except subprocess.CalledProcessError:
            continue
    raise SystemExit("no unprivileged user to run PostgreSQL")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    data, sock = folder / "data", folder / "sock"
    sock.mkdir(exist_ok=True)
    run = _runner()
    if run:
        user = run[2]
        subprocess.run(["chown", "-R", f"{user}:", str(folder)], check=True)
        folder.chmod(0o755)
    subprocess.run(run + [_bin("initdb"), "-D", str(data), "-U", "bvte_test", "-A", "trust", "-E", "UTF8",
                          "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)
    port = _free_port()
    opts = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sock} -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB")
    subprocess.run(run + [_bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(folder / "server.log"), "-w",
                          "start"], check=True, capture_output=True)
    (folder / "port").write_text(str(port))
    url = f"postgresql://bvte_test@127.0.0.1:{port}/postgres"
    return url


def stop(folder: Path) -> None:
    data = folder / "data"
    if data.exists():
        subprocess.run(_runner() + [_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], check=False,
                       capture_output=True)


class Cluster:
    """For the test fixtures: `with Cluster() as url: …`."""

    def __init__(self):
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="bvte-pg-"))

    def __enter__(self) -> str:
        try:
            return start(self.folder)
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc) -> None:
        stop(self.folder)
        shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    elif action == "stop":
        stop(where)
    else:
        raise SystemExit("start|stop DIR")
