"""Run judgements in worker processes with a wall-clock and a memory limit.

The parent never uses signals: a worker that overruns is killed and replaced, and the
answer is ``undecided``. Workers start from a ``forkserver`` with sympy preloaded, so the
caller may be threaded and a warm check costs a few milliseconds.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from tutor.check.spec import CheckSpec, SpecProblem
from tutor.check.verdict import Verdict

DEFAULT_TIMEOUT = 2.0
DEFAULT_MEMORY = 1024 * 1024 * 1024  # bytes of address space per worker


def _worker(conn: Connection, memory: int) -> None:
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from tutor.check.engine import judge, lint_spec

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        task, spec_json, argument = message
        try:
            spec = CheckSpec.from_json(spec_json)
            if task == "lint":
                conn.send(lint_spec(spec, argument))
            elif task == "value":
                from tutor.check.realvalue import expect_value_problem

                conn.send(expect_value_problem(spec))
            else:
                conn.send(judge(spec, argument).to_json())
        except MemoryError:
            conn.send(_failure(task, "The check ran out of memory."))
        except Exception as exc:
            conn.send(_failure(task, f"The checker failed ({type(exc).__name__})."))


def _failure(task: str, message: str) -> Any:
    if task == "lint":
        return [SpecProblem("expect", 0, message)]
    if task == "value":
        return message
    return Verdict("undecided", message).to_json()


TEMP_PREFIX = "proof-tutor-mp-"
_LONGEST_BASE = 60
"""The longest temporary folder the pool's own folder and socket (`listener-…`) go in; with
a longer TMPDIR they go in /tmp, as a socket's path is limited to about 107 bytes."""


def _own_temp_dir() -> None:
    """Give multiprocessing a temporary folder named after this process, and remove the ones
    that processes killed with kill -9 left behind (theirs are named after a pid that is no
    longer running, and owned by us). multiprocessing's own ``pymp-*`` folders carry no pid,
    so a killed tutor's could never be told from a running one's."""
    import os
    import shutil
    import tempfile
    from multiprocessing import process, util

    config = process.current_process()._config  # type: ignore[attr-defined]
    if config.get("tempdir"):
        return
    base = tempfile.gettempdir()
    if len(os.fsencode(base)) > _LONGEST_BASE and os.path.isdir("/tmp"):
        # the pool's socket lives in the folder: a Unix socket's path has about 107 bytes
        base = "/tmp"
    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            pid = entry.name[len(TEMP_PREFIX) :]
            if not (entry.name.startswith(TEMP_PREFIX) and pid.isdigit()):
                continue
            if _running(int(pid)) or entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
    mine = os.path.join(base, f"{TEMP_PREFIX}{os.getpid()}")
    try:
        os.mkdir(mine, 0o700)
    except FileExistsError:
        shutil.rmtree(mine, ignore_errors=True)  # a reused pid's leftovers
        os.mkdir(mine, 0o700)
    except OSError:
        return  # multiprocessing makes its own
    config["tempdir"] = mine
    util.Finalize(
        None, shutil.rmtree, args=[mine], kwargs={"ignore_errors": True}, exitpriority=-100
    )


def _running(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _context() -> Any:
    _own_temp_dir()
    try:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["sympy", "mpmath", "tutor.check.engine"])
        return ctx
    except ValueError:
        return mp.get_context("spawn")


def start_server() -> None:
    """Start the server that worker processes fork from, now. It is cheap for the caller (one
    process is spawned and imports sympy on its own), and it must happen before a terminal UI
    takes over standard error: starting it later fails on the missing file descriptor."""
    ctx = _context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class _Slot:
    def __init__(self, ctx: Any, memory: int) -> None:
        parent, child = ctx.Pipe()
        self.conn: Connection = parent
        self.process = ctx.Process(target=_worker, args=(child, memory), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.process.join(0.2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)
        self.conn.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(1)
        self.conn.close()


class Checker:
    """Judge answers in sandboxed worker processes.

    >>> with Checker(timeout=2.0) as checker:
    ...     verdict = checker.judge(spec, "n(n+1)/2")
    """

    def __init__(
        self, timeout: float = DEFAULT_TIMEOUT, *, memory: int = DEFAULT_MEMORY, workers: int = 1
    ) -> None:
        self.timeout = timeout
        self.memory = memory
        self._ctx = _context()
        self._lock = threading.Lock()
        self._idle: list[_Slot] = [_Slot(self._ctx, memory) for _ in range(max(1, workers))]
        self._closed = False

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _take(self) -> _Slot:
        with self._lock:
            if self._closed:
                raise RuntimeError("the checker is closed")
            if self._idle:
                return self._idle.pop()
        return _Slot(self._ctx, self.memory)

    def _give(self, slot: _Slot) -> None:
        with self._lock:
            if self._closed:
                slot.stop()
            else:
                self._idle.append(slot)

    def judge(self, spec: CheckSpec, answer: str) -> Verdict:
        """Judge within the wall-clock limit; an overrun gives ``undecided``."""
        start = time.perf_counter()
        reply = self._run(("judge", spec.to_json(), answer), self.timeout)
        if reply is not None:
            return Verdict.from_json(reply)
        elapsed = (time.perf_counter() - start) * 1000
        return Verdict(
            "undecided",
            "The check took too long or failed; compare it yourself.",
            "",
            round(elapsed, 3),
        )

    def lint(self, spec: CheckSpec, reference_answer: str | None = None) -> list[SpecProblem]:
        """The deck linter's problems with one check block (see ``lint_spec``), under a limit
        of one timeout per example the block carries."""
        examples = 2 + len(spec.accept) + len(spec.reject) + len(spec.mistake)
        reply = self._run(("lint", spec.to_json(), reference_answer), self.timeout * examples)
        if reply is None:
            limit = self.timeout * examples
            message = f"the checker could not finish this block within {limit:g} s"
            return [SpecProblem("expect", 0, message)]
        return [SpecProblem(*problem) for problem in reply]

    def value(self, spec: CheckSpec) -> str:
        """'' when the block's `expect` is a finite real number (or a vector or matrix of
        them), else what it is instead: for the linter, at each draw of a card's inputs."""
        reply = self._run(("value", spec.to_json(), None), self.timeout)
        if reply is None:
            return f"expect could not be evaluated within {self.timeout:g} s"
        return str(reply)

    def _run(self, message: tuple[str, Any, Any], timeout: float) -> Any | None:
        """Send one task to a worker; its reply, or None when it overran or died."""
        slot = self._take()
        try:
            slot.conn.send(message)
            if slot.conn.poll(timeout):
                reply = slot.conn.recv()
                self._give(slot)
                return reply
        except (EOFError, OSError, BrokenPipeError):
            pass
        slot.kill()
        with self._lock:
            if not self._closed:
                self._idle.append(_Slot(self._ctx, self.memory))
        return None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for slot in idle:
            slot.stop()
