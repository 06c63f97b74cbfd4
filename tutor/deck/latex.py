r"""Render LaTeX math snippets as readable Unicode plain text for the terminal.

Decks write mathematics as ``$...$``; the terminal cannot typeset it, so this module turns the
inside of a math span into compact, readable Unicode. pylatexenc's ``latexwalker`` parses the
snippet (tolerantly); the renderer below walks its node tree. pylatexenc's own ``latex2text``
is not used for rendering because it loses structure (``\frac{a+b}{c}`` becomes ``a+b/c``); its
symbol table only backs up the lookup of macros this module does not know.

Public API
----------
``latex_to_unicode(src)``
    Render one math snippet (no dollars). Never raises, never executes anything, and never
    returns terminal control characters.
``render_inline_math(text)``
    Replace the ``$$...$$`` and ``$...$`` spans of a line of Markdown prose by their rendering.

Conventions
-----------
* Symbols: Greek letters, relations, operators, arrows and delimiters become their Unicode
  characters (``\le`` → ``≤``, ``\cdot`` → ``·``, ``\|`` → ``‖``). ``\epsilon`` and
  ``\varepsilon`` both give ``ε`` (the lunate ``ϵ`` looks like ``∈`` in a terminal).
* Spacing follows TeX's atom classes: one space around binary operators and relations
  (``a + b``, ``x ≤ y``), none for a unary sign (``-x``, ``(-1)``) or between consecutive
  relations (``:=``), one space after ``,``/``;``, one around ellipses (``2 · 2 ⋯ 2``), none
  around ``/``, and one between a function name and its argument unless the argument is
  bracketed (``2 cos θ``, ``log n``, ``sin(x)``). Whitespace in the source is ignored as in
  TeX; ``\,``, ``\;``, ``\quad``, ``~`` become one space.
* Scripts: when every character of the script has a Unicode sub/superscript form it is used
  (``x²``, ``xⁿ⁺¹``, ``zᵢ``, ``a₁₂``, ``Aᵀ``, ``A⁻¹``, ``f′``); otherwise ``x^(…)``/``x_(…)``,
  with parentheses only when the script is longer than one character (``e^(zⱼ + c)``,
  ``x_α``). ``^*`` gives ``*`` and ``^\circ`` gives ``°``. A group with a script is
  parenthesised: ``{a+b}^2`` → ``(a + b)²``.
* Big operators and limit-taking functions (``\sum \prod \int \bigcup \lim \max \sup``, …)
  take their limits as Unicode scripts when all characters map (``∑ⱼ₌₁ᴷ xⱼ``, ``∫ₐᵇ``,
  ``⋃ₙ Aₙ``, ``maxᵢ``); otherwise they follow as one ``_(…)`` written compactly, with ``..``
  between the lower and the upper limit: ``∑_(i∈S) xᵢ``, ``∫_(0..∞) f``,
  ``lim_(x→0) f(x)``, ``⋃_(n=1..∞) Aₙ``, ``max_θ`` (an upper limit alone: ``∫_(..x)``).
  An operator with limits is always followed by a space.
* Fractions are written ``a/b``; a numerator or denominator that is not a single atom (a
  symbol with its scripts, a number, a bracketed group, a function application such as
  ``P(B)``, or a differential such as ``dx``) is parenthesised: ``(a + b)/c``, ``1/(2a)``. A
  fraction next to a mathematical neighbour is parenthesised as a whole: ``(1/2)x``,
  ``(1/n) ∑ᵢ xᵢ``, but ``x = a/b + 1``.
* ``\sqrt{x}`` → ``√x``, ``\sqrt{x+1}`` → ``√(x + 1)``, ``\sqrt[3]{x}`` → ``∛x``,
  ``\sqrt[n]{x}`` → ``ⁿ√x``. ``\binom{n}{k}`` → ``C(n, k)``.
* Fonts: ``\mathbb`` → double-struck (``ℝ``, ``𝔼``), ``\mathcal``/``\mathscr`` → script
  (``ℱ``), ``\mathfrak`` → fraktur, ``\mathbf``/``\boldsymbol`` → bold Latin letters and digits
  (``𝟏``); ``\text``, ``\mathrm``, ``\operatorname`` and friends → their plain text.
* Accents use combining characters: ``ŷ`` (``\hat``), ``x̄`` (``\bar``), ``A̅`` (``\overline``),
  ``x̃``, ``v⃗``, ``ẋ``; an accent over several characters is written ``hat(ab)``.
* Environments: matrices → ``[[a, b], [c, d]]`` (``vmatrix`` inside ``|…|``), ``cases`` →
  ``{1 if x > 0; 0 otherwise}``, alignment environments → rows joined by ``; ``.
* ``\left``, ``\right``, ``\big`` and friends vanish, leaving their delimiter (``\left.``
  leaves nothing). Unknown macros render as their name without the backslash (``\foo`` →
  ``foo``), or as their symbol when pylatexenc's ``latex2text`` table knows one.

Limits
------
Input longer than ``MAX_INPUT_CHARS`` is not parsed: it comes back cleaned, with its whitespace
collapsed and shortened to ``FALLBACK_CHARS`` characters. Input nested deeper than
``MAX_DEPTH`` braces (or anything the parser chokes on) comes back cleaned the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalker,
)
from pylatexenc.macrospec import LatexContextDb, std_environment, std_macro, std_specials

from tutor.check.clean import strip_controls
from tutor.check.vocab import TEX_GREEK

__all__ = [
    "FALLBACK_CHARS",
    "MAX_DEPTH",
    "MAX_INPUT_CHARS",
    "latex_to_unicode",
    "render_inline_math",
]

MAX_INPUT_CHARS = 20_000
"""Longer input is returned shortened and cleaned instead of being parsed."""
FALLBACK_CHARS = 500
"""Length to which unparsed input is shortened."""
MAX_DEPTH = 40
"""Deepest brace or script nesting that is rendered; deeper input falls back to its source."""

# ---------------------------------------------------------------------------------------------
# Cleaning: no terminal control characters in, none out.

_WHITESPACE = re.compile(r"\s+")
_PERCENT = re.compile(r"(?<!\\)%")


def _clean(text: str) -> str:
    """Remove escape sequences, control and format characters."""
    return strip_controls(text)


def _fallback(text: str) -> str:
    """The source itself, cleaned, whitespace collapsed and shortened."""
    out = _WHITESPACE.sub(" ", _clean(text[: FALLBACK_CHARS * 4])).strip()
    if len(out) > FALLBACK_CHARS or len(text) > FALLBACK_CHARS * 4:
        out = out[:FALLBACK_CHARS].rstrip() + "…"
    return out


# ---------------------------------------------------------------------------------------------
# Symbol tables.

ORD, BIN, REL, OPEN, CLOSE, PUNCT, OP, BIGOP, INNER, SPACE = (
    "ord", "bin", "rel", "open", "close", "punct", "op", "bigop", "inner", "space",
)  # fmt: skip

_GREEK = TEX_GREEK

_ORDS = {
    "infty": "∞", "partial": "∂", "nabla": "∇", "emptyset": "∅", "varnothing": "∅",
    "forall": "∀", "exists": "∃", "nexists": "∄", "neg": "¬", "lnot": "¬", "top": "⊤",
    "bot": "⊥",
    "ell": "ℓ", "hbar": "ℏ", "hslash": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "beth": "ℶ",
    "wp": "℘", "imath": "ı", "jmath": "ȷ", "prime": "′", "angle": "∠", "triangle": "△",
    "square": "□", "Box": "□", "blacksquare": "■", "qed": "∎", "checkmark": "✓",
    "dagger": "†", "ddagger": "‡", "S": "§", "P": "¶", "surd": "√", "flat": "♭",
    "sharp": "♯", "natural": "♮", "complement": "∁", "vert": "|", "Vert": "‖", "|": "‖",
    "backslash": "\\", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "textbackslash": "\\",
    "degree": "°", "circledR": "®", "diamond": "⋄", "Diamond": "◇", "clubsuit": "♣",
    "diamondsuit": "♢", "heartsuit": "♡", "spadesuit": "♠", "infin": "∞", "euro": "€",
    "pounds": "£", "lozenge": "◊", "bigstar": "★", "varpropto": "∝", "eth": "ð",
    "mho": "℧", "Finv": "Ⅎ", "Game": "⅁", "bullet": "∙",
}  # fmt: skip

# Ellipses are TeX's "inner" atoms: spaced from their neighbours, as in 2 · 2 ⋯ 2.
_INNERS = {
    "ldots": "…", "cdots": "⋯", "dots": "…", "dotsc": "…", "dotsb": "⋯", "dotsm": "⋯",
    "dotsi": "⋯", "dotso": "…", "mathellipsis": "…", "vdots": "⋮", "ddots": "⋱",
}  # fmt: skip

_BINS = {
    "pm": "±", "mp": "∓", "cdot": "·", "cdotp": "·", "times": "×", "div": "÷",
    "setminus": "∖", "smallsetminus": "∖", "cup": "∪", "cap": "∩", "sqcup": "⊔", "sqcap": "⊓",
    "uplus": "⊎", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨", "circ": "∘", "star": "⋆",
    "ast": "∗", "oplus": "⊕", "ominus": "⊖", "otimes": "⊗", "oslash": "⊘", "odot": "⊙",
    "bigcirc": "◯", "triangleleft": "◁", "triangleright": "▷", "bigtriangleup": "△",
    "bigtriangledown": "▽", "wr": "≀", "amalg": "⨿", "bmod": "mod", "mod": "mod",
    "dotplus": "∔", "ltimes": "⋉", "rtimes": "⋊", "boxplus": "⊞", "boxtimes": "⊠",
    "intercal": "⊺", "veebar": "⊻", "barwedge": "⊼",
}  # fmt: skip

_RELS = {
    "le": "≤", "leq": "≤", "leqslant": "≤", "ge": "≥", "geq": "≥", "geqslant": "≥", "ne": "≠",
    "neq": "≠", "lt": "<", "gt": ">", "ll": "≪", "gg": "≫", "lll": "⋘", "ggg": "⋙",
    "approx": "≈", "approxeq": "≊", "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅",
    "propto": "∝", "asymp": "≍", "doteq": "≐", "triangleq": "≜", "coloneqq": "≔",
    "eqqcolon": "≕", "in": "∈", "notin": "∉", "ni": "∋", "owns": "∋", "subset": "⊂",
    "subseteq": "⊆", "subsetneq": "⊊", "supset": "⊃", "supseteq": "⊇", "supsetneq": "⊋",
    "nsubseteq": "⊈", "nsupseteq": "⊉", "sqsubset": "⊏", "sqsubseteq": "⊑", "sqsupset": "⊐",
    "sqsupseteq": "⊒", "to": "→", "rightarrow": "→", "gets": "←", "leftarrow": "←",
    "leftrightarrow": "↔", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔",
    "implies": "⟹", "impliedby": "⟸", "iff": "⟺", "longrightarrow": "⟶",
    "longleftarrow": "⟵", "longleftrightarrow": "⟷", "Longrightarrow": "⟹",
    "Longleftarrow": "⟸", "Longleftrightarrow": "⟺", "mapsto": "↦", "longmapsto": "⟼",
    "hookrightarrow": "↪", "hookleftarrow": "↩", "uparrow": "↑", "downarrow": "↓",
    "updownarrow": "↕", "Uparrow": "⇑", "Downarrow": "⇓", "nearrow": "↗", "searrow": "↘",
    "swarrow": "↙", "nwarrow": "↖", "rightharpoonup": "⇀", "leftharpoonup": "↼",
    "rightleftharpoons": "⇌", "twoheadrightarrow": "↠", "rightsquigarrow": "⇝",
    "leadsto": "⇝", "mid": "∣", "nmid": "∤", "parallel": "∥", "nparallel": "∦", "perp": "⊥",
    "vdash": "⊢", "dashv": "⊣", "models": "⊨", "vDash": "⊨", "nvdash": "⊬", "prec": "≺",
    "succ": "≻", "preceq": "⪯", "succeq": "⪰", "preccurlyeq": "≼", "succcurlyeq": "≽",
    "lesssim": "≲", "gtrsim": "≳", "nless": "≮", "ngtr": "≯", "nleq": "≰", "ngeq": "≱",
    "ncong": "≇", "nsim": "≁", "therefore": "∴", "because": "∵", "bowtie": "⋈",
    "smile": "⌣", "frown": "⌢", "vartriangleleft": "⊲", "vartriangleright": "⊳",
    "trianglelefteq": "⊴", "trianglerighteq": "⊵", "sqsubsetneq": "⋤", "dashrightarrow": "⇢",
    "circeq": "≗", "eqsim": "≂", "backsim": "∽", "Subset": "⋐", "Supset": "⋑",
}  # fmt: skip

_OPENS = {
    "{": "{", "lbrace": "{", "langle": "⟨", "lfloor": "⌊", "lceil": "⌈", "lvert": "|",
    "lVert": "‖", "lbrack": "[", "lparen": "(", "llbracket": "⟦", "ulcorner": "⌜",
}  # fmt: skip
_CLOSES = {
    "}": "}", "rbrace": "}", "rangle": "⟩", "rfloor": "⌋", "rceil": "⌉", "rvert": "|",
    "rVert": "‖", "rbrack": "]", "rparen": ")", "rrbracket": "⟧", "urcorner": "⌝",
}  # fmt: skip
_PUNCTS = {"colon": ":"}

_BIGOPS = {
    "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
    "oint": "∮", "oiint": "∯", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁",
    "bigotimes": "⨂", "bigodot": "⨀", "bigvee": "⋁", "bigwedge": "⋀", "bigsqcup": "⨆",
    "biguplus": "⨄", "smallint": "∫",
}  # fmt: skip

_FUNCTIONS = {
    "log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos",
    "arctan", "sinh", "cosh", "tanh", "coth", "arg", "deg", "dim", "hom", "ker", "det", "gcd",
    "lcm", "Pr", "max", "min", "sup", "inf", "lim", "liminf", "limsup", "argmax", "argmin",
    "Var", "Cov", "tr", "Tr", "rank", "sgn", "sign", "diag", "span", "supp", "dom", "im",
    "id", "erf", "Ker", "Hom", "End", "Aut", "arcsec", "arccsc", "arccot", "Res", "injlim",
    "projlim", "esssup", "essinf",
}  # fmt: skip
_LIMIT_FUNCTIONS = {
    "max", "min", "sup", "inf", "lim", "liminf", "limsup", "argmax", "argmin", "det", "gcd",
    "lcm", "Pr", "injlim", "projlim", "esssup", "essinf",
}  # fmt: skip
_FUNCTION_TEXT = {"liminf": "lim inf", "limsup": "lim sup", "varliminf": "lim inf",
                  "varlimsup": "lim sup", "injlim": "inj lim", "projlim": "proj lim",
                  "esssup": "ess sup", "essinf": "ess inf"}  # fmt: skip

_SPACES = {",", ":", ">", ";", " ", "quad", "qquad", "enspace", "thinspace", "medspace",
           "thickspace", "space", "nobreakspace", "hfill", "enskip", "indent"}  # fmt: skip
_IGNORED = {
    "!", "/", "negthinspace", "negmedspace", "negthickspace", "displaystyle", "textstyle",
    "scriptstyle", "scriptscriptstyle", "limits", "nolimits", "nonumber", "notag", "relax",
    "strut", "mathstrut", "allowbreak", "nobreak", "protect", "noindent", "cr", "hline",
    "centering", "begin", "end", "newline", "linebreak", "label", "tag", "color", "vphantom",
    "hphantom", "smash", "normalsize", "small", "footnotesize", "tiny", "large", "Large",
    "LARGE", "huge", "Huge", "bf", "it", "rm", "sf", "tt", "cal", "boldmath", "unboldmath",
    "middle", "left", "right",
}  # fmt: skip

# Sizing macros, with the class they give to the delimiter that follows.
_SIZING: dict[str, str | None] = {"left": OPEN, "right": CLOSE, "middle": REL}
for _size in ("big", "Big", "bigg", "Bigg"):
    _SIZING[_size] = None
    _SIZING[_size + "l"] = OPEN
    _SIZING[_size + "r"] = CLOSE
    _SIZING[_size + "m"] = REL

_NEGATED = {
    "=": "≠", "<": "≮", ">": "≯", "≤": "≰", "≥": "≱", "∈": "∉", "∋": "∌", "⊂": "⊄",
    "⊃": "⊅", "⊆": "⊈", "⊇": "⊉", "≡": "≢", "∼": "≁", "≃": "≄", "≅": "≇", "≈": "≉",
    "∣": "∤", "∥": "∦", "∃": "∄", "⊢": "⊬", "⊨": "⊭", "→": "↛", "←": "↚", "↔": "↮",
    "⇒": "⇏", "⇔": "⇎", "≺": "⊀", "≻": "⊁",
}  # fmt: skip

_CHAR_KIND = {
    "+": BIN, "-": BIN, "*": BIN, "=": REL, "<": REL, ">": REL, ":": REL, "(": OPEN,
    "[": OPEN, ")": CLOSE, "]": CLOSE, "!": CLOSE, "?": CLOSE, ",": PUNCT, ";": PUNCT,
}  # fmt: skip
_CHAR_TEXT = {"~": " "}

_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ⊤′″‴*∗†∘",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡᵀ′″‴**†°",
        strict=True,
    )
)
_SUBSCRIPTS = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
_SUPERSCRIPT_VALUES = frozenset(_SUPERSCRIPTS.values())
_SUBSCRIPT_VALUES = frozenset(_SUBSCRIPTS.values())


def _to_script(text: str, table: dict[str, str]) -> str | None:
    """``text`` in Unicode scripts, or None when a character has no script form."""
    out = []
    for ch in text:
        mapped = table.get(ch)
        if mapped is None:
            return None
        out.append(mapped)
    return "".join(out)


def _alphabet(upper: int, lower: int | None, exceptions: dict[str, str]) -> dict[int, str]:
    table: dict[int, str] = {}
    for i in range(26):
        table[ord("A") + i] = chr(upper + i)
        if lower is not None:
            table[ord("a") + i] = chr(lower + i)
    for letter, char in exceptions.items():
        table[ord(letter)] = char
    return table


_BLACKBOARD = _alphabet(0x1D538, 0x1D552, dict(zip("CHNPQRZ", "ℂℍℕℙℚℝℤ", strict=True)))
_BLACKBOARD.update({ord("0") + i: chr(0x1D7D8 + i) for i in range(10)})
_SCRIPT = _alphabet(0x1D49C, 0x1D4B6, dict(zip("BEFHILMRego", "ℬℰℱℋℐℒℳℛℯℊℴ", strict=True)))
_FRAKTUR = _alphabet(0x1D504, 0x1D51E, dict(zip("CHIRZ", "ℭℌℑℜℨ", strict=True)))
_BOLD = _alphabet(0x1D400, 0x1D41A, {})
_BOLD.update({ord("0") + i: chr(0x1D7CE + i) for i in range(10)})

_FONTS: dict[str, dict[int, str] | None] = {
    "mathbb": _BLACKBOARD, "Bbb": _BLACKBOARD, "mathbbm": _BLACKBOARD, "mathds": _BLACKBOARD,
    "mathcal": _SCRIPT, "mathscr": _SCRIPT, "mathfrak": _FRAKTUR, "mathbf": _BOLD,
    "boldsymbol": _BOLD, "bm": _BOLD, "mathbfit": _BOLD, "pmb": _BOLD, "mathrm": None,
    "mathit": None, "mathsf": None, "mathtt": None, "mathnormal": None, "mathup": None,
}  # fmt: skip
_TEXT_MACROS: dict[str, dict[int, str] | None] = {
    "text": None, "textrm": None, "textnormal": None, "textup": None, "textit": None,
    "textsl": None, "textsf": None, "texttt": None, "textmd": None, "textsc": None,
    "emph": None, "mbox": None, "hbox": None, "textbf": _BOLD, "fbox": None,
}  # fmt: skip

# Combining accents; the second value is what is shown when the accent has nothing under it.
_ACCENTS = {
    "hat": ("\u0302", "^"), "widehat": ("\u0302", "^"), "check": ("\u030c", "ˇ"),
    "tilde": ("\u0303", "~"), "widetilde": ("\u0303", "~"), "bar": ("\u0304", "¯"),
    "overline": ("\u0305", "¯"), "underline": ("\u0332", "_"), "vec": ("\u20d7", "→"),
    "overrightarrow": ("\u20d7", "→"), "overleftarrow": ("\u20d6", "←"),
    "dot": ("\u0307", "˙"), "ddot": ("\u0308", "¨"), "dddot": ("\u20db", "⋯"),
    "breve": ("\u0306", "˘"), "acute": ("\u0301", "´"), "grave": ("\u0300", "`"),
    "mathring": ("\u030a", "˚"),
}  # fmt: skip
_SPREAD_ACCENTS = {"bar", "overline", "underline"}

_MATRIX_ENVS = {
    "matrix": ("", ""), "pmatrix": ("", ""), "bmatrix": ("", ""), "Bmatrix": ("", ""),
    "smallmatrix": ("", ""), "psmallmatrix": ("", ""), "bsmallmatrix": ("", ""),
    "array": ("", ""), "subarray": ("", ""), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"),
    "vsmallmatrix": ("|", "|"),
}  # fmt: skip
_CASES_ENVS = {"cases", "dcases", "rcases", "cases*", "dcases*"}
_CASE_WORDS = ("if", "for", "otherwise", "else", "when", "where", "unless", "and", "or", "on")


def _context() -> LatexContextDb:
    """The macros whose arguments pylatexenc should gather; everything else takes none."""
    one = [
        *_FONTS, *_TEXT_MACROS, *_ACCENTS, "boxed", "phantom", "pmod", "pod", "substack",
        "overbrace", "underbrace", "label", "tag", "hspace", "vphantom", "hphantom", "smash",
        "mathop", "mathbin", "mathrel", "mathord", "mathopen", "mathclose", "mathpunct",
        "ensuremath", "cancel", "bcancel", "xcancel", "sout", "underset", "overset",
    ]  # fmt: skip
    two = ["frac", "dfrac", "tfrac", "cfrac", "nicefrac", "binom", "dbinom", "tbinom",
           "overset", "underset", "stackrel", "textcolor"]  # fmt: skip
    macros = {name: std_macro(name, "{") for name in one}
    macros.update({name: std_macro(name, "{{") for name in two})
    macros["sqrt"] = std_macro("sqrt", "[{")
    macros["operatorname"] = std_macro("operatorname", "*{")
    macros["xrightarrow"] = std_macro("xrightarrow", "[{")
    macros["xleftarrow"] = std_macro("xleftarrow", "[{")
    macros["color"] = std_macro("color", "[{")
    macros["textcolor"] = std_macro("textcolor", "[{{")
    macros["hspace"] = std_macro("hspace", "*{")
    macros["\\"] = std_macro("\\", "*[")
    db = LatexContextDb()
    db.add_context_category(
        "proof-tutor-math",
        macros=list(macros.values()),
        environments=[
            std_environment("array", "[{"),
            std_environment("subarray", "{"),
            std_environment("alignat", "{"),
            std_environment("alignat*", "{"),
            std_environment("alignedat", "{"),
        ],
        specials=[std_specials("&")],
    )
    return db


_CONTEXT = _context()


# ---------------------------------------------------------------------------------------------
# The renderer.


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH; the caller falls back to the source text."""


