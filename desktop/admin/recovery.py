"""A damaged database file: say so plainly and offer the newest good automatic backup."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from models.backup import latest_good_backup, restore_backup
from models.clock import fmt_datetime
from models.errors import UserError

from desktop.common import messages
from desktop.common.worker import run_with_progress


def offer_restore_of_damaged(parent: QWidget | None, folder: Path, username: str, password: str,
                             *, current=None) -> bool:
    """True if the newest good backup was restored (the caller signs in again)."""
    found = latest_good_backup(folder)
    if found is None:
        QMessageBox.critical(
            parent, "Tệp dữ liệu bị hỏng",
            "Tệp dữ liệu bị hỏng và trong thư mục backups không có bản sao lưu tự động nào dùng được.\n"
            "Hãy khôi phục từ bản sao lưu trên USB (lệnh: bvte restore TỆP), hoặc nhờ người hỗ trợ kỹ thuật. "
            "Đừng xoá thư mục dữ liệu.",
        )
        return False
    file, manifest = found
    made = fmt_datetime(datetime.fromisoformat(manifest["created_at"]))
    answer = messages.choose(
        parent, "Tệp dữ liệu bị hỏng",
        f"Tệp dữ liệu bị hỏng (có thể do mất điện hoặc ổ đĩa lỗi).\n\nCó bản sao lưu tự động tốt gần nhất lúc "
        f"{made} ({manifest.get('case_count', '?')} hồ sơ). Những gì nhập sau thời điểm đó sẽ phải nhập lại.\n"
        "Tệp hỏng vẫn được giữ lại trong thư mục backups.",
        ["Khôi phục bản sao lưu này", "Thoát"],
    )
    if answer != 0:
        return False
    try:
        run_with_progress(parent, "Đang khôi phục…",
                          lambda: restore_backup(folder, file, username, password, current=current,
                                                 current_login=None if current else (username, password)))
    except UserError as exc:
        QMessageBox.warning(parent, "Chưa khôi phục được", str(exc))
        return False
    return True
