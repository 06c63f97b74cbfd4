"""The parser reads deck-format.md exactly, and reports each broken rule at its line."""

from __future__ import annotations

from pathlib import Path

from tutor.deck.loader import load_collection
from tutor.deck.model import Severity
from tutor.deck.parser import parse_bytes, parse_text, read_deck_file


def problems_of(path: Path) -> list[tuple[int, str]]:
    _, problems = read_deck_file(path)
    return [(p.line, p.message) for p in problems if p.severity is Severity.ERROR]


def test_good_deck_is_read_completely(fixtures: Path) -> None:
    deck, problems = read_deck_file(fixtures / "good" / "basics.md")
    assert problems == []
    assert deck is not None
    assert (deck.id, deck.title, deck.is_proof) == ("basics", "Basics for the parser tests", False)
    assert (deck.timer, deck.review_timer, deck.hint_gap) == (900, 240, 90)
    assert deck.tags == ["test"]
    assert deck.intro is not None and deck.intro.source == r"An introduction with $\Omega$ in it."
    first, second = deck.cards
    assert (first.id, first.kind, first.title, first.line) == (
        "sum-first-n",
        "theorem",
        "Sum of the first n integers",
        14,
    )
    assert first.tags == ["sums", "induction"]
    assert first.prompt.source == r"What is $\sum_{k=1}^{n} k$?" and first.prompt.line == 19
    assert first.answer is not None and first.answer.source == r"$$\frac{n(n+1)}{2}$$"
    assert first.check is not None and first.check.line == 24
    assert first.check.pairs()[:2] == [("expect", "n(n+1)/2"), ("natural", "n")]
    assert [line.key for line in first.check.lines].count("accept") == 2
    assert first.check.first("mistake") is not None
    assert first.check.first("mistake").line == 31  # type: ignore[union-attr]
    assert [h.source for h in first.hints] == [
        "Pair the first term with the last.",
        "Each pair sums to $n+1$,\nand there are $n/2$ pairs.",
    ]
    assert [h.line for h in first.hints] == [35, 36]
    assert first.why is not None and first.why.source.startswith("Counting pairs")
    assert first.checkable and not first.self_assessed
    assert (second.id, second.kind, second.requires, second.requires_line) == (
        "power-set",
        "definition",
        ["sum-first-n"],
        45,
    )
    assert (second.timer, second.review_timer) == (5400, 0)
    assert [k.source for k in second.key_ideas] == [
        "its elements are sets",
        r"every subset, including $\emptyset$ and $\Omega$",
    ]
    assert second.self_assessed and not second.checkable
    assert second.position == 1


def test_proof_steps_chain_their_prerequisites(fixtures: Path) -> None:
    deck, problems = read_deck_file(fixtures / "good" / "shift-proof.md")
    assert problems == []
    assert deck is not None and deck.is_proof
    assert deck.intro is not None and deck.intro.source == r"**Theorem.** $a + 0 = a$."
    one, two = deck.cards
    assert (one.kind, one.requires) == ("step", ["power-set"])
    assert (two.kind, two.requires) == ("step", ["shift-proof-1"])
    # a check block before the answer belongs to the card, and is not part of the prompt
    assert two.check is not None and two.check.first("mode").value == "derivation"  # type: ignore[union-attr]
    assert two.prompt.source == "Simplify."


def test_five_errors_each_at_its_line(fixtures: Path) -> None:
    collection = load_collection([fixtures / "five-errors"])
    found = [(p.line, p.message) for p in collection.errors]
    assert found == [
        (20, found[0][1]),
        (34, "card 'card-three' requires unknown card 'no-such-card'"),
        (44, "card 'card-four' has no '### Answer'"),
        (54, "timer: unreadable duration 'soon': write e.g. 90s, 20m, 1h30m or 0"),
        (
            64,
            "card 'card-six' has nothing to judge by: add a ```check block or a "
            "'### Key ideas' list",
        ),
    ]
    assert found[0][1].startswith("duplicate card id 'card-one' (first at ")
    assert found[0][1].endswith("five-errors/deck.md:8)")
    assert collection.warnings == []


