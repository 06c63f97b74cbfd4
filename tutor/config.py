"""One place for paths and settings: TUTOR_HOME/config.toml, the environment, then flags.

`TUTOR_HOME` is the folder for the database and `config.toml` (default: the platform's user
data folder). Keys of `config.toml`, all optional:

    timer = "20m"              # confusion timer for a card seen for the first time
    review_timer = "5m"        # confusion timer when a card comes back for review
    hint_gap = "2m"            # after the timer, time between one hint and the next
    new_per_day = 1            # new cards a day, whatever the reviews (0 to 100)
    reviews_per_day = 10       # reviews a day, the most likely forgotten first (1 to 1000)
    day_starts_at = "04:00"    # a study day starts at this local time
    desired_retention = 0.9    # FSRS target recall probability
    decks = ["~/my-decks"]     # extra deck folders, beside the shipped ones
    database = "sqlite:///…"   # database URL (default: tutor.db in TUTOR_HOME)
    learner = "alice"          # whose progress this is (default: the system user name)

The environment wins over the file (`TUTOR_DB`, `TUTOR_LEARNER`), and flags over both:
`--decks DIR` (repeatable) replaces the whole deck set for that run, `--db URL` the database,
`--learner NAME` the learner.

`items_per_session` (cards a day, new cards and reviews together, before December 2026) is read
as `new_per_day` when that is not set, with a one-line notice: a learner who asked for more
cards a day asked for more material, and the reviews now have their own limit.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from tutor.deck.duration import DurationError, parse_duration
from tutor.study.learner import default_learner, learner_name
from tutor.study.queue import REVIEWS_PER_DAY

APP_NAME = "proof-tutor"
CONFIG_FILE = "config.toml"
DATABASE_FILE = "tutor.db"

KNOWN_KEYS = (
    "timer",
    "review_timer",
    "hint_gap",
    "new_per_day",
    "reviews_per_day",
    "day_starts_at",
    "desired_retention",
    "decks",
    "database",
    "learner",
    "keys",
)
LEGACY_KEYS = ("items_per_session",)
"""Keys of earlier releases that are still read (see the module's docstring)."""


class ConfigError(Exception):
    """A setting that cannot be used; the message is one line naming the file and key."""


@dataclass(frozen=True)
class Settings:
    home: Path
    timer: int = 20 * 60
    review_timer: int = 5 * 60
    hint_gap: int = 2 * 60
    new_per_day: int = 1
    reviews_per_day: int = REVIEWS_PER_DAY
    day_starts_at: time = time(4, 0)
    desired_retention: float = 0.9
    extra_decks: tuple[Path, ...] = ()
    deck_override: tuple[Path, ...] = ()
    database_url: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    learner: str = field(default_factory=default_learner)
    """Whose progress this run reads and writes (`--learner`, TUTOR_LEARNER, `learner`)."""
    notices: tuple[str, ...] = ()
    """One-line messages about the settings for the learner (an old key read as a new one)."""

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_FILE

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / DATABASE_FILE}"

    @property
    def deck_dirs(self) -> tuple[Path, ...]:
        """The deck set of this run: `--decks` if given, else the shipped decks and extras."""
        if self.deck_override:
            return self.deck_override
        from tutor.deck.loader import shipped_deck_dirs

        return (*shipped_deck_dirs(), *self.extra_decks)


