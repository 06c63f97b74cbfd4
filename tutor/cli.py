"""The `tutor` command: the terminal UI, `tutor study --plain`, and the headless subcommands.

Every failure a user can cause ends in one line on standard error and a non-zero exit status,
never a traceback. Heavy modules are imported inside the commands that need them, so that
`tutor --help` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from tutor import __version__
from tutor.check.spec import DECLARATIONS
from tutor.config import ConfigError, Settings, load_settings

F = TypeVar("F", bound=Callable[..., Any])


class TutorError(Exception):
    """A failure to report to the user as one line."""

    status = 1
    """The exit status."""


class BadInput(TutorError):
    """Input named on the command line that does not exist or does not fit (an unknown card
    id): exit status 2, as for a usage error, without the pointer to --help."""

    status = 2


def _remember_learner(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:  # after the subcommand wins over before it
        ctx.meta[_LEARNER] = value


_LEARNER = "tutor.learner"
"""Where `--learner` is kept (`ctx.meta` is shared by a command and its group)."""


def _shared_options(func: F) -> F:
    """`--decks DIR` (repeatable), `--db URL` and `--learner NAME`, accepted before or after
    the subcommand."""
    func = click.option(
        "--learner",
        metavar="NAME",
        default=None,
        expose_value=False,
        callback=_remember_learner,
        help="Whose progress to study and show (default: TUTOR_LEARNER, config.toml, the "
        "system user name).",
    )(func)
    func = click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help="Database URL for this run (default: tutor.db in TUTOR_HOME).",
    )(func)
    func = click.option(
        "--decks",
        "decks",
        metavar="DIR",
        multiple=True,
        help="Deck folder; repeatable. Replaces the deck set for this run.",
    )(func)
    return func


def _settings(ctx: click.Context, decks: Sequence[str] = (), db: str | None = None) -> Settings:
    root = ctx.find_root().params
    all_decks = tuple(root.get("decks") or ()) + tuple(decks)
    try:
        return load_settings(
            decks=all_decks,
            db=db if db is not None else root.get("db"),
            learner=ctx.meta.get(_LEARNER),
        )
    except ConfigError as exc:
        raise TutorError(str(exc)) from None


class TutorGroup(click.Group):
    """A click group whose usage errors and failures are one line each."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=args,
                prog_name=prog_name or "tutor",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except click.UsageError as exc:
            path = exc.ctx.command_path if exc.ctx is not None else "tutor"
            _fail(f"{exc.format_message()} (see '{path} --help')", 2)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except (TutorError, ConfigError) as exc:
            _fail(str(exc), getattr(exc, "status", 1))
        except click.Abort:
            _fail("interrupted", 130)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            # The reader went away (`tutor deck show x | head`): not an error worth a message.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # the last line of defence: no tracebacks
            if _is_user_error(exc):
                _fail(str(exc), 1)
            _crash(exc)
        sys.exit(result if isinstance(result, int) else 0)


def _is_user_error(exc: BaseException) -> bool:
    """A store failure the user can act on (the database is busy, corrupt, on a full disk…):
    its message is one line already. Looked up lazily, to keep `--help` light."""
    errors = sys.modules.get("tutor.store.errors")
    return errors is not None and isinstance(exc, errors.StoreError)


def _echo(message: object = "", **kwargs: Any) -> None:
    """Print through the one cleaner of terminal controls: whatever a message carries (a deck's
    id or title, a file name, a setting, an answer) reaches the terminal as text only. Our own
    styling is added by the callers that need it (deck show's headings), around clean text."""
    from tutor.check.clean import strip_controls

    click.echo(strip_controls(str(message)), **kwargs)


def _fail(message: str, status: int) -> None:
    _echo(f"tutor: {message}", err=True)
    sys.exit(status)


