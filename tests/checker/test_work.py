""" "Correct" only when the learner did the work: restatements, do-nothing derivations, misread
numbers, silently dropped input, and the keys that let a card say what an answer is built from.

Each class of mistake has its own cases, near misses included, and honest answers beside them so
that a rule that refuses everything fails here too."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.check import CheckSpec, judge, lint_spec

C, N, INV = "correct", "not-correct", "invalid"

IE = {"expect": "P(A) + P(B) - P(A ∩ B)", "sets": "A B", "probability": "P"}
IE_USING = {**IE, "using": "P(A) P(B) P(A ∩ B)"}
COND = {"expect": "P(A ∩ B)/P(B)", "sets": "A B", "probability": "P"}
BAYES = {
    "expect": "P(B|A) P(A)/P(B)",
    "sets": "A B",
    "probability": "P",
    "using": "P(B|A), P(A), P(B)",
}
TOTAL = {
    "expect": "P(A|B) P(B) + P(A|B^c) P(B^c)",
    "sets": "A B",
    "probability": "P",
    "using": "P(A|B), P(A|B^c), P(B), P(B^c)",
}
COMPLEMENT = {"expect": "1 - P(A)", "sets": "A", "probability": "P"}
DIFFERENCE = {"expect": "P(B) - P(A ∩ B)", "sets": "A B", "probability": "P"}
EXP_RULE = {
    "expect": "u v",
    "positive": "u v",
    "reject": "exp(log(u v))",
    "forbid": "exp, log",
}
TRANSPOSE = {"expect": "X W^T", "matrices": "W X", "reject": "(W X^T)^T"}
INVERSE = {"expect": "B^(-1) A^(-1) y", "matrices": "A B", "vectors": "y", "forbid": "(A B)^(-1)"}
IE_REJECT = {**IE, "allow": "∪", "reject": "P(A ∪ B)"}
QUADRATIC = {"expect": "x^T A^T y", "matrices": "A", "vectors": "x y", "reject": "(A x)^T y"}
CANCEL = {"expect": "x + 1", "reject": "(x^2-1)/(x-1)"}
NORM_DERIV = {
    "mode": "derivation",
    "from": "|u + v|^2",
    "expect": "|u|^2 + 2 u·v + |v|^2",
    "vectors": "u v",
}
SHIFT_VIA = {
    "mode": "derivation",
    "indexed": "z_1..z_K",
    "real": "c",
    "from": "e^(z_i + c)/sum_{j=1}^{K} e^(z_j + c)",
    "expect": "e^(z_i)/sum_{j=1}^{K} e^(z_j)",
    "via": "e^c e^(z_i)/(e^c sum_{j=1}^{K} e^(z_j))",
}
LSE = {
    "expect": "m + log(sum_{k=1}^{K} e^(z_k - m))",
    "indexed": "z_1..z_K",
    "real": "m",
    "reject": "log(sum_{k=1}^{K} e^(z_k))",
}
CHAIN = {"expect": "fp(g(x)) gp(x)", "functions": "f g h fp gp", "lhs": "h'(x)"}
DERIV = {"mode": "derivation", "from": "(a+b)^2", "expect": "a^2 + 2ab + b^2"}
DERIV_VIA = {**DERIV, "via": "(a+b)(a+b)"}
DERIV_TWO = {**DERIV, "intermediate": "2"}
DERIV_ZERO = {**DERIV, "intermediate": "0"}
SQUARE_DIFF = {"mode": "derivation", "from": "(x-1)(x+1)", "expect": "x^2 - 1"}
DOUBLE_ANGLE = {"mode": "derivation", "from": "sin(2x)", "expect": "2 sin(x) cos(x)"}
BINOMIAL_ONE = {"mode": "derivation", "from": "(x+1)^2", "expect": "x^2 + 2x + 1"}
HALVES = {"mode": "derivation", "from": "x/2 + 1", "expect": "(x+2)/2"}
SPLIT = {"mode": "derivation", "from": "(4x+2)/2", "expect": "2x + 1"}
SQUARE_PLUS = {"mode": "derivation", "from": "x^2 + 2x", "expect": "(x+1)^2 - 1"}
SQUARE_SPLIT = {"mode": "derivation", "from": "x^2 + 6x + 5", "expect": "(x+3)^2 - 4"}
PRODUCT = {"mode": "derivation", "from": "(x+2)(x-3)", "expect": "x^2 - x - 6"}
REDUCE = {"expect": "1/2", "reject": "2/4"}
REDUCE_X = {"expect": "3x/2", "reject": "6x/4"}
CANCEL_TWO = {"expect": "x", "reject": "2x/2"}
NUMERIC = {"mode": "numeric", "expect": "16", "factor": "1.5"}
NUMERIC_TOL = {"mode": "numeric", "expect": "2.5e6", "tolerance": "1%"}
VECTORS = {"expect": "u^T v", "vectors": "u v"}
OUTER = {"expect": "u v^T w", "vectors": "u v w"}

CASES: list[tuple[str, dict[str, Any], str, str]] = [
    # -- restatements caught by the probability default ------------------------------------
    ("ie-union", IE, "P(A ∪ B)", N),
    ("ie-union-latex", IE, r"P(A \cup B)", N),
    ("ie-union-scaled", IE, "2P(A ∪ B) - P(B ∪ A)", N),
    ("ie-de-morgan", IE, "1 - P(A^c ∩ B^c)", N),
    ("ie-disjoint-split", IE, "P(A) + P(B ∩ A^c)", N),
    ("ie-setminus", IE, "P(A) + P(B ∖ A)", N),
    ("ie-honest", IE, "P(B) + P(A) - P(B ∩ A)", C),
    ("ie-honest-order", IE, "P(A) - P(A ∩ B) + P(B)", C),
    ("ie-honest-latex", IE, r"P(A)+P(B)-P(A \cap B)", C),
    ("ie-wrong", IE, "P(A) + P(B)", N),
    ("ie-using-union", IE_USING, "P(A ∪ B)", N),
    ("ie-using-honest", IE_USING, "P(B ∩ A) - P(A) * -1 + P(B) - 2 P(A ∩ B)", C),
    ("cond-bar", COND, "P(A|B)", N),
    ("cond-bar-latex", COND, r"P(A \mid B)", N),
    ("cond-honest", COND, r"\frac{P(B \cap A)}{P(B)}", C),
    ("complement-restated", COMPLEMENT, "P(A^c)", N),
    ("complement-overline", COMPLEMENT, r"P(\overline{A})", N),
    ("complement-honest", COMPLEMENT, "1-P(A)", C),
    ("complement-honest-2", COMPLEMENT, "-P(A) + 1", C),
    ("difference-restated", DIFFERENCE, "P(B ∖ A)", N),
    ("difference-complement", DIFFERENCE, "P(B ∩ A^c)", N),
    ("difference-honest", DIFFERENCE, "P(B) - P(B ∩ A)", C),
    # -- using: ------------------------------------------------------------------------------
    ("bayes-restated", BAYES, "P(A|B)", N),
    ("bayes-definition", BAYES, "P(A ∩ B)/P(B)", N),
    ("bayes-honest", BAYES, "P(A) P(B|A) / P(B)", C),
    ("bayes-honest-latex", BAYES, r"\frac{P(B \mid A) P(A)}{P(B)}", C),
    ("bayes-wrong", BAYES, "P(B|A)/P(B)", N),
    ("total-restated", TOTAL, "P(A)", N),
    ("total-intersections", TOTAL, "P(A ∩ B) + P(A ∩ B^c)", N),
    ("total-honest", TOTAL, "P(B^c) P(A|B^c) + P(B) P(A|B)", C),
    # -- reject: honoured by form ------------------------------------------------------------
    ("exp-restated", EXP_RULE, "exp(log(u v))", N),
    ("exp-restated-commuted", EXP_RULE, "exp(log(v*u))", N),
    ("exp-restated-power", EXP_RULE, "e^(log(u) + log(v))", N),
    ("exp-restated-ln", EXP_RULE, "e^(ln(u v))", N),
    ("exp-honest", EXP_RULE, "v u", C),
    ("exp-honest-dot", EXP_RULE, "u·v", C),
    ("exp-wrong", EXP_RULE, "u + v", N),
    ("transpose-restated", TRANSPOSE, "(W X^T)^T", N),
    ("transpose-honest", TRANSPOSE, "X W^T", C),
    ("transpose-wrong-order", TRANSPOSE, "W^T X", N),
    ("inverse-forbidden", INVERSE, "(A B)^(-1) y", N),
    ("inverse-forbidden-inside", INVERSE, "2 (A B)^(-1) y - (A B)^(-1) y", N),
    ("inverse-honest", INVERSE, "B^(-1) A^(-1) y", C),
    ("inverse-wrong", INVERSE, "A^(-1) B^(-1) y", N),
    # padding that does nothing: a term and its negative, a factor and its inverse, literal
    # arithmetic, the identity matrix
    ("exp-padded-term", EXP_RULE, "exp(log(u v)) + u - u", N),
    ("exp-padded-factor", EXP_RULE, "2 exp(log(u v))/2", N),
    ("exp-padded-inverse", EXP_RULE, "exp(log(u v)) v / v", N),
    ("exp-padded-arithmetic", EXP_RULE, "exp((1 + 1 - 1) log(v u))", N),
    ("exp-padded-power", EXP_RULE, "exp(log(u v))^(2 - 1)", N),
    ("exp-honest-padded", EXP_RULE, "u v + u - u", C),
    ("transpose-padded-identity", TRANSPOSE, "(W I X^T)^T", N),
    ("transpose-padded-identity-out", TRANSPOSE, "I (W X^T)^T", N),
    ("transpose-honest-identity", TRANSPOSE, "X I W^T", C),
    ("ie-padded-empty", IE_REJECT, "P(A ∪ B ∪ ∅)", N),
    ("ie-padded-universe", IE_REJECT, "P(A ∪ B) P(Ω)", N),
    ("ie-padded-given-universe", IE_REJECT, "P(A ∪ B | Ω)", N),
    ("ie-padded-cap-universe", IE_REJECT, "P((A ∪ B) ∩ Ω)", N),
    ("ie-honest-with-universe", IE_REJECT, "P(A ∩ Ω) + P(B) - P(A ∩ B)", C),
    ("quadratic-restated-dot", QUADRATIC, "(A x)·y", N),
    ("quadratic-restated-dot-call", QUADRATIC, "dot(y, A x)", N),
    ("quadratic-restated-transpose-other", QUADRATIC, "y^T (A x)", N),
    ("quadratic-honest", QUADRATIC, "x^T A^T y", C),
    ("quadratic-honest-dot", QUADRATIC, "(A^T y)·x", C),
    ("cancel-padded-factor", CANCEL, "2(x^2-1)/(2(x-1))", N),
    ("cancel-padded-inverse", CANCEL, "(x^2-1)(x-1)^(-1) x/x", N),
    ("cancel-honest", CANCEL, "1 + x", C),
    (
        "norm-deriv-notation",
        NORM_DERIV,
        "\\|u+v\\|^2 = (u+v)·(u+v) = \\|u\\|^2 + 2 u·v + \\|v\\|^2",
        C,
    ),
    (
        "norm-deriv-norm-call",
        NORM_DERIV,
        "norm(u+v)^2 = (u+v)·(u+v) = norm(u)^2 + 2 v·u + norm(v)^2",
        C,
    ),
    ("norm-deriv-repeat", NORM_DERIV, "|u+v|^2 = \\|v+u\\|^2 = |u|^2 + 2 u·v + |v|^2", N),
    (
        "norm-deriv-transposes",
        NORM_DERIV,
        "|u+v|^2 = (u+v)^T(u+v) = u^T u + 2u^T v + v^T v = |u|^2 + 2u^T v + |v|^2",
        C,
    ),
    (
        "norm-deriv-scaled-transpose",
        NORM_DERIV,
        "|u+v|^2 = (u+v)·(u+v) = |u|^2 + (2u)^T v + |v|^2",
        C,
    ),
    (
        "shift-via-is-strict",
        SHIFT_VIA,
        "e^(z_i + c)/sum_{j=1}^{K} e^(z_j + c) = e^(z_i) e^c/sum_{j=1}^{K} e^(z_j) e^c"
        " = e^(z_i)/sum_{j=1}^{K} e^(z_j)",
        N,
    ),
    (
        "shift-via-passed",
        SHIFT_VIA,
        "e^(z_i + c)/sum_{j=1}^{K} e^(z_j + c) = e^c e^(z_i)/(e^c sum_{j=1}^{K} e^(z_j))"
        " = e^(z_i)/sum_{j=1}^{K} e^(z_j)",
        C,
    ),
    ("lse-restated", LSE, r"\log \sum_{k=1}^{K} e^{z_k}", N),
    ("lse-padded", LSE, r"\log \sum_{k=1}^{K} e^{z_k + 0 \cdot m} + m - m", N),
    ("lse-honest", LSE, r"m + \log \sum_{k=1}^{K} e^{z_k - m}", C),
    # -- lhs: --------------------------------------------------------------------------------
    ("chain-with-lhs", CHAIN, "h'(x) = fp(g(x)) gp(x)", C),
    ("chain-lhs-right", CHAIN, "gp(x) fp(g(x)) = h'(x)", C),
    ("chain-bare", CHAIN, "fp(g(x)) gp(x)", C),
    ("chain-wrong", CHAIN, "h'(x) = fp(x) gp(x)", N),
    ("chain-other-lhs", CHAIN, "f'(x) = fp(g(x)) gp(x)", N),
    # -- derivations that do no work ---------------------------------------------------------
    ("deriv-identity", DERIV, "(a+b)^2 = (a+b)^2", N),
    ("deriv-end-identity", DERIV, "a^2+2ab+b^2 = a^2+2ab+b^2", N),
    ("deriv-stops-early", DERIV, "(a+b)^2 = (a+b)(a+b)", N),
    ("deriv-starts-elsewhere", DERIV, "(a+b)(a+b) = a^2+ab+ba+b^2 = a^2+2ab+b^2", N),
    ("deriv-one-link", DERIV, "(a+b)^2 = a^2+2ab+b^2", N),
    ("deriv-padded", DERIV, "(a+b)^2 = (a+b)^2 = a^2+2ab+b^2 = a^2+2ab+b^2", N),
    ("deriv-commuted-pad", DERIV, "(a+b)^2 = (b+a)^2 = a^2+2ab+b^2", N),
    ("deriv-ends-equal-value", DERIV, "(a+b)^2 = (a+b)(a+b) = a^2+ab+ab+b^2", N),
    ("deriv-honest", DERIV, "(a+b)^2 = (a+b)(a+b) = a^2+2ab+b^2", C),
    ("deriv-padded-zero", DERIV, "(a+b)^2 = (a+b)^2 + 0 = a^2+2ab+b^2", N),
    ("deriv-padded-one", DERIV, "(a+b)^2 = 1·(a+b)^(2·1) = a^2+2ab+b^2", N),
    # between the links, rewriting is a step: adding and taking away, collecting numbers
    ("deriv-collected-numbers", SQUARE_DIFF, "(x-1)(x+1) = x^2 + (1-1)x - 1 = x^2 - 1", C),
    ("deriv-add-and-take-away", SQUARE_DIFF, "(x-1)(x+1) = x^2 + x - x - 1 = x^2 - 1", C),
    ("deriv-honest-long", DERIV, "(a+b)^2 = (a+b)(a+b) = a^2+ab+ba+b^2 = b^2+2ab+a^2", C),
    ("deriv-broken-link", DERIV, "(a+b)^2 = a^2+b^2 = a^2+2ab+b^2", N),
    ("deriv-via-missing", DERIV_VIA, "(a+b)^2 = a^2+ab+ba+b^2 = a^2+2ab+b^2", N),
    ("deriv-via-present", DERIV_VIA, "(a+b)^2 = (a+b)(a+b) = a^2+2ab+b^2", C),
    ("deriv-two-short", DERIV_TWO, "(a+b)^2 = (a+b)(a+b) = a^2+2ab+b^2", N),
    ("deriv-two-ok", DERIV_TWO, "(a+b)^2 = (a+b)(a+b) = a^2+ab+ba+b^2 = a^2+2ab+b^2", C),
    ("deriv-zero-direct", DERIV_ZERO, "(a+b)^2 = a^2+2ab+b^2", C),
    ("square-diff-one-link", SQUARE_DIFF, "(x-1)(x+1) = x^2 - 1", N),
    ("square-diff-honest", SQUARE_DIFF, "(x-1)(x+1) = x^2 + x - x - 1 = x^2 - 1", C),
    ("square-diff-repeat", SQUARE_DIFF, "(x-1)(x+1) = (x+1)(x-1) = x^2 - 1", N),
    # -- scientific notation -----------------------------------------------------------------
    ("sci-small", NUMERIC, "5.1e-3", N),
    ("sci-capital", NUMERIC, "1.6E1", C),
    ("sci-plus", NUMERIC, "2e+1", C),
    ("sci-far", NUMERIC, "1e2", N),
    ("sci-times", NUMERIC, "1.6×10^1", C),
    ("sci-star", NUMERIC, "1.6*10^1", C),
    ("sci-latex", NUMERIC, r"1.6 \times 10^{1}", C),
    ("sci-negative-exponent", NUMERIC, r"1.6 \times 10^{-1}", N),
    ("sci-tolerance", NUMERIC_TOL, "2.51e6", C),
    ("sci-tolerance-out", NUMERIC_TOL, "2.6e6", N),
    ("sci-tolerance-power", NUMERIC_TOL, "2.5 \\cdot 10^6", C),
    ("sci-exact", {"expect": "3000000000"}, "3e9", C),
    ("sci-exact-wrong", {"expect": "3000000000"}, "3e8", N),
    ("euler-2e", {"expect": "2*exp(1)"}, "2e", C),
    ("euler-2e-x", {"expect": "2*exp(x)"}, "2e^x", C),
    ("euler-spaced", {"expect": "2*exp(1)"}, "2 e", C),
    ("euler-not-sci", {"expect": "2*exp(1)"}, "2e1", N),
    ("euler-minus", {"expect": "2*exp(1) - 3"}, "2e-3", N),
    ("sci-huge", {"expect": "1"}, "1e999999", INV),
    # -- nothing silently dropped ------------------------------------------------------------
    ("dots", {"expect": "r"}, r"r + r^2 + \dots + r^n", INV),
    ("cdots", {"expect": "r"}, r"r + \cdots + r^n", INV),
    ("ldots", {"expect": "r"}, r"1, \ldots, n", INV),
    ("unicode-ellipsis", {"expect": "r"}, "r + … + r^n", INV),
    ("ascii-ellipsis", {"expect": "r"}, "r + ... + r^n", INV),
    ("gcd-one-argument", {"expect": "g*c*d*(a+b)"}, r"\gcd(a+b)", INV),
    ("gcd-two", {"expect": "6", "natural": "n"}, r"\gcd(12, 18)", C),
    ("unknown-macro", {"expect": "x"}, r"\foo x", INV),
    ("unknown-name", {"expect": "s*o*f*t*m*a*x*(z)"}, r"\operatorname{softmax}(z)", INV),
    ("known-operatorname", {"expect": "sin(x)"}, r"\operatorname{sin}(x)", C),
    ("text-words", {"expect": "x"}, r"x \text{ for all } y", INV),
    ("cosec", {"expect": "1/sin(x)"}, "cosec(x)", C),
    ("cosec-wrong", {"expect": "1/cos(x)"}, "cosec(x)", N),
    ("asinh", {"expect": "log(x + sqrt(x^2 + 1))"}, "asinh(x)", C),
    ("arsinh", {"expect": "log(x + sqrt(x^2 + 1))"}, "arsinh(x)", C),
    ("acoth", {"expect": "atanh(1/x)"}, "acoth(x)", C),
    ("arccot", {"expect": "atan(1/x)", "positive": "x"}, "arccot(x)", C),
    ("coth", {"expect": "cosh(x)/sinh(x)"}, "coth(x)", C),
    ("sech", {"expect": "1/cosh(x)"}, "sech(x)", C),
    ("vectors-side-by-side", VECTORS, "u v", INV),
    ("vectors-dot", VECTORS, "u·v", C),
    ("vectors-transpose", VECTORS, "v^T u", C),
    ("vectors-rows-side-by-side", VECTORS, "u^T v^T", INV),
    ("outer-product", OUTER, "(u v^T) w", C),
    ("outer-product-wrong", OUTER, "v u^T w", N),
    # -- honest misses -----------------------------------------------------------------------
    ("transpose-literal", {"expect": "[[1, 3], [2, 4]]"}, "[[1,2],[3,4]]^T", C),
    ("transpose-literal-wrong", {"expect": "[[1, 2], [3, 4]]"}, "[[1,2],[3,4]]^T", N),
    (
        "transpose-then-bracket",
        {"expect": "x^T W^T W x", "matrices": "W", "vectors": "x"},
        "(W x)^T (W x)",
        C,
    ),
    (
        "transpose-then-bracket-wrong",
        {"expect": "x^T W^T W x", "matrices": "W", "vectors": "x"},
        "(W x)^T (x)",
        N,
    ),
    (
        "sigma-with-bounds",
        {"expect": "n(n+1)/2", "natural": "n", "form": "no-sum"},
        "Σ_{i=1}^{n} i",
        N,
    ),
    ("sigma-bounds-value", {"expect": "sum_{i=1}^{n} i^2", "natural": "n"}, "Σ_{i=1}^{n} i²", C),
    ("sigma-letter", {"expect": "2 Sigma", "positive": "Sigma"}, "Σ + Σ", C),
    ("unicode-subscript", {"expect": "z_i + 1", "indexed": "z_1..z_K"}, "zᵢ + 1", C),
    ("unicode-subscript-digits", {"expect": "x_12"}, "x₁₂", C),
    ("unicode-subscript-wrong", {"expect": "x_1"}, "x₂", N),
    # -- readings a reader expects -----------------------------------------------------------
    ("plain-derivative-restates", {"expect": "2x"}, "d/dx(x^2)", N),
    ("plain-derivative-bare", {"expect": "2x"}, "d/dx x^2", N),
    ("plain-derivative-expected", {"expect": "d/dx(x^3)"}, "3x^2", C),
    ("plain-derivative-expected-wrong", {"expect": "d/dx(x^3)"}, "x^3", N),
    ("or-word", {"expect": "x^2 = 9"}, "x = 3 or x = -3", C),
    ("or-word-wrong", {"expect": "x^2 = 9"}, "x = 3 or x = 9", N),
    ("and-word", {"expect": "1 < x < 3"}, "x > 1 and x < 3", C),
    ("and-word-wrong", {"expect": "1 < x < 3"}, "x > 1 and x <= 3", N),
    ("and-alone", {"expect": "x"}, "and x", INV),
    ("arctan-as-power", {"expect": "atan(x)"}, "tan^{-1}(x)", C),
    ("arcsin-latex-power", {"expect": "asin(x)"}, r"\sin^{-1} x", C),
    ("sin-squared", {"expect": "sin(x)^2"}, r"\sin^{2} x", C),
    ("sin-squared-not-inverse", {"expect": "asin(x)"}, r"\sin^{2} x", N),
    ("frac-digits", {"expect": "1/2"}, r"\frac12", C),
    ("frac-digits-wrong", {"expect": "1/3"}, r"\frac12", N),
    ("frac-three-digits", {"expect": "1/2"}, r"\frac123", INV),
    ("bare-argument-ends-at-slash", {"expect": "sin(x)/2"}, "sin x / 2", C),
    ("bare-argument-not-half-angle", {"expect": "sin(x/2)"}, "sin x / 2", N),
    ("bare-argument-implicit", {"expect": "sin(2x)"}, "sin 2x", C),
    ("log-ratio", {"expect": "log(x)/log(2)", "positive": "x"}, r"\ln x / \ln 2", C),
    ("no-infinity-inside-words", {"expect": "x"}, "foo", N),
    ("vulgar-half", {"expect": "x^2/2"}, "½x²", C),
    ("vulgar-wrong", {"expect": "x^2/2"}, "⅓x²", N),
    ("vulgar-mixed-number", {"expect": "7/2"}, "3½", INV),
    ("numeric-restates-integral", {"expect": "0.5", "mode": "numeric"}, r"\int_0^1 x dx", N),
    ("relation-restates-integral", {"expect": "y = x^2"}, r"y = \int_0^x 2t dt", N),
    ("forbid-abs-bars", {"expect": "x^2", "forbid": "abs"}, "|x|^2", N),
    ("forbid-bars-abs", {"expect": "x^2", "forbid": "|"}, "abs(x)^2", N),
    ("forbid-abs-honest", {"expect": "x^2", "forbid": "abs"}, "x x", C),
    ("relation-decimal", {"expect": "x < 1/2"}, "x < 0.5", N),
    ("relation-exact", {"expect": "x < 1/2"}, "2x < 1", C),
    ("binomial-factorials", {"expect": "binomial(n, k)", "natural": "n k"}, "n!/(k!(n-k)!)", C),
    ("binomial-wrong", {"expect": "binomial(n, k)", "natural": "n k"}, "n!/(k!)", N),
    ("binomial-reversed", {"expect": "binomial(n, k)", "natural": "n k"}, "k!/(n!(k-n)!)", N),
    ("factorial-reversed", {"expect": "(n-k)!", "natural": "n k"}, "(k-n)!", N),
    (
        "deriv-via-alternative",
        {**DERIV, "via": "(a+b)(a+b); a(a+b) + b(a+b)"},
        "(a+b)^2 = a(a+b) + b(a+b) = a^2+2ab+b^2",
        C,
    ),
    (
        "deriv-via-neither",
        {**DERIV, "via": "(a+b)(a+b); a(a+b) + b(a+b)"},
        "(a+b)^2 = a^2+ab+ba+b^2 = a^2+2ab+b^2",
        N,
    ),
    (
        "reject-renamed-index",
        {"expect": "n(n+1)/2", "natural": "n", "reject": "sum_{i=1}^{n} i", "form": "no-sum"},
        "sum_{k=1}^{n} k",
        N,
    ),
    (
        "forbid-renamed-index",
        {
            "expect": "e^c sum_{j=1}^{K} e^(z_j)",
            "indexed": "z_1..z_K",
            "real": "c",
            "forbid": "sum_{j=1}^{K} e^(z_j + c)",
        },
        r"\sum_{n=1}^{K} e^{z_n + c}",
        N,
    ),
    (
        "forbid-renamed-index-honest",
        {
            "expect": "e^c sum_{j=1}^{K} e^(z_j)",
            "indexed": "z_1..z_K",
            "real": "c",
            "forbid": "sum_{j=1}^{K} e^(z_j + c)",
        },
        r"e^c \sum_{m=1}^{K} e^{z_m}",
        C,
    ),
    ("log10-python", {"expect": "log(x)/log(10)", "positive": "x"}, "log10(x)", C),
    ("log10-not-log-10x", {"expect": "log(10x)", "positive": "x"}, "log10(x)", N),
    ("log2-python", {"expect": "log(x)/log(2)", "positive": "x"}, "log2(x)", C),
    ("atan2", {"expect": "atan(y/x)", "positive": "x"}, "atan2(y, x)", C),
    ("atan2-all-quadrants", {"expect": "atan(y/x)"}, "atan2(y, x)", N),
    ("deriv-end-early", DERIV, "(a+b)^2 = a^2+2ab+b^2 = (a+b)(a+b) = a^2+2ab+b^2", N),
    ("deriv-back-to-start", DERIV, "(a+b)^2 = (a+b)(a+b) = (b+a)^2 = a^2+2ab+b^2", N),
    (
        "deriv-end-repeated-beside",
        DERIV,
        "(a+b)^2 = (a+b)(a+b) = b^2 + (2ab + a^2) = a^2+2ab+b^2",
        C,
    ),
    ("expectation-brackets", {"expect": "a E(X) + b", "functions": "E"}, "a E[X] + b", C),
    ("expectation-brackets-wrong", {"expect": "a E(X) + b", "functions": "E"}, "E[a X]", N),
    ("forbid-log-covers-lg", {**EXP_RULE}, "10^(lg(u) + lg(v))", N),
    ("expanded-inside-abs", {"expect": "X^2 - 2 mu X + mu^2", "form": "expanded"}, "|X - mu|^2", N),
    # -- tiny values are values: relative precision, not an absolute floor --------------------
    ("tiny-vs-zero", {"expect": "e^(-x^2-300)"}, "0", N),
    ("tiny-factor", {"expect": "x exp(-300)"}, "2x exp(-300)", N),
    ("tiny-added", {"expect": "sin(x) + exp(-200)"}, "sin(x)", N),
    ("tiny-same", {"expect": "x exp(-300)"}, "x e^(-300)", C),
    ("noise-is-zero", {"expect": "0"}, "sin(pi)", C),
    ("approx-small-constant", {"expect": "d/dx(1.6e-19 x^2)"}, "1.6e-19 x", N),
    ("approx-small-constant-right", {"expect": "d/dx(1.6e-19 x^2)"}, "3.2e-19 x", C),
    ("approx-offset", {"expect": "d/dx(x^3)"}, "3x^2 + 10^(-14)", N),
    ("approx-limit-offset", {"expect": r"\lim_{x \to 0} sin(x)/x"}, "1 + 10^(-13)", N),
    (
        "antiderivative-small",
        {"expect": "1.6e-19 x^2/2", "mode": "antiderivative"},
        "1.6e-19 x^2 + C",
        N,
    ),
    (
        "antiderivative-small-right",
        {"expect": "1.6e-19 x^2/2", "mode": "antiderivative"},
        "0.8e-19 x^2 + C",
        C,
    ),
    ("special-point-zero", {"expect": "1"}, "sign(x)^2", N),
    ("special-point-zero-floor", {"expect": "0"}, "floor(1/(1+x^2))", N),
    ("special-point-zero-removable", {"expect": "1"}, "x/x", C),
    ("deriv-padded-zero", DERIV, "(a+b)^2 = a^2+2ab+b^2+0 = a^2+2ab+b^2", N),
    ("deriv-padded-one", DERIV, "(a+b)^2 = 1(a+b)^2 = a^2+2ab+b^2", N),
    ("deriv-padded-power", DERIV, "(a+b)^2 = ((a+b)^2)^1 = a^2+2ab+b^2", N),
    # a division by 1 is a factor 1, however it is written: padding between links too
    ("deriv-divided-by-one", DERIV, "(a+b)^2 = (a+b)^2/1 = a^2+2ab+b^2", N),
    ("deriv-divided-by-bracketed-one", DERIV, "(a+b)^2 = (a+b)^2/(1) = a^2+2ab+b^2", N),
    ("deriv-frac-over-one", DERIV, r"(a+b)^2 = \frac{(a+b)^2}{1} = a^2+2ab+b^2", N),
    ("deriv-obelus-one", DERIV, "(a+b)^2 = (a+b)^2 ÷ 1 = a^2+2ab+b^2", N),
    ("deriv-inverse-one", DERIV, "(a+b)^2 = (a+b)^2·1^(-1) = a^2+2ab+b^2", N),
    ("deriv-one-to-a-power", DERIV, "(a+b)^2 = 1^k (a+b)^2 = a^2+2ab+b^2", N),
    ("deriv-over-one-cubed", DERIV, "(a+b)^2 = (a+b)^2/1^3 = a^2+2ab+b^2", N),
    ("deriv-root-of-one", DERIV, "(a+b)^2 = √1·(a+b)^2 = a^2+2ab+b^2", N),
    ("deriv-exponent-over-one", DERIV, "(a+b)^2 = (a+b)^(2/1) = a^2+2ab+b^2", N),
    ("deriv-over-minus-one", DERIV, "(a+b)^2 = -(a+b)^2/(-1) = a^2+2ab+b^2", N),
    ("deriv-end-over-one", DERIV, "(a+b)^2 = (a^2+2ab+b^2)/1 = a^2+2ab+b^2", N),
    ("deriv-end-over-one-beside", DERIV, "(a+b)^2 = (a+b)(a+b) = (a^2+2ab+b^2)/1", C),
    ("deriv-via-over-one", DERIV_VIA, "(a+b)^2 = (a+b)(a+b)/1 = a^2+2ab+b^2", C),
    ("square-diff-over-one", SQUARE_DIFF, "(x-1)(x+1) = (x-1)(x+1)/1 = x^2 - 1", N),
    ("square-diff-end-over-one", SQUARE_DIFF, "(x-1)(x+1) = (x^2 - 1)/1 = x^2 - 1", N),
    ("double-angle-over-one", DOUBLE_ANGLE, "sin(2x) = sin(2x/1) = 2 sin(x) cos(x)", N),
    ("double-angle-one-power", DOUBLE_ANGLE, "sin(2x) = 1^2 sin(2x) = 2 sin(x) cos(x)", N),
    # ... while the honest routes that raise 1 to a power or write 1 as a fraction stay steps
    ("binomial-substituted", BINOMIAL_ONE, "(x+1)^2 = x^2 + 2·1·x + 1^2 = x^2 + 2x + 1", C),
    ("binomial-repeat", BINOMIAL_ONE, "(x+1)^2 = (x+1)^2/1 = x^2 + 2x + 1", N),
    ("common-denominator", HALVES, "x/2 + 1 = x/2 + 2/2 = (x+2)/2", C),
    ("common-denominator-repeat", HALVES, "x/2 + 1 = x/2 + 1/1 = (x+2)/2", N),
    ("common-denominator-half", HALVES, "x/2 + 1 = (1/2)x + 1 = (x+2)/2", N),
    ("split-fraction", SPLIT, "(4x+2)/2 = 4x/2 + 2/2 = 2x + 1", C),
    ("split-fraction-grouped", SPLIT, "(4x+2)/2 = (4/2)x + 2/2 = 2x + 1", C),
    ("complete-square", SQUARE_PLUS, "x^2 + 2x = x^2 + 2x + 1 - 1 = (x+1)^2 - 1", C),
    ("complete-square-split", SQUARE_SPLIT, "x^2+6x+5 = x^2+6x+9-4 = (x+3)^2-4", C),
    ("collected-coefficient", PRODUCT, "(x+2)(x-3) = x^2 + (2-3)x - 6 = x^2 - x - 6", C),
    # a reject line written as an unreduced fraction refuses that fraction, not the answer
    ("reduce-answer", REDUCE, "1/2", C),
    ("reduce-answer-frac", REDUCE, r"\frac{1}{2}", C),
    ("reduce-answer-vulgar", REDUCE, "½", C),
    ("reduce-restated", REDUCE, "2/4", N),
    ("reduce-restated-frac", REDUCE, r"\frac{2}{4}", N),
    ("reduce-restated-over-one", REDUCE, "(2/4)/1", N),
    ("reduce-coefficient", REDUCE_X, "3x/2", C),
    ("reduce-coefficient-grouped", REDUCE_X, "(3/2)x", C),
    ("reduce-coefficient-restated", REDUCE_X, "(6/4)x", N),
    ("reduce-coefficient-restated-frac", REDUCE_X, r"\frac{6}{4} x", N),
    ("reduce-coefficient-restated-plain", REDUCE_X, "6x/4", N),
    ("cancel-two", CANCEL_TWO, "x", C),
    ("cancel-two-grouped", CANCEL_TWO, "(2/2)x", N),
    # a factor 1^k pads a restatement as a factor 1 does
    ("transpose-padded-one-power", TRANSPOSE, "1^n (W X^T)^T", N),
    ("transpose-padded-over-one", TRANSPOSE, "(W X^T)^T/1", N),
    ("cancel-padded-one-power", CANCEL, "(x^2-1)/(x-1) · 1^k", N),
]


@pytest.mark.parametrize(
    ("spec", "answer", "want"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_case(spec: dict[str, Any], answer: str, want: str) -> None:
    verdict = judge(CheckSpec.from_json(spec), answer)
    if want == C:
        assert verdict.verdict == C, verdict
    elif want == INV:
        assert verdict.verdict == "invalid", verdict
        assert verdict.column is not None
    else:
        assert verdict.verdict in ("incorrect", "invalid", "undecided"), verdict


def test_the_table_is_mostly_near_misses() -> None:
    assert len(CASES) >= 100
    assert sum(1 for case in CASES if case[3] != C) >= len(CASES) * 0.45


def test_feedback_says_what_to_express_it_through() -> None:
    verdict = judge(CheckSpec.from_json(BAYES), "P(A ∩ B)/P(B)")
    assert "P(B|A), P(A) and P(B)" in verdict.feedback
    verdict = judge(CheckSpec.from_json(IE), "P(A ∪ B)")
    assert "∪" in verdict.feedback


def test_derivation_feedback_names_what_is_missing() -> None:
    spec = CheckSpec.from_json(DERIV)
    assert "Show the work" in judge(spec, "(a+b)^2 = a^2+2ab+b^2").feedback
    assert "a^2 + 2a b + b^2" in judge(spec, "(a+b)^2 = (a+b)(a+b)").feedback
    started = judge(spec, "(a+b)(a+b) = a^2+ab+ba+b^2 = a^2+2ab+b^2")
    assert started.feedback.startswith("Start from (a + b)^2 as the card writes it")
    assert judge(spec, "(b+a)^2 = (a+b)(a+b) = a^2+2ab+b^2").verdict == "correct"
    via = CheckSpec.from_json(DERIV_VIA)
    missing = judge(via, "(a+b)^2 = a^2+ab+ba+b^2 = a^2+2ab+b^2")
    assert missing.feedback == "The chain must pass through (a + b)(a + b)."


def test_scientific_notation_is_read_back_as_one_number() -> None:
    for text, shown in [
        ("1.5e-3", "1.5×10⁻³"),
        ("3E9", "3×10⁹"),
        ("2.5 \\times 10^{6}", "2.5×10⁶"),
        ("2.5*10^-6", "2.5×10⁻⁶"),
    ]:
        verdict = judge(CheckSpec(expect="1", mode="numeric", factor="10"), text)
        assert verdict.read_as == shown


def test_the_ellipsis_message_says_what_to_write() -> None:
    verdict = judge(CheckSpec(expect="r"), r"r + r^2 + \dots + r^n")
    assert "\\sum" in verdict.feedback
    assert verdict.column == 11


def test_a_product_of_two_columns_says_how_to_write_it() -> None:
    verdict = judge(CheckSpec.from_json(VECTORS), "u v")
    assert "u·v" in verdict.feedback and "uᵀv" in verdict.feedback


# -- the linter ---------------------------------------------------------------------------


def _lint(**keys: Any) -> list[tuple[str, str]]:
    return [(p.key, p.message) for p in lint_spec(CheckSpec.from_json(keys))]


def test_numeric_keys_must_be_sane() -> None:
    for bad in ("inf", "-1%", "0", "nan", "lots"):
        assert [k for k, _ in _lint(expect="1", mode="numeric", tolerance=bad)] == ["tolerance"]
    for bad in ("0", "-5", "nan", "inf", "0.5"):
        assert [k for k, _ in _lint(expect="1", mode="numeric", factor=bad)] == ["factor"]
    assert _lint(expect="1", mode="numeric", factor="1") == []
    assert _lint(expect="1", mode="numeric", tolerance="5%") == []


def test_an_infinite_tolerance_accepts_nothing_when_judging() -> None:
    spec = CheckSpec(expect="1", mode="numeric", tolerance="inf")
    assert judge(spec, "1000").verdict == "undecided"


def test_reject_lines_may_restate_but_not_match_the_expectation() -> None:
    assert _lint(expect="u v", positive="u v", reject="exp(log(u v))") == []
    problems = _lint(expect="u v", positive="u v", reject="v*u")
    assert [k for k, _ in problems] == ["reject"]
    assert "form of expect" in problems[0][1]


def test_expect_and_accepts_must_keep_the_blocks_own_rules() -> None:
    problems = _lint(expect="P(A ∪ B)", sets="A B", probability="P", forbid="∪")
    assert [k for k, _ in problems] == ["forbid"]
    problems = _lint(**IE_USING, accept="P(A ∪ B)")
    assert [k for k, _ in problems] == ["accept"]
    problems = _lint(**BAYES, accept="P(A ∩ B)/P(B)")
    assert [k for k, _ in problems] == ["accept"]


def test_unreadable_rule_keys_are_reported_at_their_key() -> None:
    assert [k for k, _ in _lint(expect="x", forbid="x +")] == ["forbid"]
    assert [k for k, _ in _lint(expect="x", allow="banana")] == ["allow"]
    assert [k for k, _ in _lint(expect="x", lhs="f(")] == ["lhs"]
    assert [k for k, _ in _lint(**DERIV, intermediate="two")] == ["intermediate"]


def test_a_mistake_message_that_states_the_answer_is_a_warning() -> None:
    spec = CheckSpec(
        expect="B^(-1) A^(-1) y",
        matrices=("A", "B"),
        vectors=("y",),
        mistake=(
            "A^(-1) B^(-1) y => Reverse the order: the answer is B^(-1) A^(-1) y.",
            "A^(-1) B^(-1) y => The inverses come in the other order.",
            "A^(-1) B^(-1) y => Undo the last map first, giving B^{-1}A^{-1}y.",
        ),
    )
    found = [(p.nth, p.warning) for p in lint_spec(spec)]
    assert found == [(0, True), (2, True)]
    short = CheckSpec(
        expect="2",
        mode="numeric",
        mistake=("1 => Each of the 32 layers keeps a key and a value.", "4 => Halve it: 2."),
    )
    assert [(p.nth, p.warning) for p in lint_spec(short)] == [(1, True)]


def test_an_unreadable_rule_is_the_cards_fault_not_the_learners() -> None:
    for keys in ({"forbid": "x +"}, {"using": "sin("}, {"allow": "banana"}, {"lhs": "f("}):
        verdict = judge(CheckSpec.from_json({"expect": "x", **keys}), "x")
        assert verdict.verdict == "undecided", verdict
        assert verdict.feedback.startswith("The card's check block cannot be read")


def test_a_mistake_message_does_not_hide_the_rule_an_answer_broke() -> None:
    spec = CheckSpec.from_json(
        {**IE, "reject": "P(A ∪ B)", "mistake": "P(A ∪ B) => You restated the question."}
    )
    assert "complement" in judge(spec, "P(A) + P(B ∩ A^c)").feedback
    assert judge(spec, "P(A ∪ B)").feedback == "You restated the question."
    assert judge(spec, "P(A) + P(B)").verdict == "incorrect"


def test_unknown_forms_are_reported() -> None:
    assert [k for k, _ in _lint(expect="x", form="banana")] == ["form"]
    assert _lint(expect="x", form="exact") == []


def test_read_as_brackets_what_a_reader_could_group_otherwise() -> None:
    spec = CheckSpec(expect="A", sets=("A", "B"), mode="set")
    assert judge(spec, r"A \setminus B ∪ B \setminus A").read_as == "((A ∖ B) ∪ B) ∖ A"
    assert judge(spec, "(A ∪ B) ∖ (A ∩ B)").read_as == "(A ∪ B) ∖ (A ∩ B)"
    assert judge(CheckSpec(expect="x"), "1/n x").read_as == "(1/n)x"
