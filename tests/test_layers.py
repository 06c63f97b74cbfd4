"""Imports run one way (design.md): check ← deck ← study ← store ← front ends; only tutor/ui
imports Textual, and the headless commands never load it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "tutor"
CHECK_ERRORS = Path(__file__).parent / "fixtures" / "check-errors"
ORDER = ["check", "deck", "study", "store"]
ALLOWED = {layer: set(ORDER[: n + 1]) for n, layer in enumerate(ORDER)}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_layers_import_only_layers_before_them() -> None:
    violations = []
    for layer, allowed in ALLOWED.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            for name in imported_modules(path):
                parts = name.split(".")
                if parts[0] != "tutor" or len(parts) < 2:
                    continue
                if parts[1] not in allowed:
                    violations.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert violations == []


def test_only_the_ui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        and any(n.split(".")[0] == "textual" for n in imported_modules(path))
    ]
    assert offenders == []


def loaded_after(args: list[str], status: int = 0) -> list[str]:
    """The top-level packages among textual and sympy loaded by `tutor ARGS`, which must end
    with exit status `status`."""
    statuses = (0, None) if status == 0 else (status,)
    code = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from tutor.cli import main\n"
        f"r = CliRunner().invoke(main, {args!r}, standalone_mode=False)\n"
        f"assert r.exit_code in {statuses!r}, (r.exit_code, r.output)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sympy'})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_headless_commands_do_not_load_textual() -> None:
    # deck check's whole path, the checker's rules in their sandbox included, on a small deck
    # rather than every example of the shipped set: the same imports. Status 1 shows that the
    # checker ran (with --no-checker the deck is clean).
    assert "textual" not in loaded_after(["deck", "check", "--json", str(CHECK_ERRORS)], 1)
    assert "textual" not in loaded_after(["deck", "show", "softmax-shift-1"])


def test_help_loads_neither_textual_nor_sympy() -> None:
    assert loaded_after(["--help"]) == []


def test_the_desk_names_its_learner_in_one_place() -> None:
    """#15: the learner lands in one place. Of the desk's parts (tutor/today), only the place
    (`tutor.today.place`) reads the learner from the settings; every other part reaches the
    store through the place's sessions, which carry it."""
    readers = []
    for path in (PACKAGE / "today").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "learner":
                owner = ast.unparse(node.value)
                if owner.endswith("settings"):
                    readers.append(f"{path.name}: {ast.unparse(node)}")
    assert readers == ["place.py: settings.learner"]