def _crash(exc: BaseException) -> None:
    fd, path = tempfile.mkstemp(prefix="tutor-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as log:
        log.write(f"proof-tutor {__version__}\n")
        traceback.print_exception(exc, file=log)
    what = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no message'}"
    _fail(
        f"something went wrong inside the tutor ({what[:200]}). Every answer you gave before it"
        f" is saved; run the command again, and if it happens again, report it with {path}",
        70,
    )


@click.group(
    cls=TutorGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(
    __version__, "-V", "--version", prog_name="proof-tutor", message="%(prog)s %(version)s"
)
@_shared_options
@click.pass_context
def main(ctx: click.Context, decks: tuple[str, ...], db: str | None) -> int:
    """A spaced-repetition tutor for rebuilding definitions and proofs from first principles.

    With no command, opens today's session in the terminal UI (as 'tutor study'). Settings
    live in TUTOR_HOME/config.toml.
    """
    if ctx.invoked_subcommand is not None:
        return 0
    return _study(_settings(ctx))


@main.group(context_settings={"help_option_names": ["-h", "--help"]})
def deck() -> None:
    """Lint, list and show decks and proofs."""


@deck.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--no-checker",
    is_flag=True,
    help="Skip the rules that run the checker (accept/reject examples); much faster.",
)
@_shared_options
@click.pass_context
def deck_check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    as_json: bool,
    no_checker: bool,
    decks: tuple[str, ...],
    db: str | None,
) -> int:
    """Lint decks and proofs: every problem as FILE:LINE: MESSAGE; exit status 1 on any error.

    With no PATH, checks the deck set (the shipped decks and config.toml's `decks`, or --decks).
    With PATHs, checks those files within the deck set: their ids must not be taken by its
    other cards, their prerequisites may name any of its cards, and only their own problems
    are reported (one line says if the rest of the set has problems too). Every check block's
    examples are judged by the checker, in its sandbox.
    """
    from tutor.deck.loader import load_collection, load_within
    from tutor.deck.report import report_json, report_text

    settings = _settings(ctx, decks, db)
    elsewhere = None
    if paths:
        collection, elsewhere = load_within(list(paths), list(settings.deck_dirs))
    else:
        collection = load_collection(list(settings.deck_dirs))
    if not no_checker:
        from tutor.deck.checks import lint_checks

        collection.problems += lint_checks(collection.cards, progress=_progress("check blocks"))
        collection.problems.sort(key=lambda p: (p.path, p.line))
    if as_json:
        _echo(report_json(collection, elsewhere))
    else:
        _echo(report_text(collection, elsewhere))
    return 1 if collection.errors else 0


