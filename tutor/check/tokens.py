"""Tokenizer: plain text, Unicode and LaTeX to one stream of canonical tokens."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tutor.check.errors import CheckInputError
from tutor.check.limits import MAX_DIGITS, MAX_LENGTH


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "cmd", "end"
    text: str
    col: int  # 1-based column in the original text


GREEK = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "rho",
    "varrho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
]

UNICODE_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ϵ": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ϑ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "ϕ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Γ": "Gamma",
    "Δ": "Delta",
    "Θ": "Theta",
    "Λ": "Lambda",
    "Ξ": "Xi",
    "Σ": "Sigma",
    "Φ": "Phi",
    "Ψ": "Psi",
    "Ω": "Omega",
}

# Unicode and multi-character operators to canonical operator tokens.
UNICODE_OPS = {
    "·": ("op", "*·"),
    "⋅": ("op", "*·"),
    "×": ("op", "*×"),
    "∗": ("op", "*"),
    "÷": ("op", "/"),
    "−": ("op", "-"),
    "–": ("op", "-"),
    "≤": ("op", "<="),
    "⩽": ("op", "<="),
    "≥": ("op", ">="),
    "⩾": ("op", ">="),
    "≠": ("op", "!="),
    "∪": ("op", "cup"),
    "∩": ("op", "cap"),
    "∖": ("op", "setminus"),
    "¬": ("op", "not"),
    "∧": ("op", "and"),
    "∨": ("op", "or"),
    "→": ("op", "implies"),
    "⇒": ("op", "implies"),
    "⟹": ("op", "implies"),
    "↔": ("op", "iff"),
    "⇔": ("op", "iff"),
    "⟺": ("op", "iff"),
    "‖": ("op", "‖"),
    "⟨": ("op", "⟨"),
    "⟩": ("op", "⟩"),
    "π": ("name", "pi"),
    "∞": ("name", "oo"),
    "√": ("name", "sqrt"),
    "∑": ("cmd", "sum"),
    "∏": ("cmd", "prod"),
    "∫": ("cmd", "int"),
    "∅": ("name", "emptyset"),
    "ᶜ": ("sup", "c"),
    "ᵀ": ("sup", "T"),
    "′": ("op", "'"),
}

SUPERSCRIPTS = {
    "⁰": "0",
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁴": "4",
    "⁵": "5",
    "⁶": "6",
    "⁷": "7",
    "⁸": "8",
    "⁹": "9",
    "⁻": "-",
    "ⁿ": "n",
}

ASCII_OPS = (
    ("<->", "iff"),
    ("<=>", "iff"),
    ("**", "^"),
    ("<=", "<="),
    (">=", ">="),
    ("!=", "!="),
    ("->", "implies"),
    ("=>", "implies"),
    ("==", "="),
    ("+", "+"),
    ("-", "-"),
    ("*", "*"),
    ("/", "/"),
    ("^", "^"),
    ("_", "_"),
    ("!", "!"),
    ("(", "("),
    (")", ")"),
    ("[", "["),
    ("]", "]"),
    ("{", "{"),
    ("}", "}"),
    (",", ","),
    ("|", "|"),
    ("=", "="),
    ("<", "<"),
    (">", ">"),
    ("'", "'"),
    ("&", "&"),
    ("~", "not"),
    (";", ";"),
    (".", "."),
)

# LaTeX commands: canonical token, or None to skip the command itself.
LATEX: dict[str, tuple[str, str] | None] = {
    "cdot": ("op", "*·"),
    "times": ("op", "*×"),
    "div": ("op", "/"),
    "ast": ("op", "*"),
    "le": ("op", "<="),
    "leq": ("op", "<="),
    "leqslant": ("op", "<="),
    "ge": ("op", ">="),
    "geq": ("op", ">="),
    "geqslant": ("op", ">="),
    "ne": ("op", "!="),
    "neq": ("op", "!="),
    "lt": ("op", "<"),
    "gt": ("op", ">"),
    "cup": ("op", "cup"),
    "cap": ("op", "cap"),
    "setminus": ("op", "setminus"),
    "lnot": ("op", "not"),
    "neg": ("op", "not"),
    "land": ("op", "and"),
    "wedge": ("op", "and"),
    "lor": ("op", "or"),
    "vee": ("op", "or"),
    "to": ("op", "implies"),
    "implies": ("op", "implies"),
    "Rightarrow": ("op", "implies"),
    "rightarrow": ("op", "implies"),
    "Longrightarrow": ("op", "implies"),
    "iff": ("op", "iff"),
    "Leftrightarrow": ("op", "iff"),
    "leftrightarrow": ("op", "iff"),
    "Longleftrightarrow": ("op", "iff"),
    "mid": ("op", "|"),
    "vert": ("op", "|"),
    "lvert": ("op", "|"),
    "rvert": ("op", "|"),
    "Vert": ("op", "‖"),
    "lVert": ("op", "‖"),
    "rVert": ("op", "‖"),
    "|": ("op", "‖"),
    "langle": ("op", "⟨"),
    "rangle": ("op", "⟩"),
    "{": ("op", "\\{"),
    "}": ("op", "\\}"),
    "lbrace": ("op", "\\{"),
    "rbrace": ("op", "\\}"),
    "infty": ("name", "oo"),
    "pi": ("name", "pi"),
    "emptyset": ("name", "emptyset"),
    "varnothing": ("name", "emptyset"),
    "top": ("name", "T"),
    "intercal": ("name", "T"),
    "prime": ("op", "'"),
    "complement": ("name", "c"),
    "true": ("name", "True"),
    "false": ("name", "False"),
    "ell": ("name", "l"),
    "frac": ("cmd", "frac"),
    "dfrac": ("cmd", "frac"),
    "tfrac": ("cmd", "frac"),
    "cfrac": ("cmd", "frac"),
    "sqrt": ("cmd", "sqrt"),
    "binom": ("cmd", "binom"),
    "dbinom": ("cmd", "binom"),
    "tbinom": ("cmd", "binom"),
    "sum": ("cmd", "sum"),
    "prod": ("cmd", "prod"),
    "int": ("cmd", "int"),
    "lim": ("cmd", "lim"),
    "overline": ("cmd", "overline"),
    "bar": ("cmd", "overline"),
    "begin": ("cmd", "begin"),
    "end": ("cmd", "end"),
    "\\": ("op", ";"),
    "cr": ("op", ";"),
    "left": None,
    "right": None,
    "bigl": None,
    "bigr": None,
    "Bigl": None,
    "Bigr": None,
    "big": None,
    "Big": None,
    ",": None,
    ";": None,
    ":": None,
    "!": None,
    " ": None,
    "quad": None,
    "qquad": None,
    "displaystyle": None,
    "limits": None,
    "mathrm": None,
    "mathit": None,
    "mathbf": None,
    "boldsymbol": None,
    "bm": None,
    "vec": None,
    "operatorname": None,
    "text": None,
    "mathsf": None,
    "mathnormal": None,
    "ldots": None,
    "cdots": None,
    "dots": None,
}
for _fn in [
    "sin",
    "cos",
    "tan",
    "cot",
    "sec",
    "csc",
    "sinh",
    "cosh",
    "tanh",
    "arcsin",
    "arccos",
    "arctan",
    "exp",
    "log",
    "ln",
    "lg",
    "max",
    "min",
    "det",
    "gcd",
]:
    LATEX[_fn] = ("name", _fn)
for _g in GREEK:
    LATEX[_g] = ("name", _g)
LATEX["varepsilon"] = ("name", "epsilon")
LATEX["vartheta"] = ("name", "theta")
LATEX["varphi"] = ("name", "phi")
LATEX["varrho"] = ("name", "rho")

FORBIDDEN_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def check_characters(text: str) -> None:
    """Refuse text over the length limit or carrying control or formatting characters."""
    if len(text) > MAX_LENGTH:
        raise CheckInputError(
            f"The answer is too long ({len(text)} characters; the limit is {MAX_LENGTH}).",
            MAX_LENGTH + 1,
        )
    for index, char in enumerate(text):
        if char in " \t\n\r":
            continue
        if unicodedata.category(char) in FORBIDDEN_CATEGORIES:
            raise CheckInputError(
                f"A control character (U+{ord(char):04X}) cannot be part of an answer.", index + 1
            )


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into canonical tokens, raising :class:`CheckInputError` with a column."""
    check_characters(text)
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        col = i + 1
        if char in " \t\n\r":
            i += 1
            continue
        if char.isdigit() and char.isascii():
            j = i
            while j < n and text[j].isdigit() and text[j].isascii():
                j += 1
            if j + 1 < n and text[j] == "." and text[j + 1].isdigit() and text[j + 1].isascii():
                j += 1
                while j < n and text[j].isdigit() and text[j].isascii():
                    j += 1
            literal = text[i:j]
            if len(literal.replace(".", "").lstrip("0")) > MAX_DIGITS:
                raise CheckInputError(f"This number has more than {MAX_DIGITS} digits.", col)
            tokens.append(Token("num", literal, col))
            i = j
            continue
        if char == "." and i + 1 < n and text[i + 1].isdigit() and text[i + 1].isascii():
            j = i + 1
            while j < n and text[j].isdigit() and text[j].isascii():
                j += 1
            literal = "0" + text[i:j]
            if len(literal) > MAX_DIGITS + 2:
                raise CheckInputError(f"This number has more than {MAX_DIGITS} digits.", col)
            tokens.append(Token("num", literal, col))
            i = j
            continue
        if char.isascii() and char.isalpha():
            j = i
            while j < n and text[j].isascii() and text[j].isalpha():
                j += 1
            tokens.append(Token("name", text[i:j], col))
            i = j
            continue
        if char in UNICODE_GREEK:
            tokens.append(Token("name", UNICODE_GREEK[char], col))
            i += 1
            continue
        if char in SUPERSCRIPTS:
            j = i
            sup = ""
            while j < n and text[j] in SUPERSCRIPTS:
                sup += SUPERSCRIPTS[text[j]]
                j += 1
            tokens.append(Token("op", "^", col))
            tokens.append(Token("op", "{", col))
            tokens.extend(_superscript_tokens(sup, col))
            tokens.append(Token("op", "}", col))
            i = j
            continue
        if char in UNICODE_OPS:
            kind, canon = UNICODE_OPS[char]
            if kind == "sup":
                tokens.append(Token("op", "^", col))
                tokens.append(Token("name", canon, col))
            else:
                tokens.append(Token(kind, canon, col))
            i += 1
            continue
        if char == "\\":
            i = _latex(text, i, tokens)
            continue
        for ascii_op, canon in ASCII_OPS:
            if text.startswith(ascii_op, i):
                tokens.append(Token("op", canon, col))
                i += len(ascii_op)
                break
        else:
            raise CheckInputError(f"The character {char!r} is not part of the language.", col)
    tokens.append(Token("end", "", n + 1))
    return tokens


