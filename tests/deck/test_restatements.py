"""The shipped cards do not certify restatements (issue 11, item 7): typing the question back, a
trivial rewrite of it, the definition instead of the asked rule, or a form the prompt rules out is
never judged correct by the card's own check block, while an honest reconstruction still is.

Judged in-process with ``judge`` (not the sandbox), reading the check blocks from the shipped
files as tests/deck/test_shipped_content.py does."""

from __future__ import annotations

import pytest

from tutor.check import CheckSpec, judge
from tutor.deck.inputs import stated_card
from tutor.deck.loader import load_collection, shipped_deck_dirs
from tutor.deck.model import Collection

SHIFTED = r"\frac{e^{z_i + c}}{\sum_{j=1}^{K} e^{z_j + c}}"
SOFTMAX = r"\frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}"

# (card id, an answer that restates the question or sidesteps what the prompt asks for)
RESTATEMENTS: list[tuple[str, str]] = [
    # probability-foundations
    ("complement-rule", "P(A^c)"),
    ("complement-rule", "1 - P(A ∩ B) - P(A ∩ B^c)"),
    ("complement-rule", "P(A^c ∩ B) + P(A^c ∩ B^c)"),
    ("difference-rule", "P(B ∖ A)"),
    ("difference-rule", "P(B ∩ A^c)"),
    ("difference-rule", "P(A ∪ B) - P(A)"),
    ("difference-rule", "P(B) + P(A^c) - P(A^c ∪ B)"),
    ("monotonicity", "P(B) - P(A ∩ B)"),
    ("inclusion-exclusion-2", "P(A ∪ B)"),
    ("inclusion-exclusion-2", "P(B ∪ A)"),
    ("inclusion-exclusion-2", "P(A) + P(B ∖ A)"),
    ("inclusion-exclusion-2", "P(A) + P(B ∩ A^c)"),
    ("inclusion-exclusion-2", "1 - P(A^c ∩ B^c)"),
    ("inclusion-exclusion-3", "P(A ∪ B ∪ C)"),
    ("inclusion-exclusion-3", "P(A ∪ B) + P(C) - P(A ∩ C) - P(B ∩ C) + P(A ∩ B ∩ C)"),
    ("inclusion-exclusion-3", "P(A) + P(B ∩ A^c) + P(C ∩ A^c ∩ B^c)"),
    ("inclusion-exclusion-3", "1 - P(A^c ∩ B^c ∩ C^c)"),
    ("conditional-probability", "P(A|B)"),
    ("conditional-probability", "P(A|B) * P(B) / P(B)"),
    ("conditional-probability", "P(B|A) * P(A) / P(B)"),
    ("total-probability", "P(A)"),
    ("total-probability", "P(A ∩ B) + P(A ∩ B^c)"),
    ("total-probability", "P(A|B) P(B) + P(A) - P(A|B) P(B)"),
    ("bayes-rule", "P(A|B)"),
    ("bayes-rule", "P(A ∩ B) / P(B)"),
    ("bayes-rule", "P(A|B) P(B) / P(B)"),
    ("bayes-rule", "P(B|A) P(A) / (P(B|A) P(A) + P(B|A^c) P(A^c))"),
    ("independence", "P(A ∩ B)"),
    ("independence", "P(A|B) * P(B)"),
    ("independence", "P(A) - P(A) * P(B^c)"),
    ("linearity-of-expectation", "E(a X + b Y + c)"),
    ("variance", "E(X^2) - E(X)^2"),
    ("variance-shortcut", "E((X - E(X))^2)"),
    ("variance-affine", "Var(a X + b)"),
    # calculus-for-training
    ("exp-product-rule", "e^(log(u) + log(v))"),
    ("exp-product-rule", "exp(log(u v))"),
    ("exp-product-rule", "e^(log u) e^(log v)"),
    ("exp-product-rule", "e^(a + b)"),
    ("derivative-as-limit", "f'(x)"),
    ("derivative-as-limit", r"\lim_{h \to 0} \frac{f(x+h) - f(x)}{h}"),
    ("chain-rule", "h'(x)"),
    ("exp-derivative", r"\frac{d}{dx} e^{kx}"),
    ("exp-derivative", "f'(x)"),
    ("log-sum-exp", r"\log(e^{1000} + e^{999} + e^{998})"),
    ("log-sum-exp", "log(exp(1000) + exp(999) + exp(998))"),
    ("log-sum-exp", r"\log(e^{1000} (1 + e^{-1} + e^{-2}))"),
    ("log-sum-exp-gradient", "p_i"),
    ("cross-entropy-loss", r"-\log p_c"),
    # evaluation-metrics
    ("f1-score", "2/(1/(TP/(TP + FP)) + 1/(TP/(TP + FN)))"),
    ("f1-score", "2*(TP/(TP + FP))*(TP/(TP + FN))/(TP/(TP + FP) + TP/(TP + FN))"),
    ("f1-score", "2/((TP + FP)/TP + (TP + FN)/TP)"),
    # linear-algebra-for-embeddings
    ("transpose-of-product", "(W X^T)^T"),
    ("transpose-of-product", "(W Xᵀ)ᵀ"),
    ("inverse-of-product", "(A B)^{-1} y"),
    ("inverse-of-product", "(AB)^(-1) y"),
    # proofs
    ("inclusion-exclusion-step-2", "P(A ∪ B)"),
    ("inclusion-exclusion-step-2", "P(A ∪ (B ∖ A))"),
    ("inclusion-exclusion-step-2", "1 - P(A^c ∩ B^c)"),
    ("inclusion-exclusion-step-4", "P(B ∖ A)"),
    ("inclusion-exclusion-step-4", "P(B ∩ A^c)"),
    ("inclusion-exclusion-step-5", "P(A ∪ B) = P(A) + P(B) - P(A ∩ B)"),
    ("inclusion-exclusion-step-5", "P(A ∪ B) = P(B ∪ A) = P(A) + P(B) - P(A ∩ B)"),
    (
        "inclusion-exclusion-step-5",
        "P(A ∪ B) = P(A) + P(B) - P(A ∩ B) + 0 = P(A) + P(B) - P(A ∩ B)",
    ),
    ("inclusion-exclusion-step-5", "P(A ∪ B) = P(A ∪ B) + 0 = P(A) + P(B) - P(A ∩ B)"),
    ("softmax-shift-1", SOFTMAX),  # the theorem's conclusion, not the shifted definition
    ("softmax-shift-1", r"e^{z_i}/\sum_{k=1}^{K} e^{z_k}"),
    ("softmax-shift-2", "e^{z_i + c}"),
    ("softmax-shift-2", "exp(c + z_i)"),
    ("softmax-shift-2", r"e^{z_i + c} e^{c} / e^{c}"),
    ("softmax-shift-3", r"\sum_{j=1}^{K} e^{c} e^{z_j}"),
    ("softmax-shift-3", r"\sum_{j=1}^{K} e^{z_j + c}"),
    ("softmax-shift-3", r"\sum_{k=1}^{K} e^{z_k + c}"),
    ("softmax-shift-4", f"{SHIFTED} = {SOFTMAX}"),
    ("softmax-shift-4", f"{SHIFTED} = {SOFTMAX} + 0 = {SOFTMAX}"),
    ("sqrt2-irrational-2", "sqrt(2) = p/q"),
    ("sqrt2-irrational-2", "2 = p^2/q^2"),
    ("sqrt2-irrational-2", "p = sqrt(2) q"),
    ("sqrt2-irrational-4", "(2k)^2 = 2q^2"),
    ("sqrt2-irrational-4", "4k^2 = 2q^2"),
    ("sqrt2-irrational-4", "q^2 = 4k^2/2"),
    ("variance-identity-2", "E(X^2 - 2 mu X + mu^2)"),
    ("variance-identity-3", "E(X^2) - 2*E(X)*E(X) + E(X)^2"),
    ("variance-identity-3", "E(X^2) + E(X)^2 - 2 E(X)^2"),
    ("markov-inequality-2", "E(a*I)"),
    ("cauchy-schwarz-3", "4 norm(u)^2 norm(v)^2 / 4"),
    ("softmax-cross-entropy-gradient-3", "p_j"),
    ("softmax-cross-entropy-gradient-4", "p_j - y_j"),
    # issue 16: restatements found by trying every card as a lazy learner
    ("cross-entropy-loss", r"-\log \frac{e^{z_c}}{\sum_{k=1}^{K} e^{z_k}}"),
    ("cross-entropy-loss", r"\log \frac{\sum_{k=1}^{K} e^{z_k}}{e^{z_c}}"),
    ("orthogonal-vectors", "norm(u + v)^2"),
    ("orthogonal-vectors", "u·u + v·v"),
    ("transpose-of-product", "((X W^T)^T)^T"),
    ("transpose-of-product", "(I W X^T)^T"),
    ("markov-inequality-3", "P(A)"),
    ("markov-inequality-3", "1 - P(A^c)"),
    ("markov-inequality-4", "E(X)/a"),
    ("unit-distance-cosine-1", "norm(u - v)^2 - norm(u)^2 - norm(v)^2"),
    ("unit-distance-cosine-1", "dot(u - v, u - v) - dot(u,u) - dot(v,v)"),
    ("unit-distance-cosine-1", "norm(u)^2 + norm(v)^2 - norm(u + v)^2"),
    ("unit-distance-cosine-1", "dot(u,u) + dot(v,v) - dot(u + v, u + v)"),
    # issue 16 item 4: the new foundations (measure-and-information, random-variables)
    ("sigma-algebra-which-are", "True"),
    ("sigma-algebra-which-are", "p & q"),
    ("sigma-algebra-atoms", "{6}"),
    ("sigma-from-partition", "2^k - 1"),
    ("sigma-nested-count", "2^4"),
    ("algebra-not-sigma", "p & q & r"),
    ("borel-point-mass", "0"),
    ("countable-null", "1"),
    ("why-not-all-subsets", "~p"),
    ("sigma-of-x", "{1, 2}"),
    ("measurable-wrt-x", "p & r"),
    ("filtration", "2^5"),
    ("stopping-time", "p & r"),
    ("independent-random-variables", "P(X <= 1, Y > 2)"),
    ("independent-random-variables", "a b"),
    ("pairwise-not-mutual", "(1/2)^3"),
    ("covariance", "Cov(X, Y)"),
    ("covariance", "E(XY) - E(X)E(Y)"),
    ("variance-of-sum", "Var(X - Y)"),
    ("variance-of-sum", "Var(X) + Var(Y) - 2Cov(X, Y)"),
    ("variance-of-product", "Var(XY)"),
    ("variance-of-product", "(u + a^2)(w + b^2)"),
    ("variance-of-mean", "Var(X)/n"),
    ("variance-of-mean", "sigma^2/n"),
    ("standard-error", "0.21/2000"),
    ("conditional-expectation", "0.7"),
    ("conditional-expectation-rv", "E(X|Y)"),
    ("conditional-expectation-rv", "g(Y)"),
    ("tower-property", "E(X)"),
    ("tower-property", "a + (b - a) Y"),
    ("total-variance", "Var(X)"),
    ("total-variance", "(1 - q) s + q t"),
    ("sigma-algebra-intersection", "p & s"),
    ("correlated-items-variance", "v/n"),
    ("correlated-items-variance", "Var(X)/n"),
    ("paired-standard-error", "sqrt(0.42/1000)"),
    ("simpsons-paradox", "0.81"),
    ("irreducible-error", "E(Var(X|Y))"),
    ("irreducible-error", "(1 - q) s + q t + q (1 - q) (b - a)^2"),
    ("limit-events", "p & r & s"),
]