def _progress(noun: str) -> Callable[[int, int], None] | None:
    """A one-line counter on standard error, when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        click.echo(f"\rjudging {noun}: {done}/{total}", err=True, nl=False)
        if end:
            click.echo("\r\x1b[K", err=True, nl=False)

    return show


@deck.command("list")
@_shared_options
@click.pass_context
def deck_list(ctx: click.Context, decks: tuple[str, ...], db: str | None) -> int:
    """List the decks and proofs of the deck set."""
    from tutor.deck.show import render_deck_list

    _echo(render_deck_list(_load(_settings(ctx, decks, db).deck_dirs)))
    return 0


@deck.command("show")
@click.argument("card_id", metavar="ID")
@_shared_options
@click.pass_context
def deck_show(ctx: click.Context, card_id: str, decks: tuple[str, ...], db: str | None) -> int:
    """Show one card: prompt, hints, answer, key ideas and check."""
    from tutor.deck.show import render_card

    collection = _load(_settings(ctx, decks, db).deck_dirs)
    card = _the_card(collection, card_id, TutorError)
    click.echo(render_card(card, collection.deck_of(card), collection, heading=_bold))
    return 0


def _the_card(collection: Any, card_id: str, error: type[TutorError]) -> Any:
    """The one card of the deck set with the id `card_id`; `error` with one line when there is
    none, or when several cards have it (which study leaves out: which one is meant cannot be
    told, so none is shown or judged)."""
    from tutor.deck.model import display_path

    cards = [card for card in collection.cards if card.id == card_id]
    if not cards:
        raise error(_no_such_card(collection, card_id))
    if len(cards) > 1:
        places = ", ".join(f"{display_path(Path(card.path))}:{card.line}" for card in cards[:3])
        more = f" and {len(cards) - 3} more" if len(cards) > 3 else ""
        raise error(
            f"{len(cards)} cards have the id '{card_id}' ({places}{more}): rename all but one "
            "('tutor deck check' names them)"
        )
    return cards[0]


def _no_such_card(collection: Any, card_id: str) -> str:
    """The one line for an id that is not in the deck set, with the closest id if any. A
    proof's id is not a card's: the line names its first step and its whole-proof card
    (`proof:ID`, deck-format.md "The whole proof"). That one is no card of a file either but a
    sitting of the proof's steps, which study alone holds: for it the line says so and names
    the steps, which can be shown and checked."""
    import difflib

    from tutor.check.clean import strip_controls
    from tutor.study.proof import MIN_STEPS, PROOF_CARD_PREFIX, proof_card_id

    shown = strip_controls(card_id)
    whole = card_id.startswith(PROOF_CARD_PREFIX)
    proof_id = card_id.removeprefix(PROOF_CARD_PREFIX)
    proofs = {d.id: d for d in reversed(collection.decks) if d.is_proof and d.cards}  # first wins
    proof = proofs.get(proof_id)
    if proof is not None:
        steps = [step.id for step in proof.cards]
        has_whole = len(steps) >= MIN_STEPS
        if not whole:
            also = f", and its whole proof is '{proof_card_id(proof.id)}'" if has_whole else ""
            return f"no card '{shown}': '{shown}' is a proof; its first step is '{steps[0]}'{also}"
        if not has_whole:
            one = f"proof '{proof.id}' has one step, '{steps[0]}', and a whole proof needs two"
            return f"no card '{shown}': {one}"
        listed = ", ".join(f"'{step}'" for step in steps[:6]) + (", …" if len(steps) > 6 else "")
        return (
            f"'{shown}' is not a card of a file but the whole proof '{proof.id}', which study asks "
            f"for step by step in one sitting, from the statement alone; its steps are {listed}"
        )
    if whole:
        close = difflib.get_close_matches(proof_id, list(proofs), n=1)
        hint = f"; did you mean '{proof_card_id(close[0])}'?" if close else ""
        return f"no card '{shown}': no proof has the id '{strip_controls(proof_id)}'{hint}"
    ids = [c.id for c in collection.cards]
    close = difflib.get_close_matches(card_id, ids, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else " ('tutor deck list' lists decks)"
    return f"no card '{shown}' in the deck set{hint}"


# Declarations of a check block, offered as options of `tutor check` (--natural 'n k', …).
_DECLARATIONS = (*DECLARATIONS, "indexed")


class _Seconds(click.FloatRange):
    """Seconds from 0.1 to 60: click's range lets NaN through (no comparison holds for it)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if seconds != seconds:  # NaN
            self.fail(f"{value!r} is not a number of seconds from 0.1 to 60", param, ctx)
        return seconds


_SECONDS = _Seconds(0.1, 60)


def _declaration_options(func: F) -> F:
    """One option per declaration key of a check block: --natural 'n k', --sets 'A B', …"""
    for key in reversed(_DECLARATIONS):
        func = click.option(
            f"--{key}", key, metavar="NAMES", help=f"Names declared as {key} (space-separated)."
        )(func)
    return func


