"""The built wheel carries the shipped decks, and an installed tutor finds them anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_contains_decks_proofs_and_code(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "decks").glob("*.md")}
    proofs = {p.name for p in (ROOT / "proofs").glob("*.md")}
    assert shipped and proofs
    assert {n.rsplit("/", 1)[-1] for n in names if n.startswith("tutor/_content/decks/")} == shipped
    assert {n.rsplit("/", 1)[-1] for n in names if n.startswith("tutor/_content/proofs/")} == proofs
    assert "tutor/cli.py" in names and "tutor/deck/parser.py" in names
    tcss = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tutor").rglob("*.tcss")}
    assert {"tutor/ui/app.tcss", "tutor/ui/screens/session.tcss"} <= tcss
    assert tcss <= names  # the app's styles: without them an installed UI crashes on start
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "tutor = tutor.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_tutor_finds_its_decks_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "TUTOR_HOME": str(tmp_path / "home")}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tutor, tutor.deck.loader as l; print(tutor.__file__); "
            "print(*l.shipped_deck_dirs())",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module, dirs = probe.stdout.strip().split("\n")
    assert module.startswith(str(target))
    assert dirs.split() == [
        str(target / "tutor/_content/decks"),
        str(target / "tutor/_content/proofs"),
    ]
    # --no-checker: finding and reading the decks is what is tested here; the checker's rules
    # over the shipped content run in process in tests/deck/test_shipped_content.py
    done = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "deck", "check", "--json", "--no-checker"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == []
    files = {folder: len(list((ROOT / folder).glob("*.md"))) for folder in ("decks", "proofs")}
    assert {"decks": report["decks"], "proofs": report["proofs"]} == files  # all of them found
