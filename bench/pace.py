"""The pace of the daily plan: a year of study simulated through the real `Desk`, with a clock
the simulation moves and a temporary SQLite database, on the shipped decks and proofs.

    python bench/pace.py [--seeds 10] [--days 365] [--jobs N] [--learners default,harder]
                         [--reviews-per-day N] [--sweep] [--whole-as-new]

Each study day the learner opens the desk (`sync`), takes every card `next_sitting` offers and
works it as the front ends do (`submit`, `take_hint`, `reveal`, `compare`, `assess`, a whole
proof's `next_step`, then `finish`); the checker is not run, the simulated learner's answers
come with their verdict. The recall model:

- a review is reconstructed (Good) with the probability FSRS gives, the card's retrievability
  when it is shown, else the answer is revealed (Again);
- a new card is Good 60% of the time, Hard (after a hint) 20%, Again 20%;
- the harder learner: reviews succeed with probability R² (0.81 where FSRS predicts 0.9, a
  memory that fades faster than the default parameters say), new cards are Good 40%, Hard 20%,
  Again 40%;
- a whole proof (`tutor.study.proof`), the first time: each step is rebuilt with the
  probability the learner recalls that step's own card at that moment, else its answer is
  revealed (so the proof is Good only if every step is recalled); when it comes back, it is
  rebuilt with the probability its own card's retrievability gives, else one step, drawn at
  random, is revealed.

FSRS's fuzz is on, seeded with the run's seed, as every random draw is. Two plans side by side:
the new one (the settings' defaults: `new_per_day`, `reviews_per_day`; new cards in the
prerequisite graph's order) and the old one (one card a day, reviews first, new cards in file
order: `DayPlan.before_december_2026()`, reachable only from code).

Printed for each plan and learner, per calendar month (means over the seeds): new cards and
reviews in the month, cards a day (mean, and the largest of any day of any seed), the backlog
(reviews due by the end of a day and not shown that day: the mean at the end of each day), and
the mean retrievability of the learned cards each morning (whole proofs included); then the day
all the shipped cards have been introduced, and the day each proof was first rebuilt whole (its
whole-proof card rated Good or Easy). A whole-proof sitting counts as one card of its day (its
first sitting comes apart from the day's new card: `DayPlan.wholes`). `--sweep` tries several
limits of reviews a day instead (the figures behind `reviews_per_day`'s default).

Every sitting goes through the store as in the tutor (about 10 ms each), so a year of the new
plan takes 12 to 20 s: the default 10 seeds take about 6 minutes on two cores, progress on
standard error; `--seeds 30` about 18, `--whole-as-new` half as long again, `--sweep` about 10
minutes a learner at 10 seeds.

Why `reviews_per_day` defaults to 10: `REVIEWS_PER_DAY_WHY` below, printed with `--sweep`. Why
a whole proof comes on top of the day's new card rather than taking its place:
`WHOLE_PROOF_WHY`, printed with `--whole-as-new`, which simulates the other way too.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tutor.check.verdict import Verdict
from tutor.config import load_settings
from tutor.deck.model import Collection
from tutor.store.engine import open_store
from tutor.store.queries import memory_states
from tutor.store.rows import MemoryState
from tutor.study.clock import ManualClock
from tutor.study.queue import REVIEWS_PER_DAY, DayPlan
from tutor.study.schedule import Memory, Rating, retrievability
from tutor.study.session import Phase
from tutor.today import Desk, Sitting

START = datetime(2027, 1, 1, 8, 0, tzinfo=UTC)
"""The first study day, a Friday; each study day begins at 08:00 UTC."""
CORRECT = Verdict("correct")
WRONG = Verdict("incorrect")

REVIEWS_PER_DAY_WHY = """\
Why reviews_per_day = 10 (the sweep, 10 seeds, a year each):