@main.command("check")
@click.option(
    "--jsonl",
    "jsonl",
    metavar="FILE",
    type=click.File("rb"),
    help="Judge JSON lines from FILE ('-' for standard input), one JSON line out each.",
)
@click.option(
    "--card",
    "card_id",
    metavar="ID",
    help="Judge against this card's own check block (a card of the deck set).",
)
@click.option("--expect", metavar="E", help="The reference answer.")
@click.option("--answer", metavar="A", help="The answer to judge.")
@click.option(
    "--mode",
    default="equivalent",
    show_default=True,
    type=click.Choice(["equivalent", "set", "logic", "numeric", "antiderivative", "derivation"]),
)
@click.option("--from", "start", metavar="E", help="derivation: where the chain must start.")
@click.option("--var", metavar="X", help="antiderivative: the variable of integration.")
@click.option("--tolerance", metavar="T", help="numeric: relative tolerance (0.01 or 1%).")
@click.option("--factor", metavar="F", help="numeric: accept within this factor either way.")
@click.option("--form", metavar="F", help="Conditions on the form (expanded, factored, exact…).")
@_declaration_options
@click.option(
    "--timeout",
    default=2.0,
    show_default=True,
    type=_SECONDS,
    help="Seconds allowed for each answer.",
)
@_shared_options
@click.pass_context
def check(
    ctx: click.Context,
    /,
    jsonl: Any,
    card_id: str | None,
    expect: str | None,
    answer: str | None,
    mode: str,
    start: str | None,
    var: str | None,
    tolerance: str | None,
    factor: str | None,
    form: str | None,
    timeout: float,
    decks: tuple[str, ...],
    db: str | None,
    **declared: str | None,
) -> int:
    """Judge answers with the checker: a batch of JSON lines, or one answer; against the
    keys given, or against a card's own check block (--card ID).

    \b
    tutor check --jsonl answers.jsonl
    tutor check --expect 'n(n+1)/2' --answer '(n^2+n)/2' --natural n
    tutor check --card inclusion-exclusion-2 --answer 'P(A) + P(B) - P(A ∩ B)'
    """
    from tutor.check import batch

    if card_id is not None:
        described = {"expect": expect, "from": start, "var": var, "tolerance": tolerance}
        described |= {"factor": factor, "form": form, **declared}
        given = [f"--{key}" for key, value in described.items() if value is not None]
        if ctx.get_parameter_source("mode") is not click.core.ParameterSource.DEFAULT:
            given.insert(0, "--mode")
        if given:
            raise click.UsageError(
                f"--card judges against the card's own check block; leave out {', '.join(given)}"
            )
        if (jsonl is None) == (answer is None):
            raise click.UsageError("with --card, give either --answer A or --jsonl FILE")
        spec = _card_spec(_settings(ctx, decks, db), card_id)
        if jsonl is not None:
            return _judge_lines(jsonl, timeout, spec)
        assert answer is not None
        _echo(batch.judge_spec_cli(spec, answer, timeout=timeout))
        return 0
    if jsonl is not None:
        if expect is not None or answer is not None:
            raise click.UsageError("--jsonl judges a file; leave out --expect and --answer")
        return _judge_lines(jsonl, timeout)
    if expect is None or answer is None:
        raise click.UsageError("give --jsonl FILE, or both --expect and --answer")
    declarations = {key: value for key, value in declared.items() if value is not None}
    for key, value in (
        ("from", start),
        ("var", var),
        ("tolerance", tolerance),
        ("factor", factor),
        ("form", form),
    ):
        if value is not None:
            declarations[key] = value
    _echo(batch.judge_one_cli(expect, answer, mode, declarations, timeout=timeout))
    return 0


def _judge_lines(jsonl: Any, timeout: float, spec: Any = None) -> int:
    """`tutor check --jsonl`: a file that fails to be read is a one-line error (what was
    judged before it is printed already)."""
    from tutor.check import batch

    try:
        return batch.run_jsonl(jsonl, sys.stdout, timeout=timeout, spec=spec)
    except batch.UnreadableInput as exc:
        raise TutorError(str(exc)) from None


def _card_spec(settings: Settings, card_id: str) -> Any:
    """The check block of card `card_id` of the deck set, as the checker reads it; an unknown
    id or a card without a block is a `BadInput`."""
    from tutor.check.clean import strip_controls
    from tutor.check.spec import CheckSpec

    collection = _load(settings.deck_dirs)
    card = _the_card(collection, card_id, BadInput)
    if card.check is None:
        raise BadInput(
            f"card '{strip_controls(card_id)}' has no check block: it is self-assessed, by its "
            f"key ideas ('tutor deck show {strip_controls(card_id)}' shows them)"
        )
    from tutor.deck.inputs import stated_card

    card = stated_card(card)  # drawn numbers: judged with the author's stated values
    assert card.check is not None
    return CheckSpec.from_pairs(card.check.pairs())


