"""In-process caches: answers that never change (serialised versions, comparisons), and
signed-in users for a few seconds."""

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class ImmutableCache:
    """Serialised answers (an ETag and a body) that can never change, least recently used
    first out. Keys name immutable things only: a version of a declaration, two versions."""

    def __init__(self, max_bytes: int = 64_000_000):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[str, bytes] | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: tuple[str, bytes]) -> None:
        size = len(value[1])
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._size -= len(old[1]) if old else 0
            self._entries[key] = value
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[1])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


class UserCache:
    """Signed-in users by id, for a few seconds. A change to an account is told to every
    worker through the live channel (app/live/channel.py), which forgets it at once; the TTL
    bounds what a worker whose channel was down might honour.

    A user read from the database may only be cached if no user was forgotten since the read
    began (`generation()` before it, `put(user, generation)` after): otherwise a request that
    read an account just before an admin deactivated it would put it back for the whole TTL.
    """

    def __init__(self, ttl: float = 5.0, max_entries: int = 50_000):
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[int, tuple[float, Any]] = {}
        self._generation = 0
        self._lock = threading.Lock()

    def get(self, user_id: int) -> Any | None:
        entry = self._entries.get(user_id)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def generation(self) -> int:
        """Taken before reading a user, to hand to `put`."""
        return self._generation

    def put(self, user: Any, generation: int) -> None:
        """Cache a user read after `generation()` gave `generation`, unless a user was
        forgotten meanwhile (the read may have seen the account before the change)."""
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[user.id] = (time.monotonic() + self.ttl, user)

    def clear(self) -> None:
        """Forget every user (changes may have been missed)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def forget(self, user_id: int) -> None:
        """Called after a change to the account is committed."""
        with self._lock:
            self._generation += 1
            self._entries.pop(user_id, None)
