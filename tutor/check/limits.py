"""Size limits applied to untrusted text before any sympy work."""

from __future__ import annotations

MAX_LENGTH = 2000  # characters of one answer or expectation
MAX_DEPTH = 50  # nesting of brackets and operators
MAX_DIGITS = 30  # digits of one number literal
MAX_EXPONENT = 1000  # |constant exponent|; a power of a non-constant base is bounded below
MAX_POLY_EXPONENT = 64  # |integer exponent| of a non-constant base
MAX_FACTORIAL = 200  # largest argument of n! or binomial(n, k) we evaluate
MAX_TERMS = 2000  # terms of a sum or product evaluated at one sample point
MAX_NODES = 600  # nodes of one parsed expression
MAX_MAGNITUDE_BITS = 4000  # a sample value beyond 2**this is treated as out of scope
MAX_SCIENTIFIC_EXPONENT = 400  # |exponent| of a number written 1.5e-3 or 2.5×10^6
