"""The project's router: every route made with it lets its request's database connection go as
soon as its endpoint returns, so that no router can forget to."""

import functools
import inspect
from collections.abc import Callable
from typing import Any

import fastapi
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session


class ReleasingRoute(APIRoute):
    """A route whose sync endpoint closes the request's session as it returns, in its thread.

    FastAPI validates a sync endpoint's answer in the shared thread pool, after the endpoint and
    before the session's teardown. A session still in its (read) transaction then holds its
    connection while it waits for a thread, and the threads' endpoints wait for a connection:
    once the requests between the two fill the connection pool, the server stops (found by
    bench/bench_load.py; every request waited until the pool's 30-second timeout). Closing here
    keeps loaded attributes, so the answer is still built from the objects the endpoint read.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _closing_sessions(endpoint)
        super().__init__(path, endpoint, **kwargs)


def _closing_sessions(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return endpoint(*args, **kwargs)
        finally:
            for value in kwargs.values():
                if isinstance(value, Session):
                    value.close()

    return run


class APIRouter(fastapi.APIRouter):
    """`fastapi.APIRouter` whose routes are `ReleasingRoute`s; the route class is not a choice
    (passing `route_class=` is a TypeError), so every router of the project releases."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(route_class=ReleasingRoute, **kwargs)
