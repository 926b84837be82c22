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


def backups_dir(folder: Path) -> Path:
    return folder / "backups"


def log_dir() -> Path:
    return user_log_path(APP_NAME, appauthor=False)
