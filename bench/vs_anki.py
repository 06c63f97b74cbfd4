"""Speed beside Anki (#15): the same collection of 10,000 cards and 1,000,000 reviews in both, and
how long each takes to show a card, answer it and go on.

    python bench/vs_anki.py [--cards 10000] [--reviews 1000000] [--rounds 3] [--repeat 20]
                            [--process-repeat 5] [--keep DIR] [--anki-venv DIR]

Anki is never a dependency of the project: its Python library (`anki` on PyPI, pinned below)
lives in the benchmark's own virtual environment, created on the first run and reused after
(`--anki-venv`, default ~/.cache/proof-tutor-bench/anki-venv). Only that first run needs the
network; with the venv in place the benchmark runs offline. `bench/anki_side.py` is the half
that runs there.

The two collections: ours is built by bench/scale.py (100 deck files of 100 cards, four fifths of
them reviewed, a million reviews over 1,000 days); Anki's is made from ours (bench/anki_side.py:
one Basic note per card in a subdeck per deck file, the same memory states set through
`Collection.update_cards`, every review copied into the revlog). Both schedule with FSRS at
its default parameters and 0.9 retention (ours is given the record of a fit of its million
reviews that was not kept, as after the fit a study day makes once enough reviews exist; with
none recorded, `tutor study` would fit a million reviews before its first card), both take the
same daily limits, reviews before new cards and the least retrievable review first. The
study day is the one after the last reviews: ours at a fixed instant (`TUTOR_CLOCK`), Anki's
today, its history moved by whole days to end yesterday.

Measured in `--rounds` rounds, each on fresh copies of both collections as they were built,
the two sides taking turns to go first, each side in a new process of its own (so that both
start cold every round: a process measured again would have its code warm from the rounds
before); in each, `--repeat` runs of each side after one warm-up (the warm-up's open makes our
backup of the study day, as every study day's first open does: it is printed apart). The
figures are the medians of every round's runs; beside each ratio, each round's own (this
machine's noise moves one round's ratio by a tenth either way: a single round of five runs
could not tell 0.9 from 1.1):

1. open and show the next card, in process: ours a new `Desk` (the store opened and checked,
   the decks' sync skipped), `next_sitting` and the card as `tutor study --plain` prints it;
   Anki's `Collection(path)`, `sched.get_queued_cards()` and the card's rendered question
   (what its reviewer does);
2. answer one card, Good: ours `Sitting.submit` with a correct verdict given (the checker's
   sandbox is left out: bench/checker.py measures it) and `Sitting.finish`; Anki's
   `build_answer` and `answer_card`;
3. the next card after answering: ours `next_sitting` on the same desk and the card printed;
   Anki's `get_queued_cards()` and the question rendered;
4. process start to first card, a new process each time (`--process-repeat` of each, the three
   kinds in turn, after one warm-up of each): ours `tutor study --plain` until the card's
   confusion timer is printed (the process is then told `:quit`, untimed); Anki's a small
   script (`anki_side.py first-card`) opening the collection and rendering the scheduler's next
   card; and, beside it, ours on the terminal UI's quick path (`Desk.quick_sitting`, no
   Textual: bench/startup.py measures the drawn screen).

Prints each as ours / Anki's, with the medians in milliseconds. Progress goes to standard
error. The collections are built in a temporary folder, removed at the end (`--keep DIR`
builds them there and keeps them).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tutor.check.verdict import Verdict
from tutor.config import Settings, load_settings
from tutor.plain import PlainSession
from tutor.store.engine import open_store
from tutor.study.clock import ManualClock
from tutor.study.schedule import default_parameters
from tutor.study.session import Phase
from tutor.today import Desk, Sitting

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import T0, build  # bench/scale.py, beside this file

ANKI = "anki==26.9.3"
"""The Anki library measured (its API as used by bench/anki_side.py)."""
ANKI_VENV = Path.home() / ".cache/proof-tutor-bench/anki-venv"
SIDE = Path(__file__).resolve().parent / "anki_side.py"
DAYS = 1000  # bench/scale.py's history: reviews on each of the 1,000 days before today
NOW = T0 + timedelta(days=DAYS, hours=2)  # the study day after the last reviews, as scale.py
TUTOR = Path(sys.executable).parent / "tutor"
OURS_ONLY = "--measure-ours-only"  # this script, run again to measure ours in a new process
QUICK = """
import os, sys
from tutor.config import load_settings
from tutor.optimize import optimize_if_due
from tutor.study.clock import environment_clock
from tutor.today import Desk