class _Item:
    """One math atom: its text (or children), class, scripts and layout flags."""

    __slots__ = ("children", "compound", "frac", "kind", "limits", "pad_after", "pad_before",
                 "rendered", "sub", "sup", "text", "words")  # fmt: skip

    def __init__(self, text: str, kind: str = ORD) -> None:
        self.text = text
        self.kind = kind
        self.children: list[_Item] | None = None
        self.sub: list[_Item] | None = None
        self.sup: list[_Item] | None = None
        self.limits = False
        self.frac = False
        self.compound = False
        self.pad_before = False
        self.pad_after = False
        self.words = False  # prose from \text{...}
        self.rendered: dict[bool, tuple[str, bool]] = {}

    def copy(self) -> _Item:
        new = _Item(self.text, self.kind)
        for name in ("children", "sub", "sup", "limits", "frac", "compound", "pad_before",
                     "pad_after", "words"):  # fmt: skip
            setattr(new, name, getattr(self, name))
        return new


_Token = Any  # one character (str) or a pylatexenc node


def _tokens(nodes: Any) -> list[_Token]:
    out: list[_Token] = []
    for node in nodes or ():
        if node is None:
            continue
        if isinstance(node, LatexCharsNode):
            out.extend(node.chars)
        elif isinstance(node, LatexCommentNode):
            # (unreachable in practice: _render escapes "%" before parsing)
            out.append("%")
            out.extend(node.comment)
        else:
            out.append(node)
    return out


