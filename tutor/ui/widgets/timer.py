"""The confusion timer: a countdown and a quiet bar that fills as the time is sat through."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tutor.study.session import format_countdown


class ConfusionTimer(Static):
    """`Confusion timer ━━━━━━━━━─────────── 12:30 left`; once run out, a calm line saying that
    the hints are open. The bar's two parts differ in glyph, not only in colour."""

    DEFAULT_CSS = """
    ConfusionTimer { height: 1; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.remaining = 0.0
        self.total = 1.0
        self.thinking = True

    def show(self, remaining: float, total: float, *, thinking: bool) -> None:
        self.remaining, self.total, self.thinking = remaining, max(total, 1.0), thinking
        self.update(self.line(self.content_size.width or 78))

    def on_resize(self) -> None:
        self.update(self.line(self.content_size.width or 78))

    def line(self, width: int) -> Content:
        head = Content.styled("Confusion timer ", "bold")
        if not self.thinking:
            return head + Content.styled("done", "$text-muted")
        if self.remaining <= 0:
            return head + Content.styled(
                "has run out: hints and the answer are open", "$text-muted"
            )
        left = f" {format_countdown(self.remaining)} left"
        bar = max(10, width - len(head) - len(left))
        done = round(bar * (1 - self.remaining / self.total))
        return Content.assemble(
            head,
            ("━" * done, "$accent"),
            ("─" * (bar - done), "$text-muted"),
            left,
        )
