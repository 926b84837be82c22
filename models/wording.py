"""Form definitions (the wording of each Mẫu) loaded from resources/forms/*.json.

The same definition feeds the wizard's labels and the printout, so a wording fix is a data change.

Local forms: an office (or its province) may replace the wording of a form with its own file in the data
folder, ``<data folder>/mau-dia-phuong/mau05.json`` (``bien_ban_hop.json`` for the minutes), without a new
release. The file must have the shipped file's structure: the same keys at every level, lists of the same
length, the same codes (``id``…), the same numbers and yes/no values, and each text the same {placeholders}.
Only the words may change. A file that does not is refused with a Vietnamese message and the shipped
wording is used; the screens and the print preview say which wording a form uses (``wording_of``).
"""
from __future__ import annotations

import json
import string
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from . import forms

LOCAL_FOLDER = "mau-dia-phuong"
MAX_LOCAL_BYTES = 512 * 1024  # a form's wording is a few KB; anything larger is not a form file
# Values that are codes or switches, not wording: a local file keeps them as shipped.
_CODE_KEYS = {"id", "form", "field", "name_field", "conclusion", "group", "kind", "printed_id", "table"}
# Descriptions of the file itself, which a local file may word freely (or leave out).
_FREE_KEYS = {"basis", "source", "verify", "follows", "official_parts", "local_basis", "footnotes_unverified",
              "footnotes_missing"}


def _free(key: str) -> bool:
    return key in _FREE_KEYS or key.endswith(("_basis", "_source"))

_lock = threading.Lock()
_folder: Path | None = None
_cache: dict[str, dict[str, Any]] = {}
_status: dict[str, "Wording"] = {}


def file_name(form: str) -> str:
    return f"{form}.json" if not form.isdigit() else f"mau{form}.json"


def shipped_definition(form: str) -> dict[str, Any]:
    """The wording shipped with the program (resources/forms)."""
    text = resources.files("resources").joinpath("forms").joinpath(file_name(form)).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Wording:
    """Whose words a form prints: the decree's (``official``), partly (``partly``), or words the program built
    from the articles (``follows``); and whether a local file replaces them."""

    form: str
    official: bool
    partly: str  # for a form only partly known: which part is the decree's text ("" otherwise)
    follows: str  # the articles a reconstructed form follows
    local_file: str = ""  # the local file in use
    local_basis: str = ""  # what the local file says of itself (e.g. the province's decision)
    problem: str = ""  # why a local file was refused

    @property
    def local(self) -> bool:
        return bool(self.local_file)

    def code(self) -> str:
        return "Biên bản họp" if not self.form.isdigit() else f"Mẫu số {self.form}"

    def notice(self) -> str:
        """What the screen and the print preview say about the wording ("" for the decree's own text)."""
        parts: list[str] = []
        if self.local:
            line = f"Lời văn theo mẫu của địa phương (tệp {self.local_file}"
            line += f"; {self.local_basis})." if self.local_basis else ")."
            parts.append(line)
        elif not self.official:
            if self.partly:
                parts.append(
                    f"{self.partly} là nguyên văn {self.code()} của Nghị định 56/2017/NĐ-CP; phần còn lại không phải "
                    f"nguyên văn (chưa tìm được bản gốc), được soạn theo {self.follows}.")
            elif not self.form.isdigit():
                what = "biên bản" if self.form == "bien_ban_hop" else "báo cáo"
                parts.append(f"Nghị định 56/2017/NĐ-CP không ban hành mẫu {what} này; lời văn do chương trình soạn "
                             f"theo {self.follows}.")
            else:
                parts.append(
                    f"Lời văn không phải nguyên văn {self.code()} của Nghị định 56/2017/NĐ-CP (chưa tìm được bản gốc); "
                    f"được soạn theo {self.follows}. Bản in không ghi \"{self.code()}\".")
        if self.problem:
            parts.append(self.problem)
        return " ".join(parts)


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"\0unbalanced"}


def _where(path: str) -> str:
    return path or "gốc tệp"


def structure_problems(shipped: Any, local: Any, path: str = "") -> list[str]:
    """Where `local` departs from the shipped structure (Vietnamese, one line each; [] when it matches)."""
    problems: list[str] = []
    if isinstance(shipped, dict):
        if not isinstance(local, dict):
            return [f"{_where(path)}: phải là một nhóm các mục như tệp gốc."]
        missing = [k for k in shipped if k not in local and not _free(k)]
        extra = [k for k in local if k not in shipped and not _free(k)]
        if missing:
            problems.append(f"{_where(path)}: thiếu mục {', '.join(missing)}.")
        if extra:
            problems.append(f"{_where(path)}: có mục không có trong tệp gốc: {', '.join(extra)}.")
        for key, value in shipped.items():
            if key in local and not _free(key):
                where = f"{path}.{key}" if path else key
                if key in _CODE_KEYS and value != local[key]:
                    problems.append(f"{where}: mã phải giữ nguyên là \"{value}\".")
                else:
                    problems.extend(structure_problems(value, local[key], where))
        return problems
    if isinstance(shipped, list):
        if not isinstance(local, list):
            return [f"{_where(path)}: phải là một danh sách như tệp gốc."]
        if len(local) != len(shipped):
            return [f"{_where(path)}: phải có {len(shipped)} dòng như tệp gốc (tệp có {len(local)})."]
        for i, (a, b) in enumerate(zip(shipped, local), start=1):
            problems.extend(structure_problems(a, b, f"{path}[{i}]"))
        return problems
    if isinstance(shipped, str):
        if not isinstance(local, str):
            return [f"{_where(path)}: phải là một đoạn chữ."]
        if not local.strip() and shipped.strip():
            return [f"{_where(path)}: không được để trống."]
        want, have = _placeholders(shipped), _placeholders(local)
        if want != have:
            shown = ", ".join("{" + n + "}" for n in sorted(want)) or "không có chỗ điền nào"
            return [f"{_where(path)}: phải giữ đúng các chỗ điền {shown}."]
        return []
    if shipped != local or type(shipped) is not type(local):
        return [f"{_where(path)}: giá trị phải giữ nguyên là {json.dumps(shipped, ensure_ascii=False)}."]
    return []


