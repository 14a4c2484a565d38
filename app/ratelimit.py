"""Per-user limits on writes (comments, amendments): a sliding window counted per process."""

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping

from app.errors import TooManyRequests

# What each limited action is called in the answer to a refused request.
_WORDS = {"comment": "comments", "amendment": "amendments"}


class WriteLimits:
    """At most `limits[action]` writes of an action per user in any `window` seconds.

    Counted in each server process (as the login throttle is): with several workers a user may
    reach the limit once per worker. That still bounds a runaway client or script, which is
    what this is for; a person typing never comes near it.
    """

    def __init__(
        self,
        limits: Mapping[str, int],
        window_seconds: float = 60,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limits = dict(limits)
        self.window = window_seconds
        self._clock = clock
        self._writes: dict[tuple[str, int], deque[float]] = {}
        self._lock = threading.Lock()
        self._next_sweep = clock() + window_seconds

    def spend(self, action: str, user_id: int) -> None:
        """Count one write of `action` by the user, or raise 429 `rate_limited` (and count
        nothing) when the window is full."""
        limit = self.limits[action]
        now = self._clock()
        with self._lock:
            if now >= self._next_sweep:
                self._sweep(now)
            writes = self._writes.setdefault((action, user_id), deque())
            while writes and writes[0] <= now - self.window:
                writes.popleft()
            if len(writes) >= limit:
                wait = int(writes[0] + self.window - now) + 1
            else:
                writes.append(now)
                return
        raise TooManyRequests(
            f"You have written {limit} {_WORDS.get(action, action)} in the last "
            f"{self.window:g} seconds, the most allowed. Try again in {wait} seconds.",
            code="rate_limited",
            retry_after=wait,
        )

    def _sweep(self, now: float) -> None:
        # Forget users whose writes have all left the window, so memory follows active writers.
        for key in [k for k, w in self._writes.items() if not w or w[-1] <= now - self.window]:
            del self._writes[key]
        self._next_sweep = now + self.window
