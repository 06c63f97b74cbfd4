"""The same expression, up to notation, commutativity and associativity.

Value equality cannot tell a reconstruction from a restatement: ``P(B ∩ A)`` has the value of
``P(A ∩ B)``, and so has the question itself. These rules compare *form* instead, in the way
STACK's EqualComAss test does: two answers have the same form when they differ only in

- notation: ``a - b`` and ``a + (-b)``, ``a/b`` and ``a·b^(-1)`` (``x/2`` and ``(1/2)x``),
  ``x/(-2)`` and ``-x/2``, ``√x`` and ``x^(1/2)``, ``exp(x)`` and ``e^x``, ``ln`` and ``log``,
  ``x > y`` and ``y < x``, the spelling of a number (``2.5e6``, ``2500000``), the kind of
  multiplication sign; ``+ 0``, ``· 1`` however written (``x/1``, ``x·1⁻¹``, a factor ``1^k``),
  ``^1``;
- the order of the operands of ``+``, ``∪``, ``∩``, ``∧``, ``∨``, ``=``, and of ``·`` when the
  factors commute (matrices and vectors keep their order);
- the grouping of those operators: ``(a + b) + c`` and ``a + (b + c)``.

and, unless ``padding`` is off (between the links of a derivation, where such a rewriting is a
step), padding that does nothing:

- a term and its negative (``+ a − a``), a factor and its inverse among commuting factors
  (``x · x⁻¹``, ``2x/2``), the identity matrix as a factor (``I A B``);
- arithmetic on whole numbers and fractions: ``e^(999 + 1)`` and ``e^1000``, ``2·3x`` and
  ``6x``, ``2/4`` and ``1/2``, ``2^3`` and ``8`` (small whole powers only), ``1^k`` and ``1``.

Nothing else is computed: ``a(b + c)`` and ``ab + ac`` have different forms, and so have
``x + x`` and ``2x`` or ``x·x`` and ``x²``; decimals are kept as written.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from tutor.check.nodes import Kind, Node, is_decimal, number_fraction

# Operators that are flattened and, except for products of non-commuting factors, sorted.
ASSOCIATIVE = (Kind.ADD, Kind.MUL, Kind.CUP, Kind.CAP, Kind.AND, Kind.OR)
FLIP = {">": "<", ">=": "<="}
SYMMETRIC_RELATIONS = ("=", "!=")


def _number(value: Fraction, decimal: bool = False) -> Node:
    text = str(value) + ("." if decimal else "")
    return Node(Kind.NUM, (), text)


def _minus_one() -> Node:
    return _number(Fraction(-1))


def key(node: Node) -> str:
    """A text that two nodes share exactly when they are the same tree (columns ignored)."""
    if not node.args:
        return f"{node.kind}:{node.text}"
    inner = ",".join(key(arg) for arg in node.args)
    return f"{node.kind}:{node.text}({inner})"


class Canon:
    """Canonical forms for one check block: ``fixed`` names (matrices, vectors) do not commute."""

    def __init__(
        self,
        fixed: frozenset[str] = frozenset(),
        indexed: dict[str, str] | None = None,
        *,
        identity: bool = False,
        padding: bool = True,
        vectors: frozenset[str] = frozenset(),
        probability: frozenset[str] = frozenset(),
        universe: bool = False,
    ) -> None:
        self.fixed = fixed
        self.identity = identity  # I is the identity matrix
        self.vectors = vectors  # column vectors: u·v, uᵀv and dot(u, v) are one dot product
        self.probability = probability  # P(Ω) is 1 and P(A | Ω) is P(A)
        self.universe = universe  # Omega is the whole sample space
        # padding dropped (+ a − a, x·x⁻¹, literal arithmetic): what a restatement hides behind.
        # False for the links of a derivation, where such a rewriting is a step of its own
        # (x² + x − x − 1 on the way from (x − 1)(x + 1) to x² − 1, x² + (2 − 3)x − 6)
        self.padding = padding
        self.indexed = indexed or {}  # family → its size: Σ_j z_j is Σ_{j=1}^{K} z_j
        self._depth = 0  # binders open around the node being formed

    def commutes(self, node: Node) -> bool:
        return not any(
            (sub.kind == Kind.NAME and sub.text in self.fixed)
            or sub.kind in (Kind.MATRIX, Kind.TRANSPOSE)
            for sub in node.walk()
        )

    def key(self, node: Node) -> str:
        """The text of ``node``'s canonical form: equal for nodes of the same form."""
        return key(self.form(node))

    def same(self, a: Node, b: Node) -> bool:
        return key(self.form(a)) == key(self.form(b))

    def form(self, node: Node) -> Node:
        kind = node.kind
        if kind == Kind.NUM:
            numerator, denominator = number_fraction(node.text)
            decimal = is_decimal(node.text)
            if denominator != 1 and not decimal and not self.padding:
                # between links a fraction is its division: 2/4 is not 1/2 (see DIV)
                top, bottom = _number(Fraction(numerator)), _number(Fraction(denominator))
                return self.form(Node(Kind.DIV, (top, bottom)))
            return _number(Fraction(numerator, denominator), decimal)
        if kind in (Kind.NAME, Kind.CONST):
            return Node(kind, (), node.text)
        if kind == Kind.SUB:
            right = Node(Kind.NEG, (node.args[1],))
            return self.form(Node(Kind.ADD, (node.args[0], right)))
        if kind == Kind.NEG:
            inner = self.form(node.args[0])
            if inner.kind == Kind.NUM and not inner.text.endswith("."):
                return _number(-Fraction(inner.text))
            return self._flat(Kind.MUL, [_minus_one(), inner])
        if kind == Kind.DIV:
            top, bottom = node.args
            if self.padding and _whole(top) and _whole(bottom) and bottom.text != "0":
                return _number(Fraction(int(top.text), int(bottom.text)))
            # without the padding rules a division of whole numbers is not worked out (2/4 and
            # 4/2 are not 1/2 and 2: reducing a fraction is arithmetic), and a quotient is a
            # product with an inverse however it is written: x/2, (1/2)x and x·2^(-1) are one
            # form, and so are 4x/2 and (4/2)x
            inverse = self._power(self.form(bottom), _minus_one())
            return self._flat(Kind.MUL, [self.form(top), inverse])
        if kind == Kind.POW:
            return self._power(self.form(node.args[0]), self.form(node.args[1]))
        if kind == Kind.CALL and node.text in self.probability and self.universe:
            event = node.args[0] if len(node.args) == 1 else None
            if event is not None and event.kind == Kind.GIVEN and _is_universe(event.args[1]):
                return self.form(Node(Kind.CALL, (event.args[0],), node.text))
            if event is not None and _is_universe(event):
                return _number(Fraction(1))  # P(Ω) = 1: padding
        if kind == Kind.ABS and self._column(node.args[0]):
            return Node(Kind.NORM, (self.form(node.args[0]),))
        if kind == Kind.CALL and node.text == "norm" and len(node.args) == 1:
            return Node(Kind.NORM, (self.form(node.args[0]),))
        if kind == Kind.MUL and node.text == "·" and len(node.args) == 2:
            left, right = node.args
            if self._column(left) and self._column(right):  # u·v
                return self._flat(Kind.MUL, self._dot(self.form(left), self.form(right)))
        if kind == Kind.CALL:
            name = {"ln": "log"}.get(node.text, node.text)
            args = tuple(self.form(arg) for arg in node.args)
            if name == "sqrt" and len(args) == 1:
                half = Node(Kind.DIV, (_number(Fraction(1)), _number(Fraction(2))))
                return self.form(Node(Kind.POW, (node.args[0], half)))
            if name == "exp" and len(args) == 1:
                return Node(Kind.POW, (Node(Kind.CONST, (), "e"), args[0]))
            if name == "dot" and len(args) == 2:
                args = tuple(sorted(args, key=key))
            return Node(Kind.CALL, args, name)
        if kind == Kind.MUL and node.text == "×" and not all(self.commutes(a) for a in node.args):
            # a cross product
            return Node(Kind.MUL, tuple(self.form(arg) for arg in node.args), "×")
        if kind in ASSOCIATIVE:
            return self._flat(kind, [self.form(arg) for arg in node.args])
        if kind == Kind.IFF:
            return Node(kind, tuple(sorted((self.form(a) for a in node.args), key=key)))
        if kind == Kind.REL:
            return self._relation(node)
        if kind in (Kind.SUM, Kind.PROD) and node.args[1].kind == Kind.NONE:
            node = self._bounded(node)
        if kind in BOUND_VARIABLE:
            return self._binder(node)
        if kind == Kind.SET:
            members = {key(m): m for m in (self.form(arg) for arg in node.args)}
            return Node(Kind.SET, tuple(members[k] for k in sorted(members)))
        return Node(kind, tuple(self.form(arg) for arg in node.args), _text(node))

    def _power(self, base: Node, exponent: Node) -> Node:
        """The canonical form of ``base^exponent``, both in canonical form."""
        if key(exponent) == "num:1":
            return base
        value = _exact(base)
        if key(exponent) == "num:-1" and (
            (value is not None and abs(value) == 1) or _one_to_a_power(base)
        ):
            return base  # a division by 1 (x/1, x·1⁻¹, x/(−1), x/1³) is a product with 1 (or −1)
        if self.padding and value == 1 and not _infinite(exponent):
            return base  # 1^k is 1
        if not self.padding:
            # nothing computed, but the inverse of a negative number is the negative of its
            # inverse, as the sign of a quotient may stand anywhere: x/(−2) is −x/2
            if key(exponent) == "num:-1" and value is not None and value < 0:
                inverse = Node(Kind.POW, (_number(-value), exponent))
                return self._flat(Kind.MUL, [_minus_one(), inverse])
            return Node(Kind.POW, (base, exponent))
        if key(exponent) == "num:0":
            return _number(Fraction(1))
        folded = _power_of_numbers(base, exponent)
        if folded is not None:
            return folded
        if key(exponent) == "num:-1" and base.kind == Kind.MUL and self.commutes(base):
            # 1/(2(x − 1)) is 2⁻¹ (x − 1)⁻¹
            inverses = [self._power(f, _minus_one()) for f in base.args]
            return self._flat(Kind.MUL, inverses)
        return Node(Kind.POW, (base, exponent))

    def _binder(self, node: Node) -> Node:
        """A sum, product, integral or limit with its bound variable renamed by depth, so that
        ∑_{i=1}^{n} x_i and ∑_{k=1}^{n} x_k have one form."""
        var = node.args[0]
        name = f"#{self._depth}"
        self._depth += 1
        try:
            body = _renamed(node.args[-1], var.text, name)
            args = (
                Node(Kind.NAME, (), name),
                *(self.form(arg) for arg in node.args[1:-1]),
                self.form(body),
            )
        finally:
            self._depth -= 1
        return Node(node.kind, args, _text(node))

    def _bounded(self, node: Node) -> Node:
        """A sum over an indexed family with its bounds written out."""
        var, _, _, body = node.args
        for sub in body.walk():
            if sub.kind == Kind.INDEX and sub.args[1] == var and sub.args[0].text in self.indexed:
                size = self.indexed[sub.args[0].text]
                top = Node(Kind.NUM, (), size) if size.isdigit() else Node(Kind.NAME, (), size)
                return Node(node.kind, (var, Node(Kind.NUM, (), "1"), top, body), node.text)
        return node

    def _relation(self, node: Node) -> Node:
        ops = node.text.split()
        args = [self.form(arg) for arg in node.args]
        if len(ops) == 1:
            op = ops[0]
            if op in FLIP:
                return Node(Kind.REL, (args[1], args[0]), FLIP[op])
            if op in SYMMETRIC_RELATIONS:
                return Node(Kind.REL, tuple(sorted(args, key=key)), op)
        if all(op in FLIP for op in ops):
            return Node(Kind.REL, tuple(reversed(args)), " ".join(FLIP[op] for op in reversed(ops)))
        return Node(Kind.REL, tuple(args), node.text)

    def _flat(self, kind: Kind, args: list[Node]) -> Node:
        flat: list[Node] = []
        for arg in args:
            if arg.kind == kind and arg.text != "×":
                flat.extend(arg.args)
            else:
                flat.append(arg)
        if kind == Kind.MUL:
            if self.vectors:
                flat = self._dots(flat)
            flat = self._product(flat)
        if kind == Kind.CUP:
            flat = [arg for arg in flat if key(arg) != "const:emptyset"] or flat[:1]
        if kind == Kind.CAP and self.universe:
            flat = [arg for arg in flat if not _is_universe(arg)] or flat[:1]
        if kind in (Kind.CUP, Kind.CAP) and len(flat) == 1:
            return flat[0]
        if kind == Kind.ADD:
            flat = self._sum(flat)
        if kind in (Kind.MUL, Kind.ADD) and len(flat) == 1:
            return flat[0]
        if kind != Kind.MUL:
            flat.sort(key=key)
        return Node(kind, tuple(flat))

    def _column(self, node: Node) -> bool:
        """Is ``node`` a column vector: a declared vector, a sum of them, a matrix times one?"""
        kind = node.kind
        if kind == Kind.NAME:
            return node.text in self.vectors
        if kind in (Kind.ADD, Kind.SUB):
            return all(self._column(arg) for arg in node.args)
        if kind == Kind.NEG:
            return self._column(node.args[0])
        if kind == Kind.MUL and len(node.args) >= 2:
            *front, last = node.args
            if node.text == "·" and len(front) == 1 and self._column(front[0]):
                return False  # u·v, a dot product
            if not self._column(last):
                return False
            return not any(self._column(f) or self._row(f) for f in front)
        return False

    def _row(self, node: Node) -> bool:
        return node.kind == Kind.TRANSPOSE and self._column(node.args[0])

    def _dot(self, left: Node, right: Node) -> list[Node]:
        """The factors of the dot product of two column vectors in canonical form, its numbers
        and scalars taken out: 2u·v, u·(2v), 2(uᵀv) and (2u)ᵀv are one form."""
        scalars: list[Node] = []
        sides = []
        for side in (left, right):
            if side.kind == Kind.MUL:
                scalars += [f for f in side.args if self.commutes(f)]
                rest = [f for f in side.args if not self.commutes(f)]
                side = rest[0] if len(rest) == 1 else Node(Kind.MUL, tuple(rest))
            sides.append(side)
        return [*scalars, Node(Kind.CALL, tuple(sorted(sides, key=key)), "dot")]

    def _dots(self, factors: list[Node]) -> list[Node]:
        """A row vector times the column vector that the rest of a product makes (uᵀv,
        yᵀA x) as their dot product."""
        for index, factor in enumerate(factors):
            rest = factors[index + 1 :]
            if not (self._row(factor) and rest):
                continue
            column = rest[0] if len(rest) == 1 else Node(Kind.MUL, tuple(rest))
            if self._column(column):  # yᵀ(A x): the rest of the product is one column
                return factors[:index] + self._dot(factor.args[0], column)
        return factors

    def _sum(self, terms: list[Node]) -> list[Node]:
        """Whole numbers and fractions added into one, a term and its negative both dropped,
        zero dropped."""
        constant = Fraction(0)
        kept: list[Node] = []
        for term in terms:
            value = _exact(term)
            if value is None:
                kept.append(term)
            else:
                constant += value
        if not self.padding:
            return [t for t in terms if key(t) != "num:0"] or [_number(Fraction(0))]
        out: list[Node] = []
        for term in kept:
            opposite = key(self._negated(term))
            match = next((k for k, seen in enumerate(out) if key(seen) == opposite), None)
            if match is None:
                out.append(term)
            else:
                del out[match]  # + a − a: padding
        if constant != 0:
            out.append(_number(constant))
        return out or [_number(Fraction(0))]

    def _negated(self, term: Node) -> Node:
        if term.kind == Kind.MUL and term.args and key(term.args[0]) == "num:-1":
            rest = list(term.args[1:])
            return rest[0] if len(rest) == 1 else Node(Kind.MUL, tuple(rest))
        return self._flat(Kind.MUL, [_minus_one(), term])

    def _product(self, factors: list[Node]) -> list[Node]:
        """Whole numbers and fractions multiplied into one number in front (a sign alone as
        -1), a commuting factor and its inverse both dropped, the identity matrix dropped,
        commuting factors sorted before the others, which keep their order."""
        if not self.padding:
            return self._plain_product(factors)
        value = Fraction(1)
        kept: list[Node] = []
        for factor in factors:
            number = _exact(factor)
            if number is not None:
                value *= number
                continue
            if self.identity and factor.kind == Kind.NAME and factor.text == "I":
                continue
            kept.append(factor)
        scalars = sorted((f for f in kept if self.commutes(f)), key=key)
        scalars = _cancel_inverses(scalars)
        ordered = [f for f in kept if not self.commutes(f)]
        result = scalars + ordered
        if value == 0:
            return [_number(Fraction(0))]
        if value != 1:
            result.insert(0, _number(value))
        return result or [_number(Fraction(1))]

    def _plain_product(self, factors: list[Node]) -> list[Node]:
        """Signs gathered in front, literal ones and the identity dropped, commuting factors
        sorted before the others, which keep their order; nothing computed."""
        negative = False
        kept: list[Node] = []
        for factor in factors:
            number = _exact(factor)
            if number is not None:
                negative ^= number < 0
                if abs(number) == 1:
                    continue
                factor = _number(abs(number))
            elif self.identity and factor.kind == Kind.NAME and factor.text == "I":
                continue
            elif _one_to_a_power(factor):
                continue  # a factor 1^k is a factor 1; a term 1^2 is arithmetic still to do
            kept.append(factor)
        scalars = sorted((f for f in kept if self.commutes(f)), key=key)
        result = scalars + [f for f in kept if not self.commutes(f)]
        if negative:
            result.insert(0, _minus_one())
        return result or [_number(Fraction(1))]

    def contains(self, node: Node, pattern: Node) -> bool:
        """Does ``pattern`` occur in ``node``: as a subtree, or as some of the operands of a
        flattened sum, union, intersection or product of commuting factors?"""
        return self.contains_form(self.form(node), self.form(pattern))

    def contains_form(self, node: Node, pattern: Node) -> bool:
        wanted = key(pattern)
        for sub in node.walk():
            if key(sub) == wanted:
                return True
            if sub.kind == pattern.kind and sub.kind in ASSOCIATIVE and len(pattern.args) > 1:
                have = Counter(key(arg) for arg in sub.args)
                need = Counter(key(arg) for arg in pattern.args)
                commuting = sub.kind != Kind.MUL or all(self.commutes(arg) for arg in pattern.args)
                if commuting and not need - have:
                    return True
        return False