def _superscript_tokens(sup: str, col: int) -> list[Token]:
    out: list[Token] = []
    k = 0
    while k < len(sup):
        if sup[k].isdigit():
            m = k
            while m < len(sup) and sup[m].isdigit():
                m += 1
            out.append(Token("num", sup[k:m], col))
            k = m
        elif sup[k] == "-":
            out.append(Token("op", "-", col))
            k += 1
        else:
            out.append(Token("name", sup[k], col))
            k += 1
    return out


def _latex(text: str, i: int, tokens: list[Token]) -> int:
    """Read one LaTeX command starting at the backslash ``text[i]``; return the next index."""
    col = i + 1
    n = len(text)
    if i + 1 >= n:
        raise CheckInputError("A lone backslash ends the answer.", col)
    nxt = text[i + 1]
    if nxt.isascii() and nxt.isalpha():
        j = i + 1
        while j < n and text[j].isascii() and text[j].isalpha():
            j += 1
        name = text[i + 1 : j]
    else:
        j = i + 2
        name = nxt
        if nxt in " \t\n":
            # "A \ B": a plain backslash between sets.
            tokens.append(Token("op", "setminus", col))
            return i + 1
    if name not in LATEX:
        raise CheckInputError(f"The command \\{name} is not allowed here.", col)
    mapped = LATEX[name]
    if mapped is not None:
        tokens.append(Token(mapped[0], mapped[1], col))
    return j