def test_card_level_rules(fixtures: Path) -> None:
    found = problems_of(fixtures / "broken" / "card-errors.md")
    lines = {line: message for line, message in found}
    assert "'Bad_ID' must be lowercase" in lines[9]
    assert lines[10].startswith("unknown kind 'lemma'")
    assert lines[22].startswith("expected a 'key: value' field line")
    assert lines[32] == "card 'empty-answer' has no prompt: write the question under its fields"
    assert lines[36] == "card 'empty-answer': '### Answer' is empty"
    assert lines[52] == "card 'two-checks' has a second check block (the first is at line 45)"
    assert lines[61] == "check block has no 'expect'"
    assert lines[63] == "expected 'key: value' in the check block"
    assert lines[80] == "'### Hints' must be a numbered list"
    assert lines[86] == "field 'kind' given twice (first at line 85)"
    assert lines[93] == "section '### Answer' given twice (first at line 90)"
    assert len(found) == 11


def test_control_characters_are_stripped_and_reported(fixtures: Path) -> None:
    deck, problems = read_deck_file(fixtures / "broken" / "card-errors.md")
    assert deck is not None
    card = next(c for c in deck.cards if c.id == "control-chars")
    assert card.prompt.source == "Prompt with an escape red."
    warnings = [(p.line, p.message) for p in problems if p.severity is Severity.WARNING]
    assert warnings == [(102, "terminal control characters removed from the text")]


def test_front_matter_rules(fixtures: Path) -> None:
    found = problems_of(fixtures / "broken" / "front-matter-errors.md")
    assert found == [
        (1, "front matter needs an 'id'"),
        (3, "front-matter kind must be 'proof' or 'deck', not 'lecture'"),
        (4, "hint_gap: unreadable duration '2 minutes': write e.g. 90s, 20m, 1h30m or 0"),
    ]
    _, problems = read_deck_file(fixtures / "broken" / "front-matter-errors.md")
    assert [(p.line, p.message) for p in problems if p.severity is Severity.WARNING] == [
        (5, "unknown front-matter key 'colour' (ignored)")
    ]


def test_bad_yaml_names_its_line(fixtures: Path) -> None:
    deck, problems = read_deck_file(fixtures / "broken" / "bad-yaml.md")
    assert deck is None
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (3, "front matter is not valid YAML")
    ]


def test_missing_front_matter_still_reads_the_cards(fixtures: Path) -> None:
    found = problems_of(fixtures / "broken" / "no-front-matter.md")
    assert found == [
        (1, "no front matter: a deck starts with '---', then 'id:' and 'title:' lines, then '---'"),
        (3, "card 'lonely-card' has no '### Answer'"),
    ]


def test_card_heading_without_fields_hides_nothing(fixtures: Path) -> None:
    deck, problems = read_deck_file(fixtures / "broken" / "no-fields.md")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (8, "card 'Card without fields' has no fields")
    ]
    assert deck is not None and [c.id for c in deck.cards] == ["after-no-fields"]


def test_unreadable_files(fixtures: Path) -> None:
    broken = fixtures / "broken"
    assert problems_of(broken / "empty.md") == [
        (1, "empty file: a deck starts with front matter ('---', then id and title)")
    ]
    assert problems_of(broken / "binary.md") == [(1, "binary data (NUL byte), not a Markdown deck")]
    assert problems_of(broken / "not-utf8.md") == [
        (3, "not UTF-8 text (byte 0xe9); save the file as UTF-8")
    ]


def test_whitespace_only_and_bom() -> None:
    assert parse_text(" \n\n\t\n", "blank.md")[1][0].message.startswith("empty file")
    deck, problems = parse_bytes(
        "\ufeff---\nid: bom\ntitle: BOM\n---\n\n## C\nid: c\n\nQ?\n\n### Answer\nA\n\n"
        "### Key ideas\n- k\n".encode(),
        "bom.md",
    )
    assert problems == [] and deck is not None and deck.cards[0].id == "c"


def test_ten_megabytes_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("---\nid: big\ntitle: Big\n---\n" + "lorem ipsum dolor\n" * 600_000)
    deck, problems = read_deck_file(big, "big.md")
    assert deck is None
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("big.md", 1, "file is 10.8 MB; a deck may be at most 2 MB")
    ]


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    collection = load_collection([tmp_path / "nope"])
    assert [(p.line, p.message) for p in collection.errors] == [(0, "no such file or folder")]
    assert str(collection.errors[0]) == f"{tmp_path / 'nope'}: no such file or folder"