@main.command("study")
@click.option(
    "--plain",
    is_flag=True,
    help="Plain lines on standard input and output, for screen readers and scripts.",
)
@_shared_options
@click.pass_context
def study(ctx: click.Context, plain: bool, decks: tuple[str, ...], db: str | None) -> int:
    """Today's session: the reviews due and one new card, each with its confusion timer,
    your reconstruction and its review; then, if you like, one more card.

    \b
    With --plain, each line you type is an answer attempt, and lines starting with ':' are
    commands: :hint :reveal :note TEXT :ideas 1,3 :easy :time :quit :help.
    End of input saves and quits; the card resumes where its timer was.
    """
    return _study(_settings(ctx, decks, db), plain=plain)


def _clock() -> Any:
    """The clock of this run: the system's, or a simulated one from TUTOR_CLOCK."""
    from tutor.study.clock import SystemClock, environment_clock

    try:
        return environment_clock(os.environ) or SystemClock()
    except ValueError as exc:
        raise TutorError(str(exc)) from None


def _study(settings: Settings, *, plain: bool = False) -> int:
    """Today's session: in the terminal UI, or as plain lines when asked to or when standard
    input or output is not a terminal (a pipe, a script, CI)."""
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        return _ui(settings)
    import gc
    import signal
    import threading

    from tutor.optimize import optimize_if_due
    from tutor.plain import PlainSession
    from tutor.today import Desk

    # SIGTERM and SIGHUP (a closed terminal, `kill`) end the session as ctrl+c does: the card
    # under study is saved with its timer, then "interrupted"
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.default_int_handler)
    with Desk(settings, clock=_clock()) as desk, desk.studying():
        if not desk.passes_on_open():
            desk.engine  # noqa: B018  (refused in one line, the file left untouched)
        optimize_if_due(desk)  # before the day's first card, once enough reviews exist
        # On a normal day the first card is read with the standard library and shown at once,
        # and the store (SQLAlchemy, a fifth of a second to import, and the day's backup) opens
        # in a thread once it is on the screen, while the learner reads it (started before, the
        # thread's imports would take turns with showing it); else it opens now, its errors
        # one line.
        first = desk.quick_sitting()
        if first is None:
            desk.engine  # noqa: B018

        def open_store() -> None:
            threading.Thread(target=desk.warm, daemon=True, name="open-store").start()

        # what exists now lives as long as the process: a full collection need not walk it
        # again every few cards
        gc.freeze()
        session = PlainSession(desk, sys.stdin, sys.stdout, prompt=sys.stdin.isatty())
        return session.run(first=first, shown=None if first is None else open_store)


def _ui(settings: Settings) -> int:
    """The terminal UI. On a normal day the card is read with the standard library and shown
    at once; the store (SQLAlchemy, half a second to import) opens in a thread behind it."""
    from tutor.check.sandbox import start_server
    from tutor.optimize import optimize_if_due
    from tutor.today import Desk
    from tutor.ui.app import TutorApp
    from tutor.ui.keys import keymap

    keymap(settings.keys)  # a mistake in [keys] is one line, before the screen changes
    with Desk(settings, clock=_clock()) as desk, desk.studying():
        start_server()  # sympy loads in its own process while the screen comes up
        # before the day's first card, once enough reviews exist (under a second, a few times
        # a year; on other days a look at three rows with sqlite3)
        optimize_if_due(desk)
        first = desk.quick_sitting()
        if first is None:
            desk.engine  # noqa: B018  (open the store now: its errors are one line here)
        app = TutorApp(desk, first=first)
        message = app.run()
    if app.return_code:
        raise TutorError(message or "the terminal UI stopped with an error")
    if message:
        with contextlib.suppress(OSError):  # the terminal was closed under it: the card is saved
            _echo(message)
    return 0


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@_shared_options
@click.pass_context
def stats(ctx: click.Context, as_json: bool, decks: tuple[str, ...], db: str | None) -> int:
    """Streaks, reviews, retention and what is due."""
    import json

    settings = _settings(ctx, decks, db)
    figures = _quick_stats(settings) or _full_stats(settings)
    data = figures.to_json()
    if as_json:
        _echo(json.dumps(data))
    else:
        from tutor.wording import scheduler_in_use

        in_use = scheduler_in_use(figures.last_fit, figures.reviews_total)
        _echo(_stats_table(data) + f"\n{'scheduler':<10} {in_use}")
    return 0


