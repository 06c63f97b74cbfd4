"""The deck browser: the decks with their counts, a deck's cards with where each stands, and
a card's preview. The preview shows the question, not the answer: looking a card up before its
turn should not spoil the reconstruction; the answer waits for its own key.

Three levels on one screen: escape goes back one, and from the decks closes the browser (as
does the decks key from anywhere). The figures come from `tutor.overview`.

Under a deck's cards, a mentor's line: how the highlighted card fares with every learner of the
database (`tutor.report`, the figures of `tutor report`), read in a worker when the deck opens."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Static

from tutor.check.clean import strip_controls
from tutor.overview import (
    CardOverview,
    CardPreview,
    CardStatus,
    DeckSummary,
    card_preview,
    deck_cards,
    deck_summaries,
)
from tutor.study.session import Phase
from tutor.ui.text import lines, plain

if TYPE_CHECKING:
    from collections.abc import Callable

    from tutor.report import CardReport
    from tutor.today import Desk, Sitting

Level = Literal["decks", "cards", "card"]
PANES: dict[Level, str] = {"decks": "decks-list", "cards": "decks-cards", "card": "decks-card"}


def due_text(card: CardOverview, today: date) -> str:
    """When a card is due, as a short column: today, tomorrow, a date (— when new)."""
    day = card.due_day
    if day is None:
        return "—"
    if card.due_now or day <= today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day.year == today.year:
        return f"{day:%a} {day.day} {day:%b}"
    return f"{day.day} {day:%b} {day.year}"


def _fit(text: str, width: int) -> Text:
    cell = Text(strip_controls(text), no_wrap=True, overflow="ellipsis")
    cell.truncate(max(width, 4), overflow="ellipsis")
    return cell


def _number(n: int) -> Text:
    return Text(str(n), justify="right")


class DecksScreen(Screen[None]):
    """`DecksScreen(desk)`: enter opens a deck or a card, escape goes back, `a` shows or hides
    a card's answer, the decks key closes the browser."""

    CSS_PATH = "decks.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("a", "answer", "Answer"),
        # the key that opened the browser closes it (remapped with it: same binding id)
        Binding("d", "close", "Close", id="decks"),
    ]

    def __init__(
        self,
        desk: Desk,
        *,
        studying: Callable[[], Sitting | None] | None = None,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        """`studying` gives the sitting under way, if any (the app's study screen's): its
        card's answer is not the browser's to show."""
        super().__init__(name=name, id=id)
        self.desk = desk
        self.studying = studying
        self.level: Level = "decks"
        self.deck: DeckSummary | None = None
        self.summaries: list[DeckSummary] = []
        self.cards: list[CardOverview] = []
        self.preview: CardPreview | None = None
        self.answer_shown = False
        self.figures: dict[str, CardReport] | None = None
        """How the open deck's cards fare with every learner (None: not read yet)."""

    def compose(self) -> ComposeResult:
        yield Static(plain("Decks", "bold"), id="decks-where")
        with ContentSwitcher(initial=PANES["decks"], id="decks-panes"):
            yield DataTable(id=PANES["decks"], cursor_type="row", zebra_stripes=True)
            yield DataTable(id=PANES["cards"], cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id=PANES["card"]):
                yield Static(id="decks-card-text")
                yield Static(id="decks-card-answer")
                yield Static(id="decks-card-why")
        yield Static(id="decks-figures")
        yield Static(plain("Reading the decks…", "$text-muted"), id="decks-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="decks")
    async def load(self) -> None:
        from tutor.store.errors import StoreError

        try:
            summaries = await asyncio.to_thread(deck_summaries, self.desk)
        except StoreError as failed:
            self._hint(f"Cannot read the decks' progress: {failed}")
            return
        self.show_decks(summaries)

    # -- the three levels ----------------------------------------------------------------------

    def show_decks(self, summaries: list[DeckSummary]) -> None:
        self.summaries = summaries
        table = self.query_one(f"#{PANES['decks']}", DataTable)
        table.clear(columns=True)
        fixed = 5 + 5 + 3 + 3 + 13 + 2 * 6 + 4  # the other columns, cell padding, margins
        width = max(20, self.size.width - fixed)
        table.add_column("Deck", key="title")
        table.add_column("Kind", key="kind")
        table.add_column("Cards", key="cards")
        table.add_column("New", key="new")
        table.add_column("Due", key="due")
        table.add_column("Reconstructed", key="reconstructed")
        for deck in summaries:
            title = _fit(deck.title, width)
            if deck.problems:
                noun = "problem" if deck.problems == 1 else "problems"
                title = _fit(f"{deck.title} ({deck.problems} {noun})", width)
            table.add_row(
                title,
                Text("proof" if deck.is_proof else "deck"),
                _number(deck.cards),
                _number(deck.new),
                _number(deck.due),
                _number(deck.reconstructed),
                key=deck.deck_id,
            )
        if summaries:
            self._hint("enter opens a deck")
        else:
            self._hint("No decks found: point the tutor at a folder of decks with --decks DIR")
        self._go("decks")

    def show_cards(self, deck: DeckSummary) -> None:
        from tutor.store.errors import StoreError

        try:
            cards = deck_cards(self.desk, deck.deck_id)
        except StoreError as failed:
            self.notify(f"Cannot read the deck's cards: {failed}", severity="error", timeout=10)
            return
        self.deck = deck
        self.cards = cards
        today = self.desk.today()
        table = self.query_one(f"#{PANES['cards']}", DataTable)
        table.clear(columns=True)
        fixed = 4 + 12 + 14 + 4 + 2 * 5 + 4
        width = max(16, self.size.width - fixed)
        table.add_column("#", key="position")
        table.add_column("Card", key="title")
        table.add_column("State", key="status")
        table.add_column("Due", key="due")
        table.add_column("Run", key="run")
        for card in self.cards:
            table.add_row(
                _number(card.position + 1),
                _fit(card.title, width),
                Text(card.status.value),
                Text(due_text(card, today)),
                _number(card.run) if card.status is not CardStatus.NEW else Text("—"),
                key=card.card_id,
            )
        self._hint(
            "enter previews a card · run: reconstructions in a row"
            if self.cards
            else "This deck has no cards."
        )
        self._go("cards")
        self.figures = None
        self._show_figures()
        if self.cards:
            self.load_figures(deck.deck_id)

    # -- the mentor's line: every learner's figures of the highlighted card --------------------

    @work(exclusive=True, group="figures")
    async def load_figures(self, deck_id: str) -> None:
        """Read how the deck's cards fare with every learner (one report, in a thread: on a
        large database its aggregates take a while), then show the highlighted card's."""
        from tutor.report import build_report

        try:
            report = await asyncio.to_thread(build_report, self.desk, [deck_id], suggest=False)
        except Exception as failed:  # a store failure, a deck gone since: one line, no crash
            self._figures_text(f"Cannot read how learners fare: {failed}")
            return
        if self.deck is None or self.deck.deck_id != deck_id:
            return  # another deck was opened meanwhile
        self.figures = {card.card_id: card for card in report.cards}
        self._show_figures()

    def _highlighted(self) -> str | None:
        """The id of the card the figures are for: the one previewed, or highlighted."""
        if self.level == "card" and self.preview is not None:
            return self.preview.card.card_id
        table = self.query_one(f"#{PANES['cards']}", DataTable)
        if not self.cards or table.row_count == 0:
            return None
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return row.value

    def _show_figures(self) -> None:
        from tutor.report import figures_line, wrong_line

        shown = self.query_one("#decks-figures", Static)
        shown.display = self.level != "decks" and bool(self.cards)
        if not shown.display:
            return
        if self.figures is None:
            self._figures_text("Every learner: reading how this deck's cards fare…")
            return
        card = self.figures.get(self._highlighted() or "")
        if card is None:
            self._figures_text("Every learner: no figures for this card.")
            return
        parts: list[Content | str] = [plain(f"Every learner: {figures_line(card)}", "$text-muted")]
        wrong = wrong_line(card)
        if wrong:
            parts.append(plain(wrong, "$text-muted"))
        shown.update(lines(*parts))

    def _figures_text(self, text: str) -> None:
        self.query_one("#decks-figures", Static).update(plain(text, "$text-muted"))

    @on(DataTable.RowHighlighted, f"#{PANES['cards']}")
    def _card_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        if self.level == "cards":
            self._show_figures()

    def show_card(self, preview: CardPreview) -> None:
        self.preview = preview
        self.answer_shown = False
        card = preview.card
        today = self.desk.today()
        facts = [preview.deck_title, card.kind, card.status.value]
        if card.due_day is not None:
            facts.append(f"due {due_text(card, today)}")
        if card.status is not CardStatus.NEW:
            facts.append(f"{card.run} in a row")
        parts: list[Content | str] = [
            plain(card.title, "bold"),
            plain(" · ".join(facts), "$text-muted"),
        ]
        if preview.statement is not None:
            parts += ["", plain("Statement", "$text-muted"), plain(preview.statement)]
        if preview.step is not None:
            parts += ["", plain(preview.step.capitalize(), "$text-muted")]
        parts += ["", plain(preview.prompt)]
        about = [f"{preview.hints} hint{'' if preview.hints == 1 else 's'}"]
        if preview.checked:
            about.append("checked by machine")
        elif preview.key_ideas:
            about.append(f"self-assessed on {preview.key_ideas} key ideas")
        if preview.requires:
            about.append("builds on " + ", ".join(preview.requires))
        parts += ["", plain(" · ".join(about), "$text-muted")]
        self.query_one("#decks-card-text", Static).update(lines(*parts))
        why = self.query_one("#decks-card-why", Static)
        shown_why = preview.why is not None and not self._under_study(card.card_id)
        if preview.why is not None:
            why.update(lines(plain("Why it matters", "$text-muted"), plain(preview.why)))
        why.display = shown_why
        self._show_answer(False)
        self._go("card")
        self._show_figures()
        self.query_one(f"#{PANES['card']}", VerticalScroll).scroll_home(animate=False)

    def _show_answer(self, shown: bool) -> None:
        self.answer_shown = shown
        answer = self.query_one("#decks-card-answer", Static)
        preview = self.preview
        if preview is not None and self._under_study(preview.card.card_id):
            self.answer_shown = False
            answer.update(
                plain(
                    "You are studying this card: its answer shows in the study screen, when you "
                    "reveal it or the card is done.",
                    "$text-muted",
                )
            )
            answer.set_class(False, "-shown")
        elif preview is None or preview.answer is None:
            answer.update(plain("This card has no written answer.", "$text-muted"))
            answer.set_class(False, "-shown")
        elif shown:
            answer.update(lines(plain("Answer", "bold"), plain(preview.answer)))
            answer.set_class(True, "-shown")
            answer.scroll_visible(animate=False)
        else:
            answer.update(
                plain(
                    "Answer hidden, so the card can still surprise you: a shows it.", "$text-muted"
                )
            )
            answer.set_class(False, "-shown")
        if self.level == "card":
            self._hint("a hides the answer" if shown else "a shows the answer")

    def _under_study(self, card_id: str) -> bool:
        """`card_id` is the card of the sitting under way, not yet done (or a step of the whole
        proof being rebuilt): the browser shows neither its answer nor why it matters, which
        would open the answer before its timer, or without a reveal's rating."""
        sitting = self.studying() if self.studying is not None else None
        if sitting is None or sitting.phase is Phase.DONE:
            return False
        ids = {sitting.card_id, sitting.card.id}
        if sitting.proof is not None:
            ids |= {step.id for step in sitting.deck.cards}
        return card_id in ids

    def _go(self, level: Level) -> None:
        self.level = level
        self.query_one("#decks-panes", ContentSwitcher).current = PANES[level]
        where = ["Decks"]
        if level != "decks" and self.deck is not None:
            where.append(self.deck.title)
        if level == "card" and self.preview is not None:
            where.append(self.preview.card.title)
        self.query_one("#decks-where", Static).update(plain(" › ".join(where), "bold"))
        if level == "card":
            self._hint("a shows the answer")
        self.query_one(f"#{PANES[level]}").focus()
        self.refresh_bindings()

    def _hint(self, text: str) -> None:
        self.query_one("#decks-hint", Static).update(plain(text, "$text-muted"))

    # -- keys ----------------------------------------------------------------------------------

    @on(DataTable.RowSelected, f"#{PANES['decks']}")
    def _deck_chosen(self, event: DataTable.RowSelected) -> None:
        deck = next((d for d in self.summaries if d.deck_id == event.row_key.value), None)
        if deck is not None:
            self.show_cards(deck)

    @on(DataTable.RowSelected, f"#{PANES['cards']}")
    def _card_chosen(self, event: DataTable.RowSelected) -> None:
        if self.deck is None or event.row_key.value is None:
            return
        from tutor.store.errors import StoreError

        try:
            preview = card_preview(self.desk, self.deck.deck_id, event.row_key.value)
        except StoreError as failed:
            self.notify(f"Cannot read the card: {failed}", severity="error", timeout=10)
            return
        if preview is not None:
            self.show_card(preview)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return self.level == "card"
        return True

    def action_answer(self) -> None:
        if self.level == "card":
            self._show_answer(not self.answer_shown)

    def action_back(self) -> None:
        if self.level == "card":
            self._go("cards")
            self._hint("enter previews a card · run: reconstructions in a row")
            self._show_figures()
        elif self.level == "cards":
            self._go("decks")
            self._hint("enter opens a deck")
            self._show_figures()
        else:
            self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
