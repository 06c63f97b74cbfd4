"""Finding the deck files and their fingerprint (`tutor.deck.files`): one listing of each
folder and one `resolve` of it find the same files, in the same order, with the same resolved
paths and the same fingerprint as an `rglob` and a `resolve` of every file did; and any change
to the files a fingerprint covers changes it."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from tutor import __version__
from tutor.deck.files import deck_files, deck_fingerprint, find_deck_files
from tutor.deck.model import Problem


def rglob_deck_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Problem]]:
    """The files, resolved paths and problems as the release before found them: `rglob` of
    each folder and `resolve` of each file."""
    files: list[Path] = []
    resolved: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*.md")
                if p.name.lower() != "readme.md"
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found = [path]
        elif path.exists():
            problems.append(Problem(str(path), 0, "not a file or folder"))
            continue
        else:
            problems.append(Problem(str(path), 0, "no such file or folder"))
            continue
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
                resolved.append(key)
    return files, resolved, problems


def stat_fingerprint(files: Sequence[Path]) -> str:
    """The fingerprint as the release before computed it."""
    entries = []
    for file in files:
        try:
            info = file.stat()
        except OSError:
            continue
        entries.append((os.path.abspath(file), info.st_size, info.st_mtime_ns))
    payload = json.dumps([__version__, sorted(entries)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deck folder with whatever a folder of decks may hold, the test run inside `tmp_path`
    (so that relative paths are tried too)."""
    decks = tmp_path / "decks"
    for folder in ("a/b", ".hidden", "dir.md", "empty"):
        (decks / folder).mkdir(parents=True)
    names = [
        "x.md",
        "a-c.md",  # sorts before "a/b.md" as a string, after it as a path
        "a/b.md",
        "a/b/z.md",
        "a/b/README.md",
        ".dot.md",
        ".hidden/h.md",
        "README.md",
        "readme.MD",
        "notes.txt",
        ".md",
        "X.MD",
        "é.md",
        "dir.md/in.md",
    ]
    for name in names:
        (decks / name).write_text(f"# {name}\n", encoding="utf-8")
    other = tmp_path / "other"
    (other / "sub").mkdir(parents=True)
    (other / "o.md").write_text("o\n", encoding="utf-8")
    (other / "sub" / "s.md").write_text("s\n", encoding="utf-8")
    os.symlink(other / "o.md", decks / "link.md")  # a symlinked deck file
    os.symlink(other / "o.md", decks / "a" / "link2.md")  # and one in a subfolder
    os.symlink(other, decks / "linkdir")  # a symlinked folder: not entered
    os.symlink(other, decks / "linkdir.md")  # ... but its name matches
    os.symlink(tmp_path / "nowhere.md", decks / "broken.md")
    os.symlink(decks / "x.md", decks / "a" / "same.md")  # x.md found twice
    os.symlink(decks, tmp_path / "decks-link")  # the folder named by a symlink
    monkeypatch.chdir(tmp_path)
    return tmp_path


CASES = [
    ["decks"],
    ["{tmp}/decks"],
    ["decks/a/../a", "{tmp}/decks"],
    ["decks-link"],
    ["decks-link/../decks"],
    ["decks-link/a"],
    ["{tmp}/decks/x.md", "{tmp}/decks"],
    ["other", "decks", "missing"],
    ["decks/a/link2.md"],
    ["."],
    ["decks/x.md", "/dev/null"],
]


@pytest.mark.parametrize("named", CASES, ids=lambda c: "+".join(c))
def test_the_files_their_order_and_resolved_paths_are_as_rglob_found_them(
    tree: Path, named: list[str]
) -> None:
    paths = [Path(name.format(tmp=tree)) for name in named]
    files, resolved, problems = rglob_deck_files(paths)
    assert files, "a case that finds nothing shows nothing"
    got_resolved: list[Path] = []
    assert find_deck_files(paths, got_resolved) == (files, problems)
    assert [str(f) for f in find_deck_files(paths)[0]] == [str(f) for f in files]
    assert got_resolved == resolved
    found = deck_files(paths)
    assert found.paths == files and found.resolved == [str(r) for r in resolved]
    assert found.problems == problems
    fingerprint = stat_fingerprint(files)
    assert deck_fingerprint(files) == fingerprint
    assert found.fingerprint() == fingerprint


def test_a_symlinked_deck_file_resolves_to_its_target_and_a_symlinked_folder_is_not_entered(
    tree: Path,
) -> None:
    found = deck_files([tree / "decks"])
    target = str((tree / "other" / "o.md").resolve())
    assert found.resolved.count(target) == 1  # link.md and a/link2.md are the same file
    assert str(tree.resolve() / "decks" / "a" / "b" / "z.md") in found.resolved
    assert not any("linkdir/" in str(p) or "/sub/" in str(p) for p in found.paths)
    assert not any(".hidden" in str(p) or p.name.lower() == "readme.md" for p in found.paths)


