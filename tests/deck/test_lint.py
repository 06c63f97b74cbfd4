"""Rules across the collection: duplicates across files, unknown and cyclic prerequisites."""

from __future__ import annotations

from pathlib import Path

from tutor.deck.loader import find_deck_files, load_collection, summarize

CARD = "## {title}\nid: {id}\n{extra}\nQ?\n\n### Answer\nA\n\n### Key ideas\n- k\n\n"


def write_deck(path: Path, deck_id: str, cards: list[tuple[str, str]], front: str = "") -> Path:
    body = "".join(CARD.format(title=c.title(), id=c, extra=extra) for c, extra in cards)
    path.write_text(f"---\nid: {deck_id}\ntitle: {deck_id}\n{front}---\n\n# T\n\n{body}")
    return path


def test_cycles_are_reported_once_with_their_path(fixtures: Path) -> None:
    collection = load_collection([fixtures / "broken" / "cycle.md"])
    assert [(p.line, p.message) for p in collection.errors] == [
        (10, "prerequisites form a cycle: cycle-a → cycle-c → cycle-b → cycle-a"),
        (46, "card 'cycle-self' requires itself"),
    ]


def test_duplicates_across_files_and_decks(tmp_path: Path) -> None:
    write_deck(tmp_path / "a.md", "same", [("x", ""), ("y", "")])
    write_deck(tmp_path / "b.md", "same", [("y", "")])
    collection = load_collection([tmp_path])
    messages = [
        (p.path.split("/")[-1], p.line, p.message.split(" (")[0]) for p in collection.errors
    ]
    assert messages == [
        ("b.md", 1, "duplicate deck id 'same'"),
        ("b.md", 8, "duplicate card id 'y'"),
    ]


def test_prerequisites_may_live_in_the_context(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    write_deck(base / "base.md", "base", [("root", "")])
    mine = write_deck(tmp_path / "mine.md", "mine", [("leaf", "requires: root\n")])
    alone = load_collection([mine])
    assert [p.message for p in alone.errors] == ["card 'leaf' requires unknown card 'root'"]
    with_context = load_collection([mine], context=[base])
    assert with_context.errors == []


def test_proof_front_matter_requires_is_checked_once(tmp_path: Path) -> None:
    write_deck(
        tmp_path / "p.md",
        "p",
        [("p-1", ""), ("p-2", "")],
        front="kind: proof\nrequires: [missing]\n",
    )
    collection = load_collection([tmp_path])
    assert [(p.line, p.message) for p in collection.errors] == [
        (5, "proof 'p' requires unknown card 'missing'")
    ]


def test_long_chains_do_not_recurse(tmp_path: Path) -> None:
    n = 3000
    cards = [(f"c{i}", f"requires: c{i - 1}\n" if i else "") for i in range(n)]
    write_deck(tmp_path / "chain.md", "chain", cards)
    collection = load_collection([tmp_path])
    assert collection.errors == [] and len(collection.cards) == n
    cards[0] = ("c0", f"requires: c{n - 1}\n")
    write_deck(tmp_path / "chain.md", "chain", cards)
    errors = load_collection([tmp_path]).errors
    assert len(errors) == 1 and errors[0].message.startswith("prerequisites form a cycle: c0 → ")


def test_find_files_skips_readmes_and_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# about")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("x")
    write_deck(tmp_path / "d.md", "d", [("c", "")])
    files, problems = find_deck_files([tmp_path, tmp_path / "d.md"])
    assert [f.name for f in files] == ["d.md"] and problems == []


def test_summary_counts(fixtures: Path) -> None:
    collection = load_collection([fixtures / "good"])
    assert summarize(collection.decks) == {
        "decks": 1,
        "cards": 4,
        "checkable": 3,
        "self_assessed": 1,
        "proofs": 1,
        "steps": 2,
    }


def test_a_proof_that_requires_one_of_its_own_steps_is_an_error(tmp_path: Path) -> None:
    """A proof's prerequisites are its first step's: naming one of its own steps there makes
    that step wait for itself (or a later one), and the proof is never offered."""
    for own in ("p-0", "p-1"):
        folder = tmp_path / own
        folder.mkdir()
        write_deck(
            folder / "p.md", "p", [("p-0", ""), ("p-1", "")], f"kind: proof\nrequires: [{own}]\n"
        )
        collection = load_collection([folder])
        messages = [p.message for p in collection.errors]
        assert messages[0] == f"proof 'p' requires its own step '{own}'"
        # the first step waiting for itself is no cycle of two; waiting for the next one is
        assert messages[1:] == (
            [] if own == "p-0" else ["prerequisites form a cycle: p-0 → p-1 → p-0"]
        )


def test_a_decks_front_matter_requires_is_ignored_with_a_warning(tmp_path: Path) -> None:
    """Front-matter `requires` is a proof's (its first step's prerequisites): in a plain deck it
    does nothing, which the author is told, and its ids are not checked as if it did."""
    write_deck(tmp_path / "d.md", "d", [("d-1", "")], front="requires: x-nope\n")
    collection = load_collection([tmp_path])
    assert collection.errors == []
    assert [(p.line, p.message) for p in collection.problems] == [
        (
            4,
            "front-matter 'requires' is for a proof (its first step's prerequisites) and is "
            "ignored in a deck: put 'requires:' under each card that needs it",
        )
    ]
    assert [card.requires for card in collection.cards] == [[]]