def _graphemes(text: str) -> int:
    return sum(1 for ch in text if not unicodedata.combining(ch))


def _nonspace(items: list[_Item]) -> list[_Item]:
    return [it for it in items if it.kind != SPACE]


def _is_atom(items: list[_Item]) -> bool:
    """True when ``items`` reads as one unit and needs no parentheses next to ``/`` or ``√``."""
    ns = _nonspace(items)
    if not ns:
        return True
    first = ns[0]
    if len(ns) == 1:
        return not first.frac and not first.compound and first.kind not in (BIN, REL, PUNCT)
    if len(ns) == 2 and first.text in ("d", "∂", "δ") and first.kind == ORD:
        second = ns[1]
        return second.kind == ORD and not second.frac and not second.compound
    # A bracketed group, or a name applied to one: (a + b), P(A ∩ B), f(x)², log(n).
    start = 0 if first.kind == OPEN else 1
    if start == 1 and (first.kind not in (ORD, OP) or first.frac or first.compound):
        return False
    if ns[start].kind != OPEN or ns[-1].kind != CLOSE:
        return False
    depth = 0
    for index in range(start, len(ns)):
        kind = ns[index].kind
        if kind == OPEN:
            depth += 1
        elif kind == CLOSE:
            depth -= 1
            if depth == 0 and index != len(ns) - 1:
                return False
    return depth == 0


