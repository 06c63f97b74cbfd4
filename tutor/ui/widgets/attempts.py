"""The verdict on the latest attempt, with its feedback, and the attempts before it."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tutor.study.session import Attempt, format_countdown
from tutor.ui.text import lines, plain

MARKS = {
    "correct": ("✓", "$success"),
    "incorrect": ("✗", "$error"),
    "invalid": ("?", "$warning"),
    "undecided": ("~", "$warning"),
    "": ("·", "$text-muted"),
}


class Attempts(Static):
    DEFAULT_CSS = """
    Attempts { height: auto; padding: 0 1; margin-top: 1; }
    Attempts.-empty { display: none; }
    """

    def show(self, attempts: list[Attempt], *, checking: str | None = None) -> None:
        """`checking`: the answer being checked right now, if any."""
        parts: list[Content] = []
        if checking is not None:
            parts.append(plain("Checking your answer…", "italic $text-muted"))
        if attempts:
            latest = attempts[-1]
            mark, colour = MARKS.get(latest.verdict, MARKS[""])
            word = latest.verdict or "submitted"
            head = plain(f"{mark} {word}", f"bold {colour}")
            feedback = latest.feedback.strip()
            if feedback and feedback.strip(" .").lower() != latest.verdict:
                head += plain(f": {feedback}")
            parts.append(head)
            if latest.read_as and latest.verdict in ("incorrect", "undecided"):
                parts.append(plain(f"  read as: {latest.read_as}", "$text-muted"))
            if len(attempts) > 1:
                parts.append(plain(f"Attempts so far ({len(attempts)}):", "$text-muted"))
                for n, attempt in enumerate(attempts, 1):
                    mark, _ = MARKS.get(attempt.verdict, MARKS[""])
                    first = attempt.answer.strip().splitlines()[0] if attempt.answer.strip() else ""
                    if len(first) > 50:
                        first = first[:49] + "…"
                    at = format_countdown(attempt.active_seconds)
                    parts.append(
                        plain(
                            f"  {n}. {mark} {first}  ({attempt.verdict or 'submitted'}, at {at})",
                            "$text-muted",
                        )
                    )
        self.set_class(not parts, "-empty")
        self.update(lines(*parts) if parts else "")
