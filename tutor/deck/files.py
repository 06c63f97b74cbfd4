"""Finding deck files: kept apart from the parser, so that checking whether the decks changed
since the last sync (a stat of each file) does not load markdown-it and YAML."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from tutor import __version__
from tutor.deck.model import Problem

_Found = tuple[tuple[str, ...], str, str, bool]
"""A file `_walk` found: its parts in the folder searched as `Path` ordering compares them
(`_order_key`), its path in that folder, its path as found, and whether it is a symlink."""


class DeckFiles:
    """The deck files under some paths (`deck_files`), kept as the strings the check whether
    they changed needs: the `Path` of each is made only when asked for (`paths`)."""

    __slots__ = ("_bases", "_found", "_paths", "problems", "resolved", "seen")

    def __init__(self) -> None:
        self._bases: list[tuple[str, bool]] = []  # each folder (True) or file named, as given
        self._found: list[tuple[int, str, str]] = []  # (its base, path as found, relative path)
        self._paths: list[Path] | None = None
        self.resolved: list[str] = []
        """Each file's resolved path, in the same order (as `Path.resolve` has it)."""
        self.problems: list[Problem] = []
        """A problem for each path named that is missing, or neither file nor folder."""
        self.seen: dict[str, tuple[int, int]] = {}
        """Each file's size and modification time when `fingerprint` stat'ed it, by its
        resolved path: a file still so is as the fingerprint says (`unchanged`)."""

    @property
    def paths(self) -> list[Path]:
        """The files, each once, in a stable order: as `find_deck_files` returns them."""
        if self._paths is None:
            self._paths = [Path(found) for _, found, _ in self._found]
        return self._paths

    def fingerprint(self) -> str:
        """What `deck_fingerprint` of `paths` is, with each file's absolute path made from its
        folder's (one `os.path.abspath` a folder named, not a file). Each file is stat'ed now,
        not when it was found, as `deck_fingerprint` does."""
        prefixes = [_prefix(os.path.abspath(path), folder=folder) for path, folder in self._bases]
        entries: list[tuple[str, int, int]] = []
        seen: dict[str, tuple[int, int]] = {}
        stat = os.stat
        for (base, found, relative), resolved in zip(self._found, self.resolved, strict=True):
            try:
                info = stat(found)
            except OSError:
                continue
            entries.append((prefixes[base] + relative, info.st_size, info.st_mtime_ns))
            seen[resolved] = (info.st_size, info.st_mtime_ns)
        self.seen = seen
        return _digest(entries)

    def unchanged(self, resolved: str) -> bool:
        """The file at the resolved path `resolved` has the size and modification time
        `fingerprint` saw (False when it did not stat it, or cannot now)."""
        then = self.seen.get(resolved)
        if then is None:
            return False
        try:
            info = os.stat(resolved)
        except OSError:
            return False
        return (info.st_size, info.st_mtime_ns) == then


def deck_files(paths: Iterable[Path]) -> DeckFiles:
    """Markdown files under `paths` (folders searched recursively, READMEs and hidden folders
    skipped), each once, in a stable order; and a problem for each path that is missing.

    The same files, order and resolved paths as `Path.rglob("*.md")` and `Path.resolve` of each
    gave, with one `scandir` a folder and one `resolve` a folder named: a file's resolved path
    is its folder's joined with its path in it, as the walk does not enter symlinked folders,
    and a file that is itself a symlink is resolved on its own."""
    out = DeckFiles()
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            base = len(out._bases)
            top = os.fspath(path)
            out._bases.append((top, True))
            found: list[_Found] = []
            _walk(top, (), "", found)
            found.sort(key=lambda item: item[0])
            root = _prefix(str(path.resolve()), folder=True)
            for _, relative, where, is_link in found:
                key = str(Path(where).resolve()) if is_link else root + relative
                _add(out, seen, key, base, where, relative)
        elif path.is_file():
            base = len(out._bases)
            out._bases.append((os.fspath(path), False))
            _add(out, seen, str(path.resolve()), base, os.fspath(path), "")
        elif path.exists():
            out.problems.append(Problem(str(path), 0, "not a file or folder"))
        else:
            out.problems.append(Problem(str(path), 0, "no such file or folder"))
    return out


def _add(out: DeckFiles, seen: set[str], key: str, base: int, where: str, relative: str) -> None:
    """Keep a file found, unless its resolved path `key` was found already."""
    folded = os.path.normcase(key) if _FOLDED else key  # as `Path` equality has it
    if folded not in seen:
        seen.add(folded)
        out._found.append((base, where, relative))
        out.resolved.append(key)


def _walk(top: str, parts: tuple[str, ...], relative: str, found: list[_Found]) -> None:
    """What `Path(top).rglob("*.md")` finds, less READMEs and hidden names, into `found`. As
    `rglob`: any kind of entry whose name matches (the case as the system's paths compare),
    symlinked folders not entered, a folder that cannot be read skipped. Hidden folders are
    not entered at all (nothing found in them would be kept)."""
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except PermissionError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        folded = os.path.normcase(name) if _FOLDED else name
        if folded.endswith(".md") and folded.lower() != "readme.md":
            try:
                is_link = entry.is_symlink()
            except OSError:
                is_link = True  # resolved on its own, as every file was
            found.append((_order_key(*parts, name), relative + name, entry.path, is_link))
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            _walk(entry.path, (*parts, name), relative + name + os.sep, found)


_FOLDED = os.path.normcase("A") != "A"  # paths compare without case (Windows)


def _order_key(*parts: str) -> tuple[str, ...]:
    """The parts as `Path` ordering compares them (folded on a system whose paths are)."""
    return tuple(map(os.path.normcase, parts)) if _FOLDED else parts


def _prefix(absolute: str, *, folder: bool) -> str:
    """The absolute path of a folder with a separator after it, so that joining a relative
    path is one `+` (of a file: its own, with "" its relative path)."""
    return absolute if not folder or absolute.endswith(os.sep) else absolute + os.sep


def find_deck_files(
    paths: Iterable[Path], resolved: list[Path] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Markdown files under `paths` (folders searched recursively, READMEs and hidden folders
    skipped), each once, in a stable order; and a problem for each path that is missing.
    `resolved`, if given, gets each file's resolved path, in the same order."""
    found = deck_files(paths)
    if resolved is not None:
        resolved += [Path(key) for key in found.resolved]
    return found.paths, found.problems


def deck_fingerprint(files: Sequence[Path]) -> str:
    """A digest of the deck files' names, sizes and modification times (and of this release,
    whose parser reads them): equal digests mean the decks need not be read again."""
    entries: list[tuple[str, int, int]] = []
    for file in files:
        try:
            info = file.stat()
        except OSError:
            continue
        entries.append((os.path.abspath(file), info.st_size, info.st_mtime_ns))
    return _digest(entries)


def _digest(entries: list[tuple[str, int, int]]) -> str:
    payload = json.dumps([__version__, sorted(entries)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
