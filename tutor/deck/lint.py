"""Rules across the whole collection: unique ids, known prerequisites, no cycles.

Rules about a single card live in the parser, which reports them as it reads; the rules that
need the checker (readable `expect`, `accept`/`reject` examples) arrive with the checker.
"""

from __future__ import annotations

from collections.abc import Iterable

from tutor.deck.model import Card, Deck, Problem


def lint_collection(decks: list[Deck], known_elsewhere: Iterable[str] = ()) -> list[Problem]:
    """Problems across `decks`; `known_elsewhere` are card ids that exist outside them."""
    problems: list[Problem] = []
    problems += _duplicate_ids(decks)
    cards: dict[str, Card] = {}
    for deck in decks:
        for card in deck.cards:
            cards.setdefault(card.id, card)  # a duplicate id stays with its first card
    known = set(cards) | set(known_elsewhere)
    for deck in decks:
        steps = {card.id for card in deck.cards}
        # a proof's `requires` is its first step's (deck-format.md); a deck's is ignored, as
        # the parser warns, and not checked
        for req in deck.requires if deck.is_proof else ():
            if req in steps:  # its first step would wait for itself: never studied
                message = f"proof '{deck.id}' requires its own step '{req}'"
            elif req not in known:
                message = f"proof '{deck.id}' requires unknown card '{req}'"
            else:
                continue
            problems.append(Problem(deck.path, deck.requires_line or deck.line, message))
        for card in deck.cards:
            line = card.requires_line or card.line
            for req in card.requires:
                if req in deck.requires and deck.is_proof and card.position == 0:
                    continue  # reported once, on the front matter
                if req == card.id:
                    message = f"card '{card.id}' requires itself"
                elif req not in known:
                    message = f"card '{card.id}' requires unknown card '{req}'"
                else:
                    continue
                problems.append(Problem(card.path, line, message))
    problems += _cycles(cards)
    return problems


def _duplicate_ids(decks: list[Deck]) -> list[Problem]:
    problems: list[Problem] = []
    first_card: dict[str, Card] = {}
    first_deck: dict[str, Deck] = {}
    for deck in decks:
        if deck.id in first_deck:
            other = first_deck[deck.id]
            problems.append(
                Problem(
                    deck.path,
                    deck.line,
                    f"duplicate deck id '{deck.id}' (also {other.path}:{other.line})",
                )
            )
        else:
            first_deck[deck.id] = deck
        for card in deck.cards:
            if card.id in first_card:
                other_card = first_card[card.id]
                problems.append(
                    Problem(
                        card.path,
                        card.line,
                        f"duplicate card id '{card.id}' "
                        f"(first at {other_card.path}:{other_card.line})",
                    )
                )
            else:
                first_card[card.id] = card
    return problems


def _cycles(cards: dict[str, Card]) -> list[Problem]:
    """One problem per cycle of prerequisites (Tarjan's strongly connected components)."""
    graph = {
        cid: [r for r in card.requires if r in cards and r != cid] for cid, card in cards.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if child < len(edges):
                work.append((node, child + 1))
                nxt = edges[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    order = {cid: n for n, cid in enumerate(cards)}
    problems = []
    for component in components:
        members = set(component)
        start = min(component, key=order.__getitem__)
        path = _cycle_path(start, graph, members)
        card = cards[start]
        problems.append(
            Problem(
                card.path,
                card.requires_line or card.line,
                "prerequisites form a cycle: " + " → ".join(path),
            )
        )
    return problems


def _cycle_path(start: str, graph: dict[str, list[str]], members: set[str]) -> list[str]:
    """A shortest path start → … → start inside one strongly connected component."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in graph[node]:
                if nxt not in members:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    return [start, start]
