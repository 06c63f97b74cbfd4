"""The sync on opening skips when the deck files are as the last sync left them, and sees any
change to them: an edit, a file added (in a subfolder, a new folder), removed or renamed, a
symlinked deck file's target edited. A skipped sync still registers a learner new to the
database (and tells them when others study there) and reads what the last sync held back."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlmodel import select

from tutor.store import queries as q
from tutor.store.models import CardRow, MetaRow
from tutor.store.rows import META_CARD_ORDER
from tutor.today import Desk

from .conftest import DECK, DeskFactory

NEW_LEARNER = "new to this database"


def other_deck(deck_id: str, card_id: str) -> str:
    return (
        f"---\nid: {deck_id}\ntitle: {deck_id}\n---\n\n# {deck_id}\n\n## One\nid: {card_id}\n"
        "kind: fact\n\nWhat is $1 + 1$?\n\n### Answer\n$2$\n\n### Key ideas\n- counting\n\n"
        "### Why it matters\nCounting.\n"
    )


def active(desk: Desk) -> dict[str, str]:
    """The active cards and the deck file each is in, as the card table has them."""
    with desk.session() as session:
        rows = session.exec(select(CardRow).where(CardRow.retired == False))  # noqa: E712
        return {row.id: row.path for row in rows}


def reopened(open_desk: DeskFactory) -> Desk:
    """A desk opened again (it syncs on opening): the sync was not skipped."""
    desk = open_desk()
    assert desk.shelf.read, "the change was not seen"
    return desk


def shift_mtime(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))


def test_an_unchanged_deck_set_is_skipped_again_and_again(open_desk: DeskFactory) -> None:
    open_desk()
    for _ in range(3):
        desk = open_desk()
        assert not desk.shelf.read
        assert desk.sync().skipped
    desk.sync(force=True)
    assert desk.shelf.read


def test_an_edit_of_the_same_size_in_a_subfolder_is_seen(
    open_desk: DeskFactory, deck_dir: Path
) -> None:
    sub = deck_dir / "more" / "deeper"
    sub.mkdir(parents=True)
    (sub / "other.md").write_text(other_deck("other", "one"), encoding="utf-8")
    first = open_desk()
    assert "one" in active(first)
    path = sub / "other.md"
    edited = other_deck("other", "one").replace("$1 + 1$", "$1 + 2$").replace("$2$", "$3$")
    assert len(edited) == len(path.read_text(encoding="utf-8"))
    path.write_text(edited, encoding="utf-8")
    shift_mtime(path)
    desk = reopened(open_desk)
    assert desk.find_card("one") is not None


def test_a_file_added_in_a_new_folder_is_seen(open_desk: DeskFactory, deck_dir: Path) -> None:
    open_desk()
    (deck_dir / "new" / "nested").mkdir(parents=True)
    (deck_dir / "new" / "nested" / "other.md").write_text(
        other_deck("other", "one"), encoding="utf-8"
    )
    assert "one" in active(reopened(open_desk))


def test_a_file_removed_or_renamed_is_seen(open_desk: DeskFactory, deck_dir: Path) -> None:
    (deck_dir / "other.md").write_text(other_deck("other", "one"), encoding="utf-8")
    assert "one" in active(open_desk())
    (deck_dir / "other.md").rename(deck_dir / "renamed.md")
    assert active(reopened(open_desk))["one"] == str((deck_dir / "renamed.md").resolve())
    (deck_dir / "renamed.md").unlink()
    desk = reopened(open_desk)  # its cards keep their rows, out of this run's decks
    assert desk.scope() == [str((deck_dir / "mini.md").resolve())]
    assert not open_desk().shelf.read


def test_a_symlinked_deck_file_keeps_its_target_s_path_and_its_edits_are_seen(
    open_desk: DeskFactory, deck_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere" / "other.md"
    target.parent.mkdir()
    target.write_text(other_deck("other", "one"), encoding="utf-8")
    (deck_dir / "sub").mkdir()
    (deck_dir / "sub" / "linked.md").symlink_to(target)
    desk = open_desk()
    assert active(desk)["one"] == str(target.resolve())
    assert str(target.resolve()) in desk.scope()
    assert str((deck_dir / "mini.md").resolve()) in desk.scope()
    assert not open_desk().shelf.read
    target.write_text(other_deck("other", "one") + "\n", encoding="utf-8")
    reopened(open_desk)


def test_a_symlinked_folder_of_decks_names_the_files_it_holds(
    open_desk: DeskFactory, deck_dir: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real"
    shutil.move(deck_dir, real)
    deck_dir.symlink_to(real)  # the settings name the link
    desk = open_desk()
    assert active(desk)["double"] == str((real / "mini.md").resolve())
    assert desk.scope() == [str((real / "mini.md").resolve())]
    assert not open_desk().shelf.read


def test_a_database_without_the_order_new_cards_follow_is_synced_once_more(
    open_desk: DeskFactory,
) -> None:
    desk = open_desk()
    with desk.session() as session:
        order = q.get_meta(session=session, key=META_CARD_ORDER)
        assert order is not None
        session.delete(session.get(MetaRow, META_CARD_ORDER))
        session.commit()
    assert reopened(open_desk)
    assert not open_desk().shelf.read
    with desk.session() as session:  # an order of another deck set: not kept either
        q.set_meta(session=session, key=META_CARD_ORDER, value="0" * 64 + order[64:])
    assert reopened(open_desk)
    assert not open_desk().shelf.read


@pytest.mark.parametrize("skipped", [True, False], ids=["skipped", "synced"])
def test_a_learner_new_to_the_database_is_registered_and_told_once(
    open_desk: DeskFactory, deck_dir: Path, skipped: bool
) -> None:
    first = open_desk(learner="ada")
    assert not any(NEW_LEARNER in n for n in first.notices)  # alone on a new database
    if not skipped:
        (deck_dir / "mini.md").write_text(DECK + "\n", encoding="utf-8")
    grace = open_desk(learner="grace")
    assert grace.shelf.read is not skipped
    assert [n for n in grace.notices if NEW_LEARNER in n] == [
        "studying as learner 'grace', new to this database "
        "('tutor learners' lists everyone; --learner NAME to be someone else)"
    ]
    with grace.session() as session:
        names = [learner.name for learner in q.learner_summaries(session=session)]
    assert {"ada", "grace"} <= set(names)
    again = open_desk(learner="grace")
    assert not again.shelf.read
    assert not any(NEW_LEARNER in n for n in again.notices)