def test_durations_in_fields_and_windows_line_endings() -> None:
    text = (
        "---\r\nid: crlf\r\ntitle: CRLF\r\ntimer: 1h30m\r\n---\r\n\r\n## C\r\nid: c\r\n"
        "timer: 45s\r\nreview_timer: 0\r\n\r\nQ?\r\n\r\n### Answer\r\nA\r\n\r\n"
        "### Key ideas\r\n- k\r\n"
    )
    deck, problems = parse_text(text, "crlf.md")
    assert problems == []
    assert deck is not None and deck.timer == 5400
    assert (deck.cards[0].timer, deck.cards[0].review_timer) == (45, 0)


def test_unknown_section_and_field_are_warnings() -> None:
    text = (
        "---\nid: w\ntitle: W\n---\n\n## C\nid: c\ncolour: red\n\nQ?\n\n### Answer\nA\n\n"
        "### Key ideas\n- k\n\n### Notes\nextra\n"
    )
    deck, problems = parse_text(text, "w.md")
    assert [(p.line, p.severity, p.message.split(" (")[0]) for p in problems] == [
        (8, Severity.WARNING, "unknown card field 'colour'"),
        (18, Severity.WARNING, "unknown section '### Notes'"),
    ]
    assert deck is not None and deck.cards[0].answer is not None
    assert deck.cards[0].answer.source == "A"


def test_requires_as_yaml_list_or_comma_string() -> None:
    text = (
        "---\nid: p\ntitle: P\nkind: proof\nrequires: a-card, b-card\n---\n\n# P\n\nStatement."
        "\n\n## S1\nid: p-1\nrequires: c-card\n\nQ?\n\n### Answer\nA\n\n### Key ideas\n- k\n"
    )
    deck, problems = parse_text(text, "p.md")
    assert problems == []
    assert deck is not None and deck.requires == ["a-card", "b-card"]
    assert deck.cards[0].requires == ["a-card", "b-card", "c-card"]


def test_proof_without_title_is_an_error() -> None:
    text = (
        "---\nid: p\ntitle: P\nkind: proof\n---\n\n## S1\nid: p-1\n\nQ?\n\n### Answer\nA\n\n"
        "### Key ideas\n- k\n"
    )
    _, problems = parse_text(text, "p.md")
    assert [p.message for p in problems] == ["a proof needs a '#' title followed by its statement"]


def test_deck_without_cards_is_an_error() -> None:
    _, problems = parse_text("---\nid: e\ntitle: E\n---\n\n# E\n\nOnly an intro.\n", "e.md")
    assert [(p.line, p.message) for p in problems] == [
        (7, "no cards: each card starts with a '## Title' heading")
    ]


def test_unreadable_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    deck, problems = read_deck_file(folder, "folder.md")
    assert deck is None
    assert [(p.line, p.message) for p in problems] == [
        (1, "a folder, not a deck file: a deck is a regular Markdown file")
    ]


def test_front_matter_values_that_are_not_text_are_named_as_written() -> None:
    """YAML reads `title: 12` as a number and `kind: 2026-01-02` as a date: the errors say the
    title must be text (not that it is missing) and show each value as the author wrote it,
    never as Python prints it."""
    text = (
        "---\nid: dated\ntitle: {title}\nkind: 2026-01-02\ntimer: 2026-01-01\nhint_gap: yes\n"
        "---\n\n# Dated\n\n## One\nid: one\n\nWhat?\n\n### Answer\nThat.\n\n### Key ideas\n- it\n"
    )
    for title in ("12", "2026-01-01", "true", "[a, b]"):
        _, problems = parse_text(text.format(title=title), "dated.md")
        assert [(p.line, p.message) for p in problems if p.severity is Severity.ERROR] == [
            (3, f'the front-matter title must be text: write title: "{title}"'),
            (4, "front-matter kind must be 'proof' or 'deck', not '2026-01-02'"),
            (5, "timer: unreadable duration 2026-01-01: write e.g. 90s, 20m, 1h30m or 0"),
            (6, "hint_gap: unreadable duration true: write e.g. 90s, 20m, 1h30m or 0"),
        ]
    _, problems = parse_text(text.format(title="'12'"), "dated.md")
    assert not any("title" in p.message for p in problems)  # quoted, it is text