def _consistency_problems(local: dict[str, Any]) -> list[str]:
    groups = local.get("subject_groups")
    if isinstance(groups, list) and isinstance(local.get("subject"), str):
        if " ".join(str(g).strip() for g in groups) != " ".join(local["subject"].split()):
            return ["subject_groups: nối các cụm bằng dấu cách phải ra đúng trích yếu \"subject\"."]
    return []


def _read_local(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The local file's content, or None and the reason it cannot be used."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_LOCAL_BYTES + 1)
    except OSError as exc:
        return None, f"không đọc được tệp ({exc.strerror or exc})"
    if len(data) > MAX_LOCAL_BYTES:
        return None, f"tệp lớn hơn {MAX_LOCAL_BYTES // 1024} KB, không phải một tệp lời văn của mẫu"
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None, "tệp không được lưu bằng bảng mã UTF-8"
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        return None, "tệp không đúng định dạng JSON" + (f" (dòng {line})" if line else "")
    if not isinstance(content, dict):
        return None, "tệp không đúng định dạng của tệp lời văn mẫu"
    return content, ""


def _normalise(value: Any) -> Any:
    import unicodedata

    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _normalise(v) for k, v in value.items()}
    return value


def _load(form: str) -> tuple[dict[str, Any], Wording]:
    shipped = shipped_definition(form)
    official = shipped.get("official_text") is True
    wording = Wording(form, official, str(shipped.get("official_parts", "")), str(shipped.get("follows", "")))
    folder = _folder
    if folder is None:
        return shipped, wording
    path = folder / LOCAL_FOLDER / file_name(form)
    try:
        present = path.is_file()
    except OSError:
        present = False
    if not present:
        return shipped, wording
    shown = f"{LOCAL_FOLDER}/{file_name(form)}"
    local, reason = _read_local(path)
    problems = [reason] if local is None else structure_problems(shipped, _normalise(local))
    if local is not None and not problems:
        problems = _consistency_problems(_normalise(local))
    if problems:
        listed = "; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
        message = (f"Tệp mẫu của địa phương {shown} không dùng được: {listed}. Chương trình đang dùng lời văn "
                   f"có sẵn của {wording.code()}; hãy sửa tệp theo đúng cấu trúc của tệp gốc rồi mở lại.")
        return shipped, Wording(form, official, wording.partly, wording.follows, problem=message)
    local = _normalise(local)
    merged = {**shipped, **{k: v for k, v in local.items() if k in shipped or _free(k)}}
    basis = str(local.get("local_basis", "")).strip()
    return merged, Wording(form, official, wording.partly, wording.follows, local_file=shown, local_basis=basis)


def use_data_folder(folder: Path | None) -> list[str]:
    """Take the local forms of this data folder (None: the shipped ones only). Returns the messages of the
    local files refused."""
    global _folder
    with _lock:
        _folder = Path(folder) if folder is not None else None
        _cache.clear()
        _status.clear()
    return [w.problem for w in (wording_of(f) for f in forms.forms_with_local_wording()) if w.problem]


def _entry(form: str) -> tuple[dict[str, Any], Wording]:
    with _lock:
        if form not in _cache:
            _cache[form], _status[form] = _load(form)
        return _cache[form], _status[form]


def form_definition(form: str) -> dict[str, Any]:
    """The wording of a form ("01"…"07" or "bien_ban_hop"): the office's local file when valid, else shipped."""
    return _entry(form)[0]


def wording_of(form: str) -> Wording:
    """Whose words the form prints and what to tell the user about them."""
    return _entry(forms.normalise(form))[1]


def local_form_problems() -> list[str]:
    return [w.problem for w in (wording_of(f) for f in forms.forms_with_local_wording()) if w.problem]


def field_label(form: str, key: str, *, wizard: bool = False) -> str:
    spec = form_definition(form)["fields"][key]
    return spec.get("wizard_label", spec["label"]) if wizard else spec["label"]


def field_hint(form: str, key: str) -> str:
    return form_definition(form)["fields"][key].get("hint", "")

