"""Hostile text from a stranger's deck never reaches the terminal as a control: every string,
whatever its source (YAML escapes, HTML entities, file names, answers, notes), passes the one
cleaner on its way out of `deck list`, `deck show`, `deck check`, `stats` and plain study."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.cli import main

# What must never be written: ESC and the other C0 controls but newline and tab, DEL, the C1
# controls (0x80–0x9f), and the invisible format characters (bidirectional overrides and
# isolates, zero-width marks, the BOM).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

# Pieces an attacker strings together: escape sequences (OSC 52 clipboard, window title, CSI
# colour, DCS), raw C1, bidi overrides, and the same spelled as YAML escapes and HTML entities.
PIECES = [
    "\x1b]52;c;SGVsbG8=\x07",
    "\x1b]0;OWNED\x07",
    "\x1b[31m",
    "\x1bP1$r\x1b\\",
    "\x9b31m",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "&#x202e;",
    "&#27;[2J",
    "ok",
    " ",
    "é",
    "$x^2$",
]

DECK = """---
id: attack
title: "{title}"
---

## {card_title}
id: attack-card
kind: fact

{prompt}

### Hints

1. {hint}

### Answer

{answer}

```check
expect: x^2
```
"""


def _yaml_escaped(text: str) -> str:
    """`text` as the inside of a YAML double-quoted string: controls written as escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or ord(char) in (0x2028, 0x2029):
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return "".join(out)


def _run(args: list[str], home: Path, stdin: str | None = None) -> str:
    done = CliRunner().invoke(
        main,
        args,
        env={"TUTOR_HOME": str(home), "TUTOR_CLOCK": "2026-12-01T09:00:00+00:00"},
        input=stdin,
        catch_exceptions=False,
    )
    return done.output


def _outputs(
    base: Path, title: str, card_title: str, prompt: str, hint: str, name: str
) -> list[str]:
    decks = base / "decks"
    decks.mkdir()
    # a file name may carry anything but "/" and NUL
    safe_name = name.replace("/", "").replace("\x00", "") or "x"
    text = DECK.format(
        title=_yaml_escaped(title),
        card_title=card_title.replace("\n", " ") or "t",
        prompt=prompt or "p",
        hint=hint or "h",
        answer="$x^2$",
    )
    (decks / f"{safe_name}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    home = base / "home"
    outputs = [
        _run(["--decks", str(decks), "deck", "list"], home),
        _run(["--decks", str(decks), "deck", "show", "attack-card"], home),
        _run(["deck", "check", str(decks)], home),
        _run(["--decks", str(decks), "stats"], home),
    ]
    return outputs


hostile = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join)


@settings(max_examples=25, deadline=None)
@given(title=hostile, card_title=hostile, prompt=hostile, hint=hostile, name=hostile)
def test_no_control_reaches_the_terminal(
    title: str, card_title: str, prompt: str, hint: str, name: str
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        outputs = _outputs(Path(folder), title, card_title, prompt, hint, name)
    for output in outputs:
        assert not FORBIDDEN.search(output), repr(output)


def test_answers_and_notes_are_cleaned_in_plain_study(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "attack.md").write_text(
        DECK.format(
            title="Attack", card_title="A card", prompt="What is $x^2$?", hint="h", answer="$x^2$"
        ),
        encoding="utf-8",
    )
    answer = "x^2\x1b]0;OWNED\x07\u202e"
    note = "confused \x1b[2J\x9b31m\u2066 here"
    stdin = "\n".join([":note " + note, answer, ":q"]) + "\n"
    output = _run(
        ["--decks", str(decks), "--db", f"sqlite:///{tmp_path / 't.db'}", "study", "--plain"],
        tmp_path / "home",
        stdin,
    )
    assert "note saved" in output  # the note reached the session
    assert "invalid: A control character (U+001B) cannot be part of an answer." in output
    assert not FORBIDDEN.search(output), repr(output)


def test_a_lone_escape_never_takes_a_line_break_with_it() -> None:
    """An ESC just before a line break (a deck's `expect: x+1<ESC>` line): the ESC goes, the
    line break stays, so the next line (a closing fence) is still a line of its own."""
    from tutor.check.clean import strip_controls

    assert strip_controls("expect: x+1\x1b\n```") == "expect: x+1\n```"
    assert strip_controls("a\x1b\r\nb") == "a\nb"
    assert strip_controls("a\x1b\rb") == "ab"  # a bare CR is a control: removed
    assert strip_controls("a\x1bcb") == "ab"  # a lone ESC still takes the character after it
