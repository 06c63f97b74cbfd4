"""The checker's one vocabulary: Greek letters and built-in functions.

The tokenizer, the parser, the node model, the printer, the evaluators and the linter all read
these tables, so a name is never a function in one place and a product of letters in another.
"""

from __future__ import annotations

from dataclasses import dataclass

# Every Greek letter macro of TeX and the letter it draws: the deck renderer shows these, and the
# checker reads them.
TEX_GREEK: dict[str, str] = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "varkappa": "ϰ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π",
    "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Alpha": "Α", "Beta": "Β", "Gamma": "Γ", "Delta": "Δ", "Epsilon": "Ε", "Zeta": "Ζ",
    "Eta": "Η", "Theta": "Θ", "Iota": "Ι", "Kappa": "Κ", "Lambda": "Λ", "Mu": "Μ", "Nu": "Ν",
    "Xi": "Ξ", "Omicron": "Ο", "Pi": "Π", "Rho": "Ρ", "Sigma": "Σ", "Tau": "Τ",
    "Upsilon": "Υ", "Phi": "Φ", "Chi": "Χ", "Psi": "Ψ", "Omega": "Ω", "varGamma": "Γ",
    "varDelta": "Δ", "varTheta": "Θ", "varLambda": "Λ", "varXi": "Ξ", "varPi": "Π",
    "varSigma": "Σ", "varUpsilon": "Υ", "varPhi": "Φ", "varPsi": "Ψ", "varOmega": "Ω",
    "digamma": "ϝ",
}  # fmt: skip

# The checker's spelled names → the letter it prints. The spelled name is the canonical token
# (`λ`, `\lambda` and `lambda` are all `lambda`). Capitals that look like Latin letters, the
# variants and π (the constant) are read elsewhere.
_LATIN_LOOKING = {"Alpha", "Beta", "Epsilon", "Zeta", "Eta", "Iota", "Kappa", "Mu", "Nu"}
_LATIN_LOOKING |= {"Omicron", "Rho", "Tau", "Chi"}
GREEK: dict[str, str] = {
    name: letter
    for name, letter in TEX_GREEK.items()
    if not name.startswith("var") and name not in _LATIN_LOOKING and name not in ("pi", "digamma")
}
GREEK["phi"] = "φ"  # the letter learners type; TeX's \phi draws the other form, ϕ

# LaTeX's variant spellings and Unicode's variant letters, read as the plain letter.
GREEK_VARIANTS: dict[str, str] = {
    "varepsilon": "epsilon",
    "vartheta": "theta",
    "varphi": "phi",
    "varrho": "rho",
    "varsigma": "sigma",
    "varpi": "pi",
    "varkappa": "kappa",
}
UNICODE_GREEK_VARIANTS: dict[str, str] = {
    "ϵ": "epsilon",
    "ϑ": "theta",
    "ϕ": "phi",
    "ϱ": "rho",
    "ς": "sigma",
    "ϰ": "kappa",
}

# Letter → spelled name, for the tokenizer and for declarations (`σ` declares `sigma`).
# π is the constant and Σ/Π the big operators when bounds follow: the tokenizer decides those.
UNICODE_GREEK: dict[str, str] = {
    **{letter: name for name, letter in GREEK.items()},
    **UNICODE_GREEK_VARIANTS,
}


def spell(name: str) -> str:
    """A declared or typed name in its canonical spelling: `σ`, `\\sigma`, `varsigma` → `sigma`."""
    name = name.removeprefix("\\")
    name = UNICODE_GREEK.get(name, name)
    return GREEK_VARIANTS.get(name, name)


@dataclass(frozen=True)
class Function:
    """A built-in function: its canonical name, how many arguments it takes (0: one or more),
    whether ``sin x`` may omit the brackets, and whether ``\\name`` is its LaTeX macro."""

    name: str
    arity: int = 1
    bare: bool = True
    latex: bool = False


_FUNCTIONS = [
    Function("sin", latex=True),
    Function("cos", latex=True),
    Function("tan", latex=True),
    Function("cot", latex=True),
    Function("sec", latex=True),
    Function("csc", latex=True),
    Function("sinh", latex=True),
    Function("cosh", latex=True),
    Function("tanh", latex=True),
    Function("coth", latex=True),
    Function("sech"),
    Function("csch"),
    Function("asin"),
    Function("acos"),
    Function("atan"),
    Function("acot"),
    Function("asec"),
    Function("acsc"),
    Function("asinh"),
    Function("acosh"),
    Function("atanh"),
    Function("acoth"),
    Function("exp", latex=True),
    Function("log", latex=True),
    Function("ln", latex=True),
    Function("lg", latex=True),
    Function("sqrt"),
    Function("abs"),
    Function("floor"),
    Function("ceil"),
    Function("sign"),
    Function("binomial", arity=2, bare=False),
    Function("atan2", arity=2, bare=False),
    Function("gcd", arity=2, bare=False, latex=True),
    Function("lcm", arity=2, bare=False),
    Function("max", arity=0, bare=False, latex=True),
    Function("min", arity=0, bare=False, latex=True),
    Function("dot", arity=2, bare=False),
    Function("cross", arity=2, bare=False),
    Function("norm", bare=False),
    Function("det", latex=True),
]
FUNCTIONS: dict[str, Function] = {f.name: f for f in _FUNCTIONS}

# Other spellings of the same functions; the parser reads them as the canonical name.
ALIASES: dict[str, str] = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arccot": "acot",
    "arcsec": "asec",
    "arccsc": "acsc",
    "arccosec": "acsc",
    "acosec": "acsc",
    "cosec": "csc",
    "arsinh": "asinh",
    "arcsinh": "asinh",
    "arcosh": "acosh",
    "arccosh": "acosh",
    "artanh": "atanh",
    "arctanh": "atanh",
    "arcoth": "acoth",
    "arccoth": "acoth",
    "sgn": "sign",
    "choose": "binomial",
}
# LaTeX macros that name a function under another spelling.
LATEX_ALIASES = ("arcsin", "arccos", "arctan")

FUNCTION_NAMES: frozenset[str] = frozenset(FUNCTIONS) | frozenset(ALIASES)


def canonical_function(name: str) -> str:
    return ALIASES.get(name, name)


def latex_function_macros() -> dict[str, str]:
    """``\\macro`` → canonical function name, for the tokenizer."""
    macros = {f.name: f.name for f in _FUNCTIONS if f.latex}
    macros.update({alias: ALIASES[alias] for alias in LATEX_ALIASES})
    return macros
