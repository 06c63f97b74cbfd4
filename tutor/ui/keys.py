"""The keys of the terminal UI, and the `[keys]` table of config.toml that remaps them.

Each action has a name (the binding's id), a default key and a description; the footer, the
command palette and the README show the same words. In config.toml:

    [keys]
    hint = "f2"          # several keys: "f2,ctrl+h"
    quit = "ctrl+q"
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tutor.config import ConfigError


@dataclass(frozen=True)
class Action:
    name: str
    """The binding id, and the name used in `[keys]`."""
    key: str
    description: str
    help: str


ACTIONS: tuple[Action, ...] = (
    Action("submit", "ctrl+s", "Submit", "Have the answer in the editor checked"),
    Action("leave", "escape", "Leave editor", "Leave the answer editor, so letters are keys"),
    Action("answer", "a", "Answer", "Go back to the answer editor"),
    Action("hint", "h", "Hint", "Show the next hint (once the confusion timer has run out)"),
    Action("reveal", "r", "Reveal", "Show the answer (asks first); the card counts as not known"),
    Action(
        "compare",
        "c",
        "Compare",
        "Compare your attempt with the answer (once the confusion timer has run out)",
    ),
    Action("notes", "n", "Notes", "Write down what confuses you; it comes back with the card"),
    Action("stats", "s", "Stats", "Streaks, a year of reconstructions, what is due"),
    Action("decks", "d", "Decks", "Browse the decks, their cards and when they are due"),
    Action("quit", "q", "Quit", "Save and quit; the card resumes where its timer was"),
    Action("next", "enter", "Go on", "After a card: save its rating and go on"),
    Action("easy", "e", "Easy", "After a card rated Good: rate it Easy instead (asks first)"),
    Action("undo", "u", "Undo", "Take back the last rating or reveal, until the next card"),
    Action("more", "m", "One more", "Once the day's cards are done: take one more card"),
    Action("wait", "w", "Wait 5m", "With a simulated clock (TUTOR_CLOCK): let 5 minutes pass"),
)

BY_NAME = {action.name: action for action in ACTIONS}

_KEY = re.compile(r"(?:(?:ctrl|alt|shift|super|meta)\+)*[A-Za-z0-9_]+|[!-~]")


def keymap(config: Mapping[str, str]) -> dict[str, str]:
    """The `[keys]` table checked: action names to comma-separated keys. Raises ConfigError."""
    checked: dict[str, str] = {}
    for name, keys in config.items():
        if name not in BY_NAME:
            known = ", ".join(BY_NAME)
            raise ConfigError(f"[keys]: unknown action '{name}' (known: {known})")
        parts = [part.strip() for part in keys.split(",")]
        if not parts or not all(_KEY.fullmatch(part) for part in parts):
            raise ConfigError(f'[keys]: {name} = "{keys}" is not a key like "h", "f2" or "ctrl+k"')
        checked[name] = ",".join(parts)
    return checked


def key_of(name: str, config: Mapping[str, str]) -> str:
    """The key an action is on (the first, when several are), as prose names it: `ctrl+s`,
    `esc`, `enter`, `h`."""
    key = config.get(name, BY_NAME[name].key).split(",")[0]
    return {"escape": "esc"}.get(key, key)
