# ruff: noqa: E501, E741
"""Regenerate cases.jsonl: python tests/checker/cases/make_cases.py (kept for reviewers)."""

import json
from pathlib import Path

C, W, I, U = "correct", "incorrect", "invalid", "undecided"
groups = [
    (
        {"expect": "n(n+1)/2", "natural": "n"},
        ["(n^2+n)/2", r"\frac{n(n+1)}{2}", "n^2/2 + n/2", "(n+1)n/2", "n·(n+1)·(1/2)"],
        ["n(n-1)/2", "n^2/2", "n(n+1)", "(n+1)(n+2)/2", "-n(n+1)/2", "n(n+1)/3", "m(m+1)/2"],
    ),
    ({"expect": "sqrt(x^2)"}, ["|x|", "abs(x)", r"\sqrt{x^2}", "√(x²)"], ["x", "-x", "x^2"]),
    ({"expect": "log(a b)"}, ["log(a*b)", r"\ln(ab)"], ["log(a)+log(b)", "log(a) log(b)"]),
    (
        {"expect": "log(a b)", "positive": "a b"},
        ["log(a)+log(b)", "ln a + ln b"],
        ["log(a) log(b)", "log(a+b)", "log(a)-log(b)"],
    ),
    ({"expect": "x+1"}, ["(x^2-1)/(x-1)", "1+x"], ["x-1", "(x^2+1)/(x-1)", "x", "-x-1"]),
    (
        {"expect": "(a+b)^2"},
        ["a^2+2ab+b^2", "(b+a)(a+b)", "a²+2·a·b+b²"],
        ["a^2+b^2", "a^2+ab+b^2", "2(a+b)", "(a-b)^2", "a^2+2ab-b^2"],
    ),
    (
        {"expect": "sin(x)^2"},
        ["1-cos(x)^2", r"\sin^2 x", "(1-cos(2x))/2"],
        ["cos(x)^2", "sin(x^2)", "1+cos(x)^2", "sin(2x)"],
    ),
    (
        {"expect": "2 sin(x) cos(x)"},
        ["sin(2x)", r"2\sin x \cos x"],
        ["sin(x)cos(x)", "cos(2x)", "sin(x)^2"],
    ),
    (
        {"expect": "e^(a+b)"},
        ["e^a e^b", "exp(a)exp(b)", r"e^{a} \cdot e^{b}"],
        ["e^a + e^b", "e^(ab)", "e^a"],
    ),
    ({"expect": "1/2"}, ["2/4", r"\frac{1}{2}", "(1/2)^1*1"], ["0.5", "1/3", "2", "-1/2"]),
    ({"expect": "1/2^99"}, ["2^(-99)", "(1/2)^99"], ["1/2^98", "1/2^100", "2^(-99) + 10^(-60)"]),
    ({"expect": "x"}, ["x + 0", "2x - x"], ["x + 10^(-60)", "X", "x + 1", "1.0000001 x"]),
    (
        {"expect": "binomial(n, 2)", "natural": "n"},
        ["n(n-1)/2", r"\binom{n}{2}", "n!/(2 (n-2)!)"],
        ["n(n+1)/2", "binomial(n, 3)", "n^2/2"],
    ),
    (
        {"expect": "n!", "natural": "n"},
        ["n (n-1)!"],
        [r"\prod_{i=1}^{n} i", "(n-1)!", "n^n", "(n+1)!"],
    ),
    (
        {"expect": r"\sum_{i=1}^{n} i^2", "natural": "n"},
        ["n(n+1)(2n+1)/6", r"\sum_{k=1}^{n} k^2", r"\sum_{i=0}^{n} i^2"],
        ["n(n+1)/2", "n(n-1)(2n-1)/6", "n^3/3", r"\sum_{i=1}^{n-1} i^2", r"\sum_{i=1}^{n} i"],
    ),
    (
        {"expect": "2^n", "natural": "n"},
        ["2·2^(n-1)"],
        [
            r"\sum_{k=0}^{n} \binom{n}{k}",
            "2^(n+1)",
            "n^2",
            "2^n - 1",
            r"\sum_{k=1}^{n} \binom{n}{k}",
        ],
    ),
    ({"expect": "(-1)^n", "integer": "n"}, ["(-1)^(-n)", "(-1)^(n+2)"], ["(-1)^(n+1)", "1", "-1"]),
    ({"expect": "x^(1/3)"}, [r"\sqrt[3]{x}"], ["x/3", "x^3", "sqrt(x)"]),
    ({"expect": "sqrt(x)^2"}, ["x^(2/2)*sqrt(x)/sqrt(x)", "(sqrt x)^2"], ["x", "|x|"]),
    ({"expect": r"\frac{x^2-4}{x-2}"}, ["x+2"], ["x-2", "x^2+2"]),
    (
        {"expect": "lambda e^(-lambda x)", "positive": "lambda"},
        ["λ e^{-λ x}", "λ exp(-λx)", r"\lambda e^{-\lambda x}"],
        ["e^(-λx)", "λ e^(λx)", "-λ e^(-λx)", "μ e^(-μ x)"],
    ),
    (
        {"expect": "TP/(TP+FP)", "positive": "TP FP FN"},
        ["1/(1+FP/TP)", r"\frac{TP}{FP+TP}"],
        ["TP/(TP+FN)", "FP/(TP+FP)", "TP/FP"],
    ),
    ({"expect": "sigma^2", "positive": "sigma"}, ["σ²", "σ^2", r"\sigma^2"], ["σ", "2σ", "sigma"]),
    (
        {"expect": "P(A) + P(B) - P(A ∩ B)", "sets": "A B", "probability": "P"},
        ["P(B) + P(A) - P(B ∩ A)", "P(B) - P(A ∩ B) + P(A)"],
        [
            # restatements and detours through events the question does not use
            "P(A) + P(B ∩ A^c)",
            r"P(A \cup B)",
            "P(A ∪ B)",
            "1 - P(A^c ∩ B^c)",
            "P(A) + P(B)",
            "P(A) P(B)",
            "P(A) + P(B) - P(A)P(B)",
            "P(A ∩ B)",
            "P(A) - P(B)",
            "1 - P(A ∩ B)",
        ],
    ),
    (
        {"expect": "P(A ∩ B)/P(B)", "sets": "A B", "probability": "P"},
        [r"\frac{P(B \cap A)}{P(B)}"],
        ["P(A | B)", "P(B | A)", "P(A)", "P(A ∩ B)/P(A)", "P(A ∩ B)"],
    ),
    (
        {
            "expect": "P(B|A) P(A) / P(B)",
            "sets": "A B",
            "probability": "P",
            "using": "P(B|A), P(A), P(B)",
        },
        ["P(A) P(B|A) / P(B)", r"\frac{P(B \mid A)\,P(A)}{P(B)}"],
        ["P(A|B)", "P(A ∩ B)/P(B)", "P(B|A)", "P(A|B) P(B)", "P(B|A)/P(B)"],
    ),
    (
        {"expect": "(A ∪ B)^c", "sets": "A B", "mode": "set"},
        ["A^c ∩ B^c", r"\overline{A} \cap \overline{B}", r"\overline{A \cup B}"],
        ["A^c ∪ B^c", "A ∩ B", "A^c", "(A ∩ B)^c"],
    ),
    (
        {"expect": "A ∖ B", "sets": "A B C", "mode": "set"},
        ["A ∩ B^c", r"A \setminus B", r"A \ B"],
        ["B ∖ A", "A", "A ∩ B", "A ∖ C"],
    ),
    (
        {"expect": "A ∩ (B ∪ C)", "sets": "A B C", "mode": "set"},
        ["(A ∩ B) ∪ (A ∩ C)"],
        ["(A ∩ B) ∪ C", "A ∪ (B ∩ C)", "A ∩ B ∩ C"],
    ),
    (
        {"expect": "{1, 2, 3}", "mode": "set"},
        ["{3, 2, 1}", r"\{1,2,3\}", "{1, 1, 2, 3}"],
        ["{1, 2}", "{1, 2, 3, 4}", "{0, 1, 2}", "[1, 3]"],
    ),
    (
        {"expect": "[0, 2]", "mode": "set"},
        ["[0, 1) ∪ [1, 2]", "[0,2]"],
        ["(0, 2]", "[0, 2)", "(0, 2)", "{0, 2}"],
    ),
    (
        {"expect": "[0, 1)", "mode": "set"},
        [r"[0, 1/2] \cup (1/2, 1)"],
        ["[0, 1]", "(0, 1)", "[0, 1/2]"],
    ),
    (
        {"expect": "~(a & b)", "mode": "logic"},
        ["~a | ~b", "¬a ∨ ¬b", r"\lnot a \lor \lnot b", "a -> ~b"],
        ["~a & ~b", "a & b", "~a", "a | b", "a <-> b"],
    ),
    (
        {"expect": "a -> b", "mode": "logic"},
        ["~a | b", "~b -> ~a", r"a \to b", "a ⇒ b"],
        ["b -> a", "~a -> ~b", "a & b", "a <-> b"],
    ),
    (
        {"expect": "a <-> b", "mode": "logic"},
        ["(a -> b) & (b -> a)", "(a & b) | (~a & ~b)"],
        ["a -> b", "a | b", "~(a <-> b)"],
    ),
    (
        {"expect": "x = 2"},
        ["2x = 4", "2 = x", "x - 2 = 0", "3x = 6"],
        ["x = -2", "x = 4", "x^2 = 4", "x < 2"],
    ),
    (
        {"expect": "y = 2x + 1"},
        ["2x - y + 1 = 0", "y - 1 = 2x", "2y = 4x + 2"],
        ["y = 2x - 1", "y = x + 1", "y = 2x", "x = 2y + 1"],
    ),
    (
        {"expect": "x <= 2"},
        ["2 >= x", "-x >= -2", "x - 2 <= 0"],
        ["x < 2", "x >= 2", "x <= -2", "x > 2"],
    ),
    (
        {"expect": "-1 < x < 1"},
        ["x^2 < 1", "|x| < 1", "(-1, 1)"],
        ["x^2 <= 1", "-1 <= x < 1", "x < 1", "[-1, 1]"],
    ),
    (
        {"expect": "0 <= x < 1"},
        ["[0, 1)", "1 > x >= 0", "0 ≤ x < 1"],
        ["0 < x < 1", "[0, 1]", "0 <= x <= 1"],
    ),
    ({"expect": "x^2 = 1"}, ["(x-1)(x+1) = 0", "x^2 - 1 = 0"], ["x = 1", "x = -1", "x^2 = -1"]),
    ({"expect": "x < y"}, ["y > x", "x - y < 0", "2x < 2y"], ["x <= y", "x > y", "y < x"]),
    (
        {"expect": "3.14159", "mode": "numeric", "tolerance": "0.1%"},
        ["pi", "3.1416", "355/113"],
        ["3.2", "3", "22/7 + 1", "-pi"],
    ),
    (
        {"expect": "10^6", "mode": "numeric", "factor": "3"},
        ["500000", "2000000", "10^6"],
        ["100000", "5000000", "-1000000"],
    ),
    (
        {"expect": "sqrt(2)", "mode": "numeric", "tolerance": "1%"},
        ["1.414", "1.41"],
        ["1.5", "1.3", "2"],
    ),
    (
        {"expect": "x^3/3 + C", "mode": "antiderivative"},
        ["x^3/3 + C", "(x^3 + 1)/3 + K", "x³/3 + c"],
        ["x^3/3", "x^3 + C", "2x", "x^2", "x^4/4 + C", "3x^2 + C"],
    ),
    (
        {"expect": "-cos(x)", "mode": "antiderivative"},
        ["-cos(x) + C", "C - cos x", "1 - cos(x) + C"],
        ["cos(x) + C", "-cos(x)", "sin(x) + C", "-sin(x)"],
    ),
    (
        {"expect": "e^(2t)/2", "mode": "antiderivative", "var": "t"},
        ["e^{2t}/2 + C", "exp(2t)/2 + C"],
        ["e^(2t) + C", "2e^(2t) + C", "e^(2t)/2", "4 e^(2t)"],
    ),
    (
        {"expect": "log(x)", "mode": "antiderivative", "positive": "x"},
        ["ln(x) + C", "log(2x) + C"],
        ["1/x + C", "log(x)", "-1/x^2", "x log(x) + C"],
    ),
    (
        {"expect": "a^2 + 2ab + b^2", "from": "(a+b)^2", "mode": "derivation"},
        [
            "(a+b)^2 = (a+b)(a+b) = a^2 + ab + ba + b^2 = a^2 + 2ab + b^2",
            "(a+b)^2 = (a+b)(a+b) = b^2 + 2ba + a^2",
        ],
        [
            # derivations that do no work
            "(a+b)^2 = a^2+2ab+b^2",
            "(a+b)^2 = (a+b)^2 = a^2+2ab+b^2",
            "(a+b)^2 = (b+a)^2 = a^2+2ab+b^2",
            "(a+b)^2 = (a+b)^2",
            "(a+b)^2 = (a+b)(a+b)",
            "a^2+2ab+b^2 = a^2+2ab+b^2",
            "(b+a)(a+b) = a^2 + ab + ba + b^2 = a^2+2ab+b^2",
            "(a+b)^2 = a^2 + b^2",
            "(a+b)^2 = (a+b)(a+b) = a^2 + b^2 = a^2 + 2ab + b^2",
            "a^2 + 2ab + b^2",
            "(a+b)^2 = a^2 + 2ab + b^2 = a^2 + b^2",
            "(a-b)^2 = a^2 - 2ab + b^2",
        ],
    ),
    (
        {"expect": "(x-1)(x+1)", "from": "x^2 - 1", "mode": "derivation"},
        ["x^2 - 1 = x^2 - x + x - 1 = (x-1)(x+1)"],
        ["x^2 - 1 = (x-1)^2", "x^2 - 1 = x(x-1) = (x-1)(x+1)"],
    ),
    (
        {
            "expect": r"\frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}",
            "mode": "derivation",
            "indexed": "z_1..z_K",
            "from": r"\frac{e^{z_i + c}}{\sum_{j=1}^{K} e^{z_j + c}}",
        },
        [
            r"\frac{e^{z_i + c}}{\sum_j e^{z_j + c}} = \frac{e^{c} e^{z_i}}{e^{c} \sum_j e^{z_j}} = \frac{e^{z_i}}{\sum_j e^{z_j}}"
        ],
        [
            r"\frac{e^{z_i + c}}{\sum_j e^{z_j + c}} = \frac{e^{z_i} + c}{\sum_j e^{z_j} + c} = \frac{e^{z_i}}{\sum_j e^{z_j}}"
        ],
    ),
    (
        {"expect": r"\frac{e^{z_i + c}}{\sum_{j=1}^{K} e^{z_j + c}}", "indexed": "z_1..z_K"},
        [r"\frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}", r"e^{z_i} / \sum_{k=1}^{K} e^{z_k}"],
        [
            r"\frac{e^{z_i} + c}{\sum_{j=1}^{K} e^{z_j} + c}",
            r"\frac{e^{z_i}}{\sum_{j=1}^{K-1} e^{z_j}}",
            r"\frac{1}{\sum_{j=1}^{K} e^{z_j}}",
        ],
    ),
    (
        {"expect": "(A B)^T", "matrices": "A B"},
        ["B^T A^T", r"B^\top A^\top"],
        ["A^T B^T", "A B", "B A"],
    ),
    (
        {"expect": "(A B)^(-1)", "matrices": "A B"},
        ["B^(-1) A^(-1)", "B^{-1} A^{-1}"],
        ["A^(-1) B^(-1)", "A B", "(B A)^(-1)"],
    ),
    (
        {"expect": "(A + B)^2", "matrices": "A B"},
        ["A^2 + A B + B A + B^2"],
        ["A^2 + 2 A B + B^2", "A^2 + B^2"],
    ),
    (
        {"expect": "u·u", "vectors": "u v"},
        ["‖u‖^2", "|u|^2", "dot(u, u)", r"\|u\|^2"],
        ["‖u‖", "2‖u‖", "u·v"],
    ),
    ({"expect": "u × v", "vectors": "u v"}, ["-(v × u)", r"-v \times u"], ["v × u", "u·v"]),
    (
        {"expect": r"\langle u + v, u + v \rangle", "vectors": "u v"},
        ["‖u‖^2 + 2 u·v + ‖v‖^2"],
        ["‖u‖^2 + ‖v‖^2", "‖u‖^2 + u·v + ‖v‖^2"],
    ),
    (
        {"expect": "f'(x) g(x) + f(x) g'(x)", "functions": "f g"},
        ["g(x) f'(x) + g'(x) f(x)"],
        [r"\frac{d}{dx}(f(x) g(x))", "f'(x) g'(x)", "f'(x) g(x) - f(x) g'(x)", "f(x) g(x)"],
    ),
    ({"expect": "f(x + y)", "functions": "f"}, ["f(y + x)"], ["f(x) + f(y)", "f(x y)"]),
    ({"expect": r"\int_0^1 x^2 \, dx"}, [r"\int_0^1 t^2 \, dt"], [r"\int_0^2 x^2 \, dx"]),
    ({"expect": "1/3"}, ["2/6"], [r"\int_0^1 x^2 \, dx", "0.333", "1/4"]),
    (
        {"expect": "1"},
        ["sin(x)^2 + cos(x)^2", "cos(x)^2 + sin(x)^2"],
        [r"\lim_{x \to 0} \frac{\sin x}{x}", "sin(x)^2"],
    ),
    (
        {"expect": "n^2 + 2n + 1", "natural": "n", "form": "expanded"},
        ["n^2 + 2n + 1", "1 + 2n + n^2"],
        ["(n+1)^2", "n(n+2) + 1", "n^2 + 2n"],
    ),
    (
        {"expect": "(x-1)(x+1)", "form": "factored"},
        ["(x+1)(x-1)", "(1-x)(-1-x)"],
        ["x^2 - 1", "(x-1)(x-1)"],
    ),
]
hostile = [
    ("__import__('os').system('x')", I),
    ("exec", W),
    ("lambda: 1", I),
    ("x.__class__", I),
    ("10^10^10^10", I),
    ("(x+1)^100000", I),
    ("9999999999!", I),
    ("(" * 300 + "x" + ")" * 300, I),
    ("\x1b[31mx", I),
    (r"\input{/etc/passwd}", I),
    (r"\def\x{1}", I),
    ("x\x07", I),
    ("", I),
    ("x +", I),
    ("(x", I),
    ("2 3", I),
    ("sin", I),
    ("x @ y", I),
    (r"\frac{1}", I),
    ("|x", I),
    ("x = = 1", I),
    ("‮x", I),
]
rows = []
for spec, good, bad in groups:
    for answer in good:
        rows.append({**spec, "answer": answer, "verdict": C})
    for answer in bad:
        rows.append({**spec, "answer": answer, "verdict": W})
for answer, verdict in hostile:
    rows.append({"expect": "x", "answer": answer, "verdict": verdict})
out = Path(__file__).with_name("cases.jsonl")
with out.open("w", encoding="utf-8") as fh:
    for k, row in enumerate(rows):
        row = {"id": f"case-{k:03d}", **row}
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(rows), sum(r["verdict"] != C for r in rows))
