"""`tutor deck check PATH…` judges the named files within the whole deck set, and the errors of a
file skip only the cards they are in (`tutor.deck.skips`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tutor.deck.checks import lint_checks
from tutor.deck.loader import load_collection, load_within, shipped_deck_dirs
from tutor.deck.report import report_json, report_text
from tutor.deck.skips import card_spans, find_skips

ROOT = Path(__file__).parent.parent.parent
CARD = "## {title}\nid: {id}\n{extra}\nQ?\n\n### Answer\nA\n\n### Key ideas\n- k\n\n"


def write_deck(path: Path, deck_id: str, cards: list[tuple[str, str]], front: str = "") -> Path:
    """As tests/deck/test_lint.py writes them: each card self-assessed, its fields given."""
    body = "".join(CARD.format(title=c.title(), id=c, extra=extra) for c, extra in cards)
    path.write_text(f"---\nid: {deck_id}\ntitle: {deck_id}\n{front}---\n\n# T\n\n{body}")
    return path


def messages(problems: list) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    return [(Path(p.path).name, p.line, p.message) for p in problems]


def test_a_card_that_takes_a_shipped_id_is_an_error_of_the_named_file(tmp_path: Path) -> None:
    mine = write_deck(tmp_path / "mine.md", "mine", [("power-set", ""), ("my-own", "")])
    named, rest = load_within([mine], shipped_deck_dirs())
    assert [(line, message.split(" (")[0]) for _, line, message in messages(named.errors)] == [
        (8, "duplicate card id 'power-set'")
    ]
    assert "(first at " in named.errors[0].message and "probability-foundations.md:" in (
        named.errors[0].message
    )
    assert len(rest.decks) >= 17 and all(p.path != named.errors[0].path for p in rest.problems)
    assert [d.id for d in named.decks] == ["mine"]  # the report counts the named files alone
    assert report_text(named, rest).endswith(
        "1 error, 0 warnings in 1 deck, 2 cards (0 "
        "machine-checked, 2 self-assessed), 0 proofs with "
        "0 steps"
    )


def test_a_duplicate_of_a_shipped_id_is_one_error_not_a_cycle_too(tmp_path: Path) -> None:
    """The shipped sigma-algebra requires power-set: a second power-set that requires
    sigma-algebra is a duplicate; the graph keeps the first, so there is no cycle to report."""
    mine = write_deck(tmp_path / "mine.md", "mine", [("power-set", "requires: sigma-algebra\n")])
    named, _ = load_within([mine], shipped_deck_dirs())
    assert [m.split(" (")[0] for _, _, m in messages(named.errors)] == [
        "duplicate card id 'power-set'"
    ]


def test_a_deck_that_takes_a_shipped_deck_id_is_an_error(tmp_path: Path) -> None:
    mine = write_deck(tmp_path / "mine.md", "softmax-shift", [("my-own", "")])
    named, _ = load_within([mine], shipped_deck_dirs())
    assert [m.split(" (")[0] for _, _, m in messages(named.errors)] == [
        "duplicate deck id 'softmax-shift'"
    ]


def test_a_prerequisite_may_name_a_shipped_card_but_not_an_unknown_one(tmp_path: Path) -> None:
    good = write_deck(tmp_path / "good.md", "good", [("after-sigma", "requires: sigma-algebra\n")])
    named, _ = load_within([good], shipped_deck_dirs())
    assert named.problems == []
    bad = write_deck(tmp_path / "bad.md", "bad", [("after-typo", "requires: sigma-algebr\n")])
    named, _ = load_within([bad], shipped_deck_dirs())
    assert [m for _, _, m in messages(named.errors)] == [
        "card 'after-typo' requires unknown card 'sigma-algebr'"
    ]


def test_a_named_file_of_the_set_is_checked_once_against_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    one = write_deck(folder / "one.md", "one", [("a", ""), ("b", "requires: c\n")])
    write_deck(folder / "two.md", "two", [("c", ""), ("a", "")])
    named, rest = load_within([one], [folder])
    # the named file comes last: the id it shares with the rest is its error
    assert messages(named.problems) == [
        ("one.md", 8, f"duplicate card id 'a' (first at {rest.decks[0].path}:19)")
    ]
    assert rest.problems == [] and [d.id for d in rest.decks] == ["two"]


def test_problems_of_the_rest_of_the_set_are_one_line_and_not_counted(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    write_deck(folder / "broken.md", "broken", [("x", "requires: nowhere\n")])
    mine = write_deck(tmp_path / "mine.md", "mine", [("y", "requires: x\n")])
    named, rest = load_within([mine], [folder])
    assert named.problems == [] and len(rest.errors) == 1
    lines = report_text(named, rest).split("\n")
    assert lines == [
        "note: the rest of the deck set has problems too (1 error), not counted here; "
        "'tutor deck check' without PATH lists them",
        "ok: 1 deck, 1 card (0 machine-checked, 1 self-assessed), 0 proofs with 0 steps",
    ]
    data = json.loads(report_json(named, rest))
    assert data["errors"] == [] and data["elsewhere"] == {"errors": 1, "warnings": 0}
    assert "note:" not in report_text(rest, named)  # nothing wrong in mine


def test_a_missing_named_path_is_the_named_files_problem(tmp_path: Path) -> None:
    named, rest = load_within([tmp_path / "nope.md"], shipped_deck_dirs())
    assert [(p.line, p.message) for p in named.errors] == [(0, "no such file or folder")]
    assert all(p.message != "no such file or folder" for p in rest.problems)


def example(path: Path, heading: str) -> str:
    """The first ````markdown example after `heading` in the file at `path`."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"````markdown\n(.*?)\n````", text[text.index(heading) :], re.S)
    assert found is not None
    return found.group(1) + "\n"