BOUND_VARIABLE = (Kind.SUM, Kind.PROD, Kind.INTEGRAL, Kind.LIM)


def _renamed(node: Node, old: str, new: str) -> Node:
    """``node`` with the free occurrences of the name ``old`` renamed ``new``."""
    if node.kind == Kind.NAME:
        return Node(Kind.NAME, (), new) if node.text == old else node
    if node.kind in BOUND_VARIABLE and node.args[0].text == old:
        # the name is bound again inside: only the bounds see the outer one
        inner = tuple(_renamed(arg, old, new) for arg in node.args[1:-1])
        return Node(node.kind, (node.args[0], *inner, node.args[-1]), node.text, node.col)
    return Node(node.kind, tuple(_renamed(a, old, new) for a in node.args), node.text, node.col)


MAX_FOLDED_DIGITS = 40  # a folded power stays a power beyond this size (2^1000)


def _exact(node: Node) -> Fraction | None:
    """The value of a number node in canonical form (not a decimal), else None."""
    if node.kind == Kind.NUM and not node.text.endswith("."):
        return Fraction(node.text)
    return None


def _power_of_numbers(base: Node, exponent: Node) -> Node | None:
    """``2^3`` as 8 and ``2^(-1)`` as 1/2, when small; None otherwise."""
    value, power = _exact(base), _exact(exponent)
    if value is None or power is None or power.denominator != 1 or value == 0:
        return None
    size = abs(power.numerator) * max(len(str(value.numerator)), len(str(value.denominator)))
    if size > MAX_FOLDED_DIGITS:
        return None
    return _number(value**power.numerator)


