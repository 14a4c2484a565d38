"""Request dependencies: the session, the signed-in user, and role checks."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.context import AppContext
from app.db import get_session
from app.errors import Forbidden, Unauthorized

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)

SessionDep = Annotated[Session, Depends(get_session)]


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
        generation = context.users.generation()
        user = await run_in_threadpool(_load_user, context, user_id)
        if user is not None:
            context.users.put(user, generation)
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
Mayor = Annotated[User, Depends(require_role(Role.mayor))]
