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
    """Signed-in users by id, for a few seconds: the price of not asking the database on
    every request is that another worker may honour a revoked token for up to `ttl`."""

    def __init__(self, ttl: float = 5.0, max_entries: int = 50_000):
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[int, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, user_id: int) -> Any | None:
        entry = self._entries.get(user_id)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, user: Any) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[user.id] = (time.monotonic() + self.ttl, user)

    def forget(self, user_id: int) -> None:
        with self._lock:
            self._entries.pop(user_id, None)
