"""The checker's lifecycle for a desk: one sandboxed pool, made on first use, closed with it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.check.sandbox import Checker


class CheckerPool:
    """The checker's pool, made once: a preview and a submit judged from two worker threads at
    the same moment share it. `make`: how to make it (default: the sandboxed `Checker`)."""

    def __init__(self, make: Callable[[], Checker] | None = None) -> None:
        self.make = make
        self._checker: Checker | None = None
        self._lock = threading.Lock()

    def get(self) -> Checker:
        with self._lock:
            if self._checker is None:
                if self.make is not None:
                    self._checker = self.make()
                else:
                    from tutor.check.sandbox import Checker

                    self._checker = Checker()
            return self._checker

    def close(self) -> None:
        with self._lock:
            if self._checker is not None:
                self._checker.close()
                self._checker = None
