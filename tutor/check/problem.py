"""A check block made ready for judging: parse context, domains and helpers."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from tutor.check.bounds import check_sizes
from tutor.check.domains import Domains, critical_values, infer_naturals, is_piecewise
from tutor.check.equiv import Outcome, compare, seed_of
from tutor.check.form import Canon
from tutor.check.nodes import Kind, Node, free_names
from tutor.check.parser import Context, parse
from tutor.check.spec import CheckSpec
from tutor.check.values import Env, evaluate
from tutor.check.work import Rules


def _indexed(spec: CheckSpec) -> dict[str, str]:
    """Each indexed family by its name as the tokenizer spells it (`λ_1..λ_n` and
    `\\lambda_1..\\lambda_n` are the family `lambda`), with its size."""
    from tutor.check.vocab import spell

    families: dict[str, str] = {}
    for item in spec.indexed:
        head = item.split("..")[-1]
        if "_" in head:
            family, _, bound = head.partition("_")
            families[spell(family.strip())] = bound.strip().strip("{}")
    return families


@dataclass
class Problem:
    spec: CheckSpec
    ctx: Context = field(init=False)
    domains: Domains = field(init=False)

    def __post_init__(self) -> None:
        spec = self.spec
        declared = set(
            spec.real
            + spec.positive
            + spec.integer
            + spec.natural
            + spec.vectors
            + spec.matrices
            + spec.sets
        )
        families = _indexed(spec)
        declared |= {b for b in families.values() if not b.isdigit()}
        self.ctx = Context(
            functions=frozenset(spec.functions),
            declared=frozenset(declared),
            matrices=frozenset(spec.matrices),
            vectors=frozenset(spec.vectors),
            sets=frozenset(spec.sets),
            probability=frozenset(spec.probability),
            indexed=families,
            logic=spec.mode == "logic",
            set_mode=spec.mode == "set",
        )
        kinds: dict[str, str] = {}
        for key, kind in (
            ("real", "real"),
            ("positive", "positive"),
            ("integer", "integer"),
            ("natural", "natural"),
            ("vectors", "vector"),
            ("matrices", "matrix"),
            ("sets", "set"),
        ):
            for name in getattr(spec, key):
                kinds[name] = kind
        for bound in families.values():
            if not bound.isdigit():
                kinds.setdefault(bound, "natural")
        self.domains = Domains(kinds, spec.functions, spec.probability, spec.sets, families)
        if spec.matrices and not spec.vectors:
            self.domains.sizes = (3, 2)

    @cached_property
    def canon(self) -> Canon:
        """Same-form comparison; matrices and vectors do not commute."""
        fixed = frozenset(self.spec.matrices) | frozenset(self.spec.vectors)
        return Canon(fixed, self.domains.indexed, **self._canon_options())

    def _canon_options(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "identity": bool(spec.matrices or spec.vectors) and "I" not in self.domains.kinds,
            "vectors": frozenset(spec.vectors),
            "probability": frozenset(spec.probability),
            "universe": bool(spec.sets) and "Omega" not in self.domains.kinds,
        }

    @cached_property
    def step_canon(self) -> Canon:
        """Same-form comparison of a derivation's links: a term added and taken away is a
        step (x² − x + x − 1), not a repeat."""
        fixed = frozenset(self.spec.matrices) | frozenset(self.spec.vectors)
        return Canon(fixed, self.domains.indexed, padding=False, **self._canon_options())

    @cached_property
    def rules(self) -> Rules:
        """The block's using:, forbid: and allow: lines (CheckInputError if unreadable)."""
        spec = self.spec
        return Rules(
            self.ctx,
            self.canon,
            using=spec.using,
            forbid=spec.forbid,
            allow=spec.allow,
            probability=spec.probability,
            functions=spec.functions,
        )

    def read(self, text: str) -> tuple[Node, int]:
        node = parse(text, self.ctx)
        return node, check_sizes(node)

    def scalar_names(self, *nodes: Node) -> set[str]:
        names: set[str] = set()
        for node in nodes:
            names |= free_names(node)
        skip = set(self.spec.functions) | set(self.spec.probability) | set(self.spec.sets)
        skip |= set(self.domains.indexed) | {"I", "Omega"}
        for node in nodes:
            for sub in node.walk():
                if sub.kind == Kind.INDEX and sub.args[1].kind == Kind.NAME:
                    family = sub.args[0].text
                    index = sub.args[1].text
                    if index in names and index not in self.domains.kinds:
                        self.domains.kinds[index] = "subscript:" + family
        for name in infer_naturals(list(nodes)):
            if name not in self.domains.kinds:
                self.domains.kinds[name] = "natural"
        return {n for n in names if n not in skip or n in self.domains.kinds}

    def same(self, a: Node, b: Node, extra: int = 0, *, approx: bool = False) -> Outcome:
        names = self.scalar_names(a, b)
        piecewise = is_piecewise([a, b])

        def left(env: Env) -> object:
            return evaluate(a, env)

        def right(env: Env) -> object:
            return evaluate(b, env)

        return compare(
            left,
            right,
            self.domains,
            names,
            seed=seed_of(repr(a), repr(b)),
            extra_dps=extra,
            approx=approx,
            piecewise=piecewise,
            critical={n: critical_values([a, b], n) for n in names} if piecewise else None,
        )

    def question_names(self) -> set[str]:
        names: set[str] = set()
        for text in (self.spec.expect, self.spec.start):
            if text:
                with contextlib.suppress(Exception):
                    names |= free_names(parse(text, self.ctx))
        return (
            names
            | set(self.domains.kinds)
            | set(self.spec.functions)
            | set(self.spec.probability)
            | {self.spec.var}
        )