@main.command("optimize")
@_shared_options
@click.pass_context
def optimize(ctx: click.Context, decks: tuple[str, ...], db: str | None) -> int:
    """Fit the scheduler's FSRS parameters to your own reviews.

    \b
    The newest fifth of your reviews is held out: the fitted parameters are kept
    only if they predict it better than FSRS's defaults, else the defaults stay.
    This runs by itself at the start of a study day once 1,000 reviews exist, and
    again whenever their number has grown by a quarter; 'tutor stats' says which
    parameters are in use.
    """
    from tutor.optimize import NotEnoughReviews
    from tutor.optimize import optimize as fit_scheduler
    from tutor.today import Desk

    settings = _settings(ctx, decks, db)
    with Desk.open(settings, clock=_clock()) as desk, desk.studying():
        try:
            done = fit_scheduler(desk)
        except NotEnoughReviews as exc:
            raise TutorError(
                f"not enough reviews to fit the scheduler: {exc}; it keeps its parameters"
            ) from None
    result = done.fit
    _echo(f"fitted FSRS-6 to {result.reviews:,} reviews in {result.seconds:.2f} s")
    _echo(
        f"held-out log loss, {result.heldout:,} reviews of the newest fifth: "
        f"fitted {result.fitted_loss:.4f}, defaults {result.default_loss:.4f} "
        f"(± {result.noise:.4f})"
    )
    recomputed = f"; memory states of {done.cards:,} cards recomputed" if done.changed else ""
    if done.kept:
        _echo(f"kept: the scheduler uses the fitted parameters{recomputed}")
    else:
        _echo(
            "not kept: the fit is not clearly better, the scheduler uses FSRS's defaults"
            + recomputed
        )
    return 0


