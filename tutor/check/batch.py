"""``tutor check --jsonl`` and ``tutor check EXPECT ANSWER``: the batch interface."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import IO, Any, TextIO

from tutor.check.spec import CheckSpec
from tutor.check.verdict import Verdict


def _line(ident: Any, verdict: Verdict) -> str:
    """One output line. The id is echoed as it came, unless it holds a lone surrogate (JSON
    allows `"\\ud800"`, UTF-8 does not): then it is written with the surrogate escaped."""
    fields = {
        "id": ident,
        "verdict": verdict.verdict,
        "feedback": verdict.feedback,
        "read_as": verdict.read_as,
        "ms": verdict.ms,
    }
    line = json.dumps(fields, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(fields)  # \\u escapes throughout: the same JSON value
    return line


MAX_LINE_BYTES = 1_000_000
"""A longer input line is answered ``invalid`` unread (an answer is at most 2,000 characters)."""


def _lines(infile: IO[bytes] | IO[str]) -> Iterator[str | ValueError]:
    """The lines of ``infile`` as text, or the reason a line cannot be read: not UTF-8, or
    longer than MAX_LINE_BYTES. The read is bounded whatever the line's length."""
    while True:
        raw = _read_line(infile)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not _ended(raw):
            while raw and not _ended(raw):
                raw = _read_line(infile)
            yield ValueError(f"the line is longer than {MAX_LINE_BYTES:,} bytes")
            continue
        if isinstance(raw, str):
            yield raw
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield ValueError(f"the line is not UTF-8 (byte {exc.start + 1})")


class UnreadableInput(Exception):
    """The input file cannot be read further (an I/O error): the message names it."""


def _read_line(infile: IO[bytes] | IO[str]) -> str | bytes:
    try:
        return infile.readline(MAX_LINE_BYTES + 1)
    except OSError as exc:
        name = getattr(infile, "name", "the input")
        shown = "standard input" if name in ("<stdin>", "-", 0) else str(name)
        raise UnreadableInput(f"cannot read {shown}: {exc.strerror or exc}") from None


def _ended(raw: str | bytes) -> bool:
    return raw[-1:] in ("\n", b"\n")


def run_jsonl(
    infile: IO[bytes] | IO[str],
    outfile: TextIO,
    *,
    timeout: float = 2.0,
    spec: CheckSpec | None = None,
) -> int:
    """Judge every JSON line of ``infile`` (bytes or text); write one JSON line per input line,
    in order. A line that is not UTF-8 or not a JSON object is answered ``invalid``, and the
    batch goes on. With ``spec`` (a card's block: ``tutor check --card``), every answer is
    judged against it and the lines' other keys are ignored.

    Returns the exit status: 0 when every line was answered."""
    from tutor.check.sandbox import Checker

    with Checker(timeout=timeout) as checker:
        for raw in _lines(infile):
            start = time.perf_counter()
            ident: Any = None
            try:
                if isinstance(raw, ValueError):
                    raise raw
                obj = json.loads(raw, parse_int=_whole_number)
                if not isinstance(obj, dict):
                    raise ValueError("a JSON object is expected")
                ident = obj.get("id")
                answer = obj.get("answer")
                if not isinstance(answer, str):
                    raise ValueError("the line has no answer string")
                verdict = checker.judge(spec or CheckSpec.from_json(obj), answer)
            except (ValueError, TypeError, RecursionError) as exc:  # nested past Python's stack
                if isinstance(exc, RecursionError):
                    exc = ValueError("nested too deeply")
                verdict = Verdict(
                    "invalid",
                    f"Malformed input line: {exc}",
                    "",
                    round((time.perf_counter() - start) * 1000, 3),
                )
            outfile.write(_line(ident, verdict) + "\n")
            outfile.flush()
    return 0


def _whole_number(text: str) -> int:
    """A JSON integer, refused in words when Python would refuse it with advice about its own
    settings (thousands of digits)."""
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        raise ValueError(f"a number of {digits:,} digits (at most {MAX_DIGITS:,})")
    return int(text)


MAX_DIGITS = 4_300
"""The longest integer a JSON line may hold (Python's own limit for reading one)."""


def judge_one_cli(
    expect: str,
    answer: str,
    mode: str = "equivalent",
    declarations: dict[str, str] | None = None,
    *,
    timeout: float = 2.0,
) -> str:
    """Judge one answer and return printable text for ``tutor check``."""
    obj: dict[str, Any] = {"expect": expect, "mode": mode}
    obj.update(declarations or {})
    return judge_spec_cli(CheckSpec.from_json(obj), answer, timeout=timeout)


def judge_spec_cli(spec: CheckSpec, answer: str, *, timeout: float = 2.0) -> str:
    """Judge one answer against ``spec`` (a card's own block: ``tutor check --card``) and
    return the printable text ``tutor check`` shows."""
    from tutor.check.clean import strip_controls as clean
    from tutor.check.sandbox import Checker

    with Checker(timeout=timeout) as checker:
        verdict = checker.judge(spec, answer)
    lines = [f"verdict:  {verdict.verdict}"]
    if verdict.read_as:
        lines.append(f"read as:  {verdict.read_as}")
    if verdict.feedback:
        lines.append(f"feedback: {verdict.feedback}")
    if verdict.column is not None:
        lines.append(f"column:   {verdict.column}")
    lines.append(f"time:     {verdict.ms:.1f} ms")
    return clean("\n".join(lines))
