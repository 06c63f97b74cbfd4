"""Hostile input through the sandbox: each answered within the limit plus one second."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.check import CheckSpec
from tutor.check.sandbox import Checker

LIMIT = 2.0
HOSTILE = [
    "__import__('os').system('x')",
    "exec('import os')",
    "x.__class__.__bases__",
    "lambda: 1",
    "10^10^10^10",
    "(x+1)^100000",
    "9999999999!",
    "(" * 300 + "x" + ")" * 300,
    "x" * 200_000,
    "\x1b[2J\x1b[31mx",
    r"\input{/etc/passwd}",
    r"\def\x{1} \x",
    "2^(2^(2^(2^5)))",
    r"\sum_{i=1}^{10^9} i",
    "binomial(10^6, 5*10^5)",
]


@pytest.fixture(scope="module")
def checker() -> Iterator[Checker]:
    with Checker(timeout=LIMIT) as c:
        yield c


@pytest.mark.parametrize("answer", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_answer_is_refused_in_time(checker: Checker, answer: str) -> None:
    start = time.monotonic()
    verdict = checker.judge(CheckSpec(expect="x"), answer)
    assert time.monotonic() - start < LIMIT + 1
    assert verdict.verdict in ("invalid", "incorrect", "undecided")
    assert "\x1b" not in verdict.feedback + verdict.read_as


def test_overrun_is_killed_and_undecided() -> None:
    # A limit far below the cost of one check forces the kill-and-replace path.
    with Checker(timeout=0.0005) as c:
        spec = CheckSpec(expect=r"\sum_{i=1}^{n} i^2", natural=("n",))
        verdict = c.judge(spec, "n(n+1)(2n+1)/6")
        assert verdict.verdict == "undecided"
        assert c.judge(spec, "n").verdict in ("undecided", "incorrect")


def test_warm_checks_are_fast_and_correct(checker: Checker) -> None:
    spec = CheckSpec(expect="n(n+1)/2", natural=("n",))
    assert checker.judge(spec, "(n^2+n)/2").verdict == "correct"
    assert checker.judge(spec, "n(n-1)/2").verdict == "incorrect"


def test_closed_checker_refuses() -> None:
    c = Checker(timeout=LIMIT)
    c.close()
    with pytest.raises(RuntimeError):
        c.judge(CheckSpec(expect="x"), "x")


def test_hostile_answers_have_no_side_effect(checker: Checker, tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    attempts = [
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w').write('x')",
        f"__builtins__.__dict__['exec'](\"open('{target}','w')\")",
        rf"\input{{{target}}} \write18{{touch {target}}}",
    ]
    for answer in attempts:
        assert checker.judge(CheckSpec(expect="x"), answer).verdict != "correct"
    assert not target.exists()


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A temporary folder with a short path (a test's own may be too long for a socket)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="pt-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_killed_tutors_temporary_folder_is_removed_by_the_next(short_tmp: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import tempfile

    from tutor.check.sandbox import TEMP_PREFIX

    tmp_path = short_tmp
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    code = (
        "import sys; from tutor.check.sandbox import Checker\n"
        "with Checker() as c:\n"
        "    print('ready', flush=True); sys.stdin.readline()\n"
    )
    first = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert first.stdout is not None and first.stdout.readline() == "ready\n"
    left = tmp_path / f"{TEMP_PREFIX}{first.pid}"
    assert left.is_dir()
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert left.is_dir()  # kill -9 leaves it: nothing runs at exit
    assert not list(tmp_path.glob("pymp-*"))  # and multiprocessing made none of its own
    second = subprocess.run(
        [sys.executable, "-c", code],
        input="\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert second.returncode == 0, second.stderr
    assert not left.exists()
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))  # the second cleaned up after itself
    assert tempfile.gettempdir() != str(tmp_path)  # this process's own is untouched


def test_a_temporary_folder_too_long_for_a_socket_is_not_a_crash(short_tmp: Path) -> None:
    """With a TMPDIR longer than a Unix socket's path may be, the pool works from /tmp."""
    import os
    import subprocess
    import sys

    deep = short_tmp / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    code = (
        "from tutor.check.sandbox import Checker\n"
        "from tutor.check.spec import CheckSpec\n"
        "with Checker() as c:\n"
        "    print(c.judge(CheckSpec.from_pairs([('expect', 'x^2')]), 'x*x').verdict)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(deep)},
        timeout=120,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "correct"), done.stderr