FRONT = (
    "---\nid: shapes\n{line}\ntimer: 5m\nreview_timer: 2m\n---\n\n# T\n\n"
    "## C\nid: c\n\nQ?\n\n### Answer\nA\n\n### Key ideas\n- k\n"
)


def test_broken_yaml_is_reported_at_the_line_to_fix() -> None:
    """YAML gives up where it ran out of text (for a bracket or quote left open, the end of the
    front matter); the error names the line where the value starts, on line 3 here whatever
    shape the breakage has."""
    for line in (
        "title: [unclosed",
        "title: {a: b",
        'title: "unclosed',
        "title: 'unclosed",
        "title",
        "- a",
        "title: @at",
        "  title: indented",
        "title: a: b",
        "title: *alias",
    ):
        deck, problems = parse_text(FRONT.format(line=line), "shapes.md")
        assert deck is None
        assert [(p.line, p.message.split(":")[0]) for p in problems] == [
            (3, "front matter is not valid YAML")
        ], line
    for last in ("title: [unclosed", 'title: "unclosed'):  # the front matter's last line
        text = f"---\nid: shapes\n{last}\n---\n\n# T\n"
        _, problems = parse_text(text, "shapes.md")
        assert [p.line for p in problems][:1] == [3], last


def test_a_front_matter_key_given_twice_is_an_error_and_the_first_counts() -> None:
    text = FRONT.format(line="title: T\nid: other\ntimer: 10m")
    deck, problems = parse_text(text, "twice.md")
    assert [(p.line, p.message) for p in problems] == [
        (4, "front-matter key 'id' given twice (first at line 2)"),
        (6, "front-matter key 'timer' given twice (first at line 5)"),
    ]
    assert deck is not None and (deck.id, deck.timer) == ("shapes", 600)


def test_a_deck_id_that_yaml_reads_as_a_list_is_named_as_written() -> None:
    for written, message in (
        ("[a, b]", "deck id '[a, b]' must be one word: lowercase words joined by '-'"),
        ("{a: b}", "deck id '{a: b}' must be one word: lowercase words joined by '-'"),
        ("Y_13", "deck id 'Y_13' must be one word: lowercase words joined by '-'"),
        ("1_000", "deck id '1_000' must be one word: lowercase words joined by '-'"),
    ):
        text = FRONT.replace("id: shapes\n{line}", f"id: {written}\ntitle: T")
        deck, problems = parse_text(text, "listed.md")
        assert [(p.line, p.message) for p in problems] == [(2, message)]
        assert deck is not None and deck.id == written  # `deck list` shows it as written
    for written in ("0x1f", "0x1f  # hex"):
        text = FRONT.replace("id: shapes\n{line}", f"id: {written}\ntitle: T")
        deck, problems = parse_text(text, "hex.md")
        assert problems == [] and deck is not None and deck.id == "0x1f"  # not YAML's 31


def test_an_empty_duration_says_it_is_empty() -> None:
    for value in ("null", "", "~"):
        text = FRONT.format(line="title: T").replace("timer: 5m", f"timer: {value}")
        _, problems = parse_text(text, "empty.md")
        assert [(p.line, p.message) for p in problems] == [
            (4, "timer: no duration given: write e.g. 90s, 20m, 1h30m or 0")
        ], value
    text = FRONT.format(line="title: T").replace("id: c\n", "id: c\ntimer:\n")
    _, problems = parse_text(text, "empty.md")
    assert [(p.line, p.message) for p in problems] == [
        (12, "timer: no duration given: write e.g. 90s, 20m, 1h30m or 0")
    ]


def test_tags_that_are_not_a_list_are_named_tags_not_ids() -> None:
    text = FRONT.format(line="title: T\ntags: 12\nrequires: 12")
    _, problems = parse_text(text, "tags.md")
    assert [(p.line, p.message) for p in problems] == [
        (5, "requires must be a comma-separated list of card ids"),
        (4, "tags must be a comma-separated list of tags"),
    ]