# (card id, an honest reconstruction): every card above still accepts the work it asks for
HONEST: list[tuple[str, str]] = [
    ("complement-rule", "1 - P(A)"),
    ("difference-rule", "P(B) - P(B ∩ A)"),
    ("monotonicity", "P(B ∖ A)"),
    ("monotonicity", "P(B ∩ A^c)"),
    ("inclusion-exclusion-2", "P(A) + P(B) - P(A ∩ B)"),
    ("inclusion-exclusion-3", "P(A)+P(B)+P(C)-P(B∩A)-P(C∩A)-P(C∩B)+P(C∩B∩A)"),
    ("conditional-probability", r"\frac{P(A \cap B)}{P(B)}"),
    ("total-probability", "P(A|B) P(B) + P(A|B^c) (1 - P(B))"),
    ("bayes-rule", r"\frac{P(B \mid A) P(A)}{P(B)}"),
    ("independence", "P(A) P(B)"),
    ("linearity-of-expectation", "a E(X) + b E(Y) + c"),
    ("variance", "E((X - E(X))^2)"),
    ("variance-shortcut", "E(X^2) - E(X)^2"),
    ("variance-affine", "a^2 Var(X)"),
    ("exp-product-rule", "u v"),
    ("derivative-as-limit", "(f(x+h) - f(x))/h"),
    ("chain-rule", "f'(g(x)) g'(x)"),
    ("chain-rule", "h'(x) = f'(g(x)) g'(x)"),
    ("exp-derivative", "k e^{kx}"),
    ("exp-derivative", "f'(x) = k e^{kx}"),
    ("log-sum-exp", "1000 + log(1 + e^{-1} + e^{-2})"),
    ("log-sum-exp", r"998 + \log(e^2 + e + 1)"),
    ("log-sum-exp-gradient", r"\frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}"),
    ("cross-entropy-loss", r"\log \sum_{k=1}^{K} e^{z_k} - z_c"),
    ("f1-score", "2TP/(2TP + FP + FN)"),
    ("transpose-of-product", "X W^T"),
    ("inverse-of-product", "B^{-1} (A^{-1} y)"),
    ("inclusion-exclusion-step-2", "P(A) + P(B ∩ A^c)"),
    ("inclusion-exclusion-step-4", "P(B) - P(A ∩ B)"),
    ("inclusion-exclusion-step-5", "P(A ∪ B) = P(A) + P(B ∖ A) = P(A) + P(B) - P(A ∩ B)"),
    ("softmax-shift-1", SHIFTED),
    ("softmax-shift-1", r"e^{c + z_i}/\sum_{k=1}^{K} e^{z_k + c}"),
    ("softmax-shift-2", r"e^{z_i} \cdot e^{c}"),
    ("softmax-shift-3", r"e^{c} \sum_{k=1}^{K} e^{z_k}"),
    (
        "softmax-shift-4",
        rf"{SHIFTED} = \frac{{e^{{c}} e^{{z_i}}}}{{\sum_{{j=1}}^{{K}} e^{{c}} e^{{z_j}}}}"
        rf" = \frac{{e^{{c}} e^{{z_i}}}}{{e^{{c}} \sum_{{j=1}}^{{K}} e^{{z_j}}}} = {SOFTMAX}",
    ),
    ("sqrt2-irrational-2", "p^2 - 2q^2 = 0"),
    ("sqrt2-irrational-4", "2k^2 = q^2"),
    ("variance-identity-2", "E(X^2) - 2μE(X) + μ^2"),
    ("variance-identity-3", "-E(X)^2 + E(X^2)"),
    ("markov-inequality-2", "a E(I)"),
    ("cauchy-schwarz-3", "‖u‖² ‖v‖²"),
    ("softmax-cross-entropy-gradient-3", r"\frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}}"),
    ("softmax-cross-entropy-gradient-4", r"\frac{e^{z_j}}{\sum_{k=1}^{K} e^{z_k}} - y_j"),
    ("cross-entropy-loss", r"\log \sum_{k=1}^{K} e^{z_k} - \log e^{z_c}"),
    ("orthogonal-vectors", "‖u‖² + ‖v‖²"),
    ("markov-inequality-3", "1 - r"),
    ("markov-inequality-4", "1/k"),
    ("unit-distance-cosine-1", "-(u·v) - (v·u)"),
    ("unit-distance-cosine-1", "dot(u, -v) + dot(-v, u)"),
    ("sigma-algebra-which-are", "p & q & ~r & ~s"),
    ("sigma-algebra-atoms", "{2, 4, 6} ∩ {4, 5, 6}"),
    ("sigma-from-partition", "2^k"),
    ("sigma-nested-count", "2^3"),
    ("algebra-not-sigma", "p & q & r & ~s"),
    ("borel-point-mass", "1 - 0.8"),
    ("countable-null", "1/2"),
    ("why-not-all-subsets", "~(p | q)"),
    ("sigma-of-x", "{1, 4} ∪ {2, 5}"),
    ("measurable-wrt-x", "p & ~q & r & ~s"),
    ("filtration", "2^(2^3)"),
    ("stopping-time", "p & ~q & r & ~s"),
    ("independent-random-variables", "a - a b"),
    ("pairwise-not-mutual", "1/4"),
    ("covariance", "r - p q"),
    ("variance-of-sum", "u + w - 2c"),
    ("variance-of-product", "(u + a^2)(w + b^2) - a^2 b^2"),
    ("variance-of-mean", "v/n"),
    ("standard-error", "sqrt(0.7*0.3/2000)"),
    ("conditional-expectation", "0.7/0.4"),
    ("conditional-expectation-rv", "a(1 - Y) + b Y"),
    ("tower-property", "a + (b - a) q"),
    ("total-variance", "(1 - q) s + q t + q (1 - q) (b - a)^2"),
    ("sigma-algebra-intersection", "p & ~q & ~r & s"),
    ("correlated-items-variance", "(v + (n - 1) c)/n"),
    ("paired-standard-error", "sqrt(0.12/1000)"),
    ("simpsons-paradox", "0.3*0.85 + 0.7*0.45"),
    ("irreducible-error", "s + q (t - s)"),
    ("limit-events", "p & ~q & r & s"),
]


