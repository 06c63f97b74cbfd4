"""How cards fare with every learner of the database, for mentors: `tutor report` and the deck
browser's mentor line.

    report = build_report(desk, ["mini"], since=date(2026, 3, 1))
    report.to_json()      # {"cards": [{"id", "deck", "learners", "attempts", ...}]}
    render_text(report)   # a table per card, 80 columns, cleaned of terminal controls

This is the one view across learners: its figures come from `tutor.store.report`, whose
queries read every learner's rows on purpose (the desk's learner does not matter here).

Per card, in the window (`since`: attempts and notes made, reviews of study days, from that
study day on):

- `learners`: distinct learners with an attempt or a review of it;
- `attempts`: answers submitted;
- `first_try_success`: the share of its sittings with a machine-judged answer in which the
  first such answer was correct (None: none);
- `hints`, `reveals`: hints used and answers shown in its reviews;
- `median_seconds_to_correct`: the median active seconds (time on the card, the confusion timer's
  clock) at the first correct answer, over the sittings that had one;
- `wrong_answers`: the most frequent incorrect answers, grouped by how the checker read them
  (`read_as`, or the text typed when it kept no reading), each with a suggested `mistake:` line
  when the card's check block does not cover it yet;
- `notes`: the confusion notes, newest first.

Whole proofs: a whole-proof card (`proof:<id>`) is reported on its own row (its sittings'
learners, attempts, reviews, hints, reveals and notes; a first try when every step was right at
the first answer; the seconds summed over its steps). The answers given in its sittings are ALSO
counted under the step they answered (`attempt.step`): a step's attempts, first tries, times and
wrong answers include them, since the step's own check block judged them, and its `mistake:`
suggestions go there. Hints and reveals stay with the whole-proof card.

Cards are sorted by trouble (see `CardReport.trouble`), then by attempts, then in deck order.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tutor.check.clean import strip_controls

if TYPE_CHECKING:
    from tutor.deck.model import Card, Collection, Deck
    from tutor.store.report import CardActivity, LearnerNote, WrongAnswer
    from tutor.today import Desk

WRONG_PER_CARD = 5
"""The most frequent wrong answers listed for each card."""

PLACEHOLDER = "TODO: say what this answer gets wrong"
"""The message of a suggested `mistake:` line, for the mentor to write (learners would see it:
replace it before sharing the deck)."""

HINT_WEIGHT = 0.5
"""What a hint weighs in the trouble score, against a first-try miss or a reveal."""


class UnknownDeck(ValueError):
    """A deck id that is not in the deck set."""


# -- what the report holds ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WrongAnswerLine:
    """A wrong answer as reported: one line of clean text, how often and by how many learners
    it was given, and the `mistake:` line to add for it (None: the check block covers it, or
    no line can be suggested)."""

    read_as: str
    count: int
    learners: int
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class NoteLine:
    """A confusion note as reported: its text cleaned, who wrote it and on which study day."""

    learner: str
    day: date
    written_at: datetime
    text: str
    resolved: bool


@dataclass(frozen=True)
class CardReport:
    card_id: str
    deck_id: str
    title: str
    order: int
    """The card's place in the deck set: ties in trouble keep the decks' order."""
    whole_proof: bool = False
    learners: int = 0
    attempts: int = 0
    reviews: int = 0
    hints: int = 0
    reveals: int = 0
    sittings: int = 0
    """Sittings with a machine-judged answer: what `first_try_success` is over."""
    first_tries: int = 0
    median_seconds: float | None = None
    wrong_answers: tuple[WrongAnswerLine, ...] = ()
    notes: tuple[NoteLine, ...] = ()

    @property
    def first_try_success(self) -> float | None:
        return self.first_tries / self.sittings if self.sittings else None

    @property
    def misses(self) -> int:
        """Sittings whose first judged answer was not right."""
        return self.sittings - self.first_tries

    @property
    def trouble(self) -> float:
        """How much the card troubles learners: first-try misses + reveals + hints / 2.

        Counts, not rates: one miss by the one learner who met a card weighs less than forty
        misses in a hundred sittings, so the cards first in the list are where the most
        learner-time went wrong, which is where a mentor's edit helps most. A miss is the
        plainest sign of trouble (that is 1 − first-try success weighted by the sittings); a
        reveal is a sitting the learner could not finish, so it weighs one more; a hint is help
        the timer hands out by design, so it weighs half."""
        return self.misses + self.reveals + HINT_WEIGHT * self.hints

    @property
    def active(self) -> bool:
        """Anything happened to it in the window."""
        return bool(self.learners or self.attempts or self.reviews or self.notes)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.card_id,
            "deck": self.deck_id,
            "learners": self.learners,
            "attempts": self.attempts,
            "first_try_success": self.first_try_success,
            "hints": self.hints,
            "reveals": self.reveals,
            "median_seconds_to_correct": self.median_seconds,
            "wrong_answers": [
                {
                    "read_as": wrong.read_as,
                    "count": wrong.count,
                    "learners": wrong.learners,
                    "suggestion": wrong.suggestion,
                }
                for wrong in self.wrong_answers
            ],
            "notes": [note.text for note in self.notes],
            "title": self.title,
            "whole_proof": self.whole_proof,
            "reviews": self.reviews,
            "sittings": self.sittings,
            "trouble": self.trouble,
        }


@dataclass(frozen=True)
class Report:
    decks: tuple[str, ...]
    since: date | None
    cards: tuple[CardReport, ...]
    """Every card of the decks, the most troubling first; those without activity last."""

    def to_json(self) -> dict[str, Any]:
        return {"cards": [card.to_json() for card in self.cards]}

    @property
    def active(self) -> list[CardReport]:
        return [card for card in self.cards if card.active]


# -- building it -------------------------------------------------------------------------------


def chosen_decks(collection: Collection, deck_ids: Sequence[str] = ()) -> list[Deck]:
    """The decks named (every deck when none is), in the deck set's order. Raises UnknownDeck
    for an id that is not there, naming the closest one."""
    import difflib

    known = {deck.id: deck for deck in collection.decks}
    for deck_id in deck_ids:
        if deck_id not in known:
            close = difflib.get_close_matches(deck_id, list(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else " ('tutor deck list' lists them)"
            raise UnknownDeck(f"no deck '{strip_controls(deck_id)}' in the deck set{hint}")
    if not deck_ids:
        return list(collection.decks)
    wanted = set(deck_ids)
    return [deck for deck in collection.decks if deck.id in wanted]


def _cards_of(decks: Sequence[Deck]) -> list[tuple[str, Deck, Card | None]]:
    """(card id, its deck, the card; None for a whole-proof card) in the decks' order, each id
    once: the rows are kept by id, so a second card of an id (a duplicate, which the linter
    reports) would count the same activity twice."""
    from tutor.study.proof import MIN_STEPS, proof_card_id

    cards: dict[str, tuple[str, Deck, Card | None]] = {}
    for deck in decks:
        for card in deck.cards:
            cards.setdefault(card.id, (card.id, deck, card))
        if deck.is_proof and len(deck.cards) >= MIN_STEPS:
            cards.setdefault(proof_card_id(deck.id), (proof_card_id(deck.id), deck, None))
    return list(cards.values())


def build_report(
    desk: Desk,
    deck_ids: Sequence[str] = (),
    since: date | None = None,
    *,
    suggest: bool = True,
    per_card: int = WRONG_PER_CARD,
) -> Report:
    """The report on the cards of the decks `deck_ids` (every deck of the desk's deck set when
    empty), counting what happened from study day `since` on (None: from the start).
    `suggest`: judge the frequent wrong answers against the card's check block to suggest the
    `mistake:` lines it lacks (through the desk's checker, in its sandbox); without it, only the
    lines the block visibly covers (same reading) are left out."""
    from tutor.store.report import Window, card_activity, learner_notes, wrong_answers

    decks = chosen_decks(desk.collection(), deck_ids)
    cards = _cards_of(decks)
    start = desk.day_bounds(since)[0] if since is not None else None
    window = Window([card_id for card_id, _, _ in cards], since=start, since_day=since)
    with desk.session() as session:
        activity = card_activity(session=session, window=window)
        wrongs = wrong_answers(session=session, window=window, per_card=2 * per_card)
        notes = learner_notes(session=session, window=window)
    reports = []
    for order, (card_id, deck, card) in enumerate(cards):
        figures = activity.get(card_id)
        lines = _merged(wrongs.get(card_id, []))[:per_card]
        if card is not None and lines:
            lines = _with_suggestions(desk, card, lines, judge=suggest)
        said = [_note(desk, note) for note in notes.get(card_id, [])]
        reports.append(_card_report(card_id, deck, card, order, figures, lines, said))
    reports.sort(key=lambda c: (not c.active, -c.trouble, -c.attempts, c.order))
    return Report(tuple(deck.id for deck in decks), since, tuple(reports))


def _card_report(
    card_id: str,
    deck: Deck,
    card: Card | None,
    order: int,
    figures: CardActivity | None,
    wrongs: list[WrongAnswerLine],
    notes: list[NoteLine],
) -> CardReport:
    from tutor.deck.text import inline_to_text

    if card is None:
        title = f"{inline_to_text(deck.title) or strip_controls(deck.id)} (whole proof)"
    else:
        title = inline_to_text(card.title) or strip_controls(card.id)
    base = CardReport(
        card_id=strip_controls(card_id),
        deck_id=strip_controls(deck.id),
        title=_one_line(title),
        order=order,
        whole_proof=card is None,
        wrong_answers=tuple(wrongs),
        notes=tuple(notes),
    )
    if figures is None:
        return base
    # every figure the store counted, under the same name
    counted = {f.name: getattr(figures, f.name) for f in fields(figures) if f.name != "card_id"}
    return replace(base, **counted)


def _one_line(text: str) -> str:
    """Untrusted text as one line: terminal controls removed, every run of spaces, tabs and
    newlines made one space."""
    return " ".join(strip_controls(text).split())


def _merged(found: list[WrongAnswer]) -> list[WrongAnswerLine]:
    """The wrong answers as one clean line each; answers that differed only by what cleaning
    removes are one line (their counts added, their learners the larger: a lower bound)."""
    merged: dict[str, WrongAnswerLine] = {}
    for wrong in found:
        text = _one_line(wrong.read_as)
        if not text:
            continue
        kept = merged.get(text)
        if kept is None:
            merged[text] = WrongAnswerLine(text, wrong.count, wrong.learners)
        else:
            merged[text] = WrongAnswerLine(
                text, kept.count + wrong.count, max(kept.learners, wrong.learners)
            )
    return sorted(merged.values(), key=lambda w: (-w.count, w.read_as))


def _note(desk: Desk, note: LearnerNote) -> NoteLine:
    from tutor.study.days import study_day

    return NoteLine(
        learner=_one_line(note.learner),
        day=study_day(note.written_at, desk.zone, desk.settings.day_starts_at),
        written_at=note.written_at,
        text=strip_controls(note.text).strip(),
        resolved=note.resolved,
    )


# -- suggested `mistake:` lines ----------------------------------------------------------------


def _with_suggestions(
    desk: Desk, card: Card, wrongs: list[WrongAnswerLine], *, judge: bool
) -> list[WrongAnswerLine]:
    """Each wrong answer with the `mistake:` line to add for it, unless the card's check block
    covers it already: a `mistake:` or `reject:` line whose answer reads the same, or (`judge`)
    a `mistake:` line the checker matches it with (an answer of the same value), as a learner
    giving it today would be told. None for a card without a check block, or with drawn numbers
    (its learners' answers were to other values than the block's)."""
    from tutor.deck.inputs import has_inputs

    if card.check is None or has_inputs(card):
        return wrongs
    from tutor.check.spec import CheckSpec

    try:
        spec = CheckSpec.from_pairs(card.check.pairs())
    except ValueError:
        return wrongs
    readings = _readings(spec)
    messages = {strip_controls(line.partition("=>")[2].strip()) for line in spec.mistake}
    out = []
    for wrong in wrongs:
        covered = _key(wrong.read_as) in readings
        if not covered and judge and spec.mistake:
            covered = _matched(desk, spec, wrong.read_as, messages)
        suggestion = None
        if not covered and "=>" not in wrong.read_as:
            suggestion = f"mistake: {wrong.read_as} => {PLACEHOLDER}"
        out.append(replace(wrong, suggestion=suggestion))
    return out


def _key(text: str) -> str:
    return "".join(text.split())


def _readings(spec: Any) -> set[str]:
    """The answers of the block's `mistake:` and `reject:` lines as written and as the checker
    reads them (spaces ignored)."""
    from tutor.check.printer import to_text
    from tutor.check.problem import Problem

    answers = [line.partition("=>")[0].strip() for line in spec.mistake] + list(spec.reject)
    if not answers:
        return set()
    problem = Problem(spec)
    readings: set[str] = set()
    for answer in answers:
        readings.add(_key(answer))
        try:
            node, _ = problem.read(answer)
            readings.add(_key(to_text(node)))
        except Exception:  # a line the checker cannot read: kept as written only
            continue
    return readings


def _matched(desk: Desk, spec: Any, answer: str, messages: set[str]) -> bool:
    """The checker tells `answer` one of the block's mistake messages."""
    try:
        verdict = desk.checker().judge(spec, answer)
    except Exception:
        return False
    return verdict.verdict == "incorrect" and verdict.feedback in messages


# -- as text -----------------------------------------------------------------------------------


def seconds_text(seconds: float | None) -> str:
    """`42 s`, `3 min 5 s`, `1 h 2 min` (— when None)."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def rate_text(card: CardReport) -> str:
    """`50% (1 of 2)`, or — when no sitting had a judged answer."""
    rate = card.first_try_success
    if rate is None:
        return "—"
    return f"{rate:.0%} ({card.first_tries} of {card.sittings})"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_text(report: Report, width: int = 80, notes_per_card: int = 10) -> str:
    """The report as plain text at `width` columns: a heading, then a block per card with
    activity, the most troubling first. Every untrusted piece (answers, notes, names) is
    cleaned of terminal controls and made one line (a note is wrapped)."""
    width = max(width, 40)
    active = report.active
    since = f"since {report.since.isoformat()}" if report.since else "from the start"
    decks = ", ".join(report.decks) if len(report.decks) <= 3 else f"{len(report.decks)} decks"
    out = [_cut(f"How the cards of {decks or 'no decks'} fare with every learner, {since}", width)]
    if active:
        out.append(f"{len(active)} of {len(report.cards)} cards studied, the most troubling first")
        out += textwrap.wrap(
            "trouble = first-try misses + reveals + hints/2; to correct: the median active "
            "time to the first correct answer",
            width=width,
        )
    else:
        out.append("No card of these decks was studied in that time.")
    for card in active:
        out.append("")
        out += _card_block(card, width, notes_per_card)
    return "\n".join(strip_controls(line) for line in out)


def _card_block(card: CardReport, width: int, notes_per_card: int) -> list[str]:
    trouble = f"trouble {card.trouble:g}"
    head = f"{card.card_id} · {card.title} ({card.deck_id})"
    lines = [f"{_cut(head, width - len(trouble) - 2):<{width - len(trouble) - 2}}  {trouble}"]
    columns = [
        ("learners", str(card.learners)),
        ("attempts", str(card.attempts)),
        ("reviews", str(card.reviews)),
        ("first try", rate_text(card)),
        ("hints", str(card.hints)),
        ("reveals", str(card.reveals)),
        ("to correct", seconds_text(card.median_seconds)),
    ]
    sizes = [max(len(name), len(value)) for name, value in columns]
    lines.append("  " + "  ".join(f"{n:>{s}}" for (n, _), s in zip(columns, sizes, strict=True)))
    lines.append("  " + "  ".join(f"{v:>{s}}" for (_, v), s in zip(columns, sizes, strict=True)))
    lines = [_cut(line, width) for line in lines]
    if card.wrong_answers:
        counts = "count  learners"
        room = width - 4 - len(counts) - 2
        lines.append(f"  {'wrong answers, as read':<{room + 2}}  {counts}")
        for wrong in card.wrong_answers:
            lines.append(
                f"    {_cut(wrong.read_as, room):<{room}}  {wrong.count:>5}  {wrong.learners:>8}"
            )
        suggested = [w.suggestion for w in card.wrong_answers if w.suggestion]
        if suggested:
            lines.append("  suggested for the check block (write each message):")
            lines += [f"    {_cut(line, width - 4)}" for line in suggested]
    if card.whole_proof and card.attempts:
        lines.append("  wrong answers of whole-proof sittings are listed under their steps")
    if card.notes:
        lines.append("  notes")
        for note in card.notes[:notes_per_card]:
            resolved = " (resolved)" if note.resolved else ""
            lead = f"{note.day.isoformat()} {note.learner}{resolved}: "
            text = _cut(" ".join(note.text.split()), 600)
            wrapped = textwrap.wrap(
                lead + text,
                width=width - 4,
                subsequent_indent="  ",
                break_long_words=True,
                break_on_hyphens=False,
            )
            lines += [f"    {line}" for line in wrapped]
        if len(card.notes) > notes_per_card:
            more = len(card.notes) - notes_per_card
            lines.append(f"    and {more} more (--json lists them all)")
    return lines


def figures_line(card: CardReport) -> str:
    """The card's figures on one line, for the deck browser."""
    if not card.active:
        return "nobody has studied this card yet."
    parts = [
        f"{card.learners} learner{'' if card.learners == 1 else 's'}",
        f"{card.attempts} attempt{'' if card.attempts == 1 else 's'}",
        f"first try {rate_text(card)}",
        f"hints {card.hints}",
        f"reveals {card.reveals}",
        f"to correct {seconds_text(card.median_seconds)}",
    ]
    if card.notes:
        parts.append(f"{len(card.notes)} note{'' if len(card.notes) == 1 else 's'}")
    return " · ".join(parts)


def wrong_line(card: CardReport) -> str:
    """The card's most frequent wrong answers on one line (empty: none)."""
    if not card.wrong_answers:
        return ""
    return "wrong: " + ", ".join(
        f"{_cut(w.read_as, 24)} ×{w.count}" for w in card.wrong_answers[:3]
    )


__all__ = [
    "CardReport",
    "NoteLine",
    "Report",
    "UnknownDeck",
    "WrongAnswerLine",
    "build_report",
    "chosen_decks",
    "figures_line",
    "rate_text",
    "render_text",
    "seconds_text",
    "wrong_line",
]
