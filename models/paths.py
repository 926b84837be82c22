"""Where the office's data lives: the platform's user-data folder unless --data-dir or BVTE_DATA_DIR says otherwise."""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "BVTE"
DB_FILENAME = "bvte.sqlite3"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: the explicit one, else $BVTE_DATA_DIR, else the platform's user-data folder."""
    chosen = explicit or os.environ.get("BVTE_DATA_DIR")
    path = Path(chosen).expanduser() if chosen else user_data_path(APP_NAME, appauthor=False)
    return path.resolve()


def db_path(folder: Path) -> Path:
    return folder / DB_FILENAME


SERVER_FILENAME = "may-chu.json"


def server_path(folder: Path) -> Path:
    """Present only in the server mode: the office's PostgreSQL URL (see models/server.py)."""
    return folder / SERVER_FILENAME


def backups_dir(folder: Path) -> Path:
    return folder / "backups"


def log_dir() -> Path:
    return user_log_path(APP_NAME, appauthor=False)


def make_private(folder: Path) -> None:
    """On POSIX systems the data folder (and its backups folder) is opened to its owner only, and the files in it
    are readable by the owner only (SQLite gives its -wal/-shm files the database file's mode). On Windows nothing
    is changed: %LOCALAPPDATA% is already private to the user. Failures are ignored (a folder on a stick)."""
    if os.name != "posix":
        return
    try:
        if folder.stat().st_uid != os.getuid():
            return
        os.chmod(folder, 0o700)
        for child in folder.iterdir():
            if child.is_symlink():
                continue
            if child.is_dir() and child.name == "backups":
                os.chmod(child, 0o700)
            elif child.is_file():
                os.chmod(child, 0o600)
    except OSError:
        pass