class _Renderer:
    def __init__(self) -> None:
        self.depth = 0

    # -- building items ----------------------------------------------------------------------

    def build(self, toks: list[_Token]) -> list[_Item]:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep
            return self._build(toks)
        finally:
            self.depth -= 1

    def _build(self, toks: list[_Token]) -> list[_Item]:
        items: list[_Item] = []
        force: str | None = None
        forcing = False
        i, n = 0, len(toks)
        while i < n:
            tok = toks[i]
            i += 1
            new: list[_Item]
            if isinstance(tok, str):
                if tok.isspace():
                    continue
                if tok in "^_":
                    arg, i = self.take_arg(toks, i)
                    self.attach(items, tok, self.build(arg))
                    continue
                if tok == "'":
                    self.attach(items, "^", [_Item("′")])
                    continue
                if "0" <= tok <= "9":
                    j = i
                    while j < n:
                        nxt = toks[j]
                        if not isinstance(nxt, str):
                            break
                        if "0" <= nxt <= "9":
                            j += 1
                        elif (nxt == "." and j + 1 < n and isinstance(toks[j + 1], str)
                              and "0" <= toks[j + 1] <= "9"):  # fmt: skip
                            j += 2
                        else:
                            break
                    new = [_Item(tok + "".join(toks[i:j]))]
                    i = j
                elif tok == "~":
                    new = [_Item(" ", SPACE)]
                else:
                    new = [_Item(_CHAR_TEXT.get(tok, tok), _CHAR_KIND.get(tok, ORD))]
            elif isinstance(tok, LatexMacroNode) and tok.macroname in _SIZING:
                force, forcing = _SIZING[tok.macroname], True
                if tok.macroname in ("left", "right", "middle"):
                    j = i
                    while j < n and isinstance(toks[j], str) and toks[j].isspace():
                        j += 1
                    if j < n and isinstance(toks[j], str) and toks[j] == ".":
                        i, forcing = j + 1, False
                continue
            else:
                new, i = self.node(tok, toks, i)
            if forcing and new:
                if force is not None and new[0].kind != SPACE:
                    new[0] = new[0].copy()
                    new[0].kind = force
                forcing = False
            items.extend(new)
        return items

    def take_arg(self, toks: list[_Token], i: int) -> tuple[list[_Token], int]:
        """The tokens of the argument starting at ``i`` (a character, a node or a group)."""
        n = len(toks)
        while i < n and isinstance(toks[i], str) and toks[i].isspace():
            i += 1
        if i >= n:
            return [], i
        tok = toks[i]
        if isinstance(tok, LatexGroupNode):
            return _tokens(tok.nodelist), i + 1
        return [tok], i + 1

    def attach(self, items: list[_Item], which: str, script: list[_Item]) -> None:
        base = items[-1] if items and items[-1].kind != SPACE else None
        if base is None:
            base = _Item("")
            items.append(base)
        if which == "^":
            base.sup = script if base.sup is None else base.sup + script
        else:
            base.sub = script if base.sub is None else base.sub + script

    def args(
        self, node: Any, count: int, toks: list[_Token], i: int
    ) -> tuple[list[list[_Token] | None], int]:
        """The macro's arguments as token lists (None for an absent optional argument).

        pylatexenc gathers them for the macros in ``_CONTEXT``; when it could not (tolerant
        parsing gave up), the following tokens are taken instead.
        """
        argd = getattr(node, "nodeargd", None)
        found = getattr(argd, "argnlist", None)
        if found:
            out: list[list[_Token] | None] = []
            for arg in found[-count:] if count else ():
                if arg is None:
                    out.append(None)
                elif isinstance(arg, LatexGroupNode):
                    out.append(_tokens(arg.nodelist))
                else:
                    out.append(_tokens([arg]))
            while len(out) < count:
                out.insert(0, None)
            return out, i
        taken: list[list[_Token] | None] = []
        for _ in range(count):
            arg, i = self.take_arg(toks, i)
            taken.append(arg)
        return taken, i

    def group(self, items: list[_Item]) -> _Item:
        """One atom standing for ``items``, as a TeX group is."""
        ns = _nonspace(items)
        if not ns:
            return _Item("")
        if len(ns) == 1:
            item = ns[0]
            if item.kind in (BIN, REL, PUNCT):
                item = item.copy()
                item.kind = ORD
            return item
        item = _Item("")
        item.children = items
        item.compound = True
        return item

    def node(self, tok: Any, toks: list[_Token], i: int) -> tuple[list[_Item], int]:
        if isinstance(tok, LatexMacroNode):
            return self.macro(tok, toks, i)
        if isinstance(tok, LatexGroupNode):
            return [self.group(self.build(_tokens(tok.nodelist)))], i
        if isinstance(tok, LatexMathNode):
            return self.build(_tokens(tok.nodelist)), i
        if isinstance(tok, LatexEnvironmentNode):
            return [self.environment(tok)], i
        if isinstance(tok, LatexSpecialsNode):
            return [_Item(" ", SPACE)], i
        return [], i  # comments

    def macro(self, node: Any, toks: list[_Token], i: int) -> tuple[list[_Item], int]:
        name: str = node.macroname
        item: _Item
        if name in _GREEK:
            return [_Item(_GREEK[name])], i
        if name in _ORDS:
            return [_Item(_ORDS[name])], i
        if name in _INNERS:
            return [_Item(_INNERS[name], INNER)], i
        if name in _BINS:
            return [_Item(_BINS[name], BIN)], i
        if name in _RELS:
            return [_Item(_RELS[name], REL)], i
        if name in _OPENS:
            return [_Item(_OPENS[name], OPEN)], i
        if name in _CLOSES:
            return [_Item(_CLOSES[name], CLOSE)], i
        if name in _PUNCTS:
            return [_Item(_PUNCTS[name], PUNCT)], i
        if name in _BIGOPS:
            item = _Item(_BIGOPS[name], BIGOP)
            item.limits = True
            return [item], i
        if name in _FUNCTIONS or name in _FUNCTION_TEXT:
            item = _Item(_FUNCTION_TEXT.get(name, name), OP)
            item.limits = name in _LIMIT_FUNCTIONS or name in _FUNCTION_TEXT
            return [item], i
        if name in _SPACES:
            return [_Item(" ", SPACE)], i
        if name in ("frac", "dfrac", "tfrac", "cfrac", "nicefrac"):
            (num, den), i = self.args(node, 2, toks, i)
            return [self.fraction(self.build(num or []), self.build(den or []))], i
        if name in ("binom", "dbinom", "tbinom"):
            (top, bottom), i = self.args(node, 2, toks, i)
            text = f"C({self.join(self.build(top or []))}, {self.join(self.build(bottom or []))})"
            return [_Item(text)], i
        if name == "sqrt":
            (index, body), i = self.args(node, 2, toks, i)
            return [self.root(self.build(index or []), self.build(body or []))], i
        if name in _FONTS:
            (arg,), i = self.args(node, 1, toks, i)
            return [self.font(self.build(arg or []), _FONTS[name])], i
        if name in _TEXT_MACROS:
            (arg,), i = self.args(node, 1, toks, i)
            return self.text_item(self.text_mode(arg or []), _TEXT_MACROS[name]), i
        if name == "operatorname":
            (star, arg), i = self.args(node, 2, toks, i)
            text = _WHITESPACE.sub(" ", self.join(self.build(arg or []))).strip()
            item = _Item(text, OP)
            item.limits = bool(star) or text in _LIMIT_FUNCTIONS
            return [item], i
        if name in _ACCENTS:
            (arg,), i = self.args(node, 1, toks, i)
            return [self.accent(name, self.build(arg or []))], i
        if name in ("overset", "underset", "stackrel"):
            (over, base), i = self.args(node, 2, toks, i)
            item = self.group(self.build(base or [])).copy()
            script = self.build(over or [])
            if name == "underset":
                item.sub = script if item.sub is None else item.sub + script
            else:
                item.sup = script if item.sup is None else item.sup + script
            return [item], i
        if name in ("boxed", "overbrace", "underbrace", "ensuremath", "mathop", "mathord",
                    "cancel", "bcancel", "xcancel", "sout", "mathbin", "mathrel", "mathopen",
                    "mathclose", "mathpunct"):  # fmt: skip
            (arg,), i = self.args(node, 1, toks, i)
            item = self.group(self.build(arg or []))
            kinds = {"mathbin": BIN, "mathrel": REL, "mathopen": OPEN, "mathclose": CLOSE,
                     "mathpunct": PUNCT, "mathop": OP}  # fmt: skip
            if name in kinds:
                item = item.copy()
                item.kind = kinds[name]
            return [item], i
        if name == "textcolor":
            (_, _, arg), i = self.args(node, 3, toks, i)
            return [self.group(self.build(arg or []))], i
        if name in ("xrightarrow", "xleftarrow"):
            (_, over), i = self.args(node, 2, toks, i)
            item = _Item("→" if name == "xrightarrow" else "←", REL)
            item.sup = self.build(over or []) or None
            return [item], i
        if name in ("pmod", "pod"):
            (arg,), i = self.args(node, 1, toks, i)
            mod = "mod " if name == "pmod" else ""
            item = _Item(f"({mod}{self.join(self.build(arg or []))})")
            item.pad_before = True
            return [item], i
        if name == "substack":
            (arg,), i = self.args(node, 1, toks, i)
            lines: list[_Item] = []
            for row in self.rows(arg or [], cells=False):
                built = self.build(row)
                if _nonspace(built):
                    lines.extend([_Item(",", PUNCT), *built] if lines else built)
            return [self.group(lines)], i
        if name == "not":
            arg, i = self.take_arg(toks, i)
            negated = _nonspace(self.build(arg))
            if not negated:
                return [], i
            target = self.join(negated)
            text = _NEGATED.get(target, target[:1] + "\u0338" + target[1:])
            return [_Item(text, REL)], i
        if name == "\\":
            return [_Item(";", PUNCT)], i
        if name in ("hspace", "phantom", "kern", "hskip", "mkern", "mskip"):
            if name in ("hspace", "phantom"):
                _, i = self.args(node, 1, toks, i)
            return [_Item(" ", SPACE)], i
        if name in _IGNORED:
            if name in ("label", "tag", "vphantom", "hphantom", "smash"):
                _, i = self.args(node, 1, toks, i)
            elif name == "color":
                _, i = self.args(node, 2, toks, i)
            return [], i
        return [self.unknown(name)], i

    def unknown(self, name: str) -> _Item:
        symbol = _latex2text_symbol(name)
        if symbol is not None:
            return _Item(symbol)
        if len(name) > 1 and name.isalpha():
            return _Item(name, OP)
        return _Item(name)

    # -- constructs --------------------------------------------------------------------------

    def fraction(self, num: list[_Item], den: list[_Item]) -> _Item:
        top, bottom = self.join(num), self.join(den)
        if not _is_atom(num):
            top = f"({top})"
        if not _is_atom(den):
            bottom = f"({bottom})"
        item = _Item(f"{top}/{bottom}")
        item.frac = True
        return item

    def root(self, index: list[_Item], body: list[_Item]) -> _Item:
        inner = self.join(body)
        if not _is_atom(body):
            inner = f"({inner})"
        degree = self.join(index, compact=True)
        if not degree or degree == "2":
            sign = "√"
        elif degree in ("3", "4"):
            sign = "∛" if degree == "3" else "∜"
        else:
            raised = _to_script(degree, _SUPERSCRIPTS)
            sign = f"{raised}√" if raised is not None else f"√[{degree}]"
            if raised is None and not inner.startswith("("):
                inner = f"({inner})"
        return _Item(sign + inner)

    def font(self, items: list[_Item], table: dict[int, str] | None) -> _Item:
        ns = _nonspace(items)
        if len(ns) == 1 and not ns[0].children and not ns[0].sub and not ns[0].sup:
            item = ns[0].copy()
            if table is not None:
                item.text = item.text.translate(table)
            return item
        text = _WHITESPACE.sub(" ", self.join(items)).strip()
        if table is not None:
            text = text.translate(table)
        item = _Item(text)
        if text.isalpha() and len(text) > 1 and table is None:
            item.kind = OP  # \mathrm{Var}(X), \mathrm{sgn}\,x
        elif len(ns) > 1:
            item.compound = True
        return item

    def text_item(self, raw: str, table: dict[int, str] | None) -> list[_Item]:
        text = _WHITESPACE.sub(" ", raw).strip()
        if not text:
            return [_Item(" ", SPACE)] if raw else []
        if table is not None:
            text = text.translate(table)
        item = _Item(text)
        item.pad_before = raw[:1].isspace()
        item.pad_after = raw[-1:].isspace()
        item.compound = " " in text
        item.words = True
        return [item]

    def text_mode(self, toks: list[_Token]) -> str:
        """The text of a ``\\text{...}`` argument: characters as written, math rendered."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep
            parts: list[str] = []
            for tok in toks:
                if isinstance(tok, str):
                    parts.append(" " if tok == "~" else tok)
                elif isinstance(tok, LatexGroupNode):
                    parts.append(self.text_mode(_tokens(tok.nodelist)))
                elif isinstance(tok, LatexMathNode):
                    parts.append(self.join(self.build(_tokens(tok.nodelist))))
                elif isinstance(tok, LatexMacroNode):
                    name = tok.macroname
                    if name in _TEXT_MACROS:
                        (arg,), _ = self.args(tok, 1, [], 0)
                        inner = self.text_mode(arg or [])
                        table = _TEXT_MACROS[name]
                        parts.append(inner.translate(table) if table is not None else inner)
                    elif name in _SPACES or name in ("\\", "hspace", "phantom"):
                        parts.append(" ")
                    else:
                        parts.append(self.join(self.macro(tok, [], 0)[0]))
                elif isinstance(tok, LatexSpecialsNode):
                    parts.append(" ")
            return "".join(parts)
        finally:
            self.depth -= 1

    def accent(self, name: str, items: list[_Item]) -> _Item:
        mark, alone = _ACCENTS[name]
        text = self.join(items)
        if not text:
            return _Item(alone)
        if name in _SPREAD_ACCENTS:
            out = "".join(ch + mark if not ch.isspace() and not unicodedata.combining(ch) else ch
                          for ch in text)  # fmt: skip
            # keep each mark right after its base character, before other combining marks
            return self._accented(items, out)
        # Put the accent on the first character when the rest is combining marks or scripts.
        rest = text[1:]
        if all(unicodedata.combining(ch) or ch in _SUBSCRIPT_VALUES or ch in _SUPERSCRIPT_VALUES
               or ch == "′" for ch in rest):  # fmt: skip
            return self._accented(items, text[0] + mark + rest)
        return self._accented(items, f"{name.removeprefix('wide')}({text})")

    def _accented(self, items: list[_Item], text: str) -> _Item:
        ns = _nonspace(items)
        item = _Item(text)
        if len(ns) == 1 and ns[0].kind in (OP, BIGOP):
            item.kind = ns[0].kind
        return item

    def rows(self, toks: list[_Token], cells: bool = True) -> list[list[_Token]]:
        """Split environment content at ``\\\\`` (rows) and, with ``cells``, at ``&``."""
        rows: list[list[_Token]] = [[]]
        for tok in toks:
            if isinstance(tok, LatexMacroNode) and tok.macroname in ("\\", "cr"):
                rows.append([])
            elif cells and isinstance(tok, LatexSpecialsNode) and tok.specials_chars == "&":
                rows[-1].append(_CELL)
            elif isinstance(tok, LatexMacroNode) and tok.macroname in ("hline", "midrule"):
                continue
            else:
                rows[-1].append(tok)
        return rows

    def cells(self, row: list[_Token]) -> list[str]:
        out: list[list[_Token]] = [[]]
        for tok in row:
            if tok is _CELL:
                out.append([])
            else:
                out[-1].append(tok)
        return [self.join(self.build(cell)) for cell in out]

    def environment(self, node: Any) -> _Item:
        name: str = node.environmentname
        table = [self.cells(row) for row in self.rows(_tokens(node.nodelist))]
        table = [row for row in table if any(row)]
        item = _Item("")
        if name in _MATRIX_ENVS:
            left, right = _MATRIX_ENVS[name]
            body = ", ".join("[" + ", ".join(row) + "]" for row in table)
            item.text = f"{left}[{body}]{right}"
            return item
        if name in _CASES_ENVS:
            parts = []
            for row in table:
                value = row[0]
                condition = " ".join(cell for cell in row[1:] if cell)
                if not condition:
                    parts.append(value)
                elif condition.split(" ", 1)[0].lower().strip(",") in _CASE_WORDS:
                    parts.append(f"{value} {condition}".strip())
                else:
                    parts.append(f"{value} if {condition}".strip())
            item.text = "{" + "; ".join(parts) + "}"
            return item
        item.text = "; ".join(" ".join(cell for cell in row if cell) for row in table)
        item.compound = True
        return item

    # -- output ------------------------------------------------------------------------------

    def join(self, items: list[_Item], compact: bool = False) -> str:
        """Lay out a list of items: TeX-like spacing, or none at all when ``compact``."""
        ns = [it for it in items if it.kind != SPACE]
        if not ns:
            return ""
        # Effective classes: a binary operator with nothing to its left is a sign.
        kinds: list[str] = []
        previous: str | None = None
        for index, it in enumerate(ns):
            kind = it.kind
            if kind == BIN:
                following = ns[index + 1].kind if index + 1 < len(ns) else None
                if previous in (None, BIN, REL, OPEN, PUNCT, BIGOP) or following in (
                    None, REL, CLOSE, PUNCT,
                ):  # fmt: skip
                    kind = ORD
            kinds.append(kind)
            previous = kind
        # Which gaps hold an explicit space?
        spaced_gap = [False] * len(ns)
        position = -1
        for it in items:
            if it.kind == SPACE:
                if position >= 0:
                    spaced_gap[position] = True
            else:
                position += 1
        parts: list[str] = []
        for index, it in enumerate(ns):
            text, limits_in_parens = self.render(it, compact)
            if it.frac:
                # Next to a mathematical neighbour, a/b needs parentheses: (1/2)x.
                before = after = None
                if index and not ns[index - 1].words:
                    before = kinds[index - 1]
                if index + 1 < len(ns) and not ns[index + 1].words:
                    after = kinds[index + 1]
                if (before in (ORD, CLOSE) or after in (ORD, OPEN, OP, BIGOP)
                        or it.sub or it.sup):  # fmt: skip
                    text = self.render_scripts(it, f"({it.text})", compact)[0]
            parts.append(text)
            if index + 1 < len(ns) and self.gap(
                kinds[index],
                kinds[index + 1],
                it,
                ns[index + 1],
                compact,
                spaced_gap[index],
                limits_in_parens,
            ):
                parts.append(" ")
        return "".join(parts)

    @staticmethod
    def gap(
        left: str, right: str, a: _Item, b: _Item, compact: bool, explicit: bool, limits: bool
    ) -> bool:
        if a.pad_after or b.pad_before:
            return True
        if compact:
            return left == PUNCT
        if explicit:
            return True
        if (a.kind == BIN and left == ORD) or a.text == "/" or b.text == "/":
            return False  # a sign sticks to what it signs: "- maxⱼ zⱼ" reads as "-maxⱼ zⱼ"
        if left == PUNCT:
            return right not in (CLOSE, PUNCT)
        if right == PUNCT:
            return False
        if left == REL and right == REL:
            return False
        if left == OPEN or right == CLOSE:
            return False
        if left in (BIN, REL, INNER) or right in (BIN, REL, INNER):
            return True
        if left == BIGOP or (left == OP and limits):
            return True
        if left == OP:
            return right != OPEN
        if right in (OP, BIGOP):
            return left in (ORD, CLOSE)
        return False

    def render(self, it: _Item, compact: bool) -> tuple[str, bool]:
        cached = it.rendered.get(compact)
        if cached is None:
            if it.children is None:
                base = it.text
            else:
                base = self.join(it.children, compact)
                if it.sub or it.sup:
                    base = f"({base})"  # {a+b}^2 and \overbrace{x+y}^n read as (a + b)²
            cached = self.render_scripts(it, base, compact)
            it.rendered[compact] = cached
        return cached

    def render_scripts(self, it: _Item, base: str, compact: bool) -> tuple[str, bool]:
        """``base`` with the item's scripts; the flag tells whether limits went in (…)."""
        if not it.sub and not it.sup:
            return base, False
        low = self.join(it.sub, compact=True) if it.sub else ""
        high = self.join(it.sup, compact=True) if it.sup else ""
        low_u = _to_script(low, _SUBSCRIPTS) if low else ""
        high_u = _to_script(high, _SUPERSCRIPTS) if high else ""
        if it.limits:
            if low_u is not None and high_u is not None:
                return base + low_u + high_u, False
            limits = f"{low}..{high}" if low and high else low or f"..{high}"
            return base + "_" + (limits if _graphemes(limits) == 1 else f"({limits})"), True
        out = base
        for script, converted, mark in ((it.sub, low_u, "_"), (it.sup, high_u, "^")):
            if not script:
                continue
            if converted is not None:
                out += converted
                continue
            text = self.join(script, compact)
            out += mark + (text if _graphemes(text) == 1 else f"({text})")
        return out, False


