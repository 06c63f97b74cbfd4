"""Who is studying: a learner's name, checked, and the name used when none is given.

Every row of progress in the store belongs to one learner (`tutor.store.models`), so that a
study group can share one database; the name comes from `--learner`, TUTOR_LEARNER or
`learner` in config.toml (`tutor.config`), else from the system user running the tutor."""

from __future__ import annotations

import getpass
import unicodedata

MAX_LEARNER = 64
"""Characters of a learner's name."""

FALLBACK_LEARNER = "learner"
"""The learner when the system names no user (a container without a passwd entry, say)."""

_REFUSED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Unicode categories a name may not hold: controls, format (bidirectional overrides,
zero-width), surrogates, private use, unassigned, line and paragraph separators."""


def default_learner() -> str:
    """The learner when none is set: the name of the system user running the tutor."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return FALLBACK_LEARNER
    try:
        return learner_name(name)
    except ValueError:
        return FALLBACK_LEARNER


def learner_name(name: str) -> str:
    """`name` as a learner's name: trimmed, 1 to MAX_LEARNER characters, none of them a control
    or invisible character (it is shown on terminals and kept in the database). ValueError with
    a one-line message otherwise."""
    name = name.strip()
    if not name:
        raise ValueError("a learner's name cannot be empty")
    if len(name) > MAX_LEARNER:
        raise ValueError(f"a learner's name has at most {MAX_LEARNER} characters")
    if any(unicodedata.category(ch) in _REFUSED for ch in name):
        raise ValueError("a learner's name cannot hold control or invisible characters")
    return name
