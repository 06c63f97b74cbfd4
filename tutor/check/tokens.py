"""Tokenizer: plain text, Unicode and LaTeX to one stream of canonical tokens."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from tutor.check.clean import REMOVED_CATEGORIES
from tutor.check.errors import CheckInputError
from tutor.check.limits import MAX_DIGITS, MAX_LENGTH, MAX_SCIENTIFIC_EXPONENT
from tutor.check.vocab import GREEK, GREEK_VARIANTS, UNICODE_GREEK, latex_function_macros


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "cmd", "end"
    text: str
    col: int  # 1-based column in the original text
    whole: bool = False  # a name spelled in \operatorname{…} or \mathrm{…}: never split
    # the characters the learner typed for it (≤ for "<=", \\ for ";"), for messages
    spelled: str = field(default="", compare=False)


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
    "⌊": ("op", "⌊"),
    "⌋": ("op", "⌋"),
    "⌈": ("op", "⌈"),
    "⌉": ("op", "⌉"),
    "∈": ("op", "in"),
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
    "lfloor": ("op", "⌊"),
    "rfloor": ("op", "⌋"),
    "lceil": ("op", "⌈"),
    "rceil": ("op", "⌉"),
    "in": ("op", "in"),
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
    "mathbf": None,
    "boldsymbol": None,
    "bm": None,
    "vec": None,
}
for _macro, _function in latex_function_macros().items():
    LATEX[_macro] = ("name", _function)
for _spelled in GREEK:
    LATEX[_spelled] = ("name", _spelled)
for _variant, _spelled in GREEK_VARIANTS.items():
    LATEX[_variant] = ("name", _spelled)
LATEX["pi"] = ("name", "pi")

FORBIDDEN_CATEGORIES = REMOVED_CATEGORIES


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


SUBSCRIPTS = {
    "₀": "0",
    "₁": "1",
    "₂": "2",
    "₃": "3",
    "₄": "4",
    "₅": "5",
    "₆": "6",
    "₇": "7",
    "₈": "8",
    "₉": "9",
    "ₐ": "a",
    "ₑ": "e",
    "ₒ": "o",
    "ₓ": "x",
    "ₕ": "h",
    "ₖ": "k",
    "ₗ": "l",
    "ₘ": "m",
    "ₙ": "n",
    "ₚ": "p",
    "ₛ": "s",
    "ₜ": "t",
    "ᵢ": "i",
    "ⱼ": "j",
    "ᵣ": "r",
    "ᵤ": "u",
    "ᵥ": "v",
    "₊": "+",
    "₋": "-",
}
ELLIPSES = ("...", "…", "⋯", "\\ldots", "\\cdots", "\\dots")
ELLIPSIS_MESSAGE = (
    "An ellipsis (…) cannot be checked: write the sum with \\sum (or the product with \\prod)."
)
# Function names that end in digits.
NAMES_WITH_DIGITS = frozenset({"atan2"})
# Unicode's vulgar fractions, read as a bracketed quotient: ½x is (1/2)x.
VULGAR_FRACTIONS = {
    "½": ("1", "2"),
    "⅓": ("1", "3"),
    "⅔": ("2", "3"),
    "¼": ("1", "4"),
    "¾": ("3", "4"),
    "⅕": ("1", "5"),
    "⅖": ("2", "5"),
    "⅗": ("3", "5"),
    "⅘": ("4", "5"),
    "⅙": ("1", "6"),
    "⅚": ("5", "6"),
    "⅛": ("1", "8"),
    "⅜": ("3", "8"),
    "⅝": ("5", "8"),
    "⅞": ("7", "8"),
}
# Σ and Π are the big operators when bounds follow, and letters otherwise.
BIG_OPERATORS = {"Σ": "sum", "Π": "prod"}


def _digits(text: str, i: int) -> int:
    while i < len(text) and text[i].isascii() and text[i].isdigit():
        i += 1
    return i


def _number(text: str, i: int, col: int) -> tuple[Token, int]:
    """A numeral at ``text[i]``: digits, an optional fraction, and an optional exponent written
    ``e``/``E`` and a signed integer right after it (``1.5e-3``): one number."""
    n = len(text)
    j = _digits(text, i)
    if j + 1 < n and text[j] == "." and text[j + 1].isascii() and text[j + 1].isdigit():
        j = _digits(text, j + 1)
    literal = text[i:j]
    if literal.startswith("."):
        literal = "0" + literal
    if len(literal.replace(".", "").lstrip("0")) > MAX_DIGITS:
        raise CheckInputError(f"This number has more than {MAX_DIGITS} digits.", col)
    if j < n and text[j] in "eE":
        k = j + 1
        sign = ""
        if k < n and text[k] in "+-−–":  # ASCII, Unicode minus, en dash
            sign = "-" if text[k] in "-−–" else ""
            k += 1
        if k < n and text[k].isascii() and text[k].isdigit():
            end = _digits(text, k)
            exponent = int(sign + text[k:end])
            if abs(exponent) > MAX_SCIENTIFIC_EXPONENT:
                raise CheckInputError("This exponent is too large to check.", col)
            return Token("num", scientific(literal, exponent), col), end
    return Token("num", literal, col), j


def scientific(mantissa: str, exponent: int) -> str:
    """The one spelling of a number in scientific notation: ``1.5e-3``."""
    return f"{mantissa}e{exponent}"


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into canonical tokens, raising :class:`CheckInputError` with a column."""
    check_characters(text)
    tokens: list[Token] = []
    i = 0
    n = len(text)
    begin, first = 0, 0  # where the last character read starts, and its first token
    while i < n:
        _spell(tokens, first, text[begin:i])
        begin, first = i, len(tokens)
        char = text[i]
        col = i + 1
        if char in " \t\n\r":
            i += 1
            continue
        for ellipsis in ELLIPSES:
            if text.startswith(ellipsis, i) and not (
                ellipsis.startswith("\\")
                and text[i + len(ellipsis) : i + len(ellipsis) + 1].isalpha()
            ):
                raise CheckInputError(ELLIPSIS_MESSAGE, col)
        if (char.isdigit() and char.isascii()) or (
            char == "." and i + 1 < n and text[i + 1].isdigit() and text[i + 1].isascii()
        ):
            token, i = _number(text, i, col)
            tokens.append(token)
            continue
        if char.isascii() and char.isalpha():
            j = i
            while j < n and text[j].isascii() and text[j].isalpha():
                j += 1
            word = text[i:j]
            k = _digits(text, j)
            if k > j and word + text[j:k] in NAMES_WITH_DIGITS:
                tokens.append(Token("name", word + text[j:k], col))  # atan2
                i = k
                continue
            if k > j and word in ("log", "lg") and text[k : k + 1] == "(":
                # log10(x), log2(x): the base written as in Python and Maxima
                tokens += [
                    Token("name", word, col),
                    Token("op", "_", j + 1),
                    Token("op", "{", j + 1),
                    Token("num", text[j:k], j + 1),
                    Token("op", "}", j + 1),
                ]
                i = k
                continue
            tokens.append(Token("name", word, col))
            i = j
            continue
        if char in VULGAR_FRACTIONS:
            if i > 0 and text[i - 1].isdigit():
                # 3½ means 3 + 1/2 to a reader, but a product to a parser: say so
                raise CheckInputError("Write a mixed number as a sum: 3 + 1/2, or 7/2.", col)
            top, bottom = VULGAR_FRACTIONS[char]
            tokens += [
                Token("op", "(", col),
                Token("num", top, col),
                Token("op", "/", col),
                Token("num", bottom, col),
                Token("op", ")", col),
            ]
            i += 1
            continue
        if char in BIG_OPERATORS and text[i + 1 : i + 2] in ("_", "^"):
            tokens.append(Token("cmd", BIG_OPERATORS[char], col))
            i += 1
            continue
        if char in UNICODE_GREEK:
            tokens.append(Token("name", UNICODE_GREEK[char], col))
            i += 1
            continue
        if char in SUPERSCRIPTS or char in SUBSCRIPTS:
            table, op = (SUPERSCRIPTS, "^") if char in SUPERSCRIPTS else (SUBSCRIPTS, "_")
            j = i
            script = ""
            while j < n and text[j] in table:
                script += table[text[j]]
                j += 1
            tokens.append(Token("op", op, col))
            tokens.append(Token("op", "{", col))
            tokens.extend(_script_tokens(script, col))
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
    _spell(tokens, first, text[begin:])
    tokens.append(Token("end", "", n + 1))
    return tokens


