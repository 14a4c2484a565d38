"""Comments on paragraphs, threaded, re-anchored onto the version being read."""

from typing import Annotated

from fastapi import Query, status

from app.comments import service
from app.comments.schemas import CommentCreate, CommentEdit, CommentOut
from app.deps import ContextDep, CurrentUser, SessionDep
from app.errors import (
    RateLimitedError,
    error_responses,
)
from app.routing import APIRouter
from app.schemas import Page, page_params

router = APIRouter(tags=["comments"])


@router.get(
    "/declarations/{declaration_id}/comments",
    response_model=Page[CommentOut],
    responses=error_responses(401, 404),
)
def list_comments(
    session: SessionDep,
    _: CurrentUser,
    declaration_id: int,
    version: Annotated[int | None, Query(description="re-anchor onto this version (head)")] = None,
    paragraph_key: Annotated[str | None, Query(max_length=16)] = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[CommentOut]:
    """Comments, oldest first, each anchored onto the version read: exact, fuzzy or orphaned."""
    limit, offset = page_params(limit, offset)
    placed, total = service.list_comments(
        session,
        declaration_id=declaration_id,
        version=version,
        paragraph_key=paragraph_key,
        limit=limit,
        offset=offset,
    )
    return Page(
        items=[CommentOut.model_validate(p) for p in placed],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/declarations/{declaration_id}/comments",
    response_model=CommentOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 404, 422, RateLimitedError),
)
def create_comment(
    session: SessionDep,
    context: ContextDep,
    user: CurrentUser,
    declaration_id: int,
    body: CommentCreate,
) -> CommentOut:
    """Comment on a paragraph, or on a quoted range of it (offsets in code points), or reply."""
    return CommentOut.model_validate(
        service.create_comment(
            session,
            limits=context.write_limits,
            actor=user,
            declaration_id=declaration_id,
            data=body,
        )
    )


@router.patch(
    "/comments/{comment_id}", response_model=CommentOut, responses=error_responses(401, 403, 404)
)
def edit_comment(
    session: SessionDep, user: CurrentUser, comment_id: int, body: CommentEdit
) -> CommentOut:
    """Edit your own comment; it is marked edited and the original stays in the audit log."""
    return CommentOut.model_validate(
        service.edit_comment(session, actor=user, comment_id=comment_id, body=body.body)
    )


@router.post(
    "/comments/{comment_id}/resolve",
    response_model=CommentOut,
    responses=error_responses(401, 403, 404),
)
def resolve_comment(session: SessionDep, user: CurrentUser, comment_id: int) -> CommentOut:
    """Resolve a thread (its author or a co-facilitator)."""
    return CommentOut.model_validate(
        service.resolve_comment(session, actor=user, comment_id=comment_id)
    )
