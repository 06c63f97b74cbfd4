"""The verdict a check returns: what was decided, why, and how the answer was read."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

VERDICTS = ("correct", "incorrect", "invalid", "undecided")


@dataclass(frozen=True)
class Verdict:
    """The outcome of judging one answer.

    ``verdict`` is one of :data:`VERDICTS`; ``feedback`` is one or two sentences for the
    learner; ``read_as`` is the answer as the checker understood it, in plain math;
    ``ms`` is the time spent judging; ``column`` (1-based) points at the problem in an
    ``invalid`` answer; ``told`` says the feedback states the expected answer (a deck's mistake
    message that gives it away), which the session counts as a hint.
    """

    verdict: str
    feedback: str = ""
    read_as: str = ""
    ms: float = 0.0
    column: int | None = None
    told: bool = False

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Verdict:
        column = obj.get("column")
        return cls(
            verdict=str(obj["verdict"]),
            feedback=str(obj.get("feedback", "")),
            read_as=str(obj.get("read_as", "")),
            ms=float(obj.get("ms", 0.0)),
            column=int(column) if column is not None else None,
            told=bool(obj.get("told", False)),
        )