learner  limit   cards/day  max  backlog  recall  all introduced
default      6       3.09     7     0.3    0.953         day 111
default      8       3.17     9     0.1    0.954         day 111
default     10       3.21    11     0.0    0.954         day 111
default   none       3.21    15     0      0.954         day 111
harder       6       6.12     7    44.9    0.829         day 118
harder       8       7.52     9    15.1    0.889         day 113
harder      10       7.89    11     4.5    0.904         day 114
harder      12       8.42    13     1.1    0.909         day 114
harder    none       8.36    23     0      0.911         day 111

(Measured on 111 cards, before whole proofs, which come on top of the day's new card and so
do not delay the cards; see --whole-as-new.)

10 is the largest limit that keeps every day under 12 cards (the new card and 10 reviews). The
default learner almost never reaches it: no backlog, the same recall as with no limit, while
without one the busiest days have 15 cards. A learner who forgets faster does reach it in the
busy months (reviews wait a day or two, the most likely forgotten first) and still keeps a mean
recall of 0.90, where 8 lets the backlog grow to 15 cards and 6 to 45."""


WHOLE_PROOF_WHY = """\
Why a whole proof comes on top of the day's new card (10 seeds, a year each, 140 cards and 9
proofs; "as new": its first sitting takes the day's new card instead; steps: a day's work with a
whole proof counted as its steps):

learner  whole proof  all introduced  1st proof  cards/day  max  max steps  days > 12 steps
default  apart               day 140     day 14       4.21   12         19             14.1
default  as new              day 148     day 14       4.27   11         19             11.8
harder   apart               day 146     day 16       9.65   12         23            143.9
harder   as new              day 150     day 16       9.57   11         21            137.9

