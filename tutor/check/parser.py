"""A Pratt parser from canonical tokens to :class:`Node` trees, with exact error columns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tutor.check.errors import CheckInputError
from tutor.check.limits import MAX_DEPTH, MAX_NODES, MAX_SCIENTIFIC_EXPONENT
from tutor.check.nodes import NONE, Kind, Node
from tutor.check.tokens import Token, scientific, tokenize
from tutor.check.vocab import FUNCTION_NAMES, FUNCTIONS, GREEK, canonical_function

CONSTANTS = frozenset({"pi", "e", "oo", "emptyset", "True", "False", "infinity"})
KEYWORDS = frozenset({"sum", "prod", "int", "lim"})
LOGIC_WORDS = {"and": "and", "or": "or", "not": "not", "implies": "implies", "iff": "iff"}
# Outside logic mode, "and" and "or" still join statements: x = 2 or x = -2.
CONNECTIVE_WORDS = frozenset({"and", "or"})
RELATIONS = ("=", "<", ">", "<=", ">=", "!=")
INFIX_BP = {
    "iff": 1,
    "implies": 2,
    "or": 3,
    "and": 4,
    "=": 10,
    "<": 10,
    ">": 10,
    "<=": 10,
    ">=": 10,
    "!=": 10,
    "in": 10,
    "cup": 20,
    "setminus": 20,
    "+": 20,
    "-": 20,
    "cap": 30,
    "*": 30,
    "*·": 30,
    "*×": 30,
    "/": 30,
    "^": 40,
    "!": 50,
    "'": 50,
}
# Plain infix operators, by token text, and the kind of node each builds.
BINARY = {
    "+": Kind.ADD,
    "-": Kind.SUB,
    "cup": Kind.CUP,
    "setminus": Kind.SETMINUS,
    "cap": Kind.CAP,
    "/": Kind.DIV,
    "and": Kind.AND,
    "or": Kind.OR,
    "iff": Kind.IFF,
}
MUL_BP = 30
NEG_BP = 30
STARTERS_OP = frozenset({"(", "\\{", "‖", "⟨", "[", "⌊", "⌈"})
STARTERS_CMD = frozenset(
    {"frac", "sqrt", "binom", "sum", "prod", "int", "lim", "overline", "begin"}
)


@dataclass(frozen=True)
class Context:
    """What the declarations of a check block tell the parser."""

    functions: frozenset[str] = frozenset()
    declared: frozenset[str] = frozenset()
    matrices: frozenset[str] = frozenset()
    vectors: frozenset[str] = frozenset()
    sets: frozenset[str] = frozenset()
    probability: frozenset[str] = frozenset()
    indexed: dict[str, str] = field(default_factory=dict)
    logic: bool = False
    set_mode: bool = False

    def known(self) -> frozenset[str]:
        return (
            self.declared
            | self.functions
            | self.probability
            | FUNCTION_NAMES
            | CONSTANTS
            | KEYWORDS
            | frozenset(GREEK)
            | frozenset(self.indexed)
            | (frozenset(LOGIC_WORDS) if self.logic else CONNECTIVE_WORDS)
        )

    def is_function(self, name: str) -> bool:
        return (
            name in self.functions
            or name in self.probability
            or (name in FUNCTION_NAMES and name not in self.declared)
        )


def split_names(tokens: list[Token], ctx: Context) -> list[Token]:
    """Split runs of letters into known names and single letters: ``xsin`` is ``x sin``."""
    known = ctx.known()
    pieces = known - {"oo", "infinity"}
    longest = max((len(k) for k in pieces), default=1)
    out: list[Token] = []
    for tok in tokens:
        if tok.kind != "name" or tok.text in known or len(tok.text) == 1:
            out.append(tok)
            continue
        if tok.whole:
            raise CheckInputError(
                f"The name {tok.text!r} is not known here: declare it in the check block, "
                "or write a product with * or spaces.",
                tok.col,
            )
        text = tok.text
        i = 0
        while i < len(text):
            for length in range(min(longest, len(text) - i), 1, -1):
                if text[i : i + length] in pieces:
                    out.append(Token("name", text[i : i + length], tok.col + i))
                    i += length
                    break
            else:
                out.append(Token("name", text[i], tok.col + i))
                i += 1
    return out


def parse(text: str, ctx: Context | None = None) -> Node:
    """Parse one answer or expectation; raise :class:`CheckInputError` if it cannot be read."""
    ctx = ctx or Context()
    tokens = split_names(tokenize(text), ctx)
    if len(tokens) == 1:
        raise CheckInputError("The answer is empty.", 1)
    parser = _Parser(tokens, ctx)
    node = parser.expression(0)
    end = parser.peek()
    if end.kind != "end":
        raise CheckInputError(f"Unexpected {_describe(end)}.", end.col)
    if node.size() > MAX_NODES:
        raise CheckInputError("The expression is too large to check.", 1)
    return node


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "end of the answer"
    # as the learner typed it: ≤, ÷, ∪ or \\, not the token it stands for (<=, /, cup, ;)
    shown = tok.spelled or {"*·": "·", "*×": "×"}.get(tok.text, tok.text)
    return f"'{shown}'"


# The parser's context counters that brackets reset (see `_Parser.isolated`).
ISOLATED = ("abs_depth", "in_prob", "bare", "fn_bare", "in_integral")


class _Parser:
    def __init__(self, tokens: list[Token], ctx: Context) -> None:
        self.tokens = tokens
        self.pos = 0
        self.ctx = ctx
        self.depth = 0
        self.abs_depth = 0
        self.bare = 0  # inside a function argument written without brackets
        self.fn_bare = 0  # … of a built-in function: sin x/2 is (sin x)/2
        self.in_integral = 0
        self.in_matrix = 0
        self.in_prob = 0
        self.norm_depth = 0

    @contextmanager
    def isolated(self, *, matrix: bool) -> Iterator[None]:
        """Inside brackets: no enclosing |…|, P(…), bare argument or integral is open (nor a
        matrix row, for braces)."""
        names = ISOLATED + (("in_matrix",) if matrix else ())
        saved = [getattr(self, name) for name in names]
        for name in names:
            setattr(self, name, 0)
        try:
            yield
        finally:
            for name, value in zip(names, saved, strict=True):
                setattr(self, name, value)

    # -- token helpers -------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token:
        index = min(self.pos + offset, len(self.tokens) - 1)
        return self.tokens[index]

    def next(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "end":
            self.pos += 1
        return tok

    def at(self, kind: str, text: str) -> bool:
        tok = self.peek()
        return tok.kind == kind and tok.text == text

    def expect_op(self, text: str, what: str) -> Token:
        tok = self.peek()
        if tok.kind != "op" or tok.text != text:
            raise CheckInputError(f"Expected {what}, found {_describe(tok)}.", tok.col)
        return self.next()

    # -- Pratt core ----------------------------------------------------------------------
    def expression(self, rbp: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CheckInputError("The answer is nested too deeply.", self.peek().col)
        try:
            left = self.nud(rbp)
            while True:
                bp, op = self.infix_power()
                if bp <= rbp:
                    break
                left = self.led(left, op)
            return left
        finally:
            self.depth -= 1

    def infix_power(self) -> tuple[int, str]:
        tok = self.peek()
        if tok.kind == "op":
            text = tok.text
            if text == "|":
                if self.ctx.logic:
                    return INFIX_BP["or"], "or"
                if self.in_prob and self.abs_depth == 0:
                    return 0, ""
                if self.abs_depth > 0:
                    return 0, ""
                return MUL_BP, "implicit"
            if text == "&":
                if self.in_matrix:
                    return 0, ""
                return INFIX_BP["and"], "and"
            if self.fn_bare and text in ("*", "*·", "*×", "/"):
                return 0, ""  # sin x/2 is (sin x)/2; sin 2x stays sin(2x)
            if text in INFIX_BP:
                return INFIX_BP[text], text
            if text in ("cup", "cap", "setminus", "and", "or", "implies", "iff"):
                return INFIX_BP[text], text
            if text == "‖" and self.norm_depth:
                return 0, ""
            if text in STARTERS_OP or (text == "{"):
                return MUL_BP, "implicit"
            return 0, ""
        if (
            tok.kind == "name"
            and (self.ctx.logic or tok.text in CONNECTIVE_WORDS)
            and tok.text in LOGIC_WORDS
            and tok.text not in self.ctx.declared
        ):
            word = LOGIC_WORDS[tok.text]
            return (INFIX_BP[word], word) if word != "not" else (0, "")
        if tok.kind in ("num", "name", "cmd"):
            if tok.kind == "cmd" and tok.text not in STARTERS_CMD:
                return 0, ""
            if self.in_integral and self.is_differential():
                return 0, ""
            if self.bare and (
                (tok.kind == "name" and self.ctx.is_function(tok.text))
                or (tok.kind == "cmd" and tok.text in ("sum", "prod", "int", "lim"))
                or (tok.kind == "name" and tok.text in KEYWORDS)
            ):
                return 0, ""
            return MUL_BP, "implicit"
        return 0, ""

    def is_differential(self) -> bool:
        tok = self.peek()
        nxt = self.peek(1)
        return tok.kind == "name" and tok.text == "d" and nxt.kind == "name"

    def led(self, left: Node, op: str) -> Node:
        tok = self.peek()
        col = tok.col
        if op == "implicit":
            if tok.kind == "num":
                raise CheckInputError(
                    "A number cannot follow here without an operator: write * or ^.", tok.col
                )
            right = self.expression(MUL_BP)
            return Node(Kind.MUL, (left, right), "", col)
        self.next()
        if op in RELATIONS:
            operands = [left, self.expression(10)]
            ops = [op]
            while self.peek().kind == "op" and self.peek().text in RELATIONS:
                ops.append(self.next().text)
                operands.append(self.expression(10))
            return Node(Kind.REL, tuple(operands), " ".join(ops), col)
        if op == "in":
            return _membership(left, self.expression(10), col)
        if op in BINARY:
            return Node(BINARY[op], (left, self.expression(INFIX_BP[op])), "", col)
        if op in ("*", "*·", "*×"):
            if self.peek().kind == "op" and self.peek().text == "-":
                right = self.nud(MUL_BP)
            else:
                right = self.expression(MUL_BP)
            number = _scientific(left, right)
            if number is not None:
                return number
            return Node(Kind.MUL, (left, right), "×" if op == "*×" else "·", col)
        if op == "implies":
            return Node(Kind.IMPLIES, (left, self.expression(INFIX_BP["implies"] - 1)), "", col)
        if op == "^":
            return self.power(left, col)
        if op == "!":
            return Node(Kind.FACTORIAL, (left,), "", col)
        if op == "'":
            raise CheckInputError("A prime belongs right after a function name: f'(x).", col)
        raise CheckInputError(f"Unexpected {_describe(tok)}.", col)

    def power(self, base: Node, col: int) -> Node:
        letters = set()
        if self.ctx.matrices or self.ctx.vectors or base.kind == Kind.MATRIX:
            letters.add("T")
        if self.ctx.sets:
            letters |= {"c", "C"}
        letters -= set(self.ctx.declared)
        tok = self.peek()
        # ^T is a transpose even when a bracket follows: (W x)^T (W x) is a product of two
        # factors, not a power of T·(W x)
        after = ("^",) if tok.text == "T" else ("(", "^")
        if tok.kind == "name" and tok.text in letters and self.peek(1).text not in after:
            self.next()
            return Node(Kind.TRANSPOSE if tok.text == "T" else Kind.COMPLEMENT, (base,), "", col)
        if (
            self.at("op", "{")
            and self.peek(1).kind == "name"
            and self.peek(1).text in letters
            and self.peek(2).text == "}"
        ):
            self.next()
            letter = self.next().text
            self.next()
            return Node(Kind.TRANSPOSE if letter == "T" else Kind.COMPLEMENT, (base,), "", col)
        exponent = self.group() if self.at("op", "{") else self.expression(INFIX_BP["^"] - 1)
        return Node(Kind.POW, (base, exponent), "", col)

    # -- prefix positions ----------------------------------------------------------------
    def nud(self, rbp: int) -> Node:
        tok = self.next()
        col = tok.col
        if tok.kind == "num":
            return Node(Kind.NUM, (), tok.text, col)
        if tok.kind == "name":
            return self.name(tok)
        if tok.kind == "cmd":
            return self.command(tok)
        if tok.kind == "end":
            raise CheckInputError("The answer ends too early.", col)
        text = tok.text
        if text == "-":
            return Node(Kind.NEG, (self.expression(max(NEG_BP, rbp)),), "", col)
        if text == "+":
            return self.expression(max(NEG_BP, rbp))
        if text == "not":
            return Node(Kind.NOT, (self.expression(5 if rbp < 5 else rbp),), "", col)
        if text == "(":
            return self.paren(col, "(")
        if text == "[":
            return self.bracket(col)
        if text == "{":
            return self.brace(col, latex_set=False)
        if text == "\\{":
            return self.brace(col, latex_set=True)
        if text == "|":
            if self.ctx.logic:
                raise CheckInputError("Unexpected '|'.", col)
            self.abs_depth += 1
            saved_prob = self.in_prob
            self.in_prob = 0
            try:
                inner = self.expression(0)
            finally:
                self.abs_depth -= 1
                self.in_prob = saved_prob
            self.expect_op("|", "a closing |")
            return Node(Kind.ABS, (inner,), "", col)
        if text == "‖":
            self.norm_depth += 1
            try:
                inner = self.expression(0)
            finally:
                self.norm_depth -= 1
            self.expect_op("‖", "a closing ‖")
            return Node(Kind.NORM, (inner,), "", col)
        if text in ("⌊", "⌈"):
            closer = "⌋" if text == "⌊" else "⌉"
            inner = self.expression(0)
            self.expect_op(closer, f"a closing {closer}")
            return Node(Kind.CALL, (inner,), "floor" if text == "⌊" else "ceil", col)
        if text == "⟨":
            first = self.expression(0)
            self.expect_op(",", "a comma")
            second = self.expression(0)
            self.expect_op("⟩", "a closing ⟩")
            return Node(Kind.CALL, (first, second), "dot", col)
        raise CheckInputError(f"Unexpected {_describe(tok)}.", col)

    def group(self) -> Node:
        """A LaTeX group ``{...}`` or a single token argument."""
        tok = self.peek()
        if self.at("op", "{"):
            self.next()
            with self.isolated(matrix=True):
                inner = self.expression(0)
            self.expect_op("}", "a closing }")
            return inner
        if tok.kind == "num":
            self.next()
            if len(tok.text) > 1 and tok.text.isdigit():
                raise CheckInputError("Put a multi-digit argument in braces.", tok.col)
            return Node(Kind.NUM, (), tok.text, tok.col)
        if tok.kind == "name":
            self.next()
            return (
                self.name(tok) if tok.text in CONSTANTS else Node(Kind.NAME, (), tok.text, tok.col)
            )
        return self.expression(INFIX_BP["^"])

    def paren(self, col: int, opener: str) -> Node:
        with self.isolated(matrix=False):
            first = self.expression(0)
            if self.at("op", ","):
                self.next()
                second = self.expression(0)
                closer = self.next()
                if closer.kind != "op" or closer.text not in (")", "]"):
                    raise CheckInputError("Expected ) or ] to close the interval.", closer.col)
                return Node(Kind.INTERVAL, (first, second), opener + closer.text, col)
            closer = self.next()
            if opener == "(" and closer.text == ")":
                return first
            if opener == "[" and closer.text == "]":
                raise CheckInputError("Use round brackets for grouping.", col)
            raise CheckInputError(f"Expected ), found {_describe(closer)}.", closer.col)

    def bracket(self, col: int) -> Node:
        if self.at("op", "["):
            rows: list[Node] = []
            while True:
                row_col = self.expect_op("[", "[ to start a matrix row").col
                items = [self.expression(0)]
                while self.at("op", ","):
                    self.next()
                    items.append(self.expression(0))
                self.expect_op("]", "] to end the row")
                rows.append(Node(Kind.ROW, tuple(items), "", row_col))
                if self.at("op", ","):
                    self.next()
                    continue
                self.expect_op("]", "] to end the matrix")
                return _matrix(rows, col)
        return self.paren(col, "[")

    def brace(self, col: int, latex_set: bool) -> Node:
        closer = "\\}" if latex_set else "}"
        if self.at("op", closer):
            self.next()
            return Node(Kind.SET, (), "", col)
        with self.isolated(matrix=True):
            items = [self.expression(0)]
            while self.at("op", ","):
                self.next()
                items.append(self.expression(0))
        self.expect_op(closer, "a closing brace")
        if latex_set or len(items) > 1 or self.ctx.set_mode:
            return Node(Kind.SET, tuple(items), "", col)
        return items[0]

    # -- names, functions and commands ---------------------------------------------------
    def name(self, tok: Token) -> Node:
        text = tok.text
        col = tok.col
        ctx = self.ctx
        if (
            (ctx.logic or text in CONNECTIVE_WORDS)
            and text in LOGIC_WORDS
            and text not in ctx.declared
        ):
            if LOGIC_WORDS[text] == "not":
                return Node(Kind.NOT, (self.expression(5),), "", col)
            raise CheckInputError(f"'{text}' needs something on its left.", col)
        if text == "d" and "d" not in ctx.declared and self._plain_derivative():
            self.next()  # /
            self.next()  # d
            var = self.next()
            body = self.operator_body()
            return Node(Kind.DERIV, (Node(Kind.NAME, (), var.text, var.col), body), "", col)
        if text in KEYWORDS and text not in ctx.declared:
            return self.command(Token("cmd", text, col))
        if text == "infinity":
            text = "oo"
        if text in CONSTANTS and text not in ctx.declared:
            if text == "e" and self.at("op", "^"):
                pass
            return Node(Kind.CONST, (), text, col)
        if text in ctx.indexed and self.at("op", "_"):
            self.next()
            index = self.group()
            return Node(Kind.INDEX, (Node(Kind.NAME, (), text, col), index), "", col)
        if self.at("op", "_") and not ctx.is_function(text):
            self.next()
            sub = self.peek()
            if sub.kind in ("num", "name") and sub.text.isalnum():
                self.next()
                return Node(Kind.NAME, (), f"{text}_{sub.text}", col)
            if (
                self.at("op", "{")
                and self.peek(1).kind in ("num", "name")
                and self.peek(2).text == "}"
            ):
                self.next()
                inner = self.next().text
                self.next()
                return Node(Kind.NAME, (), f"{text}_{inner}", col)
            raise CheckInputError("A subscript must be a single name or number.", sub.col)
        if ctx.is_function(text):
            return self.function(text, col)
        return Node(Kind.NAME, (), text, col)

    def _plain_derivative(self) -> bool:
        """Is this ``d/dx …``, the derivative written in plain text?"""
        slash, d, var = self.peek(), self.peek(1), self.peek(2)
        return (
            slash.kind == "op"
            and slash.text == "/"
            and d.kind == "name"
            and d.text == "d"
            and var.kind == "name"
            and not self.ctx.is_function(var.text)
            and var.text not in CONSTANTS
        )

    def function(self, fname: str, col: int) -> Node:
        primes = 0
        while self.at("op", "'"):
            self.next()
            primes += 1
        if primes and fname not in self.ctx.functions:
            raise CheckInputError("A prime needs a declared function: f'(x).", col)
        base: Node | None = None
        if fname in ("log", "lg") and self.at("op", "_"):
            self.next()
            base = self.group()
        power: Node | None = None
        builtin = fname not in self.ctx.functions and fname not in self.ctx.probability
        if self.at("op", "^") and builtin:
            self.next()
            power = self.group()
            inverse = INVERSES.get(canonical_function(fname))
            if inverse and power in (Node(Kind.NEG, (ONE,)), Node(Kind.NUM, (), "-1")):
                fname, power = inverse, None  # sin^{-1}(x) is arcsin, as on calculators
        if fname in self.ctx.probability:
            self.expect_op("(", f"( after {fname}")
            self.in_prob += 1
            try:
                event = self.expression(0)
                if self.at("op", "|"):
                    self.next()
                    condition = self.expression(0)
                    event = Node(Kind.GIVEN, (event, condition), "", col)
            finally:
                self.in_prob -= 1
            self.expect_op(")", "a closing )")
            return Node(Kind.CALL, (event,), fname, col)
        # a declared function also takes square brackets, as in E[X]
        closer = ")" if self.at("op", "(") else "]" if not builtin and self.at("op", "[") else ""
        if closer:
            self.next()
            with self.isolated(matrix=False):
                args = [self.expression(0)]
                while self.at("op", ","):
                    self.next()
                    args.append(self.expression(0))
            self.expect_op(closer, f"a closing {closer}")
        elif builtin and FUNCTIONS[canonical_function(fname)].bare:
            if self.peek().kind == "end":
                raise CheckInputError(f"{fname} needs an argument.", col)
            self.bare += 1
            self.fn_bare += 1
            try:
                args = [self.expression(MUL_BP - 1)]
            finally:
                self.bare -= 1
                self.fn_bare -= 1
        else:
            raise CheckInputError(f"Write {fname}(…) with brackets.", self.peek().col)
        if base is not None:
            if len(args) != 1:
                raise CheckInputError("log_b takes one argument.", col)
            node = Node(Kind.LOGB, (base, args[0]), "", col)
        else:
            name = canonical_function(fname) if builtin else fname
            node = Node(Kind.CALL, tuple(args), name + "'" * primes, col)
            if builtin:
                _check_arity(node)
        if power is not None:
            node = Node(Kind.POW, (node, power), "", col)
        return node

    def command(self, tok: Token) -> Node:
        name = tok.text
        col = tok.col
        if name == "frac":
            tok = self.peek()
            if tok.kind == "num" and len(tok.text) == 2 and tok.text.isdigit():
                # \frac12 is TeX's 1/2: two single-digit arguments
                self.next()
                return Node(
                    Kind.DIV,
                    (Node(Kind.NUM, (), tok.text[0]), Node(Kind.NUM, (), tok.text[1])),
                    "",
                    col,
                )
            num = self.group()
            den = self.group()
            if (
                num == Node(Kind.NAME, (), "d")
                and den.kind == Kind.MUL
                and den.args[0] == Node(Kind.NAME, (), "d")
                and den.args[1].kind == Kind.NAME
            ):
                body = self.operator_body()
                return Node(Kind.DERIV, (den.args[1], body), "", col)
            return Node(Kind.DIV, (num, den), "", col)
        if name == "sqrt":
            if self.at("op", "["):
                self.next()
                index = self.expression(0)
                self.expect_op("]", "] after the root's index")
                radicand = self.group()
                return Node(
                    Kind.POW, (radicand, Node(Kind.DIV, (Node(Kind.NUM, (), "1"), index))), "", col
                )
            return Node(Kind.CALL, (self.group(),), "sqrt", col)
        if name == "binom":
            top = self.group()
            bottom = self.group()
            return Node(Kind.CALL, (top, bottom), "binomial", col)
        if name == "overline":
            return Node(Kind.COMPLEMENT, (self.group(),), "", col)
        if name == "sum":
            return self.big_operator(Kind.SUM, col)
        if name == "prod":
            return self.big_operator(Kind.PROD, col)
        if name == "int":
            return self.integral(col)
        if name == "lim":
            return self.limit(col)
        if name == "begin":
            return self.environment(col)
        raise CheckInputError(f"Unexpected \\{name}.", col)

    def operator_body(self) -> Node:
        """The body of a sum, product, limit or derivative written without brackets: a product
        of factors up to the next + or −, functions without brackets among them, as in
        `\\sum_i p_i \\log p_i` (the sum of p_i log p_i) and `d/dx x sin x`. Each function's own
        argument still ends at the next function: `\\sin x \\cos x` is sin(x)·cos(x)."""
        saved = (self.bare, self.fn_bare)
        self.bare = self.fn_bare = 0
        try:
            return self.expression(MUL_BP - 1)
        finally:
            self.bare, self.fn_bare = saved

    def big_operator(self, kind: Kind, col: int) -> Node:
        var = NONE
        low = NONE
        high = NONE
        if self.at("op", "_"):
            self.next()
            sub = self.group()
            if sub.kind == Kind.REL and sub.text == "=" and sub.args[0].kind == Kind.NAME:
                var, low = sub.args[0], sub.args[1]
            elif sub.kind == Kind.NAME:
                var = sub
            else:
                raise CheckInputError("Write the index as _{i=1}.", col)
        if self.at("op", "^"):
            self.next()
            high = self.group()
        if var is NONE:
            raise CheckInputError(f"Give the {kind} an index: \\{kind}_{{i=1}}^{{n}}.", col)
        if (low is NONE) != (high is NONE):
            raise CheckInputError("Give both bounds or neither.", col)
        body = self.operator_body()
        return Node(kind, (var, low, high, body), "", col)

    def integral(self, col: int) -> Node:
        low = NONE
        high = NONE
        if self.at("op", "_"):
            self.next()
            low = self.group()
            self.expect_op("^", "an upper bound")
            high = self.group()
        self.in_integral += 1
        try:
            body = self.expression(15)
        finally:
            self.in_integral -= 1
        if not self.is_differential():
            raise CheckInputError(
                "The integral needs its differential, such as dx.", self.peek().col
            )
        self.next()
        var = self.next()
        return Node(
            Kind.INTEGRAL, (Node(Kind.NAME, (), var.text, var.col), low, high, body), "", col
        )

    def limit(self, col: int) -> Node:
        self.expect_op("_", "_{x \\to a} after \\lim")
        sub = self.group()
        if sub.kind != Kind.IMPLIES or sub.args[0].kind != Kind.NAME:
            raise CheckInputError("Write the limit as \\lim_{x \\to a}.", col)
        body = self.operator_body()
        return Node(Kind.LIM, (sub.args[0], sub.args[1], body), "", col)

    def environment(self, col: int) -> Node:
        env = self.environment_name("\\begin")
        if env not in ("pmatrix", "bmatrix", "matrix"):
            raise CheckInputError(f"The environment {env} is not supported.", col)
        rows: list[Node] = []
        items: list[Node] = []
        self.in_matrix += 1
        try:
            while True:
                items.append(self.expression(0))
                tok = self.next()
                if tok.kind == "op" and tok.text == "&":
                    continue
                if tok.kind == "op" and tok.text == ";":
                    rows.append(Node(Kind.ROW, tuple(items), "", col))
                    items = []
                    if self.at("cmd", "end"):
                        self.next()
                        break
                    continue
                if tok.kind == "cmd" and tok.text == "end":
                    rows.append(Node(Kind.ROW, tuple(items), "", col))
                    break
                raise CheckInputError(f"Unexpected {_describe(tok)} in the matrix.", tok.col)
        finally:
            self.in_matrix -= 1
        if self.environment_name("\\end") != env:
            raise CheckInputError(f"\\begin{{{env}}} needs a matching \\end.", col)
        return _matrix(rows, col)

    def environment_name(self, command: str) -> str:
        self.expect_op("{", f"{{ after {command}")
        parts: list[str] = []
        while self.peek().kind == "name":
            parts.append(self.next().text)
        self.expect_op("}", "} after the environment name")
        return "".join(parts)


def _scientific(mantissa: Node, power: Node) -> Node | None:
    """``2.5×10^6`` (or ``2.5*10^6``, ``2.5 \\times 10^{6}``) as the one number 2.5e6."""
    if mantissa.kind != Kind.NUM or "e" in mantissa.text or power.kind != Kind.POW:
        return None
    base, exponent = power.args
    if base.kind != Kind.NUM or base.text != "10":
        return None
    sign = ""
    if exponent.kind == Kind.NEG:
        sign, exponent = "-", exponent.args[0]
    if exponent.kind != Kind.NUM or not exponent.text.isdigit():
        return None
    if sign and mantissa.text.isdigit():
        return None  # 25·10^(-2) is the exact 1/4, not a decimal: it stays a product
    if int(exponent.text) > MAX_SCIENTIFIC_EXPONENT:
        raise CheckInputError("This exponent is too large to check.", power.col)
    text = scientific(mantissa.text, int(sign + exponent.text))
    return Node(Kind.NUM, (), text, mantissa.col)


def _matrix(rows: list[Node], col: int) -> Node:
    width = len(rows[0].args)
    if any(len(row.args) != width for row in rows):
        raise CheckInputError("The rows of the matrix have different lengths.", col)
    return Node(Kind.MATRIX, tuple(rows), "", col)


ONE = Node(Kind.NUM, (), "1")
# f^{-1} of a trigonometric or hyperbolic function is its inverse function.
INVERSES = {
    "sin": "asin",
    "cos": "acos",
    "tan": "atan",
    "cot": "acot",
    "sec": "asec",
    "csc": "acsc",
    "sinh": "asinh",
    "cosh": "acosh",
    "tanh": "atanh",
    "coth": "acoth",
}


def _check_arity(node: Node) -> None:
    wanted = FUNCTIONS[node.text].arity
    if wanted and len(node.args) != wanted:
        count = "one argument" if wanted == 1 else f"{wanted} arguments"
        raise CheckInputError(f"{node.text} takes {count}.", node.col)


def _infinite(node: Node) -> int:
    """1 for ∞, -1 for −∞, else 0."""
    if node.kind == Kind.CONST and node.text == "oo":
        return 1
    if node.kind == Kind.NEG and _infinite(node.args[0]) == 1:
        return -1
    return 0


def _membership(element: Node, where: Node, col: int) -> Node:
    """``x ∈ [0, 1)`` as the chain 0 ≤ x < 1; ``x ∈ {1, 2}`` as x = 1 ∨ x = 2."""
    if where.kind == Kind.SET and where.args:
        equations = [Node(Kind.REL, (element, item), "=", col) for item in where.args]
        joined = equations[0]
        for equation in equations[1:]:
            joined = Node(Kind.OR, (joined, equation), "", col)
        return joined
    if where.kind != Kind.INTERVAL:
        raise CheckInputError("After ∈ write an interval or a set, such as [0, 1).", col)
    low, high = where.args
    operands: list[Node] = []
    ops: list[str] = []
    if _infinite(low) != -1:
        operands.append(low)
        ops.append("<=" if where.text[0] == "[" else "<")
    operands.append(element)
    if _infinite(high) != 1:
        ops.append("<=" if where.text[1] == "]" else "<")
        operands.append(high)
    if not ops:
        raise CheckInputError("x ∈ (−∞, ∞) says nothing: write the condition itself.", col)
    return Node(Kind.REL, tuple(operands), " ".join(ops), col)