def _spell(tokens: list[Token], first: int, source: str) -> None:
    """Give the tokens from ``first`` on the spelling they were read from."""
    source = source.strip()
    for index in range(first, len(tokens)):
        tokens[index] = replace(tokens[index], spelled=source)


def _script_tokens(sup: str, col: int) -> list[Token]:
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
        elif sup[k] == "+":
            out.append(Token("op", "+", col))
            k += 1
        else:
            out.append(Token("name", sup[k], col))
            k += 1
    return out


# Macros whose braced argument is one name, never a product of letters:
# \operatorname{softmax}, \mathrm{d}, \text{ReLU}.
NAMING_MACROS = frozenset(
    {"operatorname", "mathrm", "mathit", "mathsf", "mathnormal", "text", "textrm", "textit"}
)


def _named(text: str, j: int) -> tuple[str, int] | None:
    """The letters of ``{name}`` starting at ``text[j]`` (spaces around them allowed), and the
    index after the closing brace; None when the group is not a plain word."""
    k = j
    while k < len(text) and text[k] == " ":
        k += 1
    if k >= len(text) or text[k] != "{":
        return None
    close = text.find("}", k)
    if close < 0:
        return None
    word = text[k + 1 : close].strip()
    if not word or not all(c.isascii() and c.isalpha() for c in word):
        return None
    return word, close + 1


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
    if name in NAMING_MACROS:
        named = _named(text, j)
        if named is not None:
            word, j = named
            tokens.append(Token("name", word, col, whole=True))
            return j
        if name.startswith("text"):
            raise CheckInputError("Text is not read here: type the formula.", col)
        return j
    if name not in LATEX:
        raise CheckInputError(f"The command \\{name} is not allowed here.", col)
    mapped = LATEX[name]
    if mapped is not None:
        tokens.append(Token(mapped[0], mapped[1], col))
    return j
