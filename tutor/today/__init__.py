"""Today's session, for every front end: load the decks, pick today's card, run the sitting,
save what happened. `tutor study --plain` and the terminal UI both drive this package and hold
no study logic of their own, so they cannot drift apart.

    with Desk.open(settings) as desk, desk.studying():
        sitting = desk.next_sitting()     # None: nothing more today (see desk.next_card_at())
        sitting.submit("e^a e^b")         # judged in the checker's sandbox
        sitting.take_hint()               # raises Locked("hints unlock in 12:30")
        finished = sitting.finish()       # one transaction: review, memory, attempts
        desk.next_sitting(one_more=True)  # the day's cards done: one more, if the learner asks

Starting is cheap when the decks have not changed: their files' sizes and times are compared
with the last sync, the card to show is chosen from the database, and only its own file is read.
Progress of the card under study is saved after every action (`Sitting.save()` for the time in
between), so quitting, a crash or kill -9 resume the card where its timer was.

A whole proof (`tutor.study.proof`) is a card too: its sitting's `card` and `session` are the
step under study, `phase` is `Phase.STEP_DONE` between steps and `next_step()` goes on; its
progress, review and notes belong to the whole-proof card (`Sitting.card_id`).

The desk's parts, one job each, are listed in `tutor.today.desk`.
"""

from tutor.today.desk import Desk
from tutor.today.shelf import card_snapshot, proof_card_snapshot
from tutor.today.sitting import MAX_ANSWER, Finished, Note, NotSaved, RebuiltStep, Sitting

__all__ = [
    "MAX_ANSWER",
    "Desk",
    "Finished",
    "NotSaved",
    "Note",
    "RebuiltStep",
    "Sitting",
    "card_snapshot",
    "proof_card_snapshot",
]
