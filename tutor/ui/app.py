"""The terminal UI: today's card, then a calm screen until the next one; stats and decks on
top. The app only moves between screens; the desk (`tutor.today`) decides everything else.

What reads or writes the store for the app and its session screens (syncing the cards,
picking the next card, every action of a sitting, the figures of the calm screen) runs on the
app's one writer thread (`tutor.ui.writer`), never on the event loop: the screen stays alive
through a slow commit. The writer is closed when the app exits, after its last write.

    with Desk.open(settings) as desk, desk.studying():
        desk.sync()
        message = TutorApp(desk).run()
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import TextArea

from tutor.store.errors import StoreError
from tutor.study.clock import ManualClock
from tutor.ui.keys import ACTIONS, BY_NAME, key_of, keymap
from tutor.ui.screens.rest import RestScreen
from tutor.ui.screens.session import SessionScreen
from tutor.ui.writer import Writer
from tutor.wording import days, when

if TYPE_CHECKING:
    from tutor.today import Desk, Sitting

# Actions of the app itself; the session screen has the others.
APP_ACTIONS = ("stats", "decks", "quit", "wait")
SESSION_ACTIONS = ("hint", "reveal", "compare", "undo", "notes", "answer")
WAIT = 300.0
"""Seconds the `wait` key moves a simulated clock."""


class TutorApp(App[str | None]):
    TITLE = "proof-tutor"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(BY_NAME[name].key, name, BY_NAME[name].description, id=name)
            for name in APP_ACTIONS
        ),
        # from anywhere, the editor included
        Binding("ctrl+q", "save_and_quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        desk: Desk,
        *,
        first: Sitting | None = None,
        preview_delay: float = 0.6,
        ui_time: Callable[[], float] = time.monotonic,
        welcome: bool | None = None,
    ) -> None:
        """`first`: today's card when it was read on the quick path (`Desk.quick_sitting`):
        it is shown at once and the store opens in a thread. Without it the desk syncs and
        picks the card when the app starts."""
        super().__init__()
        self.desk = desk
        self.first = first
        self.preview_delay = preview_delay
        self.ui_time = ui_time
        self.welcome = welcome
        self.user_keys = keymap(desk.settings.keys)
        self.keys = {action.name: key_of(action.name, self.user_keys) for action in ACTIONS}
        """The key of each action, remapped or not, as the words on screen name it."""
        self.studied = 0
        self.writer = Writer()
        """The one thread that writes (and reads) the store for the app and its screens."""
        self.leaving = False
        self.saved = threading.Event()
        """Set once quitting has saved the card under study (`action_quit`)."""
        self._quitting: object = None  # the quitting a signal started, kept while it runs
        """Quitting: the card is being saved; no other screen comes."""

    async def on_mount(self) -> None:
        self._on_signals()
        self.set_keymap(self.user_keys)
        sitting = self.first
        welcome = self.welcome
        if sitting is None:
            try:
                sitting, welcome = await self.writer.run(self._start)
            except StoreError as failed:  # one line from the command, not a traceback
                self.exit(str(failed), return_code=1)
                return
            self._notices()
            if self.leaving:  # a signal came while the card was read
                return
        else:
            self._notices()  # an old setting read as a new one, say
            self.call_after_refresh(self._warm)
            if welcome is None:  # read with sqlite3 alone, as the card was
                welcome = not sitting.resumed and self.desk.is_new()
        if welcome and sitting is not None:
            from tutor.ui.screens.welcome import WelcomeScreen

            timer = sitting.session.facts.timer

            async def begin(_: None) -> None:
                # the card's time starts when it is shown, not while the welcome is read
                assert sitting is not None
                sitting.begin()
                await self._show(sitting)

            self.push_screen(WelcomeScreen(timer, self.keys), begin)
        else:
            await self._show(sitting)

    def _start(self) -> tuple[Sitting | None, bool]:
        """On the writer: bring the cards up to date with the decks, pick today's card, and
        say whether to welcome the learner first."""
        self.desk.sync()
        sitting = self.desk.next_sitting()
        welcome = self.welcome
        if welcome is None:
            welcome = (sitting is None or not sitting.resumed) and self.desk.is_new()
        return sitting, welcome

    def _warm(self) -> None:
        """After a quick start, open the store on the writer while the learner reads (the
        first write waits for it there, not on the loop)."""

        async def warm() -> None:
            try:
                await self.writer.run(self.desk.warm)
            except Exception as exc:  # the next action that saves reports it too
                self.notify(str(exc), severity="error", timeout=10)

        self.run_worker(warm(), group="warm", exit_on_error=False)

    async def on_unmount(self) -> None:
        """The app exits: every write asked for lands before the desk is closed."""
        await self.writer.close()

    # -- moving between cards ------------------------------------------------------------------

    async def _next_sitting(self, *, one_more: bool = False) -> Sitting | None:
        sitting = await self.writer.run(self.desk.next_sitting, one_more=one_more)
        self._notices()
        return sitting

    def _notices(self) -> None:
        for notice in self.desk.notices:
            self.notify(notice, severity="warning", timeout=8)
        self.desk.notices.clear()

    async def _show(self, sitting: Sitting | None, *, next_step: bool = False) -> None:
        screen: Screen[None]
        if self.leaving:
            return
        if sitting is None:
            streak, next_card, one_more = await self.writer.run(self._rest)
            if self.leaving:
                return
            screen = RestScreen(
                done_today=self.studied > 0,
                streak=streak,
                next_card=next_card,
                one_more=self.keys["more"] if one_more else None,
            )
        else:
            screen = SessionScreen(
                sitting,
                writer=self.writer,
                preview_delay=self.preview_delay,
                ui_time=self.ui_time,
                next_step=next_step,
            )
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _rest(self) -> tuple[str, str, bool]:
        """On the writer: what the calm screen says (the streak, the next card, whether one
        more is waiting)."""
        desk = self.desk
        streak = desk.streak()
        next_at = desk.next_card_at()
        return (
            f"{days(streak.current)} (longest {days(streak.longest)})",
            (
                when(desk, next_at)
                if next_at is not None
                else "none is waiting: every card is new with unmet prerequisites"
            ),
            desk.one_more_card() is not None,
        )

    async def on_session_screen_next(self, message: SessionScreen.Next) -> None:
        self.studied += 1
        try:
            sitting = await self._next_sitting()
        except StoreError as failed:  # the card is saved; say why the next cannot come
            self.exit(str(failed), return_code=1)
            return
        await self._show(sitting)

    async def on_session_screen_next_step(self, message: SessionScreen.NextStep) -> None:
        """A whole proof goes on to its next step, on a fresh screen."""
        await self._show(message.sitting, next_step=True)

    async def on_rest_screen_one_more(self, message: RestScreen.OneMore) -> None:
        """After the day's plan, the learner takes one more card."""
        try:
            sitting = await self._next_sitting(one_more=True)
        except StoreError as failed:
            self.exit(str(failed), return_code=1)
            return
        await self._show(sitting)

    # -- app-wide actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "wait" and not isinstance(self.desk.clock, ManualClock):
            return False  # only a simulated clock can be told to move
        if action in APP_ACTIONS and getattr(self.screen, "guarded", False):
            return False  # letters typed on after a verdict are not commands
        # letters typed into the editor are letters
        return not (action in APP_ACTIONS and isinstance(self.focused, TextArea))

    def action_wait(self) -> None:
        """With TUTOR_CLOCK's simulated clock: five minutes pass (for trying the tutor out)."""
        clock = self.desk.clock
        if isinstance(clock, ManualClock):
            clock.advance(WAIT)
            for screen in self.screen_stack:
                if isinstance(screen, SessionScreen):
                    screen.tick()

    def action_stats(self) -> None:
        from tutor.ui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self.desk))

    def _on_signals(self) -> None:
        """SIGTERM and SIGHUP (a closed terminal, `kill`) save and quit like ctrl+q, so the
        card resumes where its timer was and the terminal leaves the alternate screen."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()

        def on_signal() -> None:
            _end_after_saving(self.saved)
            self._quitting = asyncio.ensure_future(self.action_save_and_quit())

        for number in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, on_signal)

    def action_decks(self) -> None:
        from tutor.ui.screens.decks import DecksScreen

        if not isinstance(self.screen, DecksScreen):
            self.push_screen(DecksScreen(self.desk, studying=self._studying))

    def _studying(self) -> Sitting | None:
        """The sitting of the study screen, if one is open under the others."""
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                return screen.sitting
        return None

    async def action_save_and_quit(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Save and quit: the card under study resumes where its timer was. The save is
        awaited (after the action under way, if any): the app exits once it has landed."""
        self.leaving = True
        message = None
        for screen in list(self.screen_stack):
            if isinstance(screen, SessionScreen):
                message = await screen.leave()
        self.saved.set()
        self.exit(message)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette offers the same actions as the keys."""
        if isinstance(screen, SessionScreen):
            for name in SESSION_ACTIONS:
                action = BY_NAME[name]
                yield SystemCommand(
                    action.description,
                    f"{action.help} ({self.keys[name]})",
                    lambda name=name: screen.run_action(name),
                )
        if isinstance(screen, RestScreen) and screen.one_more is not None:
            action = BY_NAME["more"]
            yield SystemCommand(
                action.description,
                f"{action.help} ({self.keys['more']})",
                lambda: screen.run_action("more"),
            )
        for name in APP_ACTIONS:
            action = BY_NAME[name]
            if name == "wait" and not isinstance(self.desk.clock, ManualClock):
                continue
            yield SystemCommand(
                action.description,
                f"{action.help} ({self.keys[name]})",
                lambda name=name: self.run_action(name),
            )
        for command in super().get_system_commands(screen):
            if command.title != "Quit":  # ours saves first; one Quit in the list
                yield command


SHUTDOWN_GRACE = 3.0
"""Seconds the app has to leave after a signal's save has landed before the process ends."""
SAVE_WAIT = 60.0
"""Seconds a signal's save may take (a busy database) before the process ends without it."""


def _end_after_saving(saved: threading.Event) -> None:
    """After SIGTERM or SIGHUP, end the process once the card is saved, if the app has not left
    by then. A closed terminal hangs Textual's shutdown (its writer thread waits for the
    terminal for good: tmux kill-session, a closed window), and the process would keep the
    learner's study lock; the save itself does not need the terminal. A daemon thread: a
    normal exit does not wait for it."""

    def end() -> None:
        saved.wait(SAVE_WAIT)
        time.sleep(SHUTDOWN_GRACE)
        os._exit(0)

    threading.Thread(target=end, name="tutor-end-after-signal", daemon=True).start()
