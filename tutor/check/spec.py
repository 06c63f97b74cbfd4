"""A check block, as the checker sees it: mode, expectation, declarations and lint lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

MODES = ("equivalent", "set", "logic", "numeric", "antiderivative", "derivation")
REPEATING = ("accept", "reject", "mistake", "using", "forbid", "allow", "via")
# Every key a check block may have; the linter warns about any other.
KEYS = (
    "expect",
    "mode",
    "from",
    "var",
    "indexed",
    "tolerance",
    "factor",
    "form",
    "lhs",
    "intermediate",
    *REPEATING,
)
DECLARATIONS = (
    "real",
    "positive",
    "integer",
    "natural",
    "vectors",
    "matrices",
    "sets",
    "probability",
    "functions",
)


def _names(value: str) -> tuple[str, ...]:
    """Declared names as the tokenizer spells them: `σ` and `\\sigma` are `sigma`."""
    from tutor.check.vocab import spell

    return tuple(spell(part) for part in value.replace(",", " ").split() if part)


@dataclass(frozen=True)
class CheckSpec:
    """The keys of one ``check`` block (see check-language.md)."""

    expect: str = ""
    mode: str = "equivalent"
    start: str = ""  # the ``from`` key of a derivation
    var: str = "x"
    real: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    integer: tuple[str, ...] = ()
    natural: tuple[str, ...] = ()
    vectors: tuple[str, ...] = ()
    matrices: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    probability: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()
    tolerance: str = ""
    factor: str = ""
    form: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    mistake: tuple[str, ...] = ()
    using: tuple[str, ...] = ()  # what the answer is built from ("in terms of")
    forbid: tuple[str, ...] = ()  # operators, functions, sub-expressions it may not contain
    allow: tuple[str, ...] = ()  # event operators allowed though the expectation has none
    via: tuple[str, ...] = ()  # derivation: expressions the chain must pass through
    lhs: str = ""  # the name of the card's subject: `lhs: h'(x)` reads `h'(x) = …`
    intermediate: str = ""  # derivation: the least number of expressions between the ends
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]]) -> CheckSpec:
        """Build a spec from ``key: value`` lines; repeating keys collect, unknown keys are kept
        in ``extra`` and otherwise ignored."""
        single: dict[str, str] = {}
        lists: dict[str, list[str]] = {key: [] for key in REPEATING}
        for raw_key, raw_value in pairs:
            key = raw_key.strip().lower()
            value = raw_value.strip()
            if key in REPEATING:
                lists[key].append(value)
            elif key in single and key in (*DECLARATIONS, "indexed", "form"):
                single[key] = single[key] + " " + value
            else:
                single[key] = value
        return cls._build(single, lists)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> CheckSpec:
        """Build a spec from a JSON object (lists allowed for accept/reject/mistake and for
        declarations)."""
        single: dict[str, str] = {}
        lists: dict[str, list[str]] = {key: [] for key in REPEATING}
        for raw_key, value in obj.items():
            key = str(raw_key).strip().lower()
            if key in REPEATING:
                items = value if isinstance(value, list) else [value]
                lists[key].extend(str(item) for item in items if item is not None)
            elif isinstance(value, list):
                single[key] = " ".join(str(item) for item in value)
            elif value is not None and isinstance(value, str | int | float):
                single[key] = str(value)
        return cls._build(single, lists)

    @classmethod
    def _build(cls, single: dict[str, str], lists: dict[str, list[str]]) -> CheckSpec:
        mode = single.get("mode", "equivalent").strip().lower() or "equivalent"
        known = {*KEYS, *DECLARATIONS}
        return cls(
            expect=single.get("expect", ""),
            mode=mode,
            start=single.get("from", ""),
            var=single.get("var", "x").strip() or "x",
            real=_names(single.get("real", "")),
            positive=_names(single.get("positive", "")),
            integer=_names(single.get("integer", "")),
            natural=_names(single.get("natural", "")),
            vectors=_names(single.get("vectors", "")),
            matrices=_names(single.get("matrices", "")),
            sets=_names(single.get("sets", "")),
            probability=_names(single.get("probability", "")),
            functions=_names(single.get("functions", "")),
            indexed=_names(single.get("indexed", "")),
            tolerance=single.get("tolerance", "").strip(),
            factor=single.get("factor", "").strip(),
            form=tuple(f.lower() for f in _names(single.get("form", ""))),
            accept=tuple(lists["accept"]),
            reject=tuple(lists["reject"]),
            mistake=tuple(lists["mistake"]),
            using=tuple(lists["using"]),
            forbid=tuple(lists["forbid"]),
            allow=tuple(lists["allow"]),
            via=tuple(lists["via"]),
            lhs=single.get("lhs", "").strip(),
            intermediate=single.get("intermediate", "").strip(),
            extra={k: v for k, v in single.items() if k not in known},
        )

    def to_json(self) -> dict[str, Any]:
        """The spec as the JSON object ``from_json`` reads (for the sandbox and batch)."""
        obj: dict[str, Any] = {"expect": self.expect, "mode": self.mode, "var": self.var}
        if self.start:
            obj["from"] = self.start
        for key in (*DECLARATIONS, "indexed", "form"):
            names: tuple[str, ...] = getattr(self, key)
            if names:
                obj[key] = " ".join(names)
        if self.tolerance:
            obj["tolerance"] = self.tolerance
        if self.factor:
            obj["factor"] = self.factor
        if self.lhs:
            obj["lhs"] = self.lhs
        if self.intermediate:
            obj["intermediate"] = self.intermediate
        for key in REPEATING:
            values: tuple[str, ...] = getattr(self, key)
            if values:
                obj[key] = list(values)
        return obj


class SpecProblem(NamedTuple):
    """A problem the deck linter reports, at the line of the key it names: `key` is `mode`,
    `expect`, `from`, `accept`, `reject`, `mistake` or `reference` (the card's answer), and
    `nth` counts the occurrences of a repeating key from 0."""

    key: str
    nth: int
    message: str
    warning: bool = False  # reported, but does not fail the lint

    def __str__(self) -> str:
        return self.message
