"""One card as terminal text: what `tutor deck show ID` prints."""

from __future__ import annotations

from collections.abc import Callable

from tutor.check.clean import strip_controls
from tutor.deck.duration import format_duration
from tutor.deck.inputs import describe_inputs, stated_card, stated_deck
from tutor.deck.model import Card, Collection, Deck
from tutor.deck.text import inline_to_text as _inline
from tutor.deck.text import markdown_to_text as _markdown

Style = Callable[[str], str]


def _plain(text: str) -> str:
    return text


# Everything taken from a deck is cleaned of terminal controls before it is laid out; only the
# caller's heading style adds escape sequences, around text already clean.
def inline_to_text(text: str) -> str:
    return strip_controls(_inline(text))


def markdown_to_text(text: str) -> str:
    return strip_controls(_markdown(text))


def indent(text: str, pad: str = "  ") -> str:
    """Every non-empty line of `text` prefixed with `pad`."""
    return "\n".join(pad + line if line else line for line in text.split("\n"))


def render_card(card: Card, deck: Deck, collection: Collection, heading: Style = _plain) -> str:
    """Everything a mentor wants to see of one card: prompt, hints, answer, key ideas, check.
    A card with drawn numbers is shown with its stated values, its check block as written."""
    written, card, deck = card, stated_card(card), stated_deck(deck)
    out: list[str] = []
    title = inline_to_text(card.title)
    where = f"{inline_to_text(deck.title)} › {title}"
    out.append(heading(where))
    meta = [card.kind, card.id, f"{card.path}:{card.line}"]
    out.append(strip_controls("  ".join(meta)))
    if card.requires:
        out.append(strip_controls("requires: " + ", ".join(card.requires)))
    timer = card.timer if card.timer is not None else deck.timer
    review = card.review_timer if card.review_timer is not None else deck.review_timer
    timers = []
    if timer is not None:
        timers.append(f"timer {format_duration(timer)}")
    if review is not None:
        timers.append(f"review timer {format_duration(review)}")
    if timers:
        out.append(", ".join(timers))
    drawn = describe_inputs(written)
    if drawn:
        out.append(strip_controls(f"drawn at each review: {drawn} (shown: the stated values)"))
    if deck.is_proof:
        if deck.intro is not None:
            out += ["", heading("Statement"), indent(markdown_to_text(deck.intro.source))]
        earlier = deck.cards[: card.position]
        if earlier:
            out += ["", heading("Established so far")]
            for step in earlier:
                out.append(indent(f"{step.position + 1}. {inline_to_text(step.title)}"))
                if step.answer is not None:
                    out.append(indent(markdown_to_text(step.answer.source), "     "))
        out += ["", heading(f"Step {card.position + 1} of {len(deck.cards)}")]
    else:
        out.append("")
    out.append(indent(markdown_to_text(card.prompt.source)))
    if card.hints:
        out += ["", heading("Hints")]
        out += [indent(f"{n}. {markdown_to_text(h.source)}") for n, h in enumerate(card.hints, 1)]
    if card.answer is not None:
        out += ["", heading("Answer"), indent(markdown_to_text(card.answer.source))]
    if card.key_ideas:
        out += ["", heading("Key ideas")]
        out += [indent(f"• {markdown_to_text(k.source)}") for k in card.key_ideas]
    if card.check is not None:
        out += ["", heading("Checked by machine")]
        lines = written.check.lines if written.check is not None else card.check.lines
        out += [indent(strip_controls(f"{line.key}: {line.value}")) for line in lines]
    if card.why is not None:
        out += ["", heading("Why it matters"), indent(markdown_to_text(card.why.source))]
    return "\n".join(out)


def render_deck_list(collection: Collection) -> str:
    rows = []
    for deck in collection.decks:
        checked = sum(1 for c in deck.cards if c.checkable)
        assessed = sum(1 for c in deck.cards if c.self_assessed)
        noun = "step" if deck.is_proof else "card"
        count = len(deck.cards)
        label = strip_controls(f"{deck.id}{' (proof)' if deck.is_proof else ''}")
        rows.append(
            (
                label,
                inline_to_text(deck.title),
                f"{count} {noun}{'' if count == 1 else 's'}: {checked} machine-checked, "
                f"{assessed} self-assessed",
            )
        )
    if not rows:
        return "no decks"
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    return "\n".join(f"{a:<{width[0]}}  {b:<{width[1]}}  {c}" for a, b, c in rows)
