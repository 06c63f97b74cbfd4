"""Reading one card to show it (#15): from its span (the file's head and the card's own bytes,
`tutor.deck.parser.read_card`) against its whole deck file (`read_deck_file`, what the desk did
before spans were stored), on the shipped decks and on bench/scale.py's 100-card files.

    python bench/card_span.py [--repeat 5] [--sample 200]

For every card of the shipped decks (proofs are always read whole: their steps show the steps
before them), and for `--sample` cards spread over scale.py's 10,000 (100 files of 100), prints
the median over the cards of each card's best of `--repeat` reads, both ways, and the ratio.
Each span read is checked to give the whole file's card.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tutor.deck.model import Card
from tutor.deck.parser import read_card, read_deck_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import write_decks  # bench/scale.py, beside this file

ROOT = Path(__file__).resolve().parents[1]


def best(action: Callable[[], object], repeat: int) -> float:
    """The best wall time of `action` over `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def cards_of(files: list[Path]) -> list[tuple[Path, Card, int]]:
    """The cards of the decks (not proofs) of `files`, with their files and their decks' sizes."""
    found = []
    for path in files:
        deck, _ = read_deck_file(path)
        if deck is not None and not deck.is_proof:
            found += [(path, card, len(deck.cards)) for card in deck.cards if card.span]
    return found


def measure(name: str, cards: list[tuple[Path, Card, int]], repeat: int) -> None:
    spans, wholes = [], []
    for path, card, _ in cards:
        span, position = card.span, card.position
        assert span is not None
        deck, _ = read_card(path, span, position)
        assert deck is not None and deck.cards == [card], card.id
        spans.append(best(lambda: read_card(path, span, position), repeat))  # noqa: B023
        wholes.append(best(lambda: read_deck_file(path), repeat))  # noqa: B023
    files = {path for path, _, _ in cards}
    per_file = statistics.median(size for _, _, size in cards)
    size = statistics.median(path.stat().st_size for path in files) / 1e3
    by_span, whole = statistics.median(spans) * 1e3, statistics.median(wholes) * 1e3
    print(
        f"{name}: {len(cards)} cards of {len(files)} files (median {per_file:.0f} cards, "
        f"{size:.0f} kB a file)\n"
        f"  one card, whole file {whole:7.2f} ms   by span {by_span:6.2f} ms   "
        f"{whole / by_span:5.1f}x faster"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()
    shipped = sorted((ROOT / "decks").glob("*.md"))
    measure("shipped decks", cards_of(shipped), args.repeat)
    with tempfile.TemporaryDirectory(prefix="tutor-bench-") as folder:
        decks = Path(folder)
        write_decks(decks, 10_000)
        files = sorted(decks.glob("*.md"))
        every = cards_of(files)
        sample = random.Random(7).sample(every, min(args.sample, len(every)))
        measure("bench/scale.py decks", sample, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
