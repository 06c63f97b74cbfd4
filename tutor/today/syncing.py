"""The card table brought up to date with the decks: once after they change, skipped after a
stat of each file when they did not. It loads the store's modules: the desk imports it on its
first sync."""

from __future__ import annotations

from datetime import datetime

from tutor.held import META_HELD_BACK
from tutor.store import queries as q
from tutor.store.identity import META_DECK_FILES
from tutor.store.queries import SyncReport
from tutor.today.place import Place
from tutor.today.shelf import Shelf


def sync(
    place: Place, shelf: Shelf, now: datetime, notices: list[str], *, force: bool = False
) -> SyncReport:
    """Bring the database's card table up to date with the decks of `shelf`. Skipped when the
    files are as at the last sync (and the order new cards follow was stored by it: a database
    synced by an earlier release is synced once more). A learner new to the database is
    registered, and told so when others study there."""
    fingerprint = shelf.fingerprint()
    with place.session() as session:
        if q.ensure_learner(session=session, now=now):
            summaries = q.learner_summaries(session=session)
            if any(other.name != place.learner for other in summaries):
                notices.append(
                    f"studying as learner '{place.learner}', new to this database "
                    "('tutor learners' lists everyone; --learner NAME to be someone else)"
                )
        if (
            not force
            and q.get_meta(session=session, key=META_DECK_FILES) == fingerprint
            and q.card_order_kept(session=session)
        ):
            if not shelf.held_known:  # what the last sync kept out of study, and why
                shelf.stored_held(q.get_meta(session=session, key=META_HELD_BACK))
            return SyncReport(skipped=True)
        snapshots = shelf.snapshots()
        report = q.sync_cards(session=session, cards=snapshots, now=now, files=shelf.scope())
        held = shelf.held_value()
        if held != (q.get_meta(session=session, key=META_HELD_BACK) or ""):
            q.set_meta(session=session, key=META_HELD_BACK, value=held)
        q.set_meta(session=session, key=META_DECK_FILES, value=fingerprint)
    return report