settings = load_settings(decks=[sys.argv[1]], db=sys.argv[2])
with Desk(settings, clock=environment_clock(os.environ)) as desk, desk.studying():
    optimize_if_due(desk)
    sitting = desk.quick_sitting()
    if sitting is None:
        sys.exit("the quick path gave no card")
    print("FIRST-CARD", sitting.card.id, flush=True)
"""


def progress(message: str) -> None:
    print(f"[vs_anki] {message}", file=sys.stderr, flush=True)


# -- the Anki venv -----------------------------------------------------------------------------


def anki_python(venv: Path, install: bool) -> tuple[Path, str]:
    """The Python of the Anki venv, made on first use, and the version of `anki` in it."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import anki.buildinfo as b; print(b.version)"]
    if python.exists():
        found = subprocess.run(probe, capture_output=True, text=True, check=False)
        if found.returncode == 0:
            return python, found.stdout.strip()
    if not install:
        raise SystemExit(f"anki is not installed in {venv} (run once without --no-install)")
    progress(f"installing {ANKI} into {venv} (once; later runs work offline)")
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", ANKI],
        capture_output=True,
        text=True,
        check=False,
    )
    found = subprocess.run(probe, capture_output=True, text=True, check=False)
    if pip.returncode != 0 or found.returncode != 0:
        said = (pip.stderr or pip.stdout).strip().splitlines()
        tail = "\n".join([line for line in said if not line.startswith("WARNING:")][-5:])
        raise SystemExit(
            f"could not install {ANKI} into {venv} (no network, or no wheel for this "
            f"platform); the benchmark needs it once, then runs offline.\n{tail}"
        )
    return python, found.stdout.strip()


def run_side(python: Path, *args: str) -> str:
    """Run bench/anki_side.py in the Anki venv; its standard output."""
    return output([str(python), str(SIDE), *args], f"anki_side.py {args[0]}")


