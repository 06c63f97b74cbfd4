"""A terminal closed under the tutor, or a `kill`: the UI saves, leaves the alternate screen and
exits, and the card resumes next time."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ENTER_ALT = b"\x1b[?1049h"
LEAVE_ALT = b"\x1b[?1049l"


def _read_until(fd: int, wanted: bytes, seen: bytearray, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return wanted in seen
            if not chunk:
                break
            seen += chunk
    return wanted in seen


def ui_env(home: Path) -> dict[str, str]:
    """The environment of a tutor drawing its UI on an 80x24 terminal, at a fixed instant."""
    env = dict(os.environ)
    env.update(
        TUTOR_HOME=str(home),
        TUTOR_CLOCK="2026-12-01T10:00:00+00:00",
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
    )
    env.pop("CI", None)
    return env


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_saves_and_restores_the_terminal(tmp_path: Path, number: int) -> None:
    env = ui_env(tmp_path / "home")
    main, child = pty.openpty()
    os.set_inheritable(child, True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "study"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(child)
    seen = bytearray()
    try:
        assert _read_until(main, ENTER_ALT, seen, 60), bytes(seen[-400:])
        # the welcome's footer is drawn after the app has mounted (and set its handlers)
        assert _read_until(main, b"Begin", seen, 60), bytes(seen[-400:])
        proc.send_signal(number)
        assert proc.wait(timeout=30) == 0
        _read_until(main, b"\x00never", seen, 1)  # drain what it wrote on the way out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
    after = bytes(seen)
    assert after.rfind(LEAVE_ALT) > after.rfind(ENTER_ALT), "left in the alternate screen"
    assert b"Traceback" not in after


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_in_plain_mode_saves_the_card_with_its_timer(tmp_path: Path, number: int) -> None:
    env = {
        **os.environ,
        "TUTOR_HOME": str(tmp_path / "home"),
        "TUTOR_CLOCK": "2026-12-01T10:00:00+00:00",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "study", "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # wait for the card
        if line.startswith("Type your reconstruction"):
            break
    proc.send_signal(number)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "saved; " in out and "resumes next time" in out
    assert err.strip() == "tutor: interrupted"


def test_a_terminal_closed_under_the_ui_ends_it_with_the_card_saved(tmp_path: Path) -> None:
    """The terminal itself goes away (a window closed, `tmux kill-session`): the kernel hangs up
    the session, the card is saved, and the process ends, releasing the study lock, although
    Textual's shutdown waits for the missing terminal for good; the next start resumes the card.
    """
    import fcntl
    import sqlite3
    import termios

    home = tmp_path / "home"
    env = ui_env(home)
    main, child = pty.openpty()

    def controlling_terminal() -> None:  # as a terminal window's shell has it
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "study"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        preexec_fn=controlling_terminal,
    )
    os.close(child)
    seen = bytearray()
    try:
        assert _read_until(main, b"Begin", seen, 60), bytes(seen[-400:])
        os.write(main, b"\r")  # begin today's card
        assert _read_until(main, b"Hints unlock", seen, 30), bytes(seen[-400:])
        os.close(main)  # the terminal is gone: SIGHUP, and every write to it fails
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with sqlite3.connect(home / "tutor.db") as db:
        assert db.execute("SELECT count(*) FROM progress").fetchone() == (1,)
    again = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "study", "--plain"],
        input=":quit\n",
        capture_output=True,
        text=True,
        env={**env, "TUTOR_HOME": str(home)},
        timeout=60,
        check=False,
    )
    assert "another tutor" not in again.stderr
    assert "resumes next time" in again.stdout
