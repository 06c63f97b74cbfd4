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


def test_the_lock_belongs_to_the_file_not_the_path(tmp_path: Path) -> None:
    # a symlink, a hard link and a path with `..` are one database: one study lock
    real = tmp_path / "data" / "tutor.db"
    real.parent.mkdir()
    real.write_bytes(b"")
    (tmp_path / "alias.db").symlink_to(real)
    os.link(real, tmp_path / "hard.db")
    first = holder(f"sqlite:///{real}")
    try:
        for spelling in (
            tmp_path / "alias.db",
            tmp_path / "hard.db",
            tmp_path / "data" / ".." / "data" / "tutor.db",
        ):
            answer = attempt(f"sqlite:///{spelling}")
            assert answer.startswith("busy: "), spelling
            # the pid sits beside the real path; a hard link has no single real path
            holder_pid = "unknown" if spelling.name == "hard.db" else str(first.pid)
            assert answer.endswith(f"(pid {holder_pid})"), answer
    finally:
        first.kill()
        first.wait()
    assert attempt(f"sqlite:///{tmp_path / 'alias.db'}") == "got it"


def test_a_second_database_is_not_locked_by_the_first(tmp_path: Path) -> None:
    first = holder(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        assert attempt(f"sqlite:///{tmp_path / 'two.db'}") == "got it"
    finally:
        first.kill()
        first.wait()
