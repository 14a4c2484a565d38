"""Group commit: writes that arrive while a batch is being written wait, and are written together
in the next batch — one lock, one read, one commit for all of them.

Each write is serialised by a lock anyway (a declaration's signature log has one tail), so
while one transaction holds it the next requests can only queue. Writing them together turns
N transactions into one; nothing is acknowledged before its batch commits.
"""

import queue
import threading
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

Write = Callable[[Sequence[Any]], Sequence[Any]]


@dataclass(slots=True)
class _Waiting:
    key: Hashable
    item: Any
    write: Write
    future: Future[Any] = field(default_factory=Future)


class GroupCommit:
    """One writer thread per process, started on demand and gone after `idle_seconds` with
    nothing to do.

    `submit(key, item, write)` returns a future. The writer takes everything waiting (at most
    `max_batch`), and for each key calls the `write` given with its first item once with all
    that key's items, in arrival order. `write` answers one outcome per item: a result, or an
    exception to raise to that item's submitter. An exception raised by `write` itself is
    every item's answer.
    """

    def __init__(self, *, max_batch: int = 500, idle_seconds: float = 10.0):
        self.max_batch = max_batch
        self.idle_seconds = idle_seconds
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, key: Hashable, item: Any, write: Write) -> Future[Any]:
        waiting = _Waiting(key, item, write)
        self._queue.put(waiting)
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name="group-commit", daemon=True)
                self._writer.start()
        return waiting.future

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:  # submit() puts before it looks at _writer: nothing is left
                    if self._queue.empty():
                        self._writer = None
                        return
                continue
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)

    @staticmethod
    def _write(batch: list[_Waiting]) -> None:
        # A submitter that gave up (its request was cancelled) before the write began is
        # left out; once running, a future cannot be cancelled and always gets its answer.
        groups: dict[Hashable, list[_Waiting]] = {}
        for waiting in batch:
            if waiting.future.set_running_or_notify_cancel():
                groups.setdefault(waiting.key, []).append(waiting)
        for group in groups.values():
            try:
                outcomes: Sequence[Any] = group[0].write([w.item for w in group])
                if len(outcomes) != len(group):
                    raise RuntimeError(f"{len(outcomes)} outcomes for {len(group)} items")
            except Exception as error:  # noqa: BLE001 (each submitter gets it, re-raised there)
                outcomes = [error] * len(group)
            for waiting, outcome in zip(group, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    waiting.future.set_exception(outcome)
                else:
                    waiting.future.set_result(outcome)
