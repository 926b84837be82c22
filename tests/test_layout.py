"""The rules of the house (docs/architecture.md), checked on the code itself so that they stay true.

Each test reads the source with `ast` (nothing is run) and names the file and line that breaks a rule."""
from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "printouts", "desktop")


def _sources(*tops: str):
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, tree: ast.AST, *, top_level_only: bool = False):
    """(line, absolute module name) of every import in the file (relative imports resolved)."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:  # "from desktop.common import messages" imports a module too
                yield node.lineno, f"{name}.{alias.name}"


def test_qt_only_under_desktop():
    found = [f"{p.relative_to(ROOT)}:{line} {name}" for p, tree in _sources("models", "printouts")
             for line, name in _imports(p, tree) if name.split(".")[0] in ("PySide6", "shiboken6")]
    assert found == []


def test_layers_point_down():
    """models ← printouts ← desktop: models imports neither printouts nor desktop; printouts not desktop."""
    above = {"models": ("printouts", "desktop"), "printouts": ("desktop",)}
    found = [f"{p.relative_to(ROOT)}:{line} {name}" for top, banned in above.items() for p, tree in _sources(top)
             for line, name in _imports(p, tree) if name.split(".")[0] in banned]
    assert found == []


def test_the_action_layer_and_the_command_line_hold_no_qt():
    """The command line runs on a server without a screen; the actions are shared with it."""
    paths = [ROOT / "desktop" / "cli.py", *sorted((ROOT / "desktop" / "actions").rglob("*.py"))]
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(ROOT)}:{line} {name}" for line, name in _imports(path, tree, top_level_only=True)
                  if name.split(".")[0] in ("PySide6", "shiboken6")]
    if (ROOT / "desktop" / "actions").exists():
        for path in sorted((ROOT / "desktop" / "actions").rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}:{line} {name}" for line, name in _imports(path, tree)
                      if name.split(".")[0] in ("PySide6", "shiboken6")]
    assert found == []


def test_form_codes_are_normalised_in_one_place():
    """The other spellings of a form ("minutes", "bao-cao-vu-viec", "bcvv"…) are known to models.forms only."""
    from models import forms

    spellings = {alias for form in forms.FORMS for alias in form.aliases if not alias.isdigit()}
    found = []
    for path, tree in _sources(*PACKAGES):
        if path == ROOT / "models" / "forms.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in spellings:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert found == [], "a form spelling outside models.forms: use forms.normalise / the form's code"


def _user_error_classes() -> set[str]:
    from models.errors import UserError

    names = set()
    for path, _ in _sources("models", "printouts"):
        try:
            module = importlib.import_module(_module_name(path))
        except Exception:  # pragma: no cover - an import error fails other tests
            continue
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, UserError):
                names.add(name)
    return names


def test_user_errors_are_caught_as_one_kind():
    """No `except (NotAllowed, VaultError, …)` lists: a refusal is a models.errors.UserError, caught as such."""
    user_errors = _user_error_classes() - {"UserError"}
    found = []
    for path, tree in _sources(*PACKAGES):
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Tuple):
                names = {getattr(e, "id", getattr(e, "attr", "")) for e in node.type.elts}
                if len(names & user_errors) >= 2:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {sorted(names & user_errors)}")
    assert found == []


# Exceptions that are not refusals shown to a person: a cancelled piece of work and the self-test's own failure.
NOT_USER_ERRORS = {"Cancelled", "CheckFailed"}


def test_every_exception_of_the_program_is_a_user_error():
    """A new exception class is a UserError (a Vietnamese message a person acts on) or is listed above."""
    from models.errors import UserError

    found = []
    for path, tree in _sources(*PACKAGES):
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name not in NOT_USER_ERRORS:
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if bases & {"Exception", "ValueError", "RuntimeError", "OSError"}:
                    module = importlib.import_module(_module_name(path))
                    cls = getattr(module, node.name, None)
                    if cls is None or not issubclass(cls, UserError):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert found == []


# SQLAlchemy's mapped classes register each other by importing: entities.py imports the other entity modules
# at its end so that every table is known, and they import Case/Child from it.
KNOWN_CIRCLES = {frozenset({"models.entities", "models.process_entities"}),
                 frozenset({"models.entities", "models.incident_entities"}),
                 frozenset({"models.entities", "models.register_entities"}),
                 frozenset({"models.entities", "models.care_entities"})}


def test_no_import_circles_at_module_level():
    graph: dict[str, set[str]] = {}
    modules = {_module_name(p): (p, t) for p, t in _sources(*PACKAGES)}
    for name, (path, tree) in modules.items():
        graph[name] = {m for _, m in _imports(path, tree, top_level_only=True) if m in modules and m != name}
    circles = set()
    for a, targets in graph.items():
        for b in targets:
            if a in _reachable(graph, b):
                circles.add(frozenset({a, b}) if b in graph.get(a, ()) and a in graph.get(b, ()) else frozenset({a, b}))
    assert {c for c in circles if c not in KNOWN_CIRCLES} == set()


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@pytest.mark.parametrize("form", [f.code for f in __import__("models.forms", fromlist=["ALL_FORMS"]).ALL_FORMS])
def test_every_form_has_its_pieces(form):
    """Each registry entry points at things that exist: its wording file, its printout's two entry points, its
    screen class."""
    from importlib import resources

    from models import forms

    entry = forms.get(form)
    file = f"mau{form}.json" if form.isdigit() else f"{form}.json"
    assert resources.files("resources").joinpath("forms", file).is_file()
    printout = importlib.import_module(f"printouts.{entry.printout}")
    assert "version" in inspect.signature(printout.render).parameters
    assert hasattr(printout, "render_blank") == entry.blank
    if entry.screen:
        module, cls = entry.screen.split(".")
        source = (ROOT / "desktop" / entry.screen_package / f"{module}.py").read_text(encoding="utf-8")
        assert f"class {cls}(" in source


def test_the_readme_table_of_forms_matches_the_registry():
    """README "The forms and where each lives": one row per form, in legal order, naming its printout and screen."""
    from models import forms

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section, care_section = text.split("### The forms and where each lives", 1)[1].split("Alternative care (", 1)
    rows = [line for line in section.splitlines() if line.startswith("| ") and "(`" in line]
    care_rows = [line for line in care_section.split("\n#", 1)[0].splitlines()
                 if line.startswith("| ") and "(`" in line]
    assert [row.split("(`", 1)[1].split("`)", 1)[0] for row in care_rows] == [f.code for f in forms.CARE_FORMS]
    for row, form in zip(care_rows, forms.CARE_FORMS):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[4] == f"{form.printout}.py" and cells[3] == f"{form.screen.split('.')[0]}.py", row
        assert (ROOT / "models" / "services" / cells[2]).is_file() and (ROOT / "desktop" / "care" / cells[3]).is_file()
    assert [row.split("(`", 1)[1].split("`)", 1)[0] for row in rows] == forms.legal_order()
    for row, form in zip(rows, forms.FORMS):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[4] == f"{form.printout}.py", row
        where = {"wording": ROOT / "resources" / "forms" / cells[1], "service": ROOT / "models" / "services" / cells[2],
                 "screen": ROOT / cells[3], "printout": ROOT / "printouts" / cells[4]}
        assert all(path.is_file() for path in where.values()), (row, where)
        if form.screen:
            assert cells[3] == f"desktop/process/{form.screen.split('.')[0]}.py", row
