"""Exceptions shared by the tokenizer, the parser and the evaluator."""

from __future__ import annotations


class CheckInputError(Exception):
    """The text cannot be read: the verdict is ``invalid``, with a 1-based column."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class Undefined(Exception):
    """The expression has no real value at this sample point."""


class OutsideConvention(Undefined):
    """Undefined by a convention's own range, not by a real singularity: ``m!`` of a negative
    whole ``m``. ``n!/(k!(n-k)!)`` is undefined for k > n exactly where ``binomial(n, k)`` is 0,
    so such a point, against a zero, shows no difference."""


class OutOfScope(Exception):
    """The checker cannot decide this (too large, unsupported): the verdict is ``undecided``."""
