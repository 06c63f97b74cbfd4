"""Property tests: printing and parsing round-trip; random text never crashes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.check import CheckSpec, Verdict, judge
from tutor.check.nodes import Kind, Node
from tutor.check.parser import parse
from tutor.check.printer import to_text
from tutor.check.tokens import scientific

scientific_numbers = st.builds(
    lambda mantissa, decimals, exponent: Node(
        Kind.NUM, (), scientific(f"{mantissa}.{decimals}" if decimals else str(mantissa), exponent)
    ),
    st.integers(1, 9),
    st.sampled_from(["", "5", "25", "125"]),
    st.integers(-40, 40),
)
leaves = st.one_of(
    st.integers(0, 999).map(lambda n: Node(Kind.NUM, (), str(n))),
    scientific_numbers,
    st.sampled_from(["x", "y", "n", "alpha"]).map(lambda s: Node(Kind.NAME, (), s)),
    st.sampled_from(["pi", "e"]).map(lambda s: Node(Kind.CONST, (), s)),
)


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.tuples(
            st.sampled_from([Kind.ADD, Kind.SUB, Kind.DIV, Kind.POW]), children, children
        ).map(lambda t: Node(t[0], (t[1], t[2]))),
        st.tuples(st.sampled_from(["", "·"]), children, children).map(
            lambda t: Node(Kind.MUL, (t[1], t[2]), t[0])
        ),
        children.map(lambda c: Node(Kind.NEG, (c,))),
        children.map(lambda c: Node(Kind.ABS, (c,))),
        st.tuples(st.sampled_from(["sin", "cos", "sqrt", "exp", "log"]), children).map(
            lambda t: Node(Kind.CALL, (t[1],), t[0])
        ),
    )


expressions = st.recursive(leaves, _extend, max_leaves=12)


def _normal(node: Node) -> Node:
    """Implicit and explicit products mean the same; only the spelling differs."""
    text = "·" if node.kind == Kind.MUL else node.text
    return Node(node.kind, tuple(_normal(a) for a in node.args), text)


@settings(max_examples=300, deadline=None)
@given(expressions)
def test_printed_form_parses_back(node: Node) -> None:
    assert _normal(parse(to_text(node))) == _normal(node)


@settings(max_examples=100, deadline=None)
@given(expressions)
def test_parsed_nodes_carry_kind_members(node: Node) -> None:
    assert all(type(sub.kind) is Kind for sub in parse(to_text(node)).walk())


def test_a_node_repr_spells_its_kind_as_a_plain_string() -> None:
    """Sampling seeds are drawn from repr(node): a typed kind must not change them."""
    node = Node(Kind.POW, (Node(Kind.NAME, (), "x"), Node(Kind.NUM, (), "2")))
    assert repr(node) == (
        "Node(kind='^', args=(Node(kind='name', args=(), text='x', col=0), "
        "Node(kind='num', args=(), text='2', col=0)), text='', col=0)"
    )


SPEC = CheckSpec(expect="x^2 + 1")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_random_text_gives_a_verdict(text: str) -> None:
    verdict = judge(SPEC, text)
    assert isinstance(verdict, Verdict)
    assert verdict.verdict in ("correct", "incorrect", "invalid", "undecided")
    if verdict.verdict == "correct":
        assert parse(text) is not None


alphabet = st.sampled_from(
    [
        *"xyn0123456789+-*/^()[]{}|!,.=<> \\_",
        "sin",
        "\\frac",
        "\\sqrt",
        "\\sum",
        "\\int",
        "dx",
        "‖",
        "√",
        "²",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(alphabet, max_size=25).map("".join))
def test_random_math_text_gives_a_verdict(text: str) -> None:
    verdict = judge(SPEC, text)
    assert verdict.verdict in ("correct", "incorrect", "invalid", "undecided")


# -- an answer of the same form as a reject line is never correct ------------------------

terms = st.recursive(
    st.sampled_from(["a", "b", "c", "2", "x"]).map(
        lambda s: Node(Kind.NUM, (), s) if s.isdigit() else Node(Kind.NAME, (), s)
    ),
    lambda children: st.tuples(st.sampled_from([Kind.ADD, Kind.MUL]), children, children).map(
        lambda t: Node(t[0], (t[1], t[2]), "·" if t[0] == Kind.MUL else "")
    ),
    max_leaves=8,
)


def _commuted(node: Node, flips: list[bool]) -> Node:
    """The same sum or product with operands swapped where ``flips`` says so."""
    if node.kind not in (Kind.ADD, Kind.MUL):
        return node
    left, right = (_commuted(arg, flips) for arg in node.args)
    flip = flips.pop() if flips else True
    return Node(node.kind, (right, left) if flip else (left, right), node.text)


@settings(max_examples=150, deadline=None)
@given(terms, st.lists(st.booleans(), min_size=8, max_size=8))
def test_an_answer_matching_a_reject_up_to_commutativity_is_never_correct(
    node: Node, flips: list[bool]
) -> None:
    restated = to_text(node)
    spec = CheckSpec(expect=f"({restated}) + 0", reject=(restated,))
    assert judge(spec, to_text(_commuted(node, flips))).verdict != "correct"
    assert judge(spec, restated).verdict != "correct"
