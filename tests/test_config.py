from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from tutor.config import ConfigError, load_settings


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(environ={"TUTOR_HOME": str(tmp_path)})
    assert settings.home == tmp_path
    assert (settings.timer, settings.review_timer, settings.hint_gap) == (1200, 300, 120)
    assert (settings.new_per_day, settings.reviews_per_day) == (1, 10)
    assert (settings.day_starts_at, settings.notices) == (time(4, 0), ())
    assert settings.desired_retention == 0.9
    assert settings.db_url == f"sqlite:///{tmp_path / 'tutor.db'}"
    names = [p.name for p in settings.deck_dirs]
    assert names == ["decks", "proofs"]
    assert all(p.is_dir() for p in settings.deck_dirs)


def test_every_key_is_read(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        """
timer = "25m"
review_timer = "90s"
hint_gap = "1h"
new_per_day = 3
reviews_per_day = 25
day_starts_at = "05:30"
desired_retention = 0.85
decks = ["mine", "/abs/decks"]
database = "sqlite:///elsewhere.db"
[keys]
hint = "ctrl+h"
""",
    )
    s = load_settings(environ={"TUTOR_HOME": str(tmp_path)})
    assert (s.timer, s.review_timer, s.hint_gap) == (1500, 90, 3600)
    assert (s.new_per_day, s.reviews_per_day) == (3, 25)
    assert (s.day_starts_at, s.desired_retention, s.notices) == (time(5, 30), 0.85, ())
    assert s.extra_decks == (tmp_path / "mine", Path("/abs/decks"))
    assert s.deck_dirs[-2:] == (tmp_path / "mine", Path("/abs/decks"))
    assert s.db_url == "sqlite:///elsewhere.db"
    assert s.keys == {"hint": "ctrl+h"}


def test_items_per_session_of_earlier_releases_is_read_as_new_per_day(tmp_path: Path) -> None:
    write_config(tmp_path, "items_per_session = 3\n")
    s = load_settings(environ={"TUTOR_HOME": str(tmp_path)})
    assert (s.new_per_day, s.reviews_per_day) == (3, 10)
    (notice,) = s.notices
    assert notice.startswith("items_per_session = 3 is read as new_per_day = 3;")
    assert "\n" not in notice and "reviews_per_day" in notice
    write_config(tmp_path, "items_per_session = 3\nnew_per_day = 2\n")
    s = load_settings(environ={"TUTOR_HOME": str(tmp_path)})
    assert s.new_per_day == 2
    assert s.notices == ("items_per_session is not used: config.toml sets new_per_day",)


def test_flags_override_file_and_environment(tmp_path: Path) -> None:
    write_config(tmp_path, 'database = "sqlite:///file.db"\ndecks = ["extra"]\n')
    env = {"TUTOR_HOME": str(tmp_path), "TUTOR_DB": "sqlite:///env.db"}
    assert load_settings(environ=env).db_url == "sqlite:///env.db"
    s = load_settings(environ=env, db="sqlite:///flag.db", decks=["a", "b"])
    assert s.db_url == "sqlite:///flag.db"
    assert s.deck_dirs == (Path("a"), Path("b"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('timer = "soon"', "timer: unreadable duration 'soon'"),
        ("timer = 20", "timer: duration 20 has no unit"),
        # a negative number lacks no unit: it cannot be a duration at all
        ("timer = -1", ":1: timer: duration -1 cannot be negative: write e.g. 90s, 20m"),
        ('hint_gap = "-2m"', ":1: hint_gap: duration '-2m' cannot be negative"),
        ('timer = ""', ":1: timer: no duration given: write e.g. 90s, 20m, 1h30m or 0"),
        ("items_per_session = 0", "items_per_session must be a whole number from 1 to 100"),
        ("new_per_day = -1", "new_per_day must be a whole number from 0 to 100"),
        ("reviews_per_day = 0", "reviews_per_day must be a whole number from 1 to 1000"),
        ("reviews_per_day = 2.5", "reviews_per_day must be a whole number from 1 to 1000"),
        ("items_per_session = true", "items_per_session must be a whole number from 1 to 100"),
        ('day_starts_at = "25:00"', "day_starts_at must be a time of day"),
        ("desired_retention = 1.5", "desired_retention must be a number from 0.7 to 0.99"),
        ("decks = 3", "decks must be a list of folder paths"),
        ("colour = 'blue'", "unknown key 'colour'"),
        ("timer = ", "not valid TOML"),
    ],
)
def test_bad_settings_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"TUTOR_HOME": str(tmp_path)})
    assert message in str(info.value)
    assert str(tmp_path / "config.toml") in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# mine\n\nnew_per_day = 500", ":3: new_per_day must be a whole number from 0 to 100"),
        ('timer = "20m"\nreview_timer = "' + "9" * 5000 + 'm"', ":2: review_timer: duration"),
        ("# big\ntimer = " + "9" * 5000, ":2: a number too large to read"),
        ("reviews_per_day = " + "9" * 30, ":1: reviews_per_day must be a whole number"),
        ('timer = "20m"\n[keys]\nhint = 5', ":2: [keys] maps action names to keys"),
    ],
    ids=["range", "huge-duration", "huge-int", "long-int", "table"],
)
def test_bad_numbers_are_one_line_with_the_line(tmp_path: Path, text: str, message: str) -> None:
    write_config(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"TUTOR_HOME": str(tmp_path)})
    said = str(info.value)
    assert said.startswith(str(tmp_path / "config.toml") + ":")
    assert message in said
    assert "\n" not in said and len(said) < 300


def test_a_config_that_is_not_a_regular_file(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "config.toml")
    with pytest.raises(ConfigError, match="not a regular file"):
        load_settings(environ={"TUTOR_HOME": str(tmp_path)})


def test_config_not_utf8(tmp_path: Path) -> None:
    tmp_path.joinpath("config.toml").write_bytes(b"timer = '\xff'")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(environ={"TUTOR_HOME": str(tmp_path)})


def test_default_home_is_the_platform_data_folder() -> None:
    from platformdirs import user_data_path

    s = load_settings(environ={})
    assert s.home == user_data_path("proof-tutor", appauthor=False)