def default_home() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def load_settings(
    *,
    decks: tuple[str, ...] | list[str] = (),
    db: str | None = None,
    learner: str | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Settings from TUTOR_HOME/config.toml (if present), then the environment, then flags."""
    env = os.environ if environ is None else environ
    home = Path(env["TUTOR_HOME"]).expanduser() if env.get("TUTOR_HOME") else default_home()
    path = home / CONFIG_FILE
    data, text = _read_toml(path)
    values: dict[str, Any] = {"home": home}
    lines = _key_lines(text)

    def at(key: str) -> str:
        """Where `key` is set: "config.toml:LINE" (or the file alone)."""
        return f"{path}:{lines[key]}" if key in lines else str(path)

    for key in data:
        if key not in KNOWN_KEYS and key not in LEGACY_KEYS:
            raise ConfigError(f"{at(key)}: unknown key '{key}' (known: {', '.join(KNOWN_KEYS)})")
    for key in ("timer", "review_timer", "hint_gap"):
        if key in data:
            try:
                values[key] = parse_duration(data[key])
            except DurationError as exc:
                raise ConfigError(f"{at(key)}: {key}: {exc}") from None
    for key, low, high in (("new_per_day", 0, 100), ("reviews_per_day", 1, 1000)):
        if key in data:
            values[key] = _whole(data[key], key, low, high, at(key))
    if "items_per_session" in data:
        items = _whole(
            data["items_per_session"], "items_per_session", 1, 100, at("items_per_session")
        )
        if "new_per_day" in data:
            notice = f"items_per_session is not used: {CONFIG_FILE} sets new_per_day"
        else:
            values["new_per_day"] = items
            notice = (
                f"items_per_session = {items} is read as new_per_day = {items}; reviews have "
                f"a limit of their own, reviews_per_day (rename the key in {CONFIG_FILE})"
            )
        values["notices"] = (notice,)
    if "day_starts_at" in data:
        values["day_starts_at"] = _parse_time(data["day_starts_at"], at("day_starts_at"))
    if "desired_retention" in data:
        retention = data["desired_retention"]
        if (
            isinstance(retention, bool)
            or not isinstance(retention, int | float)
            or not (0.7 <= retention <= 0.99)
        ):
            raise ConfigError(
                f"{at('desired_retention')}: desired_retention must be a number from 0.7 to 0.99"
            )
        values["desired_retention"] = float(retention)
    if "decks" in data:
        folders = data["decks"]
        if isinstance(folders, str):
            folders = [folders]
        if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
            raise ConfigError(f"{at('decks')}: decks must be a list of folder paths")
        values["extra_decks"] = tuple(_resolve(f, home) for f in folders)
    if "database" in data:
        if not isinstance(data["database"], str) or not data["database"].strip():
            raise ConfigError(f"{at('database')}: database must be a database URL")
        values["database_url"] = data["database"].strip()
    if "keys" in data:
        keys = data["keys"]
        if not isinstance(keys, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
        ):
            raise ConfigError(f'{at("keys")}: [keys] maps action names to keys, e.g. hint = "h"')
        values["keys"] = dict(keys)
    if "learner" in data:
        values["learner"] = _learner(data["learner"], at("learner"))
    if env.get("TUTOR_LEARNER"):
        values["learner"] = _learner(env["TUTOR_LEARNER"], "TUTOR_LEARNER")
    if learner is not None:
        values["learner"] = _learner(learner, "--learner")
    if env.get("TUTOR_DB"):
        values["database_url"] = env["TUTOR_DB"]
    if db is not None:
        if not db.strip():
            raise ConfigError("--db needs a database URL, e.g. sqlite:///path/to/tutor.db")
        values["database_url"] = db.strip()
    if decks:
        values["deck_override"] = tuple(Path(d).expanduser() for d in decks)
    return Settings(**values)


def _learner(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: learner must be a name in quotes")
    try:
        return learner_name(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _whole(value: object, key: str, low: int, high: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(f"{where}: {key} must be a whole number from {low} to {high}")
    return value


MAX_CONFIG_BYTES = 100_000


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The settings of config.toml and its text: a regular file of at most MAX_CONFIG_BYTES."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO: no wait
        with open(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise ConfigError(f"{path}: not a regular file")
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return {}, ""
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES // 1000} kB; is it config.toml?")
    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except ValueError:  # an integer of thousands of digits
        found = re.search(r"\d{100,}", text)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        raise ConfigError(f"{path}:{line}: a number too large to read") from None


def _key_lines(text: str) -> dict[str, int]:
    """The line each top-level key (or [table]) of a TOML text is set on."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        found = re.match(r'\s*(?:\[\s*([A-Za-z0-9_-]+)\s*\]|"?([A-Za-z0-9_-]+)"?\s*=)', line)
        if found:
            lines.setdefault(found.group(1) or found.group(2), number)
    return lines


_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?")


def _parse_time(value: object, where: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    match = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ConfigError(f'{where}: day_starts_at must be a time of day like "04:00"')
    return time(int(match.group(1)), int(match.group(2) or 0))


def _resolve(folder: str, home: Path) -> Path:
    path = Path(folder).expanduser()
    return path if path.is_absolute() else home / path