def readme_deck() -> str:
    """The example deck of README.md's "Writing a deck"."""
    return example(ROOT / "README.md", "## Writing a deck")


def test_the_readme_example_deck_passes_deck_check_within_the_shipped_set(
    tmp_path: Path,
) -> None:
    deck = tmp_path / "my-deck.md"
    deck.write_text(readme_deck(), encoding="utf-8")
    named, _ = load_within([deck], shipped_deck_dirs())
    assert [card.id for card in named.cards] and all(card.requires for card in named.cards)
    # with the checker's rules, as `tutor deck check` runs them: the example's block is judged
    problems = named.problems + lint_checks(named.cards)
    assert [str(p) for p in problems] == []


def test_the_deck_format_examples_pass_deck_check_within_the_shipped_set(
    tmp_path: Path,
) -> None:
    """docs/deck-format.md says `tutor deck check` passes its deck; its proof stands on it."""
    doc = ROOT / "docs" / "deck-format.md"
    (tmp_path / "deck.md").write_text(example(doc, "## A deck, from top to bottom"), "utf-8")
    (tmp_path / "proof.md").write_text(example(doc, "\n## Proofs\n"), "utf-8")
    named, _ = load_within([tmp_path], shipped_deck_dirs())
    assert [d.id for d in named.decks] == ["sums-and-sizes", "odd-numbers-square"]
    problems = named.problems + lint_checks(named.cards)
    assert [str(p) for p in problems] == []


def test_the_readme_example_alone_lacks_its_prerequisites(tmp_path: Path) -> None:
    """What the test above stands on: the example needs the shipped cards it requires."""
    deck = tmp_path / "my-deck.md"
    deck.write_text(readme_deck(), encoding="utf-8")
    assert {p.message.rsplit(" ", 1)[-1] for p in load_collection([deck]).errors} == {
        "'sigma-algebra'",
        "'probability-measure'",
    }


# -- which cards the errors skip ---------------------------------------------------------------


def test_card_spans_follow_the_parsers_split(tmp_path: Path) -> None:
    path = tmp_path / "d.md"
    path.write_text(
        "---\nid: d\ntitle: D\n---\n\n# D\n\n## One\nid: one\n\nQ?\n\n```md\n## not a card\n```\n"
        "\n## Two\nid: two\n\nQ?\n\n# A late title\n\ntext\n",
        encoding="utf-8",
    )
    assert card_spans(path) == [(8, 16), (17, 21)]


