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


def find_deck_files(
    paths: Iterable[Path], resolved: list[Path] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Markdown files under `paths` (folders searched recursively, READMEs and hidden folders
    skipped), each once, in a stable order; and a problem for each path that is missing.
    `resolved`, if given, gets each file's resolved path, in the same order."""
    files: list[Path] = []
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
                if resolved is not None:
                    resolved.append(key)
    return files, problems


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
    payload = json.dumps([__version__, sorted(entries)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