def _cancel_inverses(factors: list[Node]) -> list[Node]:
    """Commuting factors without the pairs f, f^(-1)."""
    out: list[Node] = []
    for factor in factors:
        inverses = {key(Node(Kind.POW, (factor, _minus_one())))}
        if factor.kind == Kind.POW:
            base, exponent = factor.args
            if key(exponent) == "num:-1":
                inverses.add(key(base))
            inverses.add(key(Node(Kind.POW, (base, _negative(exponent)))))
        match = next((k for k, seen in enumerate(out) if key(seen) in inverses), None)
        if match is None:
            out.append(factor)
        else:
            del out[match]
    return out


def _negative(node: Node) -> Node:
    """The canonical form of −node, for a node already in canonical form."""
    value = _exact(node)
    if value is not None:
        return _number(-value)
    if node.kind == Kind.MUL and node.args and _exact(node.args[0]) is not None:
        head = -Fraction(node.args[0].text)
        rest = list(node.args[1:])
        if head == 1:
            return rest[0] if len(rest) == 1 else Node(Kind.MUL, tuple(rest))
        return Node(Kind.MUL, (_number(head), *rest))
    return Node(Kind.MUL, (_minus_one(), node))


def _is_universe(node: Node) -> bool:
    return node.kind == Kind.NAME and node.text == "Omega"


def _one_to_a_power(node: Node) -> bool:
    """Is ``node`` (in canonical form) 1^k, or (1^k)^m, for exponents without ∞?"""
    if node.kind != Kind.POW or _infinite(node.args[1]):
        return False
    base = node.args[0]
    return _exact(base) == 1 or _one_to_a_power(base)


def _infinite(node: Node) -> bool:
    """Does ``node`` contain ∞? 1^∞ is not a number, let alone 1."""
    return any(sub.kind == Kind.CONST and sub.text == "oo" for sub in node.walk())


def _whole(node: Node) -> bool:
    return node.kind == Kind.NUM and node.text.isdigit()


def _text(node: Node) -> str:
    """The node's text where it carries meaning (names of functions, relations, brackets of
    intervals), not where it is only spelling (the sign used for a product)."""
    return "" if node.kind == Kind.MUL else node.text
