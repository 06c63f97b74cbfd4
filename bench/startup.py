"""Cold start of the terminal UI: from launching `tutor` until today's card is on screen.

    python bench/startup.py [--repeat 7] [--cards 10000] [--reviews 100000]

Each run is a new `tutor` process in a pseudo-terminal of 80x24, as a learner starts it; the
clock stops when the card's confusion timer is drawn (the bytes "Confusion timer" reach the
terminal), and the process is then asked to quit with ctrl+q. Measured twice: with the shipped
decks, and with 10,000 cards in 100 deck files and a history of reviews (`bench/scale.py` builds
them). Before measuring, one plain session opens today's card and quits, so the database exists,
is synced, and the card resumes (the first launch's welcome is not part of the figure).

Prints the first, best and median seconds (target: ≤ 0.8 s), and the memory in use when the
card is on screen: the tutor process's resident set and peak, and the checker's server (sympy
preloaded, in its own process).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

MARK = b"Confusion timer"
TUTOR = Path(sys.executable).parent / "tutor"


def launch(
    env: dict[str, str], flags: list[str], timeout: float = 30.0
) -> tuple[float, dict[str, int]]:
    """Seconds until the card is on screen, and the memory then (kB)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a learner's terminal
        os.execve(str(TUTOR), [str(TUTOR), *flags], env)
    start = time.perf_counter()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    elapsed = None
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen = (seen + chunk)[-200_000:]
        if MARK in seen:
            elapsed = time.perf_counter() - start
            break
    memory = read_memory(pid)
    os.write(fd, b"\x11")  # ctrl+q: save and quit
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        with_data, _, _ = select.select([fd], [], [], 0.1)
        if with_data:
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    if elapsed is None:
        tail = seen[-800:].decode("utf-8", "replace")
        raise SystemExit(f"the card never appeared within {timeout:g} s; the screen ended:\n{tail}")
    return elapsed, memory


def read_memory(pid: int) -> dict[str, int]:
    def status(of: int) -> dict[str, int]:
        values = {}
        try:
            for line in Path(f"/proc/{of}/status").read_text().splitlines():
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
        except OSError:
            pass
        return values

    own = status(pid)
    children = 0
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            children += status(int(child)).get("VmRSS", 0)
    return {"rss": own.get("VmRSS", 0), "peak": own.get("VmHWM", 0), "children": children}


def prepare(home: Path, flags: list[str], db: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
    env.update({"TUTOR_HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"})
    if db:
        env["TUTOR_DB"] = db
    args = [str(TUTOR), *flags, "study", "--plain"]
    subprocess.run(args, input=":quit\n", text=True, env=env, check=True, capture_output=True)
    return env


def measure(name: str, env: dict[str, str], flags: list[str], repeat: int) -> None:
    times: list[float] = []
    memory: dict[str, int] = {}
    for _ in range(repeat):
        seconds, memory = launch(env, flags)
        times.append(seconds)
    print(
        f"{name}: first {times[0]:.3f} s, best {min(times):.3f} s, "
        f"median {statistics.median(times):.3f} s  (target ≤ 0.8 s; {repeat} runs)"
    )
    print(
        f"  memory with the card on screen: tutor {memory['rss'] / 1024:.0f} MB resident "
        f"(peak {memory['peak'] / 1024:.0f} MB), checker server {memory['children'] / 1024:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = prepare(root / "shipped", [])
        measure("shipped decks", env, [], args.repeat)

        from scale import build

        print(f"building {args.cards} cards and {args.reviews} reviews…", flush=True)
        _, url, folder = build(root / "big", args.cards, args.reviews)
        flags = ["--decks", str(folder)]
        env = prepare(root / "big-home", flags, url)
        measure(f"{args.cards} cards", env, flags, args.repeat)


if __name__ == "__main__":
    main()
