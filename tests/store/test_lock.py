"""The study lock: one tutor studies with a database at a time; a kill -9 frees it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.store.errors import StoreBusy
from tutor.store.lock import study_lock

HOLD = """
import sys
from tutor.store.lock import study_lock
with study_lock({url!r}):
    print("locked", flush=True)
    sys.stdin.readline()  # hold the lock until told to go, or killed
print("released", flush=True)
"""

TRY = """
from tutor.store.lock import study_lock
from tutor.store.errors import StoreBusy
try:
    with study_lock({url!r}):
        print("got it")
except StoreBusy as exc:
    print("busy:", exc)
"""


def holder(url: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD.format(url=url)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "locked\n"
    return child


def attempt(url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", TRY.format(url=url)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_second_tutor_is_refused_while_one_studies(tmp_path: Path) -> None:
    path = tmp_path / "tutor.db"
    url = f"sqlite:///{path}"
    first = holder(url)
    try:
        expected = f"{path}: another tutor is studying with this database (pid {first.pid})"
        assert attempt(url) == f"busy: {expected}"
        with pytest.raises(StoreBusy) as raised, study_lock(url):
            pass
        assert str(raised.value) == expected
    finally:
        first.kill()
        first.wait()


def test_the_lock_is_free_again_after_the_holder_is_killed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    first = holder(url)
    first.send_signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    assert attempt(url) == "got it"
    second = holder(url)  # and it can be held again
    try:
        assert attempt(url).startswith("busy: ")
    finally:
        second.kill()
        second.wait()


def test_the_lock_is_free_again_after_a_normal_release(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tutor.db'}"
    first = holder(url)
    assert first.stdin is not None and first.stdout is not None
    first.stdin.write("\n")
    first.stdin.flush()
    assert first.stdout.readline() == "released\n"
    assert first.wait() == 0
    with study_lock(url):
        assert attempt(url).startswith("busy: ")
    assert attempt(url) == "got it"


def test_the_lock_file_sits_beside_the_database_and_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "tutor.db"
    with study_lock(f"sqlite:///{path}"):
        assert (tmp_path / "sub" / "tutor.db.lock").read_text() == f"{os.getpid()}\n"
    assert (tmp_path / "sub" / "tutor.db.lock").read_text() == ""


def test_an_in_memory_database_needs_no_lock() -> None:
    with study_lock("sqlite://"), study_lock("sqlite://"):
        pass
