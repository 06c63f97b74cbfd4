"""Card Markdown as terminal text (tutor.deck.text), in particular `$$…$$` displays."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.deck import text as text_module
from tutor.deck.text import inline_to_text, markdown_to_text, text_parser

CONFUSION = (
    "For the filter: TN $= 890$.\n"
    r"$$\begin{pmatrix} TP & FN \\ FP & TN \end{pmatrix} = "
    r"\begin{pmatrix} 80 & 20 \\ 10 & 890 \end{pmatrix}$$"
    "\n"
    "The row sums are the actual class sizes ($100$ spam, $900$ not spam), the column sums the\n"
    "predicted ones ($90$ flagged, $910$ not flagged)."
)


def test_display_between_lines_of_a_paragraph_stands_on_its_own_line() -> None:
    # The report: "…890]]Therowsumsare…", the text after the display read as math.
    assert markdown_to_text(CONFUSION) == (
        "For the filter: TN = 890.\n"
        "\n"
        "    [[TP, FN], [FP, TN]] = [[80, 20], [10, 890]]\n"
        "\n"
        "The row sums are the actual class sizes (100 spam, 900 not spam), the column sums the "
        "predicted ones (90 flagged, 910 not flagged)."
    )


def test_display_right_after_a_line_of_text() -> None:
    # The union-bound card as it was written: the display closes the paragraph.
    source = (
        "Prove Boole's inequality: for any events $A_1, A_2, \\ldots$, disjoint or not,\n"
        "$$P\\Big(\\bigcup_{n=1}^{\\infty} A_n\\Big) \\le \\sum_{n=1}^{\\infty} P(A_n).$$\n"
        "\n"
        "The axioms only speak about disjoint events."
    )
    assert markdown_to_text(source) == (
        "Prove Boole's inequality: for any events A₁, A₂, …, disjoint or not,\n"
        "\n"
        "    P(⋃_(n=1..∞) Aₙ) ≤ ∑_(n=1..∞) P(Aₙ).\n"
        "\n"
        "The axioms only speak about disjoint events."
    )


def test_display_right_before_a_line_of_text() -> None:
    assert markdown_to_text("Hence\n$$x^2 \\ge 0$$\nfor every real $x$.") == (
        "Hence\n\n    x² ≥ 0\n\nfor every real x."
    )


def test_display_inside_a_sentence() -> None:
    assert markdown_to_text("so $$a + b$$ is even") == "so\n\n    a + b\n\nis even"


def test_display_over_several_lines_inside_a_paragraph() -> None:
    source = "so\n$$\n\\begin{pmatrix} 1 & 2 \\\\\n3 & 4 \\end{pmatrix}\n$$\nthen $y$."
    assert markdown_to_text(source) == "so\n\n    [[1, 2], [3, 4]]\n\nthen y."


@pytest.mark.parametrize(("after", "shown"), [(".", "."), (",", ","), (";", ";"), ("!", "!")])
def test_punctuation_after_a_display_stays_with_it(after: str, shown: str) -> None:
    assert markdown_to_text(f"so\n$$x = 1$${after}\nThen $y$ is free.") == (
        f"so\n\n    x = 1{shown}\n\nThen y is free."
    )
    assert markdown_to_text(f"so\n$$x = 1$${after} then $y$.") == (
        f"so\n\n    x = 1{shown}\n\nthen y."
    )


def test_text_glued_to_a_display_is_not_taken_for_punctuation() -> None:
    assert markdown_to_text("so\n$$x$$.5 more") == "so\n\n    x\n\n.5 more"


def test_display_in_a_list_item() -> None:
    source = (
        "1. first\n2. for disjoint events,\n   $$P(A \\cup B) = P(A) + P(B)$$\n   (additivity)."
    )
    assert markdown_to_text(source) == (
        "1. first\n2. for disjoint events,\n       P(A ∪ B) = P(A) + P(B)\n   (additivity)."
    )


def test_display_in_a_blockquote() -> None:
    assert markdown_to_text("> so\n> $$x^2$$\n> done") == "│ so\n\n│     x²\n\n│ done"


def test_two_displays_in_one_paragraph() -> None:
    assert markdown_to_text("a\n$$x$$\nb\n$$y$$\nc") == "a\n\n    x\n\nb\n\n    y\n\nc"


def test_display_in_a_title_is_one_line() -> None:
    assert inline_to_text("Bound\n$$x \\le 1$$\nholds") == "Bound x ≤ 1 holds"


def test_display_of_its_own_is_unchanged() -> None:
    assert markdown_to_text("so\n\n$$x^2$$\n\ndone") == "so\n\n    x²\n\ndone"
    assert markdown_to_text("$$\nx^2\n$$\ndone") == "    x²\n\ndone"


def test_labelled_display_shows_its_label() -> None:
    assert markdown_to_text("$$E = mc^2$$ (1)\n\nBy (1), …") == "    E = mc²    (1)\n\nBy (1), …"


def test_inline_math_is_unchanged() -> None:
    assert markdown_to_text("Let $x \\in \\mathbb{R}$ and $y = x^2$.") == "Let x ∈ ℝ and y = x²."
    assert markdown_to_text("$a$$b$") == "ab"


def test_unclosed_dollars_stay_text() -> None:
    assert markdown_to_text("a $$ b") == "a $$ b"
    assert markdown_to_text("x $$$$ y") == "x $$$$ y"
    assert markdown_to_text("cost: \\$5") == "cost: $5"


@pytest.mark.parametrize(
    ("source", "token_type"),
    [
        ("a $x$ b", "math_inline"),
        ("a\n$$x$$\nb", "math_inline_double"),
        ("$$x$$", "math_block"),
        ("$$x$$ (eq1)", "math_block_label"),
    ],
)
def test_every_dollarmath_token_is_rendered(source: str, token_type: str) -> None:
    tokens = text_parser().parse(source)
    types = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    assert token_type in types
    out = markdown_to_text(source)
    assert "$" not in out
    assert "x" in out
    if token_type != "math_inline":
        assert "\n    x" in "\n" + out  # a display: its own indented line


@settings(max_examples=500, deadline=None)
@given(st.from_regex(text_module._PLAIN, fullmatch=True))
def test_a_plain_line_is_its_own_rendering(line: str) -> None:
    """The lines `markdown_to_text` takes as they are render so when parsed."""
    assert markdown_to_text(line) == text_module._rendered(line)


@pytest.mark.parametrize(
    "line",
    [
        "1. first",
        "- item",
        "# Heading",
        "    code",
        "a *b*",
        "x_1",
        "a & b",
        "a <b>",
        "$x$",
        "a\\b",
    ],
)
def test_a_line_markdown_reads_is_not_taken_as_plain(line: str) -> None:
    assert not text_module._PLAIN.fullmatch(line)