def output(command: list[str], what: str) -> str:
    """The standard output of `command`, run in UTC; a failure ends the benchmark, naming
    `what` failed."""
    done = subprocess.run(
        command, stdout=subprocess.PIPE, text=True, env={**os.environ, "TZ": "UTC"}, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{what} failed (exit {done.returncode})")
    return done.stdout


# -- building both -----------------------------------------------------------------------------


def prepare_ours(home: Path, db: Path, new_per_day: int, reviews_per_day: int) -> None:
    """The daily limits in config.toml, and the record of a fit of the reviews that was not
    kept (FSRS's defaults in use, no fit due before the log grows by a quarter)."""
    (home / "config.toml").write_text(
        f"new_per_day = {new_per_day}\nreviews_per_day = {reviews_per_day}\n", encoding="utf-8"
    )
    con = sqlite3.connect(db)
    try:
        (reviews,) = con.execute("SELECT count(*) FROM review").fetchone()
        (learner,) = con.execute("SELECT learner FROM review LIMIT 1").fetchone()
        con.execute(
            "INSERT INTO scheduler_fit (learner, fitted_at, reviews, heldout, default_loss, "
            "fitted_loss, kept, parameters) VALUES (?, ?, ?, ?, 0.35, 0.36, 0, ?)",
            (
                learner,
                (NOW - timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                reviews,
                reviews // 5,
                json.dumps(list(default_parameters())),
            ),
        )
        con.commit()
    finally:
        con.close()


def write_cards(desk: Desk, path: Path) -> None:
    """Every card as Anki's notes take it: id, deck, prompt, answer (one line each)."""

    def flat(text: str) -> str:
        return " ".join(text.split())

    lines = [
        "\t".join(
            (
                card.id,
                deck.id,
                flat(card.prompt.source),
                flat(card.answer.source if card.answer else ""),
            )
        )
        for deck in desk.collection().decks
        for card in deck.cards
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- measuring ---------------------------------------------------------------------------------


def show(desk: Desk, sitting: Sitting | None) -> Sitting:
    """The card as `tutor study --plain` prints it."""
    if sitting is None:
        raise SystemExit("ours: no card to study (the day's limits are spent: raise them)")
    PlainSession(desk, io.StringIO(), io.StringIO()).show_card(sitting)
    return sitting


def measure_ours(settings: Settings, repeat: int) -> tuple[dict[str, list[float]], float]:
    """Wall times (ms) of ours in process; and the first open of the day (its backup)."""
    import tutor.store.queries  # noqa: F401  (SQLAlchemy loaded: the first open times the backup)

    clock = ManualClock(NOW)

    def desk() -> Desk:
        return Desk(settings, clock=clock, zone=UTC)

    def open_and_show() -> Desk:
        fresh = desk()
        fresh.engine  # noqa: B018  (the store opened and checked, as Desk.open does)
        assert fresh.sync().skipped
        show(fresh, fresh.next_sitting())
        return fresh

    times: dict[str, list[float]] = {"open_show": [], "answer": [], "next": []}
    first_open = 0.0
    for n in range(1 + repeat):
        start = time.perf_counter()
        opened = open_and_show()
        elapsed = (time.perf_counter() - start) * 1000
        opened.close()
        if n:
            times["open_show"].append(elapsed)
        else:
            first_open = elapsed
    studying = desk()
    studying.sync()
    sitting = show(studying, studying.next_sitting())
    for n in range(1 + repeat):
        start = time.perf_counter()
        sitting.submit("the answer", Verdict("correct"))
        if sitting.phase is not Phase.DONE:
            raise SystemExit(f"ours: {sitting.card_id} is not done by a correct answer")
        sitting.finish()
        answered = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        sitting = show(studying, studying.next_sitting())
        following = (time.perf_counter() - start) * 1000
        if n:
            times["answer"].append(answered)
            times["next"].append(following)
    studying.close()
    return times, first_open


def first_line(command: list[str], env: dict[str, str], mark: str, then: str | None) -> float:
    """Milliseconds from starting `command` until a line of its output starts with `mark`;
    `then` is written to it afterwards (untimed), and it is waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None and process.stdin is not None
    seen: list[str] = []
    elapsed = None
    for line in process.stdout:
        if line.startswith(mark):
            elapsed = (time.perf_counter() - start) * 1000
            break
        seen.append(line)
    try:
        if then is not None:
            process.stdin.write(then)
        process.stdin.close()
    except BrokenPipeError:
        pass
    process.stdout.read()
    err = process.stderr.read() if process.stderr is not None else ""
    process.wait(timeout=120)
    if elapsed is None:
        tail = "".join(seen[-10:]) + err[-500:]
        raise SystemExit(f"{Path(command[0]).name}: no line starting {mark!r}; it printed:\n{tail}")
    return elapsed


def timed_processes(actions: dict[str, Callable[[], float]], repeat: int) -> dict[str, list[float]]:
    """`repeat` timings of each action, the actions in turn (so that the machine's moods fall
    on all of them alike), after a warm-up of each: the files in the page cache, as on a
    learner's second start."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            times[name].append(action())
    return times


def ratio_line(
    name: str, ours: list[float], anki: list[float], rounds: list[float] | None = None
) -> str:
    """Ours and Anki's medians and their ratio; with `rounds`, the rounds' ratios' range."""
    mine, theirs = statistics.median(ours), statistics.median(anki)
    line = f"{name:38} {mine:10.2f} ms {theirs:10.2f} ms {mine / theirs:9.2f}x"
    if rounds:
        line += "   " + " ".join(f"{ratio:.2f}" for ratio in rounds)
    return line


def restore(pristine: Path, home: Path) -> None:
    """`home` made again a copy of `pristine`, in the same place (our decks' fingerprint names
    their paths), times kept (and with them the fingerprint)."""
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(pristine, home)
    os.sync()  # the copy's writes done before anything is timed, not going on beside it


def measure_ours_apart(where: dict[str, str], repeat: int) -> tuple[dict[str, list[float]], float]:
    """`measure_ours` in a new process of its own, as Anki's side is measured each round: both
    start cold, with the same one warm-up (a process measured again would have its code warm
    from the rounds before, and Anki's never)."""
    command = [sys.executable, str(Path(__file__).resolve()), OURS_ONLY, json.dumps(where)]
    found = json.loads(output([*command, str(repeat)], "ours' measuring process"))
    return found["times"], found["first_open"]


def ours_only(given: str, repeat: str) -> None:
    """The measuring process of `measure_ours_apart` (`given`: where ours is, as JSON): the
    times as JSON on standard output."""
    where = json.loads(given)
    settings = load_settings(
        decks=[where["decks"]], db=where["db"], environ={"TUTOR_HOME": where["home"]}
    )
    times, first_open = measure_ours(settings, int(repeat))
    print(json.dumps({"times": times, "first_open": first_open}))


def measure_anki(python: Path, collection: Path, repeat: int) -> dict[str, list[float]]:
    """Anki's runs in process (bench/anki_side.py measure), by measure."""
    measured = run_side(python, "measure", str(collection), "--repeat", str(repeat))
    return dict(json.loads(measured))


def measure_rounds(
    args: argparse.Namespace,
    where: dict[str, str],
    python: Path,
    collection: Path,
    copies: list[tuple[Path, Path]],
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, list[float]], float]:
    """Both sides measured in process in `args.rounds` rounds (`copies` restored before each,
    pristine and in place): every run of each, by measure; the rounds' ratios of medians; and
    our first open of the first round (its daily backup)."""
    ours: dict[str, list[float]] = {}
    anki: dict[str, list[float]] = {}
    ratios: dict[str, list[float]] = {}
    first_open = 0.0
    for n in range(args.rounds):
        for pristine, home in copies:
            restore(pristine, home)
        progress(f"round {n + 1} of {args.rounds}: {args.repeat} runs of each side")
        anki_first = n % 2 == 1  # the sides take turns to go first
        theirs = measure_anki(python, collection, args.repeat) if anki_first else {}
        mine, opened = measure_ours_apart(where, args.repeat)
        if not anki_first:
            theirs = measure_anki(python, collection, args.repeat)
        first_open = first_open or opened
        for name, values in mine.items():
            ours.setdefault(name, []).extend(values)
            anki.setdefault(name, []).extend(theirs[name])
            ratio = statistics.median(values) / statistics.median(theirs[name])
            ratios.setdefault(name, []).append(ratio)
    return ours, anki, ratios, first_open


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = "\n\n".join(__doc__.split("\n\n")[1:])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds on fresh copies of both collections (3)"
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="in-process runs of each, a round (20)"
    )
    parser.add_argument(
        "--process-repeat", type=int, default=5, help="new processes of each side (5)"
    )
    parser.add_argument("--new-per-day", type=int, default=1, help="both sides' limit (1)")
    parser.add_argument("--reviews-per-day", type=int, default=100, help="both sides' (100)")
    parser.add_argument("--keep", type=Path, help="build both collections in DIR and keep them")
    parser.add_argument("--anki-venv", type=Path, default=ANKI_VENV)
    parser.add_argument(
        "--no-install", action="store_true", help="fail rather than create the Anki venv"
    )
    args = parser.parse_args()
    if args.reviews_per_day < 2 * (args.repeat + 1):
        parser.error("--reviews-per-day must leave room for 2 × (repeat + 1) answers")

    python, version = anki_python(args.anki_venv, install=not args.no_install)
    with tempfile.TemporaryDirectory(prefix="vs-anki-") as scratch:
        folder = args.keep or Path(scratch)
        home, anki_folder = folder / "ours", folder / "anki"
        for stale in (home / "scale.db", anki_folder / "collection.anki2"):
            if stale.exists():
                raise SystemExit(f"{stale} exists: --keep needs an empty folder")
        anki_folder.mkdir(parents=True, exist_ok=True)

        progress(f"building ours: {args.cards:,} cards, {args.reviews:,} reviews (bench/scale.py)")
        seconds, url, decks = build(home, args.cards, args.reviews)
        db = home / "scale.db"
        prepare_ours(home, db, args.new_per_day, args.reviews_per_day)
        environ = {"TUTOR_HOME": str(home)}
        settings = load_settings(decks=[str(decks)], db=url, environ=environ)
        # an engine of its own, without the daily backup: the first timed open makes it
        reader = Desk(settings, open_store(url), clock=ManualClock(NOW), zone=UTC)
        day_start, _ = reader.day_bounds()
        due_ours = reader.stats().due_today
        cards_tsv = folder / "cards.tsv"
        write_cards(reader, cards_tsv)
        reader.close()
        progress(f"ours built in {seconds:.0f} s; building Anki's from it")
        collection = anki_folder / "collection.anki2"
        built = json.loads(
            run_side(
                python,
                "build",
                str(collection),
                "--ours",
                str(db),
                "--cards",
                str(cards_tsv),
                "--day-start",
                str(day_start.timestamp()),
                "--days",
                str(DAYS),
                "--new-per-day",
                str(args.new_per_day),
                "--reviews-per-day",
                str(args.reviews_per_day),
                "--desired-retention",
                str(settings.desired_retention),
            )
        )

        pristine = folder / "pristine"
        copies = [(pristine / "ours", home), (pristine / "anki", anki_folder)]
        for kept, home_of in copies:
            shutil.copytree(home_of, kept)
        where = {"decks": str(decks), "db": url, "home": str(home)}
        ours, anki, rounds, first_open = measure_rounds(args, where, python, collection, copies)

        progress(f"process start to first card: {args.process_repeat} of each after a warm-up")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
        env.update({"TUTOR_HOME": str(home), "TUTOR_CLOCK": NOW.isoformat(), "TZ": "UTC"})
        tutor = [str(TUTOR)] if TUTOR.exists() else [sys.executable, "-m", "tutor.cli"]
        plain = [*tutor, "--decks", str(decks), "--db", url, "study", "--plain"]
        quick = [sys.executable, "-c", QUICK, str(decks), url]
        side = [str(python), str(SIDE), "first-card", str(collection)]
        anki_env = {**os.environ, "TZ": "UTC"}
        started = timed_processes(
            {
                "plain": lambda: first_line(plain, env, "Confusion timer", ":quit\n"),
                "quick": lambda: first_line(quick, env, "FIRST-CARD", None),
                "anki": lambda: first_line(side, anki_env, "FIRST-CARD", None),
            },
            args.process_repeat,
        )
        start_plain, start_quick, start_anki = (started[k] for k in ("plain", "quick", "anki"))

        print(
            f"proof-tutor beside Anki {version} (Python {sys.version.split()[0]}), "
            f"{datetime.now(UTC):%Y-%m-%d}"
        )
        print(
            f"same collection: {args.cards:,} cards, {args.reviews:,} reviews over {DAYS:,} days; "
            f"Anki: {built['notes']:,} notes, {built['revlog']:,} revlog rows; due today: ours "
            f"{due_ours:,}, Anki {built['due']:,}; limits {args.new_per_day} new, "
            f"{args.reviews_per_day} reviews a day"
        )
        print(
            f"medians of {args.rounds} rounds of {args.repeat} runs in process (fresh copies "
            f"of both each round) and of {args.process_repeat} new processes, each after a "
            "warm-up"
        )
        print(f"{'':38} {'ours':>13} {'Anki':>13} {'ours/Anki':>10}   {'rounds':>10}")
        for n, (key, name) in enumerate(
            [
                ("open_show", "open and show the next card"),
                ("answer", "answer one card (Good)"),
                ("next", "the next card after answering"),
            ],
            1,
        ):
            print(ratio_line(f"{n} {name}", ours[key], anki[key], rounds[key]))
        print(ratio_line("4 process start to first card", start_plain, start_anki))
        print(ratio_line("  4, ours on the UI's quick path", start_quick, start_anki))
        print(
            f"(our first open of the study day, with its daily backup: {first_open:.0f} ms; "
            "once a day, left out above)"
        )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == OURS_ONLY:
        ours_only(sys.argv[2], sys.argv[3])
    else:
        main()
