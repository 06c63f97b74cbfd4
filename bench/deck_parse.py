"""Parse-and-lint time for a generated collection of 1,000 cards (target: ≤ 0.5 s).

    python bench/deck_parse.py [--cards 1000] [--files 10] [--repeat 5]

Prints the best and median in-process time of `load_collection` (read, parse, the structural
lint), the wall time of `tutor deck check --json --no-checker` on the same folder, start-up
included, and the cost per check block of the linter's checker rules (sandboxed judgements of
every accept, reject and mistake example), measured on the first `--checked` blocks.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKED = """## Sum number {n}
id: card-{n}
kind: theorem
requires: {requires}
timer: 10m

What is $\\sum_{{k=1}}^{{n}} k$ for card {n}? Reconstruct it, then say why it holds.

### Answer
$$\\frac{{n(n+1)}}{{2}}$$

```check
expect: n(n+1)/2
natural: n
accept: (n^2+n)/2
accept: n^2/2 + n/2
reject: n(n-1)/2
reject: n^2/2
mistake: n(n-1)/2 => That sums 0 to n-1.
```

### Hints
1. Pair the first term with the last.
2. Each pair sums to $n+1$.
3. There are $n/2$ pairs.

### Why it matters
Counting the pairs of tokens that attention compares is this sum.

"""

ASSESSED = """## Definition number {n}
id: card-{n}
kind: definition
requires: {requires}

Let $\\Omega$ be a set. When is a collection $\\mathcal{{F}}$ of subsets a σ-algebra?

### Answer
$\\Omega \\in \\mathcal{{F}}$, closed under complements and countable unions.

### Key ideas
- $\\Omega$ itself belongs to $\\mathcal{{F}}$
- closed under complements
- closed under countable unions

### Hints
1. Which operations on events should give an event again?
2. Finite unions are not enough to take limits.

"""


def generate(folder: Path, cards: int, files: int) -> None:
    per_file = -(-cards // files)
    for f in range(files):
        parts = [f"---\nid: bench-{f}\ntitle: Bench deck {f}\ntimer: 20m\n---\n\n# Bench {f}\n\n"]
        for n in range(f * per_file, min(cards, (f + 1) * per_file)):
            requires = f"card-{n - 1}" if n else ""
            template = ASSESSED if n % 10 >= 7 else CHECKED
            parts.append(template.format(n=n, requires=requires).replace("requires: \n", ""))
        (folder / f"bench-{f}.md").write_text("".join(parts), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--checked", type=int, default=40)
    args = parser.parse_args()

    from tutor.deck.loader import load_collection

    folder = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    try:
        generate(folder, args.cards, args.files)
        size = sum(p.stat().st_size for p in folder.iterdir())
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            collection = load_collection([folder])
            times.append(time.perf_counter() - start)
        assert len(collection.cards) == args.cards, len(collection.cards)
        assert not collection.errors, collection.errors[:3]
        tutor = shutil.which("tutor") or str(Path(sys.executable).parent / "tutor")
        start = time.perf_counter()
        done = subprocess.run(
            [tutor, "deck", "check", "--json", "--no-checker", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        report = json.loads(done.stdout)
        print(f"collection: {args.cards} cards in {args.files} files, {size / 1e3:.0f} kB")
        print(
            f"parse+lint in process: best {min(times):.3f} s, median "
            f"{statistics.median(times):.3f} s over {args.repeat} runs (target <= 0.5 s)"
        )
        print(
            f"tutor deck check --json --no-checker, wall incl. start-up: {wall:.3f} s "
            f"(exit {done.returncode}, {report['cards']} cards, {len(report['errors'])} errors)"
        )
        from tutor.deck.checks import lint_checks

        sample = [c for c in collection.cards if c.check is not None][: args.checked]
        start = time.perf_counter()
        problems = lint_checks(sample)
        spent = time.perf_counter() - start
        print(
            f"checker rules: {len(sample)} check blocks (5 examples each) in {spent:.2f} s, "
            f"{1000 * spent / max(1, len(sample)):.0f} ms a block incl. sandbox start-up, "
            f"{len(problems)} problems"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