@main.command("learners")
@click.option(
    "--rename",
    nargs=2,
    metavar="OLD NEW",
    default=None,
    help="Give every row of learner OLD to the new name NEW (nobody's yet; not while "
    "either studies).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@_shared_options
@click.pass_context
def learners(
    ctx: click.Context,
    rename: tuple[str, str] | None,
    as_json: bool,
    decks: tuple[str, ...],
    db: str | None,
) -> int:
    """The learners of the database: reviews and last study day of each.

    \b
    Learners share a database (and its cards) and nothing else: each has their own
    queue, streak, notes and timers. Choose one with --learner NAME, TUTOR_LEARNER
    or `learner` in config.toml; the default is your system user name.
    """
    import json

    from tutor.store import queries as q
    from tutor.study.learner import learner_name
    from tutor.today import Desk

    settings = _settings(ctx, decks, db)
    with Desk.open(settings, clock=_clock()) as desk:
        if rename is not None:
            try:
                old, new = learner_name(rename[0]), learner_name(rename[1])
            except ValueError as exc:
                raise BadInput(f"--rename: {exc}") from None
            from tutor.store.lock import study_lock

            # both names' study locks: a tutor studying as either would go on writing under
            # the old name after the move (or under the new one before it)
            with (
                study_lock(settings.db_url, old),
                study_lock(settings.db_url, new),
                desk.session() as session,
            ):
                try:
                    moved = q.rename_learner(session=session, old=old, new=new)
                except ValueError as exc:
                    raise BadInput(str(exc)) from None
            _echo(f"learner '{old}' is now '{new}' ({moved:,} rows)")
            return 0
        with desk.session() as session:
            found = q.learner_summaries(session=session)
    if as_json:
        rows = [
            {
                "name": one.name,
                "reviews": one.reviews,
                "last_day": one.last_day.isoformat() if one.last_day else None,
                "you": one.name == settings.learner,
            }
            for one in found
        ]
        _echo(json.dumps({"learners": rows}))
        return 0
    if not found:
        _echo(f"No learner has studied with this database yet; you would be '{settings.learner}'.")
        return 0
    width = max(len(one.name) for one in found)
    for one in found:
        last = f"last studied {one.last_day.isoformat()}" if one.last_day else "not studied yet"
        you = "  (you)" if one.name == settings.learner else ""
        _echo(f"{one.name:<{width}}  {one.reviews:>6,} reviews  {last}{you}")
    return 0


@main.command("report")
@click.argument("deck_ids", nargs=-1, metavar="[DECK]...")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--since",
    metavar="DATE",
    default=None,
    help="Count only what happened from this study day on (YYYY-MM-DD).",
)
@_shared_options
@click.pass_context
def report(
    ctx: click.Context,
    deck_ids: tuple[str, ...],
    as_json: bool,
    since: str | None,
    decks: tuple[str, ...],
    db: str | None,
) -> int:
    """For mentors: how the cards of DECKs (default: every deck) fare with every learner.

    \b
    Per card: learners who met it, attempts, first-try success, hints, reveals,
    the median time to the first correct answer, the most frequent wrong
    answers (as the checker read them) with a `mistake:` line to add for each
    one the check block does not cover yet, and the confusion notes. The most
    troubling cards first (first-try misses + reveals + hints/2). DECK ids are
    those 'tutor deck list' shows.
    """
    import json

    from tutor.report import UnknownDeck, build_report, render_text
    from tutor.today import Desk

    day = _report_day(since)
    settings = _settings(ctx, decks, db)
    with Desk.open(settings, clock=_clock()) as desk:
        try:
            found = build_report(desk, deck_ids, day)
        except UnknownDeck as exc:
            raise BadInput(str(exc)) from None
        for notice in desk.notices:
            _echo(f"tutor: note: {notice}", err=True)
    _echo(json.dumps(found.to_json(), ensure_ascii=False) if as_json else render_text(found))
    return 0