_CELL = object()  # marks a column break inside an environment row


def _latex2text_symbol(name: str) -> str | None:
    """The symbol pylatexenc's latex2text table gives ``\\name``, if it is one."""
    return _latex2text_table().get(name)


@lru_cache(maxsize=1)
def _latex2text_table() -> dict[str, str]:
    table: dict[str, str] = {}
    try:
        from pylatexenc import latex2text  # imported lazily: building its tables takes ~30 ms

        for spec in latex2text.get_default_latex_context_db().iter_macro_specs():
            repl = getattr(spec, "simplify_repl", None)
            if (isinstance(repl, str) and repl.strip() and "%" not in repl
                    and not repl.isascii() and len(repl.strip()) <= 3):  # fmt: skip
                table[spec.macroname] = repl.strip()
    except Exception:  # a table we cannot read only costs us symbols
        return {}
    return table


# ---------------------------------------------------------------------------------------------
# Public API.


def _max_brace_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch == "{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch == "}" and depth:
            depth -= 1
    return deepest


_CACHE_MAX_CHARS = 2_000


@lru_cache(maxsize=4096)
def _render_cached(src: str) -> str:
    return _render(src)


def _render(src: str) -> str:
    text = _clean(src)
    if text.count("{") > MAX_DEPTH and _max_brace_depth(text) > MAX_DEPTH:
        return _fallback(text)
    try:
        if "%" in text:  # a snippet is not a document: "50%" means per cent, not a comment
            text = _PERCENT.sub(r"\\%", text)
        if any(ch in text for ch in "\\{}$&"):
            walker = LatexWalker(text, latex_context=_CONTEXT, tolerant_parsing=True)
            nodes, _, _ = walker.get_latex_nodes()
            toks = _tokens(nodes)
        else:  # nothing for a parser to find: the characters are the tokens
            toks = list(text)
        renderer = _Renderer()
        out = renderer.join(renderer.build(toks))
    except (_TooDeep, RecursionError):
        return _fallback(text)
    except Exception:  # pylatexenc is tolerant, but a renderer must never take a deck down
        return _fallback(text)
    # NFC turns y + combining hat into the precomposed ŷ, which terminals draw better.
    return unicodedata.normalize("NFC", _WHITESPACE.sub(" ", _clean(out)).strip())


