"""Request dependencies: the session, the signed-in user, and role checks; and the route class
that lets a request's database connection go as soon as its endpoint returns."""

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.context import AppContext
from app.db import get_session
from app.errors import Forbidden, Unauthorized

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)

SessionDep = Annotated[Session, Depends(get_session)]


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


async def get_context(request: Request) -> AppContext:
    return request.app.state.context


ContextDep = Annotated[AppContext, Depends(get_context)]


async def get_current_user(
    context: ContextDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    """The user a valid bearer token names; 401 for anything else.

    Users are cached for a few seconds per process (`AppContext.users`), so that reading does
    not cost a database round trip per request; a deactivation or password change reaches
    every worker within that time, and this worker at once.
    """
    if not token:
        raise Unauthorized("Sign in to continue.", code="not_authenticated")
    claims = context.tokens.read(token)
    if claims is None:
        raise Unauthorized("Your sign-in is invalid or has expired.", code="invalid_token")
    user_id, token_version = claims
    user = context.users.get(user_id)
    if user is None or user.token_version < token_version:
        user = await run_in_threadpool(_load_user, context, user_id)
        if user is not None:
            context.users.put(user)
    if user is None or not user.active or user.token_version != token_version:
        raise Unauthorized("Your sign-in is no longer valid.", code="invalid_token")
    return user


def _load_user(context: AppContext, user_id: int) -> User | None:
    with context.sessionmaker() as session:
        user = session.get(User, user_id)
        if user is not None:
            session.expunge(user)
        session.commit()
        return user


CurrentUser = Annotated[User, Depends(get_current_user)]

_ROLE_WORDS = {
    Role.admin: "the secretariat",
    Role.co_facilitator: "co-facilitators",
    Role.delegate: "city delegates",
    Role.mayor: "mayors",
    Role.observer: "observers",
}


def require_role(*roles: Role) -> Callable[[User], User]:
    allowed = frozenset(roles)
    who = ", ".join(_ROLE_WORDS[r] for r in roles)

    async def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden(f"Only {who} may do this.", code="role_forbidden")
        return user

    return check


Editor = Annotated[User, Depends(require_role(Role.co_facilitator, Role.admin))]
Admin = Annotated[User, Depends(require_role(Role.admin))]
CityMember = Annotated[User, Depends(require_role(Role.delegate, Role.mayor))]
