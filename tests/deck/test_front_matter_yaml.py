"""A deck's front matter is read by libyaml when PyYAML has it (a tenth of the time: showing a
card reads its file's head), and by the pure Python loader otherwise. Where the pure loader
reads data, the two give the same data and the same keys given twice; an anchor, an alias, a
tag or a YAML error is read by the pure Python loader, so it is refused or placed as it always
was. libyaml reads a few texts the pure loader refused (a tab after a value, `[1?]`)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.deck import parser
from tutor.deck.parser import parse_text

pytestmark = pytest.mark.skipif(
    parser._FastLoader is None, reason="PyYAML was built without libyaml"
)


class Refused(str):
    """A YAML error's message, as `loaded` gives it."""


def loaded(load: Any, text: str) -> tuple[Any, list[tuple[str, int, int]]]:
    twice: list[tuple[str, int, int]] = []
    try:
        return load(text, twice), twice
    except yaml.YAMLError as error:
        return Refused(error), []


def read_alike(text: str) -> None:
    """`text` read as a deck's front matter is, and by the pure Python loader alone: the same
    data, keys given twice or error's every word; or the one way they differ: libyaml, YAML's
    reference parser, reads a few texts the pure loader refuses (a tab where YAML allows white
    space: "1\t"; "[1?]"; "|#")."""
    fast = loaded(parser._load_yaml, text)
    slow = loaded(lambda text, twice: parser._load_with(parser._NoAliasLoader, text, twice), text)
    if fast != slow:
        assert isinstance(slow[0], Refused) and not isinstance(fast[0], Refused)


keys = st.sampled_from(["id", "title", "timer", "review_timer", "tags", "requires", "kind", "x"])
scalars = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=False).map(repr),
    st.sampled_from(
        ["true", "no", "~", "null", "2026-01-01", "1:30", "0o17", "0x1f", "1_000", ".inf", "yes"]
    ),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=12).map(lambda s: s.strip()),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=8).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    ),
)
values = scalars | st.lists(scalars, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(keys, values), max_size=6))
def test_libyaml_reads_front_matter_as_the_pure_loader_does(pairs: list[tuple[str, str]]) -> None:
    read_alike("".join(f"{key}: {value}\n" for key, value in pairs))


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab:-[]{}\"'#&*!|>,? \n\t1"), max_size=40))
def test_the_two_loaders_agree_on_text_that_is_barely_yaml(text: str) -> None:
    read_alike(text)


def test_front_matter_read_both_ways_is_the_same_deck(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "---\nid: d\ntitle: A deck\ntimer: 90s\ntitle: again\ntags: [a, b]\n---\n\n# A deck\n\n"
        "## One\nid: one\n\nWhat?\n\n### Answer\nThis.\n"
    )
    fast = parse_text(text, "d.md")
    monkeypatch.setattr(parser, "_FastLoader", None)
    slow = parse_text(text, "d.md")
    assert fast == slow
    deck, problems = fast
    assert deck is not None and deck.title == "A deck"  # the first of a key given twice
    assert [p.line for p in problems if "given twice" in p.message] == [5]


@pytest.mark.parametrize(
    ("front", "said"),
    [
        ("id: &a d\ntitle: *a\n", "anchors (&name) are not allowed"),
        ("id: d\ntitle: *a\n", "aliases (*name) are not allowed"),
        ("id: d\ntitle: !!str 3\n", ""),
        ("id: d\ntitle: !\n", ""),
        ("id: d\ntitle: [a, b\n", "YAML"),
    ],
)
def test_anchors_aliases_and_errors_are_said_as_before(
    front: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = f"---\n{front}---\n\n# T\n\n## One\nid: one\n\nWhat?\n\n### Answer\nThis.\n"
    fast = parse_text(text, "d.md")
    monkeypatch.setattr(parser, "_FastLoader", None)
    assert fast == parse_text(text, "d.md")
    assert any(said in problem.message for problem in fast[1])