@pytest.fixture(scope="module")
def shipped() -> Collection:
    return load_collection(shipped_deck_dirs())


def _spec(shipped: Collection, card_id: str) -> CheckSpec:
    card = shipped.card(card_id)
    assert card is not None, f"no shipped card {card_id!r}"
    assert card.check is not None, f"{card_id} is not machine-checked"
    card = stated_card(card)  # drawn numbers: the block as the card is first shown
    assert card.check is not None
    return CheckSpec.from_pairs(card.check.pairs())


def test_the_table_covers_at_least_44_restatements_on_23_cards() -> None:
    assert len(set(RESTATEMENTS)) == len(RESTATEMENTS)
    assert len(RESTATEMENTS) >= 44
    assert len({card for card, _ in RESTATEMENTS}) >= 23


def test_every_card_with_a_restatement_has_an_honest_answer() -> None:
    assert {card for card, _ in RESTATEMENTS} <= {card for card, _ in HONEST}


@pytest.mark.parametrize(("card_id", "answer"), RESTATEMENTS)
def test_a_restatement_is_not_correct(shipped: Collection, card_id: str, answer: str) -> None:
    verdict = judge(_spec(shipped, card_id), answer)
    assert verdict.verdict != "correct", (card_id, answer, verdict.feedback)


@pytest.mark.parametrize(("card_id", "answer"), HONEST)
def test_an_honest_reconstruction_is_correct(
    shipped: Collection, card_id: str, answer: str
) -> None:
    verdict = judge(_spec(shipped, card_id), answer)
    assert verdict.verdict == "correct", (card_id, answer, verdict.feedback)
