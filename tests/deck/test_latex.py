"""Rendering LaTeX math snippets as terminal text (tutor.deck.latex)."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.deck.latex import (
    FALLBACK_CHARS,
    MAX_INPUT_CHARS,
    latex_to_unicode,
    render_inline_math,
)

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def render(src: str) -> str:
    return latex_to_unicode(src)


# -- the expressions the shipped decks use -------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\frac{e^{z_i + c}}{\sum_{j=1}^{K} e^{z_j + c}}", "e^(zᵢ + c)/(∑ⱼ₌₁ᴷ e^(zⱼ + c))"),
        (r"\frac{e^{z_i}}{\sum_j e^{z_j}}", "e^(zᵢ)/(∑ⱼ e^(zⱼ))"),
        (r"\Omega \in \mathcal{F}", "Ω ∈ ℱ"),
        (r"P(A \cup B) = P(A) + P(B) - P(A \cap B)", "P(A ∪ B) = P(A) + P(B) - P(A ∩ B)"),
        (r"\|u - v\|^2 = 2 - 2\cos\theta", "‖u - v‖² = 2 - 2 cos θ"),
        (r"\sigma'(x) = \sigma(x)(1-\sigma(x))", "σ′(x) = σ(x)(1 - σ(x))"),
        (r"\mathcal{F} \subseteq 2^\Omega", "ℱ ⊆ 2^Ω"),
        (r"\Omega \setminus A \in \mathcal{F}", "Ω ∖ A ∈ ℱ"),
        (r"A_1, A_2, \ldots \in \mathcal{F}", "A₁, A₂, … ∈ ℱ"),
        (r"\bigcup_n A_n \in \mathcal{F}", "⋃ₙ Aₙ ∈ ℱ"),
        (r"z \in \mathbb{R}^K", "z ∈ ℝᴷ"),
        (
            r"\operatorname{softmax}(z + c\mathbf{1}) = \operatorname{softmax}(z)",
            "softmax(z + c𝟏) = softmax(z)",
        ),
        (r"e^{a + b} = e^a e^b", "eᵃ⁺ᵇ = eᵃeᵇ"),
        ("16 / 0.020 = 800", "16/0.020 = 800"),
    ],
)
def test_deck_expressions(src: str, expected: str) -> None:
    assert render(src) == expected


# -- symbols -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\alpha \beta \gamma \Gamma \Delta \theta \lambda \mu \pi \sigma \Sigma \omega", None),
        (r"\varepsilon", "ε"),
        (r"\epsilon", "ε"),
        (r"\varphi", "φ"),
        (r"\Omega", "Ω"),
        (r"\infty", "∞"),
        (r"\partial", "∂"),
        (r"\nabla", "∇"),
        (r"\emptyset", "∅"),
        (r"\varnothing", "∅"),
        (r"\ldots", "…"),
        (r"\dots", "…"),
        (r"\cdots", "⋯"),
        (r"\top", "⊤"),
        (r"\|", "‖"),
        (r"\langle x \rangle", "⟨x⟩"),
        (r"\lVert x \rVert", "‖x‖"),
        (r"\lfloor x \rfloor", "⌊x⌋"),
        (r"\lceil x \rceil", "⌈x⌉"),
        (r"\forall x \exists y", "∀x∃y"),
        (r"\neg A", "¬A"),
        (r"\lnot A", "¬A"),
    ],
)
def test_ordinary_symbols(src: str, expected: str | None) -> None:
    if expected is None:
        expected = "αβγΓΔθλμπσΣω"
    assert render(src) == expected


# LaTeX's glyphs: \theta is the closed θ, \vartheta the script ϑ; \phi the stroked ϕ, \varphi the
# loopy φ. \epsilon (lunate ϵ in TeX) is deliberately the plain ε too: in a terminal the lunate
# form is hard to tell from ∈.
GREEK_VARIANTS = {
    "theta": "GREEK SMALL LETTER THETA",
    "vartheta": "GREEK THETA SYMBOL",
    "phi": "GREEK PHI SYMBOL",
    "varphi": "GREEK SMALL LETTER PHI",
    "epsilon": "GREEK SMALL LETTER EPSILON",
    "varepsilon": "GREEK SMALL LETTER EPSILON",
    "varpi": "GREEK PI SYMBOL",
    "varrho": "GREEK RHO SYMBOL",
    "varsigma": "GREEK SMALL LETTER FINAL SIGMA",
    "varkappa": "GREEK KAPPA SYMBOL",
    "Theta": "GREEK CAPITAL LETTER THETA",
    "Phi": "GREEK CAPITAL LETTER PHI",
}
PLAIN_GREEK = [
    "alpha", "beta", "gamma", "delta", "zeta", "eta", "iota", "kappa", "lambda", "mu", "nu", "xi",
    "omicron", "pi", "rho", "sigma", "tau", "upsilon", "chi", "psi", "omega",
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "unicode_name"),
    [
        *GREEK_VARIANTS.items(),
        *((n, "GREEK SMALL LETTER " + n.upper().replace("LAMBDA", "LAMDA")) for n in PLAIN_GREEK),
    ],
)
def test_greek_letters_use_latex_glyphs(name: str, unicode_name: str) -> None:
    assert unicodedata.name(render("\\" + name)) == unicode_name


@pytest.mark.parametrize(
    "src",
    [
        r"\theta", r"\theta_1", r"\hat\theta", r"\hat{\theta}_0", r"\boldsymbol{\theta}",
        r"\mathbf\theta", r"\text{\theta}", r"\nabla_\theta L", r"\max_\theta L(\theta)",
        r"\cos\theta", r"p_\theta(x)", r"\theta^*", r"\theta'",
    ],
)  # fmt: skip
def test_theta_is_never_the_script_theta(src: str) -> None:
    out = render(src)
    assert "θ" in out
    assert "ϑ" not in out


def test_theta_in_a_superscript_is_the_small_theta() -> None:
    assert render(r"e^{i\theta}") == "eⁱᶿ"
    assert unicodedata.normalize("NFKC", "ᶿ") == "θ"


@pytest.mark.parametrize(
    ("macro", "char"),
    [
        ("le", "≤"), ("ge", "≥"), ("ne", "≠"), ("neq", "≠"), ("leq", "≤"), ("geq", "≥"),
        ("approx", "≈"), ("equiv", "≡"), ("sim", "∼"), ("propto", "∝"), ("in", "∈"),
        ("notin", "∉"), ("subset", "⊂"), ("subseteq", "⊆"), ("supseteq", "⊇"), ("to", "→"),
        ("rightarrow", "→"), ("Rightarrow", "⇒"), ("implies", "⟹"), ("iff", "⟺"),
        ("Leftrightarrow", "⇔"), ("mapsto", "↦"), ("mid", "∣"), ("perp", "⊥"),
    ],
)  # fmt: skip
def test_relations_get_spaces(macro: str, char: str) -> None:
    assert render(rf"a \{macro} b") == f"a {char} b"


@pytest.mark.parametrize(
    ("macro", "char"),
    [
        ("cup", "∪"), ("cap", "∩"), ("setminus", "∖"), ("land", "∧"), ("lor", "∨"),
        ("wedge", "∧"), ("vee", "∨"), ("cdot", "·"), ("times", "×"), ("div", "÷"),
        ("pm", "±"), ("mp", "∓"), ("circ", "∘"), ("star", "⋆"), ("ast", "∗"),
    ],
)  # fmt: skip
def test_binary_operators_get_spaces(macro: str, char: str) -> None:
    assert render(rf"a \{macro} b") == f"a {char} b"


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\sum", "∑"),
        (r"\prod", "∏"),
        (r"\int", "∫"),
        (r"\oint", "∮"),
        (r"\bigcup", "⋃"),
        (r"\bigcap", "⋂"),
        (r"\sum x", "∑ x"),
    ],
)
def test_big_operator_symbols(src: str, expected: str) -> None:
    assert render(src) == expected


# -- spacing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("a+b", "a + b"),
        ("a  +   b", "a + b"),
        (r"x \le y", "x ≤ y"),
        ("-x", "-x"),
        ("a = -b", "a = -b"),
        ("(-1)^n", "(-1)ⁿ"),
        ("a := b", "a := b"),
        ("f(x, y)", "f(x, y)"),
        ("2x", "2x"),
        ("n!", "n!"),
        (r"\{ x \mid x > 0 \}", "{x ∣ x > 0}"),
        (r"\{x \in \mathbb{R} : x > 0\}", "{x ∈ ℝ : x > 0}"),
        (r"a\,b", "a b"),
        (r"a\;b", "a b"),
        (r"a\quad b", "a b"),
        (r"a\qquad b", "a b"),
        (r"a \, \, \quad b", "a b"),
        ("a~b", "a b"),
        (r"a\!b", "ab"),
        (r"\forall x \in A, \exists y", "∀x ∈ A, ∃y"),
        ("  x  ", "x"),
        (r"\, x \,", "x"),
        ("", ""),
        (r"c = -\max_j z_j", "c = -maxⱼ zⱼ"),
        (r"\sum_i e^{z_i} / \sum_j e^{z_j} = 1", "∑ᵢ e^(zᵢ)/∑ⱼ e^(zⱼ) = 1"),
        (r"2 \cdot 2 \cdots 2 = 2^n", "2 · 2 ⋯ 2 = 2ⁿ"),
        (r"a_1 \ldots a_n", "a₁ … aₙ"),
        (r"(1, \ldots, 1)", "(1, …, 1)"),
        (r"x_1 + \cdots + x_K", "x₁ + ⋯ + x_K"),
        (r"P(\text{all } k \text{ samples fail})", "P(all k samples fail)"),
    ],
)
def test_spacing(src: str, expected: str) -> None:
    assert render(src) == expected


# -- fractions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\frac{a}{b}", "a/b"),
        (r"\frac{a+b}{c}", "(a + b)/c"),
        (r"\frac{a}{b+c}", "a/(b + c)"),
        (r"\dfrac{1}{n}", "1/n"),
        (r"\tfrac{1}{2}", "1/2"),
        (r"\frac12", "1/2"),
        (r"\frac{x^2}{2}", "x²/2"),
        (r"\frac{2x}{3}", "(2x)/3"),
        (r"\frac{-b \pm \sqrt{b^2 - 4ac}}{2a}", "(-b ± √(b² - 4ac))/(2a)"),
        (r"\frac{P(A \cap B)}{P(B)}", "P(A ∩ B)/P(B)"),
        (r"\frac{(a+b)}{2}", "(a + b)/2"),
        (r"\frac{dy}{dx}", "dy/dx"),
        (r"\frac{\partial f}{\partial x}", "∂f/∂x"),
        (r"\frac{\frac{a}{b}}{c}", "(a/b)/c"),
        (r"\frac{1}{\sqrt{2\pi}}", "1/√(2π)"),
        (r"\frac{1}{2}x", "(1/2)x"),
        (r"2\frac{a}{b}", "2(a/b)"),
        (r"\frac{1}{n}\sum_i x_i", "(1/n) ∑ᵢ xᵢ"),
        (r"\frac{1}{2}\,x", "(1/2) x"),
        (r"\text{so} \quad \frac{a}{b}", "so a/b"),
        (r"\frac{d}{dx}(kx) = k", "(d/dx)(kx) = k"),
        (r"x = \frac{a}{b} + 1", "x = a/b + 1"),
        (r"\left( \frac{a}{b} \right)^2", "(a/b)²"),
    ],
)
def test_fractions(src: str, expected: str) -> None:
    assert render(src) == expected


# -- scripts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("x^2", "x²"),
        ("x^{n+1}", "xⁿ⁺¹"),
        ("z_i", "zᵢ"),
        ("a_{12}", "a₁₂"),
        ("x_i^2", "xᵢ²"),
        ("x^2_i", "xᵢ²"),
        ("A^T", "Aᵀ"),
        (r"A^\top", "Aᵀ"),
        ("A^{-1}", "A⁻¹"),
        ("10^{-3}", "10⁻³"),
        ("f'", "f′"),
        ("f''(x)", "f′′(x)"),
        (r"f^\prime", "f′"),
        ("x^*", "x*"),
        (r"90^\circ", "90°"),
        ("e^{z_j + c}", "e^(zⱼ + c)"),
        (r"x_\alpha", "x_α"),
        (r"e^{i\pi}", "e^(iπ)"),
        ("x_{i,j}", "x_(i, j)"),
        (r"x^{1/2}", "x^(1/2)"),
        (r"x_{\text{max}}", "xₘₐₓ"),
        ("a_{n+1} = a_n + 1", "aₙ₊₁ = aₙ + 1"),
        (r"\|x\|_2", "‖x‖₂"),
        ("{}^{14}C", "¹⁴C"),
        ("{a+b}^2", "(a + b)²"),
        (r"\mathbf{x}^\top \mathbf{y}", "𝐱ᵀ𝐲"),
        ("x^ 2", "x²"),
        (r"\sin^2 x + \cos^2 x = 1", "sin² x + cos² x = 1"),
        (r"\log_2 n", "log₂ n"),
    ],
)
def test_scripts(src: str, expected: str) -> None:
    assert render(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\sum_{j=1}^{K} x_j", "∑ⱼ₌₁ᴷ xⱼ"),
        (r"\sum_{i=1}^{n} \frac{1}{i^2}", "∑ᵢ₌₁ⁿ 1/i²"),
        (r"\sum_{i \in S} x_i", "∑_(i∈S) xᵢ"),
        (r"\sum_{n=0}^\infty a_n", "∑_(n=0..∞) aₙ"),
        (r"\prod_{i=1}^n x_i", "∏ᵢ₌₁ⁿ xᵢ"),
        (r"\int_a^b f(x)\,dx", "∫ₐᵇ f(x) dx"),
        (r"\int_0^\infty e^{-x}\,dx", "∫_(0..∞) e⁻ˣ dx"),
        (r"\int^x f", "∫ˣ f"),
        (r"\int^{\infty} f", "∫_(..∞) f"),
        (r"\lim_{x \to 0} f(x)", "lim_(x→0) f(x)"),
        (r"\lim_{n \to \infty} a_n = L", "lim_(n→∞) aₙ = L"),
        (r"\lim_{x \to 0} \frac{\sin x}{x} = 1", "lim_(x→0) (sin x)/x = 1"),
        (r"\bigcup_n A_n", "⋃ₙ Aₙ"),
        (r"\bigcup_{n=1}^\infty A_n", "⋃_(n=1..∞) Aₙ"),
        (r"\bigcap_{i \in I} A_i", "⋂_(i∈I) Aᵢ"),
        (r"\max_i x_i", "maxᵢ xᵢ"),
        (r"\max_{x \in S} f(x)", "max_(x∈S) f(x)"),
        (r"\sup_{\theta} L", "sup_θ L"),
        (r"\operatorname*{arg\,max}_{\theta} L(\theta)", "arg max_θ L(θ)"),
        (r"\sum\limits_{i=1}^n i", "∑ᵢ₌₁ⁿ i"),
    ],
)
def test_limits(src: str, expected: str) -> None:
    assert render(src) == expected


# -- roots, binomials, delimiters ----------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\sqrt{x}", "√x"),
        (r"\sqrt{2}", "√2"),
        (r"\sqrt{x+1}", "√(x + 1)"),
        (r"\sqrt{x^2 + y^2}", "√(x² + y²)"),
        (r"\sqrt[3]{x}", "∛x"),
        (r"\sqrt[4]{x}", "∜x"),
        (r"\sqrt[n]{x+1}", "ⁿ√(x + 1)"),
        (r"\binom{n}{k}", "C(n, k)"),
        (r"\binom{n}{k} p^k (1-p)^{n-k}", "C(n, k)pᵏ(1 - p)ⁿ⁻ᵏ"),
        (r"\left( x \right)", "(x)"),
        (r"\left[ 0, 1 \right)", "[0, 1)"),
        (r"\left\{ x \right\}", "{x}"),
        (r"\left| x \right|", "|x|"),
        (r"\left\langle u, v \right\rangle", "⟨u, v⟩"),
        (r"\left.\frac{df}{dx}\right|_{x=0}", "df/dx|ₓ₌₀"),
        (r"\bigl( x \bigr)", "(x)"),
        (r"\Big( x \Big)", "(x)"),
        (r"\biggl[ x \biggr]", "[x]"),
        (r"\{ 1, 2 \}", "{1, 2}"),
        (r"|x - y| < \delta", "|x - y| < δ"),
    ],
)
def test_roots_binomials_delimiters(src: str, expected: str) -> None:
    assert render(src) == expected


# -- text, fonts, accents, functions -------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\text{if } x > 0", "if x > 0"),
        (r"x \text{ and } y", "x and y"),
        (r"\text{hi there}", "hi there"),
        (r"\mathrm{d}x", "dx"),
        (r"\mathrm{Var}(X)", "Var(X)"),
        (r"\operatorname{softmax}(z)", "softmax(z)"),
        (r"\operatorname{rank} A", "rank A"),
        (r"\textbf{v}", "𝐯"),
        (r"\emph{note}", "note"),
        (r"\textit{word}", "word"),
        (r"\text{for $x > 0$}", "for x > 0"),
        (r"\mathbb{N} \mathbb{Z} \mathbb{Q} \mathbb{R} \mathbb{C} \mathbb{E} \mathbb{P}", None),
        (r"\mathbb R", "ℝ"),
        (r"\mathbb{1}", "𝟙"),
        (r"\mathcal{F}", "ℱ"),
        (r"\mathcal{N}(\mu, \sigma^2)", "𝒩(μ, σ²)"),
        (r"\mathscr{L}", "ℒ"),
        (r"\mathfrak{g}", "𝔤"),
        (r"\mathbf{1}", "𝟏"),
        (r"\boldsymbol{x}", "𝐱"),
        (r"\hat{y}", "ŷ"),
        (r"\hat{\theta}", "θ̂"),
        (r"\hat{x_1}", "x̂₁"),
        (r"\bar{x}", "x̄"),
        (r"\overline{A}", "A̅"),
        (r"\overline{AB}", "A̅B̅"),
        (r"\tilde{x}", "x̃"),
        (r"\vec{v}", "v⃗"),
        (r"\dot{x}", "ẋ"),
        (r"\ddot{x}", "ẍ"),
        (r"\vec{AB}", "vec(AB)"),
        (r"\hat{}", "^"),
    ],
)
def test_text_fonts_accents(src: str, expected: str | None) -> None:
    if expected is None:
        expected = "ℕℤℚℝℂ𝔼ℙ"
    assert render(src) == expected


@pytest.mark.parametrize(
    "name", ["log", "ln", "exp", "sin", "cos", "tan", "max", "min", "arg", "det", "lim", "sup",
             "inf", "Pr"],
)  # fmt: skip
def test_function_names(name: str) -> None:
    assert render(rf"\{name} x") == f"{name} x"
    assert render(rf"\{name}(x)") == f"{name}({'x'})"
    assert render(rf"2\{name} x") == f"2 {name} x"


def test_function_name_spacing() -> None:
    assert render(r"\log n + \ln(x) + \exp(x)") == "log n + ln(x) + exp(x)"
    assert render(r"\mathbb{E}[X] = \sum_x x \Pr(X = x)") == "𝔼[X] = ∑ₓ x Pr(X = x)"
    assert render(r"f(x) \log x") == "f(x) log x"
    assert render(r"\Pr[X > 0]") == "Pr[X > 0]"


# -- environments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "[[a, b], [c, d]]"),
        (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \\ \end{bmatrix}", "[[1, 0], [0, 1]]"),
        (r"\begin{pmatrix} x \\ y \end{pmatrix}", "[[x], [y]]"),
        (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", "|[[a, b], [c, d]]|"),
        (r"\begin{array}{cc} a & b \\ c & d \end{array}", "[[a, b], [c, d]]"),
        (
            r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases}",
            "f(x) = {1 if x > 0; 0 otherwise}",
        ),
        (
            r"\begin{cases} x & \text{if } x \ge 0 \\ -x & \text{if } x < 0 \end{cases}",
            "{x if x ≥ 0; -x if x < 0}",
        ),
        (r"\begin{aligned} a &= b + c \\ &= d \end{aligned}", "a = b + c; = d"),
        (r"\sum_{\substack{i < n \\ j < m}} a_{ij}", "∑_(i<n, j<m) aᵢⱼ"),
    ],
)
def test_environments(src: str, expected: str) -> None:
    assert render(src) == expected


# -- unknown and malformed input -----------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\foo", "foo"),
        (r"\foo x", "foo x"),
        (r"\foo{x}", "foo x"),
        (r"\heartsuit", "♡"),
        (r"\frac{a}", "a/"),
        (r"\frac", "/"),
        (r"\sqrt", "√"),
        ("x^", "x"),
        ("x_", "x"),
        ("^2", "²"),
        ("a}b{", "ab"),
        ("{{x}", "x"),
        (r"\left( x", "(x"),
        (r"x \right)", "x)"),
        (r"\begin{pmatrix} a & b", "[[a, b]]"),
        (r"\end{pmatrix}", ""),
        (r"\not=", "≠"),
        (r"a \not\in B", "a ∉ B"),
        ("x = 50%", "x = 50%"),
        (r"a \% b", "a%b"),
        (r"\$5", "$5"),
        ("$x$", "x"),
        ("a\\", "a"),
    ],
)
def test_unknown_and_malformed(src: str, expected: str) -> None:
    assert render(src) == expected


def test_control_characters_and_escape_sequences_are_removed() -> None:
    assert render("x\x1b[31m^2\x1b[0m") == "x²"
    assert render("a\x00+\x07b\x9b1m") == "a + b"
    assert render("\x1b]0;title\x07x") == "x"
    assert render("a\u202eb") == "ab"
    assert render("x\ud800") == "x"


def test_huge_input_is_returned_shortened_and_cleaned() -> None:
    src = "a+\x1b[2J" * (MAX_INPUT_CHARS // 2)
    out = render(src)
    assert len(out) == FALLBACK_CHARS + 1
    assert out.endswith("…")
    assert out.startswith("a+a+a+")
    assert not CONTROL.search(out)


def test_deep_nesting_falls_back_to_the_source() -> None:
    assert render("{" * 5000 + "x" + "}" * 5000).startswith("{{{{")
    assert render(r"\sqrt[" * 3000 + "x").startswith(r"\sqrt[\sqrt[")
    assert render("x^{" * 60 + "1" + "}" * 60).startswith("x^{x^{")
    assert render(r"\text{" * 3000).startswith(r"\text{\text{")


def test_moderate_nesting_is_rendered() -> None:
    assert render("{" * 30 + "x" + "}" * 30) == "x"
    assert render("x^{y^{z^{2}}}") == "x^(y^(z²))"


def test_non_string_input_does_not_raise() -> None:
    assert latex_to_unicode(12) == "12"  # type: ignore[arg-type]
    assert latex_to_unicode(None) == "None"  # type: ignore[arg-type]


LATEXISH = st.lists(
    st.one_of(
        st.sampled_from(list("\\{}^_$&%'[]()+-=,.|~#")),
        st.sampled_from(
            [r"\frac", r"\sqrt", r"\left", r"\right", r"\begin{pmatrix}", r"\end{pmatrix}",
             r"\begin{cases}", r"\\", r"\text{", r"\mathbb", r"\hat", r"\not", r"\sum",
             r"\lim", r"\alpha", r"\operatorname*", r"\big", r"\,", "\x1b[31m", "\x1b]"]
        ),
        st.characters(max_codepoint=0x3FF),
        st.characters(categories=["Cc", "Cf", "Cs"]),
    ),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(LATEXISH)
def test_random_latex_never_raises_nor_emits_controls(src: str) -> None:
    out = latex_to_unicode(src)
    assert isinstance(out, str)
    assert not CONTROL.search(out), repr(out)
    assert out == out.strip()
    assert "  " not in out


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_never_raises_nor_emits_controls(src: str) -> None:
    out = latex_to_unicode(src)
    assert isinstance(out, str)
    assert not CONTROL.search(out), repr(out)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab $\\`{}^\x1b")), max_size=40))
def test_render_inline_math_never_raises(text: str) -> None:
    out = render_inline_math(text)
    assert isinstance(out, str)
    if "$" not in text:
        assert out == text


# -- inline math in prose ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r"Let $\Omega$ be a set.", "Let Ω be a set."),
        (r"$A \in \mathcal{F}$ implies $\Omega \setminus A \in \mathcal{F}$",
         "A ∈ ℱ implies Ω ∖ A ∈ ℱ"),
        (r"$$P(A \cup B) = P(A) + P(B) - P(A \cap B)$$", "P(A ∪ B) = P(A) + P(B) - P(A ∩ B)"),
        (r"so $$\frac{a}{b}$$ and $x^2$.", "so a/b and x²."),
        (r"costs \$5, not $x$", r"costs \$5, not x"),
        ("costs $5 and $10", "costs $5 and $10"),
        ("a $ b $ c", "a $ b $ c"),
        ("no math here", "no math here"),
        ("unclosed $x", "unclosed $x"),
        (r"code `$x^2$` stays, $x^2$ renders", "code `$x^2$` stays, x² renders"),
        ("$x$$y$", "xy"),
        ("", ""),
    ],
)  # fmt: skip
def test_render_inline_math(text: str, expected: str) -> None:
    assert render_inline_math(text) == expected