def latex_to_unicode(src: str) -> str:
    r"""Render a LaTeX math snippet (the inside of ``$...$``) as Unicode plain text.

    >>> latex_to_unicode(r"\frac{a+b}{c} \le x^2")
    '(a + b)/c ≤ x²'

    Never raises; the result holds no terminal control characters. Results are cached.
    """
    try:
        if not isinstance(src, str):
            src = str(src)
        if len(src) > MAX_INPUT_CHARS:
            return _fallback(src)
        return _render_cached(src) if len(src) <= _CACHE_MAX_CHARS else _render(src)
    except Exception:
        try:
            return _fallback(str(src))
        except Exception:
            return ""


def render_inline_math(text: str) -> str:
    r"""Replace the ``$$...$$`` and ``$...$`` spans of a line of Markdown by their rendering.

    ``\$`` is a literal dollar, and code spans (```...```) are left alone. As in Pandoc, an
    opening ``$`` must be followed by a non-space character, and a closing ``$`` must follow a
    non-space character and not be followed by a digit, so prices such as ``$5 and $10`` stay
    as written. Everything outside the math spans is returned unchanged.
    """
    try:
        return _render_inline(text)
    except Exception:
        return text


def _find_closing(text: str, marker: str, start: int) -> int:
    """Index of the next ``marker`` at or after ``start`` that is not backslash-escaped."""
    i, n = start, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if text.startswith(marker, i):
            return i
        i += 1
    return -1


def _render_inline(text: str) -> str:
    out: list[str] = []
    start = i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == "`":
            j = i
            while j < n and text[j] == "`":
                j += 1
            close = text.find(text[i:j], j)
            i = j if close == -1 else close + (j - i)
        elif text.startswith("$$", i):
            end = _find_closing(text, "$$", i + 2)
            if end > i + 2:
                out.append(text[start:i])
                out.append(latex_to_unicode(text[i + 2 : end]))
                i = start = end + 2
            else:
                i += 2
        elif ch == "$":
            end = _find_closing(text, "$", i + 1)
            if (end > i + 1 and not text[i + 1].isspace() and not text[end - 1].isspace()
                    and not (end + 1 < n and text[end + 1].isdigit())):  # fmt: skip
                out.append(text[start:i])
                out.append(latex_to_unicode(text[i + 1 : end]))
                i = start = end + 1
            else:
                i += 1
        else:
            i += 1
    out.append(text[start:])
    return "".join(out)
