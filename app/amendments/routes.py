"""Amendments: propose, list and filter, support, withdraw, decide."""

from typing import Annotated

from fastapi import Depends, Query, Response, status

from app.amendments import merging, service
from app.amendments.schemas import (
    AmendmentCreate,
    AmendmentDetail,
    AmendmentOut,
    Decision,
    SupporterOut,
)
from app.amendments.states import AmendmentStatus
from app.declarations.schemas import VersionCreate, VersionOut, VersionPreview
from app.declarations.service import get_version
from app.declarations.versioning import Preview
from app.deps import CityMember, ContextDep, CurrentUser, Editor, SessionDep
from app.errors import (
    ConflictError,
    NotReconciledError,
    RateLimitedError,
    StaleBaseError,
    error_responses,
)
from app.forms import json_or_word, word_upload_body
from app.routing import APIRouter
from app.schemas import Page, page_params

router = APIRouter(tags=["amendments"])


@router.get(
    "/declarations/{declaration_id}/amendments",
    response_model=Page[AmendmentOut],
    responses=error_responses(401, 404),
)
def list_amendments(
    session: SessionDep,
    _: CurrentUser,
    declaration_id: int,
    status: AmendmentStatus | None = None,
    paragraph_key: Annotated[str | None, Query(max_length=16)] = None,
    city_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[AmendmentOut]:
    """Amendments, oldest first, filtered by status, paragraph or city."""
    limit, offset = page_params(limit, offset)
    rows, total = service.list_amendments(
        session,
        declaration_id=declaration_id,
        status=status,
        paragraph_key=paragraph_key,
        city_id=city_id,
        limit=limit,
        offset=offset,
    )
    return Page(
        items=[AmendmentOut.model_validate(a) for a in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/declarations/{declaration_id}/amendments",
    response_model=AmendmentOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 413, 422, RateLimitedError),
)
def propose_amendment(
    session: SessionDep,
    context: ContextDep,
    member: CityMember,
    declaration_id: int,
    body: AmendmentCreate,
) -> AmendmentOut:
    """Propose an amendment for your city: modify, insert after a paragraph, or delete."""
    return AmendmentOut.model_validate(
        service.propose(
            session,
            limits=context.write_limits,
            actor=member,
            declaration_id=declaration_id,
            data=body,
        )
    )


@router.get(
    "/amendments/{amendment_id}",
    response_model=AmendmentDetail,
    responses=error_responses(401, 404),
)
def read_amendment(
    session: SessionDep, context: ContextDep, _: CurrentUser, amendment_id: int
) -> AmendmentDetail:
    """One amendment, with its effect rebased onto the head version (or the conflict)."""
    amendment = service.get_amendment(session, amendment_id)
    rebased = service.rebased_on_head(session, amendment, cache=context.cache)
    return AmendmentDetail(**dict(AmendmentOut.model_validate(amendment)), rebased=rebased)


@router.post(
    "/amendments/{amendment_id}/support",
    response_model=list[SupporterOut],
    responses=error_responses(401, 403, 404, 409),
)
def support_amendment(
    session: SessionDep, member: CityMember, amendment_id: int
) -> list[SupporterOut]:
    """Co-sponsor another city's amendment for your city."""
    return AmendmentOut.model_validate(
        service.support(session, actor=member, amendment_id=amendment_id)
    ).supporters


@router.delete(
    "/amendments/{amendment_id}/support",
    response_model=list[SupporterOut],
    responses=error_responses(401, 403, 404),
)
def withdraw_support(
    session: SessionDep, member: CityMember, amendment_id: int
) -> list[SupporterOut]:
    """Withdraw your city's support."""
    return AmendmentOut.model_validate(
        service.withdraw_support(session, actor=member, amendment_id=amendment_id)
    ).supporters


@router.post(
    "/amendments/{amendment_id}/withdraw",
    response_model=AmendmentOut,
    responses=error_responses(401, 403, 404, 409),
)
def withdraw_amendment(session: SessionDep, member: CityMember, amendment_id: int) -> AmendmentOut:
    """Withdraw your city's amendment while it is proposed."""
    return AmendmentOut.model_validate(
        service.withdraw(session, actor=member, amendment_id=amendment_id)
    )


@router.post(
    "/amendments/{amendment_id}/decision",
    response_model=AmendmentOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def decide_amendment(
    session: SessionDep, editor: Editor, amendment_id: int, body: Decision
) -> AmendmentOut:
    """Accept, reject or reopen an amendment, with a note (co-facilitators)."""
    return AmendmentOut.model_validate(
        service.decide(session, actor=editor, amendment_id=amendment_id, data=body)
    )


# Making a version merges amendments (negotiation) into the text (drafting): its route is here,
# where both are visible, so that the declarations domain never imports the amendments'.
@router.post(
    "/declarations/{declaration_id}/versions",
    tags=["declarations"],
    response_model=VersionOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        **error_responses(401, 403, 404, 413, StaleBaseError, ConflictError, NotReconciledError),
        200: {"model": VersionPreview, "description": "Preview (dry_run): nothing written"},
    },
    openapi_extra=word_upload_body(
        VersionCreate,
        {
            "base_version": {"type": "integer", "required": True},
            "note": {"type": "string", "maxLength": 8000},
            "dry_run": {"type": "boolean", "default": False},
        },
    ),
)
def create_version(
    session: SessionDep,
    editor: Editor,
    declaration_id: int,
    body: Annotated[VersionCreate, Depends(json_or_word(VersionCreate))],
) -> Response:
    """Make the next version from the head: merge accepted amendments and direct edits, or
    upload a whole revised draft — as text, or as a Word document (multipart `file`,
    `base_version`, `note`, `dry_run`) — aligned to the base so paragraphs keep their keys."""
    result = merging.make_version(session, actor=editor, declaration_id=declaration_id, data=body)
    if isinstance(result, Preview):
        body_json = result.answer().model_dump_json(by_alias=True)
        return Response(body_json, media_type="application/json")
    version = get_version(session, declaration_id, result.number)
    return Response(
        VersionOut.model_validate(version).model_dump_json(),
        status_code=201,
        media_type="application/json",
    )