def _report_day(value: str | None) -> Any:
    """`--since`'s study day (None when not given); anything but YYYY-MM-DD is a usage error."""
    import re
    from datetime import date

    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"--since: {value!r} is not a date YYYY-MM-DD") from None
    from tutor.study.clock import EARLIEST_YEAR, LATEST_YEAR

    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:  # as TUTOR_CLOCK's instants
        raise click.UsageError(
            f"--since: {value!r} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )
    return day


@main.command("doctor")
@_shared_options
@click.pass_context
def doctor(ctx: click.Context, decks: tuple[str, ...], db: str | None) -> int:
    """The full check of the database: every page and index (SQLite's integrity_check),
    the foreign keys, that it is a proof-tutor database, and its schema. Writes nothing.

    \b
    Prints a one-line verdict; exit status 0 when the database is sound, 1 when not.
    """
    from tutor.store.health import doctor_url

    working = _working("tutor doctor")
    try:
        report = doctor_url(_settings(ctx, decks, db).db_url, progress=working)
    finally:
        if working is not None:
            click.echo("\r\x1b[K", err=True, nl=False)
    for problem in report.problems[1:10] if len(report.problems) > 1 else ():
        _echo(f"  {problem}")
    _echo(report.verdict)
    return 0 if report.sound else 1


def _working(label: str) -> Callable[[str, float], None] | None:
    """The step under way and its seconds so far, on one line of standard error when it is a
    terminal."""
    if not sys.stderr.isatty():
        return None

    def show(step: str, seconds: float) -> None:
        click.echo(f"\r\x1b[K{label}: {step}… {seconds:.1f} s", err=True, nl=False)

    return show


@main.command("restore")
@click.argument("backup", required=False)
@_shared_options
@click.pass_context
def restore(ctx: click.Context, backup: str | None, decks: tuple[str, ...], db: str | None) -> int:
    """Go back to a backup of the database; without BACKUP, list them.

    \b
    A backup is made before the first write of each study day, and the last 7 are
    kept, in TUTOR_HOME/backups (SQLite databases only). BACKUP is a date of the
    list (2026-03-01), a file name of the list, or a path. The database as it is
    now is kept first, so a restore can be undone.
    """
    from tutor.store import backup as backups

    settings = _settings(ctx, decks, db)
    database = backups.database_file(settings.db_url)
    if backup is None:
        _echo(backups.describe_backups(database, settings.home))
        return 0
    chosen = backups.find_backup(database, settings.home, backup)
    _echo(
        backups.describe_restored(backups.restore(database, chosen, settings.home, _clock().now()))
    )
    return 0


def _quick_stats(settings: Settings) -> Any:
    """The figures read with the standard library's sqlite3 when nothing needs the full store
    (no upgrade, no sync): SQLAlchemy's import alone costs more than the figures. None if not."""
    from tutor.deck.files import deck_fingerprint, find_deck_files
    from tutor.store.quick import quick_stats
    from tutor.study.days import day_bounds, study_day

    now = _clock().now()
    today = study_day(now, None, settings.day_starts_at)
    _, end = day_bounds(today, None, settings.day_starts_at)
    files, problems = find_deck_files(settings.deck_dirs)
    figures = quick_stats(
        settings.db_url,
        fingerprint=deck_fingerprint(files),
        learner=settings.learner,
        today=today,
        end_of_today=end,
        paths=[str(path.resolve()) for path in files],
    )
    if figures is not None:
        for problem in problems:
            _echo(f"tutor: note: {problem}", err=True)
    return figures


def _full_stats(settings: Settings) -> Any:
    from tutor.today import Desk

    with Desk.open(settings, clock=_clock()) as desk:
        desk.sync()
        figures = desk.stats()
        for notice in desk.notices:
            _echo(f"tutor: note: {notice}", err=True)
        return figures


def _stats_table(data: dict[str, Any]) -> str:
    from tutor.wording import days as _days

    streak, reviews, cards = data["streak"], data["reviews"], data["cards"]
    retention, proofs = data["retention"], data["proofs"]
    rows = [
        ("streak", f"{_days(streak['current'])} (longest {_days(streak['longest'])})"),
        ("reviews", f"{reviews['total']} in all, {reviews['today']} today"),
        (
            "cards",
            f"{cards['total']}: {cards['new']} new, {cards['review']} in review, "
            f"{cards['due_today']} due today ({cards['retired']} retired)",
        ),
        (
            "proofs",
            f"{proofs['total']}: {proofs['rebuilt']} rebuilt whole, "
            f"{proofs['due_today']} due today",
        ),
        ("retention", "no reviews yet" if retention is None else f"{retention:.1%}"),
        ("next due", data["next_due"] or "nothing reviewed yet"),
    ]
    return "\n".join(f"{name:<10} {value}" for name, value in rows)


def _bold(text: str) -> str:
    return click.style(text, bold=True)


_MISSING = ("no such file or folder", "not a file or folder")


def _load(dirs: Sequence[Path]) -> Any:
    """The deck set of `dirs`; a path that is missing is noted on standard error, as `study`
    notes it (`--decks /typo` listing no decks says why)."""
    from tutor.deck.loader import load_collection

    collection = load_collection(list(dirs))
    for problem in collection.problems:
        if problem.line == 0 and problem.message in _MISSING:
            _echo(f"note: {problem.path}: {problem.message}", err=True)
    return collection


if __name__ == "__main__":  # pragma: no cover
    main()