# -- a change the fingerprint must see ---------------------------------------------------------


def fingerprint_of(folder: Path) -> str:
    """The fingerprint a run opening on `folder` takes (it lists the folder anew)."""
    found = deck_files([folder])
    assert found.fingerprint() == deck_fingerprint(found.paths)
    return found.fingerprint()


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.md").write_text("# one\n", encoding="utf-8")
    (folder / "sub" / "two.md").write_text("# two\n", encoding="utf-8")
    return folder


def shift_mtime(path: Path, seconds: int = 5) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


def test_nothing_changed_nothing_differs(decks: Path) -> None:
    assert fingerprint_of(decks) == fingerprint_of(decks)
    found = deck_files([decks])
    assert found.fingerprint() == found.fingerprint()


def test_content_of_the_same_size_with_a_new_time_is_seen(decks: Path) -> None:
    before = fingerprint_of(decks)
    path = decks / "sub" / "two.md"
    path.write_text("# TWO\n", encoding="utf-8")
    shift_mtime(path)
    assert fingerprint_of(decks) != before


def test_a_new_size_is_seen_even_with_the_time_put_back(decks: Path) -> None:
    path = decks / "sub" / "two.md"
    info = path.stat()
    before = fingerprint_of(decks)
    path.write_text("# two, longer\n", encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert fingerprint_of(decks) != before


def test_the_same_size_and_time_put_back_is_missed_as_it_always_was(decks: Path) -> None:
    """A stat is all the check makes: an edit that keeps the size and puts the time back is
    not seen (`tutor sync --force` reads the decks whatever their times)."""
    path = decks / "one.md"
    info = path.stat()
    before = fingerprint_of(decks)
    path.write_text("# ONE\n", encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert fingerprint_of(decks) == before


def test_a_file_found_is_stat_ed_again_at_each_fingerprint(decks: Path) -> None:
    found = deck_files([decks])
    before = found.fingerprint()
    (decks / "one.md").write_text("# one, edited\n", encoding="utf-8")
    assert found.fingerprint() != before


@pytest.mark.parametrize(
    "change",
    [
        "added in a subfolder",
        "added in a new folder",
        "added in a new nested folder",
        "removed",
        "renamed",
        "moved to a subfolder",
        "made a symlink to a copy",
    ],
)
def test_a_file_added_removed_or_renamed_is_seen(decks: Path, change: str) -> None:
    before = fingerprint_of(decks)
    one = decks / "one.md"
    if change == "added in a subfolder":
        (decks / "sub" / "three.md").write_text("# three\n", encoding="utf-8")
    elif change == "added in a new folder":
        (decks / "new").mkdir()
        (decks / "new" / "three.md").write_text("# three\n", encoding="utf-8")
    elif change == "added in a new nested folder":
        (decks / "sub" / "deeper" / "still").mkdir(parents=True)
        (decks / "sub" / "deeper" / "still" / "three.md").write_text("# 3\n", encoding="utf-8")
    elif change == "removed":
        (decks / "sub" / "two.md").unlink()
    elif change == "renamed":
        one.rename(decks / "uno.md")
    elif change == "moved to a subfolder":
        one.rename(decks / "sub" / "one.md")
    else:
        copy = decks.parent / "one.md"
        copy.write_text(one.read_text(encoding="utf-8") + "more\n", encoding="utf-8")
        one.unlink()
        one.symlink_to(copy)
    assert fingerprint_of(decks) != before


def test_a_symlinked_deck_file_is_seen_through_its_link(decks: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "linked.md"
    target.parent.mkdir()
    target.write_text("# linked\n", encoding="utf-8")
    (decks / "sub" / "linked.md").symlink_to(target)
    found = deck_files([decks])
    assert str(target.resolve()) in found.resolved  # its cards are named by the target
    assert Path(decks / "sub" / "linked.md") in found.paths
    before = fingerprint_of(decks)
    target.write_text("# linked, edited\n", encoding="utf-8")
    assert fingerprint_of(decks) != before
    before = fingerprint_of(decks)
    (decks / "sub" / "linked.md").unlink()
    assert fingerprint_of(decks) != before


def test_hidden_files_readmes_and_other_files_change_nothing(decks: Path) -> None:
    before = fingerprint_of(decks)
    (decks / ".draft.md").write_text("draft\n", encoding="utf-8")
    (decks / ".git").mkdir()
    (decks / ".git" / "x.md").write_text("x\n", encoding="utf-8")
    (decks / "sub" / "README.md").write_text("readme\n", encoding="utf-8")
    (decks / "notes.txt").write_text("notes\n", encoding="utf-8")
    (decks / "empty").mkdir()
    assert fingerprint_of(decks) == before
