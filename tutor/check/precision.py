"""mpmath contexts at a given precision, made once per thread.

Creating an ``mpmath.MPContext`` costs most of a millisecond, and a judgement needs several (one
per precision it climbs to): each thread keeps one context per precision instead. A context here
is never given another precision, so sharing it between judgements in a thread is safe.
"""

from __future__ import annotations

import threading
from typing import Any

_local = threading.local()


def context(dps: int) -> Any:
    """The calling thread's mpmath context working at ``dps`` decimal digits."""
    contexts: dict[int, Any] | None = getattr(_local, "contexts", None)
    if contexts is None:
        contexts = _local.contexts = {}
    ctx = contexts.get(dps)
    if ctx is None:
        import mpmath

        ctx = mpmath.MPContext()
        ctx.dps = dps
        contexts[dps] = ctx
    return ctx
