"""The linter's report, as `file:line: message` lines or as the JSON contract."""

from __future__ import annotations

import json

from tutor.deck.loader import summarize
from tutor.deck.model import Collection, Problem


def _problem_json(problem: Problem) -> dict[str, object]:
    return {"file": problem.path, "line": problem.line, "message": problem.message}


def report_json(collection: Collection, elsewhere: Collection | None = None) -> str:
    """`{"decks", "cards", "checkable", "self_assessed", "proofs", "steps", "errors",
    "warnings"}`; `decks` counts decks that are not proofs, `cards` every card and step. With
    `elsewhere` (the rest of the deck set, when files were named), also
    `"elsewhere": {"errors", "warnings"}`, the counts of its problems."""
    data: dict[str, object] = dict(summarize(collection.decks))
    data["errors"] = [_problem_json(p) for p in collection.errors]
    data["warnings"] = [_problem_json(p) for p in collection.warnings]
    if elsewhere is not None:
        data["elsewhere"] = {
            "errors": len(elsewhere.errors),
            "warnings": len(elsewhere.warnings),
        }
    return json.dumps(data, ensure_ascii=False, indent=2)


def elsewhere_note(elsewhere: Collection) -> str | None:
    """One line saying that the rest of the deck set has problems too (None if it has none)."""
    errors, warnings = len(elsewhere.errors), len(elsewhere.warnings)
    if not errors and not warnings:
        return None
    counts = ", ".join(
        f"{n} {noun}{_s(n)}" for n, noun in ((errors, "error"), (warnings, "warning")) if n
    )
    return (
        f"note: the rest of the deck set has problems too ({counts}), not counted here; "
        "'tutor deck check' without PATH lists them"
    )


def report_text(collection: Collection, elsewhere: Collection | None = None) -> str:
    """Every problem as `file:line: message`, then (with `elsewhere`, the rest of the deck
    set) one line if it has problems too, then the counts."""
    lines = [str(p) for p in collection.problems]
    note = elsewhere_note(elsewhere) if elsewhere is not None else None
    if note is not None:
        lines.append(note)
    counts = summarize(collection.decks)
    errors, warnings = len(collection.errors), len(collection.warnings)
    what = (
        f"{counts['decks']} deck{_s(counts['decks'])}, {counts['cards']} card{_s(counts['cards'])}"
        f" ({counts['checkable']} machine-checked, {counts['self_assessed']} self-assessed), "
        f"{counts['proofs']} proof{_s(counts['proofs'])} with {counts['steps']} "
        f"step{_s(counts['steps'])}"
    )
    if errors:
        lines.append(f"{errors} error{_s(errors)}, {warnings} warning{_s(warnings)} in {what}")
    else:
        lines.append(f"ok: {what}" + (f"; {warnings} warning{_s(warnings)}" if warnings else ""))
    return "\n".join(lines)


def _s(n: int) -> str:
    return "" if n == 1 else "s"
