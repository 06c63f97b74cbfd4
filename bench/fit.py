"""The fitted scheduler on synthetic learners with known FSRS-6 parameters (targets: the fit beats
the defaults on a learner whose memory differs from them; 100,000 reviews fit in under 2 s).

    python bench/fit.py [--reviews 2000 10000] [--seeds 3] [--threshold]

Each learner's log is what the tutor's default schedule gives it, the recall of every review
drawn from the learner's own, true parameters (`tutor.study.synthetic`). Printed:

- held-out log loss: the last 20% of each log predicted by the defaults, by parameters fitted
  on the reviews before them (`tutor.study.fit`), and by the learner's true parameters; and
  whether the tutor keeps the fit (only when it beats the defaults there);
- fit time at 1k, 10k and 100k reviews: one fit of the whole log; what `tutor optimize` runs,
  `fit` (a fit on the older 80%, the judging, and when kept a fit of everything); and recomputing
  every card's memory state with the parameters kept;
- with --threshold: for logs of 400 to 2,000 reviews, how often the fit is kept, and how often a
  kept fit then predicts the learner's next 2,000 reviews worse than the defaults would (what
  `MIN_REVIEWS` rests on).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Iterator

from tutor.study.fit import HOLDOUT, MIN_REVIEWS, NotEnoughReviews, fit, log_loss, memory_states
from tutor.study.schedule import default_parameters
from tutor.study.synthetic import LEARNERS, simulate


def heldout_losses(reviews: list[int], seeds: int) -> None:
    print(f"held-out log loss, last {HOLDOUT:.0%} of the log (lower is better)")
    print(
        f"{'learner':<18} {'reviews':>7} {'seed':>4} {'predicted':>9} {'defaults':>9} "
        f"{'fitted':>9} {'true':>9} {'fit − def':>9}  kept"
    )
    defaults = default_parameters()
    for name, true in LEARNERS.items():
        for count in reviews:
            for seed in range(1, seeds + 1):
                log = simulate(true, reviews=count, seed=seed)
                result = fit(log)
                since = count - round(count * HOLDOUT)
                true_loss = log_loss(true, log, since=since)
                assert abs(log_loss(defaults, log, since=since) - result.default_loss) < 1e-6
                print(
                    f"{name:<18} {count:>7,} {seed:>4} {result.heldout:>9,} "
                    f"{result.default_loss:>9.4f} {result.fitted_loss:>9.4f} {true_loss:>9.4f} "
                    f"{result.fitted_loss - result.default_loss:>+9.4f}  "
                    f"{'yes' if result.better else 'no (defaults kept)'}"
                )
    print()


def fit_times(counts: list[int], repeat: int) -> None:
    from fsrs_rs_python import FSRS

    from tutor.study.fit import _items, _predictions

    print(f"fit time, best of {repeat} runs: wall clock (processor time of this process)")
    print(
        f"{'reviews':>8} {'one fit, all reviews':>22} {'tutor optimize: fit()':>22} "
        f"{'memory states':>18}"
    )
    true = LEARNERS["forgets fast"]
    for count in counts:
        log = simulate(true, reviews=count, seed=1)
        singles, fits, states = [], [], []
        for _ in range(repeat):
            with _timed(singles):
                items = _items(_predictions(sorted(log, key=lambda r: r.at)))
                FSRS(list(default_parameters())).compute_parameters(items)
            with _timed(fits):
                result = fit(log)
            with _timed(states):
                memory_states(result.parameters, log)
        print(
            f"{count:>8,} {_best(singles):>22} {_best(fits):>22} {_best(states):>18}"
            f"   (fit kept: {'yes' if result.better else 'no'})"
        )
    print()


@contextlib.contextmanager
def _timed(into: list[tuple[float, float]]) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    into.append((time.perf_counter() - wall, time.process_time() - cpu))


def _best(times: list[tuple[float, float]]) -> str:
    wall, cpu = min(times)
    return f"{wall:.3f} s ({cpu:.3f} s)"


def threshold(counts: list[int], seeds: int, ahead: int) -> None:
    print(
        f"the threshold: {seeds} logs a learner and size; a kept fit judged on the learner's next "
        f"{ahead:,} reviews (MIN_REVIEWS = {MIN_REVIEWS:,})"
    )
    print(
        f"{'learner':<18} {'reviews':>7} {'kept':>6} {'kept, worse':>11} "
        f"{'mean gain when kept':>20} {'worst':>8}"
    )
    defaults = default_parameters()
    for name, true in LEARNERS.items():
        for count in counts:
            kept = worse = 0
            gains: list[float] = []
            for seed in range(1, seeds + 1):
                # the same learner's log, continued: its first `count` reviews are the log
                whole = simulate(true, reviews=count + ahead, seed=seed)
                try:
                    result = fit(whole[:count], min_reviews=0)
                except NotEnoughReviews:
                    continue
                if not result.better:
                    continue
                kept += 1
                gain = log_loss(defaults, whole, since=count) - log_loss(
                    result.parameters, whole, since=count
                )
                gains.append(gain)
                worse += gain < 0
            mean = f"{statistics.mean(gains):+.4f}" if gains else "–"
            low = f"{min(gains):+.4f}" if gains else "–"
            print(f"{name:<18} {count:>7,} {kept:>3}/{seeds:<2} {worse:>11} {mean:>20} {low:>8}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--times", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threshold", action="store_true", help="also the MIN_REVIEWS table")
    args = parser.parse_args()
    heldout_losses(args.reviews, args.seeds)
    fit_times(args.times, args.repeat)
    if args.threshold:
        threshold([400, 700, 1_000, 1_500, 2_000], seeds=20, ahead=2_000)


if __name__ == "__main__":
    main()