A whole proof rebuilds what the learner has met; it is not new material. Taking the day's new
card, each proof holds the curriculum back a day (every card 8 days later by the shipped
proofs), as reviews would if they shared the new card's limit, which the daily plan exists to
prevent. On top of it, a day has at most one more item: the busiest day has 12 cards instead of
11 (the targets' limit), the largest day's work in steps is the same for the default learner
(23 and 21 for the harder one), and the first whole proof comes on the same day. Either way a
whole proof waits for a study day none of its steps is studied on (a few days after the last
one is learned), so that it is not rebuilt from a step seen minutes before."""


# -- the learner -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Learner:
    name: str
    new: tuple[float, float, float]
    """Probabilities of Good, Hard and Again for a new card."""
    recall: Callable[[float], float]
    """The probability of reconstructing a review, from FSRS's retrievability."""


def _as_predicted(r: float) -> float:
    return r


def _faster_forgetting(r: float) -> float:
    return r * r


LEARNERS = {
    "default": Learner(
        "recall as FSRS predicts; new cards 60/20/20", (0.6, 0.2, 0.2), _as_predicted
    ),
    "harder": Learner("recall R²; new cards 40/20/40", (0.4, 0.2, 0.4), _faster_forgetting),
}


def rating_for(sitting: Sitting, learner: Learner, rng: random.Random, now: datetime) -> Rating:
    draw = rng.random()
    if sitting.memory is not None:
        state = sitting.memory
        memory = Memory(
            state.state,
            state.step,
            state.stability,
            state.difficulty,
            state.due,
            state.last_review,
        )
        return Rating.GOOD if draw < learner.recall(retrievability(memory, now)) else Rating.AGAIN
    good, hard, _ = learner.new
    if draw < good:
        return Rating.GOOD
    return Rating.HARD if draw < good + hard else Rating.AGAIN


def whole_proof_ratings(
    sitting: Sitting,
    learner: Learner,
    rng: random.Random,
    now: datetime,
    states: dict[str, MemoryState],
) -> list[Rating]:
    """How each step of a whole proof goes (Good or Again), by the recall model above."""
    steps = [card.id for card in sitting.deck.cards]
    if sitting.memory is not None:  # it comes back: as FSRS predicts the whole proof
        if rng.random() < learner.recall(retrievability(_memory(sitting.memory), now)):
            return [Rating.GOOD] * len(steps)
        missed = rng.randrange(len(steps))
        return [Rating.AGAIN if n == missed else Rating.GOOD for n in range(len(steps))]
    ratings = []
    for step in steps:
        recall = learner.recall(retrievability(_memory(states[step]), now)) if step in states else 0
        ratings.append(Rating.GOOD if rng.random() < recall else Rating.AGAIN)
    return ratings


def _memory(state: MemoryState) -> Memory:
    return Memory(
        state.state, state.step, state.stability, state.difficulty, state.due, state.last_review
    )


def work_whole_proof(sitting: Sitting, clock: ManualClock, ratings: Sequence[Rating]) -> None:
    """Work a whole proof step by step, each step to its outcome in `ratings`."""
    for rating in ratings:
        work(sitting, clock, rating)
        if sitting.phase is Phase.STEP_DONE:
            sitting.next_step()
    assert sitting.phase is Phase.DONE


def work(sitting: Sitting, clock: ManualClock, rating: Rating) -> None:
    """Work the card as a learner at the terminal would, to the outcome `rating`."""
    card, session = sitting.card, sitting.session
    if rating is Rating.AGAIN:
        clock.advance(session.remaining())
        sitting.reveal()
        return
    if rating is Rating.HARD:
        clock.advance(session.remaining())
        if card.hints:
            sitting.take_hint()
        elif card.checkable:  # two wrong guesses first: at most Hard
            sitting.submit("a guess", WRONG)
            sitting.submit("another guess", WRONG)
    else:
        clock.advance(90)
    if card.checkable:
        sitting.submit("the answer", CORRECT)
    else:
        sitting.submit("the reconstruction, in my own words")
    if sitting.phase is Phase.THINKING:  # compared with the answer once the timer has run out
        clock.advance(session.remaining())
        sitting.compare()
    if sitting.phase is Phase.ASSESSING:
        sitting.assess(set(range(len(card.key_ideas) or 1)))


# -- one simulated year ------------------------------------------------------------------------


@dataclass
class Year:
    """One seed's year: per day, then the milestones (day numbers from 1)."""

    new: list[int] = field(default_factory=list)
    reviews: list[int] = field(default_factory=list)
    backlog: list[int] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    """What each day asked for, a whole proof counted as its steps."""
    recall: list[float] = field(default_factory=list)
    """The mean retrievability of the learned cards each morning, as the learner recalls them
    (NaN before the first)."""
    all_introduced: int | None = None
    proofs: dict[str, int | None] = field(default_factory=dict)
    """The day each proof was first rebuilt whole (its whole-proof card rated Good or Easy)."""
    seconds: float = 0.0


_TEMPLATE: Path | None = None
_COLLECTION: Collection | None = None


def _template(folder: Path) -> Path:
    """A database synced with the shipped decks, made once a process and copied for each run."""
    global _TEMPLATE
    if _TEMPLATE is None:
        path = folder / f"template-{os.getpid()}.db"
        settings = load_settings(db=f"sqlite:///{path}", environ={"TUTOR_HOME": str(folder)})
        with Desk(settings, open_store(settings.db_url), clock=ManualClock(START)) as desk:
            desk.sync()
        _TEMPLATE = path
    return _TEMPLATE


def simulate(seed: int, plan: DayPlan, learner: Learner, days: int, folder: Path) -> Year:
    started = time.perf_counter()
    rng = random.Random(seed)
    random.seed(seed)  # FSRS's fuzz draws from the random module
    db = folder / f"run-{os.getpid()}.db"
    shutil.copyfile(_template(folder), db)
    settings = load_settings(db=f"sqlite:///{db}", environ={"TUTOR_HOME": str(folder)})
    clock = ManualClock(START)
    year = Year()
    with Desk(settings, open_store(settings.db_url), clock=clock, zone=UTC, plan=plan) as desk:
        global _COLLECTION
        if _COLLECTION is None:
            _COLLECTION = desk.collection()
        desk.shelf.given(_COLLECTION)  # the decks read once a process, not once a run
        cards = {card.id for card in _COLLECTION.cards}
        year.proofs = dict.fromkeys(deck.id for deck in _COLLECTION.decks if deck.is_proof)
        for day_number in range(1, days + 1):
            morning = START + timedelta(days=day_number - 1)
            clock.advance((morning - clock.now()).total_seconds())
            desk.sync()
            year.recall.append(_mean_recall(_memories(desk), clock.now(), learner))
            new = reviews = steps = 0
            while (sitting := desk.next_sitting()) is not None:
                reviews += sitting.is_review
                new += not sitting.is_review
                steps += len(sitting.deck.cards) if sitting.proof is not None else 1
                if sitting.proof is not None:
                    ratings = whole_proof_ratings(
                        sitting, learner, rng, clock.now(), _memories(desk)
                    )
                    work_whole_proof(sitting, clock, ratings)
                else:
                    work(sitting, clock, rating_for(sitting, learner, rng, clock.now()))
                finished = sitting.finish()
                if (
                    finished.whole
                    and finished.outcome.rating >= Rating.GOOD
                    and year.proofs[sitting.deck.id] is None
                ):
                    year.proofs[sitting.deck.id] = day_number
            states = _memories(desk)
            _, end = desk.day_bounds()
            today = desk.today()
            year.new.append(new)
            year.reviews.append(reviews)
            year.steps.append(steps)
            year.backlog.append(
                sum(1 for s in states.values() if s.due < end and s.last_day != today)
            )
            if year.all_introduced is None and cards <= states.keys():
                year.all_introduced = day_number
    db.unlink()
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    year.seconds = time.perf_counter() - started
    return year


def _memories(desk: Desk) -> dict[str, MemoryState]:
    with desk.session() as session:
        return memory_states(session=session)


def _mean_recall(states: dict[str, MemoryState], now: datetime, learner: Learner) -> float:
    """The learned cards' mean probability of recall: FSRS's retrievability, as this learner's
    memory turns it into recall (the same for the default learner)."""
    if not states:
        return float("nan")
    total = 0.0
    for s in states.values():
        memory = Memory(s.state, s.step, s.stability, s.difficulty, s.due, s.last_review)
        total += learner.recall(retrievability(memory, now))
    return total / len(states)


# -- many years, in worker processes -----------------------------------------------------------


@dataclass(frozen=True)
class Job:
    seed: int
    plan_name: str
    plan: DayPlan
    learner: str
    days: int


_FOLDER: Path | None = None
"""The scratch folder of this run, shared by the worker processes (each names its files by its
process id) and removed by the parent at the end."""


def _start_worker(folder: Path) -> None:
    global _FOLDER
    _FOLDER = folder


def _run(job: Job) -> tuple[Job, Year]:
    assert _FOLDER is not None
    return job, simulate(job.seed, job.plan, LEARNERS[job.learner], job.days, _FOLDER)


def run_all(jobs: Sequence[Job], processes: int) -> list[tuple[Job, Year]]:
    done: list[tuple[Job, Year]] = []
    started = time.perf_counter()
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None  # a RAM disk where there is one
    folder = Path(tempfile.mkdtemp(prefix="tutor-pace-", dir=base))
    try:
        with multiprocessing.Pool(processes, _start_worker, (folder,)) as pool:
            for n, (job, year) in enumerate(pool.imap_unordered(_run, jobs), 1):
                done.append((job, year))
                elapsed = time.perf_counter() - started
                print(
                    f"\r  {n}/{len(jobs)} years simulated ({elapsed:.0f} s, "
                    f"{year.seconds:.1f} s each)",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(file=sys.stderr)
    return done


# -- the report --------------------------------------------------------------------------------


def months(days: int) -> list[tuple[str, range]]:
    """Calendar months from START, as ranges of day indices (from 0)."""
    found: list[tuple[str, range]] = []
    first = 0
    while first < days:
        day = (START + timedelta(days=first)).date()
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        last = min(days, first + (following - day).days)
        found.append((day.strftime("%b"), range(first, last)))
        first = last
    return found


def _mean(values: Sequence[float]) -> float:
    kept = [v for v in values if v == v]  # NaN: no learned card yet
    return statistics.fmean(kept) if kept else float("nan")


def report(title: str, years: Sequence[Year], days: int) -> dict[str, float]:
    print(f"\n{title} ({len(years)} seeds)")
    print("month   new  reviews  cards/day mean  max  backlog  retrievability")
    for name, span in months(days):
        new = _mean([sum(y.new[d] for d in span) for y in years])
        reviews = _mean([sum(y.reviews[d] for d in span) for y in years])
        per_day = [y.new[d] + y.reviews[d] for y in years for d in span]
        backlog = _mean([y.backlog[d] for y in years for d in span])
        recall = _mean([y.recall[d] for y in years for d in span])
        print(
            f"{name:<6}{new:5.1f}{reviews:9.1f}{_mean(per_day):16.2f}{max(per_day):5d}"
            f"{backlog:9.2f}{recall:16.3f}"
        )
    per_day = [y.new[d] + y.reviews[d] for y in years for d in range(days)]
    recall = _mean([y.recall[d] for y in years for d in range(days)])
    introduced = [y.all_introduced for y in years]
    done = [d for d in introduced if d is not None]
    all_in = (
        f"day {statistics.median(done):.0f} (median; {min(done)}–{max(done)})"
        if len(done) == len(introduced)
        else f"not within {days} days in {len(introduced) - len(done)} of {len(years)} seeds"
        + (f" (the others: median day {statistics.median(done):.0f})" if done else "")
    )
    print(f"{days} days: {_mean(per_day):.2f} cards a day, at most {max(per_day)}; ", end="")
    print(f"mean retrievability of learned cards {recall:.3f}")
    steps = [y.steps[d] for y in years for d in range(days)]
    print(
        f"a whole proof counted as its steps: {_mean(steps):.2f} a day, at most {max(steps)}; "
        f"{sum(y.steps[d] > 12 for y in years for d in range(days)) / len(years):.1f} days "
        "a year over 12"
    )
    print(f"every shipped card introduced by {all_in}")
    introduced_by_end = statistics.median(sum(y.new) for y in years)
    print(f"cards introduced in {days} days: {introduced_by_end:.0f} (median)")
    print("the day each proof was first rebuilt whole (its whole-proof card rated Good or Easy):")
    firsts: list[int] = []
    for proof in years[0].proofs:
        reached = [y.proofs[proof] for y in years]
        got = [d for d in reached if d is not None]
        if got:
            firsts.append(int(statistics.median(got)))
        if not got:
            print(f"  {proof:<32} not within {days} days")
            continue
        missed = len(reached) - len(got)
        note = f", not within {days} days in {missed} of {len(reached)}" if missed else ""
        print(f"  {proof:<32} day {statistics.median(got):4.0f} (median){note}")
    first_proof = statistics.median(
        [min((d for d in y.proofs.values() if d is not None), default=days + 1) for y in years]
    )
    print(f"  the first proof rebuilt whole: {_day(first_proof, days)} (median)")
    return {
        "backlog": _mean([y.backlog[d] for y in years for d in range(days)]),
        "mean": _mean(per_day),
        "max": max(per_day),
        "recall": recall,
        "introduced": statistics.median(done) if len(done) == len(years) else float("inf"),
        "first_proof": first_proof,
        "steps_max": max(steps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--jobs", type=int, default=min(4, multiprocessing.cpu_count()))
    parser.add_argument("--reviews-per-day", type=int, default=REVIEWS_PER_DAY)
    parser.add_argument("--learners", default="default,harder", help="default, harder or both")
    parser.add_argument("--sweep", action="store_true", help="compare limits of reviews a day")
    parser.add_argument(
        "--whole-as-new",
        action="store_true",
        help="also simulate whole proofs that take the day's new card",
    )
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)
    new_plan = DayPlan(new=1, reviews=args.reviews_per_day)
    old_plan = DayPlan.before_december_2026(1)
    learners = [name.strip() for name in args.learners.split(",")]
    if any(name not in LEARNERS for name in learners):
        parser.error(f"--learners: choose among {', '.join(LEARNERS)}")
    if args.sweep:
        sweep(seeds, learners, args.days, args.jobs)
        return
    plans = [("new", new_plan), ("old", old_plan)]
    if args.whole_as_new:
        plans.insert(1, ("as-new", replace(new_plan, wholes=None)))
    runs = [
        Job(s, plan_name, plan, learner, args.days)
        for learner in learners
        for plan_name, plan in plans
        for s in seeds
    ]
    print(f"simulating {len(runs)} years on {args.jobs} processes…", file=sys.stderr)
    done = run_all(runs, args.jobs)
    summary: dict[tuple[str, str], dict[str, float]] = {}
    for learner_name in learners:
        learner = LEARNERS[learner_name]
        for plan_name, label in (
            (
                "new",
                f"NEW plan: new_per_day = 1, reviews_per_day = {args.reviews_per_day}, graph "
                "order, whole proofs apart",
            ),
            ("as-new", "NEW plan with whole proofs that take the day's new card (--whole-as-new)"),
            ("old", "OLD plan: one card a day, reviews first, file order"),
        ):
            if plan_name == "as-new" and not args.whole_as_new:
                continue
            years = [
                year
                for job, year in sorted(done, key=_order)
                if job.plan_name == plan_name and job.learner == learner_name
            ]
            summary[(learner_name, plan_name)] = report(
                f"{label} — {learner_name} learner ({learner.name})", years, args.days
            )
    print(
        "\nside by side                   all introduced  cards/day  max  retriev.      1st proof"
        "  max steps"
    )
    for (learner_name, plan_name), s in summary.items():
        print(
            f"{plan_name + ' plan, ' + learner_name + ' learner':<31}"
            f"{_day(s['introduced'], args.days):>14}{s['mean']:11.2f}{s['max']:5.0f}"
            f"{s['recall']:10.3f}{_day(s['first_proof'], args.days):>15}{s['steps_max']:11.0f}"
        )
    if args.whole_as_new:
        print("\n" + WHOLE_PROOF_WHY)
    if ("default", "new") not in summary:
        return
    s = summary[("default", "new")]
    checks = [
        ("all shipped cards introduced by day 130", s["introduced"] <= 130),
        ("at most 6 cards a day on average", s["mean"] <= 6),
        ("at most 12 cards on any day", s["max"] <= 12),
        ("mean retrievability of learned cards ≥ 0.88", s["recall"] >= 0.88),
        ("at least one proof rebuilt whole by day 60", s["first_proof"] <= 60),
    ]
    print("\ntargets (default settings, default learner):")
    for text, ok in checks:
        print(f"  {'ok  ' if ok else 'MISS'} {text}")


def sweep(seeds: range, learners: Sequence[str], days: int, processes: int) -> None:
    """The new plan with several limits of reviews a day: the figures behind the default."""
    limits = (4, 6, 8, 10, 12, 1000)
    plans = {f"reviews_per_day = {n}": DayPlan(new=1, reviews=n) for n in limits}
    runs = [
        Job(s, name, plan, learner, days)
        for learner in learners
        for name, plan in plans.items()
        for s in seeds
    ]
    print(f"simulating {len(runs)} years on {processes} processes…", file=sys.stderr)
    done = run_all(runs, processes)
    rows = []
    for learner in learners:
        for name in plans:
            years = [
                year
                for job, year in sorted(done, key=_order)
                if job.plan_name == name and job.learner == learner
            ]
            rows.append((learner, name, report(f"{name}, {learner} learner", years, days)))
    print(
        "\nlearner  limit                 cards/day  max  backlog  retrievability  all introduced"
    )
    for learner, name, s in rows:
        print(
            f"{learner:<9}{name:<22}{s['mean']:9.2f}{s['max']:5.0f}{s['backlog']:9.2f}"
            f"{s['recall']:16.3f}{_day(s['introduced'], days):>16}"
        )
    print("\n" + REVIEWS_PER_DAY_WHY)


def _order(item: tuple[Job, Year]) -> int:
    return item[0].seed


def _day(value: float, days: int | None = None) -> str:
    beyond = value == float("inf") or value != value or (days is not None and value > days)
    return (f"after day {days}" if days else "never") if beyond else f"day {value:.0f}"


if __name__ == "__main__":
    main()
