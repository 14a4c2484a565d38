"""Live servers for the stream tests, and a reader of Server-Sent Events on a thread of its own
(so a test waits for an event with a timeout instead of blocking on the socket)."""

import json
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from app.main import create_app
from tests.conftest import LiveServer, make_settings, serving


@pytest.fixture
def room(databases, tmp_path) -> Iterator[LiveServer]:
    """The app on a committed database, with a heartbeat every half second."""
    application = create_app(
        make_settings(
            tmp_path / "data", database_url=databases.fresh(), stream_heartbeat_seconds=0.5
        )
    )
    with serving(application) as server:
        yield server


@dataclass
class Stream:
    """Frames of one open stream, read on a thread: `next()` waits for the next event."""

    response: httpx.Response
    frames: "queue.Queue[dict[str, Any]]" = field(default_factory=queue.Queue)
    comments: list[str] = field(default_factory=list)
    ended: threading.Event = field(default_factory=threading.Event)

    def read(self) -> None:
        frame: dict[str, Any] = {}
        try:
            for line in self.response.iter_lines():
                if line.startswith(":"):
                    self.comments.append(line)
                elif not line:
                    if "event" in frame:
                        frame["data"] = json.loads(frame["data"])
                        self.frames.put(frame)
                    frame = {}
                else:
                    name, _, value = line.partition(": ")
                    frame[name] = value
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    def next(self, timeout: float = 10) -> dict[str, Any]:
        return self.frames.get(timeout=timeout)

    def until(self, kind: str, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            frame = self.next(max(0.01, deadline - time.monotonic()))
            if frame["event"] == kind:
                return frame


@contextmanager
def stream(url: str, headers: dict[str, str]) -> Iterator[Stream]:
    with (
        httpx.Client(timeout=httpx.Timeout(30, read=30)) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        opened = Stream(response)
        threading.Thread(target=opened.read, daemon=True).start()
        try:
            yield opened
        finally:
            response.close()
