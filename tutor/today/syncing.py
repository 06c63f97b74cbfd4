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

_KEYS = (META_DECK_FILES, META_HELD_BACK)  # the meta values the check reads


def sync(
    place: Place, shelf: Shelf, now: datetime, notices: list[str], *, force: bool = False
) -> SyncReport:
    """Bring the database's card table up to date with the decks of `shelf`. Skipped when the
    files are as at the last sync (and the order new cards follow was stored by it: a database
    synced by an earlier release is synced once more). A learner new to the database is
    registered, and told so when others study there. When nothing changed, that is one listing
    of each deck folder, a stat of each file and one statement (`queries.sync_check_of`)."""
    fingerprint = shelf.fingerprint()
    check = q.sync_check_of(place.engine, place.learner, _KEYS, place.held)
    if check.registered and not force and _unchanged(check, fingerprint):
        return _skipped(shelf, check)
    with place.session() as session:  # as the check found it, or changed since: asked again
        check = q.sync_check(session=session, keys=_KEYS)
        if not check.registered:
            if q.ensure_learner(session=session, now=now):
                summaries = q.learner_summaries(session=session)
                if any(other.name != place.learner for other in summaries):
                    notices.append(
                        f"studying as learner '{place.learner}', new to this database "
                        "('tutor learners' lists everyone; --learner NAME to be someone else)"
                    )
            check = q.sync_check(session=session, keys=_KEYS)  # as the write left it
        if not force and _unchanged(check, fingerprint):
            return _skipped(shelf, check)
        snapshots = shelf.snapshots()
        report = q.sync_cards(session=session, cards=snapshots, now=now, files=shelf.scope())
        held = shelf.held_value()
        if held != (q.get_meta(session=session, key=META_HELD_BACK) or ""):
            q.set_meta(session=session, key=META_HELD_BACK, value=held)
        q.set_meta(session=session, key=META_DECK_FILES, value=fingerprint)
    return report


def _unchanged(check: q.SyncCheck, fingerprint: str) -> bool:
    """The deck files are as at the last sync, which stored the order new cards follow."""
    return check.meta[META_DECK_FILES] == fingerprint and check.order_kept


def _skipped(shelf: Shelf, check: q.SyncCheck) -> SyncReport:
    if not shelf.held_known:  # what the last sync kept out of study, and why
        shelf.stored_held(check.meta[META_HELD_BACK])
    return SyncReport(skipped=True)
