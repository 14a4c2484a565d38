"""Declarations, their versions, canonical texts, comparisons, and the audit log."""

from collections.abc import Callable, Hashable
from typing import Annotated, Any

from fastapi import Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from app.audit.schemas import EventOut
from app.audit.service import list_events
from app.context import AppContext
from app.declarations import service
from app.declarations.schemas import (
    DeclarationCreate,
    DeclarationOut,
    VersionOut,
    VersionSummary,
)
from app.deps import ContextDep, CurrentUser, Editor, SessionDep
from app.errors import error_responses
from app.forms import json_or_word, word_upload_body
from app.routing import APIRouter
from app.schemas import Page, page_params

router = APIRouter(tags=["declarations"])


@router.get("/declarations", response_model=Page[DeclarationOut], responses=error_responses(401))
def list_declarations(
    session: SessionDep, _: CurrentUser, limit: int = 100, offset: int = 0
) -> Page[DeclarationOut]:
    """Declarations, newest first."""
    limit, offset = page_params(limit, offset)
    rows, total = service.list_declarations(session, limit=limit, offset=offset)
    items = [DeclarationOut.model_validate(d) for d in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/declarations",
    response_model=DeclarationOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 413, 422),
    openapi_extra=word_upload_body(
        DeclarationCreate,
        {
            "title": {"type": "string", "maxLength": 800, "required": True},
            "language": {"type": "string", "default": "en"},
        },
    ),
)
def create_declaration(
    session: SessionDep,
    editor: Editor,
    body: Annotated[DeclarationCreate, Depends(json_or_word(DeclarationCreate))],
) -> DeclarationOut:
    """Create a declaration from a pasted or uploaded text (JSON), or from a Word document
    (multipart `file`, `title`, `language`); it becomes version 1."""
    declaration = service.create_declaration(
        session, actor=editor, title=body.title, text=body.text, language=body.language
    )
    return DeclarationOut.model_validate(declaration)


@router.get(
    "/declarations/{declaration_id}",
    response_model=DeclarationOut,
    responses=error_responses(401, 404),
)
def read_declaration(session: SessionDep, _: CurrentUser, declaration_id: int) -> DeclarationOut:
    """One declaration with its status and head version."""
    return DeclarationOut.model_validate(service.get_declaration(session, declaration_id))


@router.get(
    "/declarations/{declaration_id}/versions",
    response_model=list[VersionSummary],
    responses=error_responses(401, 404),
)
def list_versions(session: SessionDep, _: CurrentUser, declaration_id: int) -> list[VersionSummary]:
    """Every version, oldest first (a bare array: there are few)."""
    versions = service.list_versions(session, declaration_id)
    return [VersionSummary.model_validate(v) for v in versions]


@router.get(
    "/declarations/{declaration_id}/versions/{number}",
    response_model=VersionOut,
    responses={**error_responses(401, 404), 304: {"description": "Not modified"}},
)
async def read_version(
    request: Request, context: ContextDep, declaration_id: int, number: int
) -> Response:
    """A version's paragraphs; versions never change, so the answer carries an ETag."""
    # Signed-in only, like every route of this router (checked where it is mounted); the hot
    # path declares no further dependency.
    answer = await cached_answer(
        context, ("version", declaration_id, number), service.version_answer, declaration_id, number
    )
    return immutable_answer(request, *answer)


async def cached_answer(
    context: AppContext, key: Hashable, read: Callable[..., tuple[str, bytes]], *args: Any
) -> tuple[str, bytes]:
    """An immutable answer from the cache, or read (in a thread, with its own session) and kept."""
    answer = context.cache.get(key)
    if answer is None:
        answer = await run_in_threadpool(read, context.sessionmaker, *args)
        context.cache.put(key, answer)
    return answer


def immutable_answer(
    request: Request,
    etag: str,
    body: bytes,
    *,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    headers = {
        "ETag": etag,
        "Cache-Control": "private, max-age=0, must-revalidate",
        **(headers or {}),
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get(
    "/declarations/{declaration_id}/events",
    response_model=Page[EventOut],
    responses=error_responses(401, 403, 404),
)
def read_events(
    session: SessionDep, _: Editor, declaration_id: int, limit: int = 100, offset: int = 0
) -> Page[EventOut]:
    """The audit log of one declaration: every state change, oldest first."""
    service.get_declaration(session, declaration_id)
    limit, offset = page_params(limit, offset)
    events, total = list_events(session, declaration_id=declaration_id, limit=limit, offset=offset)
    items = [EventOut.model_validate(e) for e in events]
    return Page(items=items, total=total, limit=limit, offset=offset)