def test_an_error_skips_its_own_card_only(tmp_path: Path) -> None:
    write_deck(
        tmp_path / "d.md",
        "d",
        [("first", ""), ("broken", "timer: soon\n"), ("after", "requires: broken\n")],
        front="timer: 5\n",  # an error outside every card: it skips none
    )
    text = (tmp_path / "d.md").read_text()
    # a card without an id, after the last one: its error is its own
    (tmp_path / "d.md").write_text(text + "## No id\nkind: fact\n\nQ?\n\n### Answer\nA\n")
    skips = find_skips(load_collection([tmp_path]))
    assert [(s.card.id, s.problem.line, s.more) for s in skips.skipped] == [("broken", 22, 0)]
    assert skips.held == {"after": ["broken"]}
    assert skips.ids == {"broken", "after"}
    assert skips.other_errors == 3  # the front matter's timer; the card without an id (twice)


def test_an_id_two_cards_have_is_left_out_with_both_and_what_requires_it(
    tmp_path: Path,
) -> None:
    """Which card the history kept under an id belongs to cannot be told when two cards have
    it (the first in file order may be a newcomer): neither is studied, the cards that require
    the id are held back, and the one notice says so."""
    write_deck(tmp_path / "a.md", "a", [("x", ""), ("needs-x", "requires: x\n")])
    write_deck(tmp_path / "b.md", "b", [("x", "")])
    skips = find_skips(load_collection([tmp_path]))
    assert [(Path(s.card.path).name, s.card.id, s.duplicate) for s in skips.skipped] == [
        ("b.md", "x", True)
    ]
    assert skips.ids == {"x", "needs-x"} and skips.held == {"needs-x": ["x"]}
    [notice] = skips.notices()
    assert notice.startswith("card 'x' is left out of study until it is fixed: ")
    assert "duplicate card id 'x' (first at " in notice
    assert notice.endswith(
        "; no card of that id is studied until one of them is renamed"
        "; the cards that require it are held back with it: 'needs-x'"
    )


def test_prerequisites_are_held_back_transitively_and_named_once(tmp_path: Path) -> None:
    cards = [("root", "requires: nowhere\n")]
    cards += [(f"c{n}", f"requires: {'root' if n == 0 else f'c{n - 1}'}\n") for n in range(7)]
    write_deck(tmp_path / "d.md", "d", cards)
    skips = find_skips(load_collection([tmp_path]), derived={"whole": ["c6"]})
    assert list(skips.held) == [f"c{n}" for n in range(7)] + ["whole"]
    [notice] = skips.notices()
    assert notice.endswith(
        "the cards that require it are held back with it: 'c0', 'c1', 'c2', 'c3', 'c4' and 3 more"
    )


def test_an_unreadable_file_is_one_notice(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text("no front matter\n\n## Card\nid: c\n\nQ?\n")
    skips = find_skips(load_collection([tmp_path]))
    assert skips.skipped == [] and len(skips.unreadable) == 1
    assert skips.notices()[0].endswith("; the file's cards are left out of study until it is fixed")


def test_a_new_version_of_a_deck_of_the_set_stands_in_for_it(tmp_path: Path) -> None:
    """A mentor's checkout of the shipped decks, checked with an installed tutor: each file is
    a new version of the shipped deck of its id (it keeps card ids), not a second copy."""
    shipped = tmp_path / "installed"
    shipped.mkdir()
    write_deck(shipped / "d.md", "d", [("d-1", ""), ("d-2", "")])
    write_deck(shipped / "e.md", "e", [("e-1", "requires: d-2\n")])
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    new = write_deck(checkout / "d.md", "d", [("d-1", ""), ("d-3", "")])  # d-2 removed, d-3 new
    named, rest = load_within([new], [shipped])
    assert messages(named.errors) == []
    assert [d.id for d in rest.decks] == ["e"]
    assert messages(rest.errors) == [
        ("e.md", 10, "card 'e-1' requires unknown card 'd-2'")
    ]  # the old version's card is gone: a card that required it is reported
    other = write_deck(checkout / "other.md", "d", [("x-1", "")])  # same deck id, other cards
    named, _ = load_within([other], [shipped])
    assert [m.split(" (")[0] for _, _, m in messages(named.errors)] == ["duplicate deck id 'd'"]
