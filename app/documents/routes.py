"""Documents: a version as Word (or Akoma Ntoso), the compilation text, and Word uploads."""

from typing import Annotated, Literal

from fastapi import File, Form, Query, Request, Response, UploadFile, status

from app.declarations.routes import cached_answer, immutable_answer
from app.declarations.schemas import Comparison
from app.declarations.service import comparison_answer
from app.deps import CityMember, ContextDep, CurrentUser, SessionDep
from app.documents import compiling, service, uploads
from app.documents.schemas import DocumentImport, NoChangesError
from app.errors import RateLimitedError, error_responses
from app.routing import APIRouter

router = APIRouter(tags=["documents"])

DOCX_RESPONSE = {
    "description": "A Word document (.docx)",
    "content": {service.DOCX: {"schema": {"type": "string", "format": "binary"}}},
}


def download(file: service.Download) -> Response:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


# The comparison is drafting's, its Word form this domain's: the route is here, where both
# are visible, so that drafting imports no document code.
@router.get(
    "/declarations/{declaration_id}/compare",
    tags=["declarations"],
    response_model=Comparison,
    responses={
        **error_responses(401, 404, 422),
        200: {
            "description": "The comparison (JSON), or with `format=docx` a Word document whose "
            "differences are tracked changes by whoever made them",
            "content": {service.DOCX: {"schema": {"type": "string", "format": "binary"}}},
        },
    },
)
async def compare_versions(
    request: Request,
    context: ContextDep,
    _: CurrentUser,
    declaration_id: int,
    old_number: Annotated[int, Query(alias="from", description="the older version")],
    new_number: Annotated[int, Query(alias="to", description="the newer version")],
    file_format: Annotated[Literal["json", "docx"], Query(alias="format")] = "json",
) -> Response:
    """Two versions aligned by paragraph key, with a word-level redline in modified ones; or
    the same as a Word document with real tracked changes (`format=docx`)."""
    if file_format == "docx":
        answer = await cached_answer(
            context,
            ("compare.docx", declaration_id, old_number, new_number),
            service.comparison_docx,
            declaration_id,
            old_number,
            new_number,
        )
        filename = f"declaration-{declaration_id}-v{old_number}-v{new_number}.docx"
        return immutable_answer(
            request,
            *answer,
            media_type=service.DOCX,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    answer = await cached_answer(
        context,
        ("compare", declaration_id, old_number, new_number),
        comparison_answer,
        declaration_id,
        old_number,
        new_number,
    )
    return immutable_answer(request, *answer)


@router.get(
    "/declarations/{declaration_id}/versions/{number}/document",
    response_class=Response,
    responses={
        **error_responses(401, 404, 422),
        200: {
            "description": "A Word document (.docx), or Akoma Ntoso 3.0 XML (format=akn)",
            "content": {
                service.DOCX: {"schema": {"type": "string", "format": "binary"}},
                service.AKN: {"schema": {"type": "string"}},
            },
        },
    },
)
def read_version_document(
    session: SessionDep,
    _: CurrentUser,
    declaration_id: int,
    number: int,
    file_format: Annotated[Literal["docx", "akn"], Query(alias="format")] = "docx",
) -> Response:
    """A version as Word (headings as headings, paragraphs numbered, each paragraph's key kept
    as a hidden bookmark so that a marked-up copy maps back exactly), or as Akoma Ntoso 3.0
    (`format=akn`: AKN4UN identification, eIds, each key as the paragraph's wId)."""
    make = service.version_akn if file_format == "akn" else service.version_docx
    return download(make(session, declaration_id=declaration_id, number=number))


@router.get(
    "/declarations/{declaration_id}/compilation",
    response_class=Response,
    responses={**error_responses(401, 404, 422), 200: DOCX_RESPONSE},
)
def read_compilation(
    session: SessionDep,
    _: CurrentUser,
    declaration_id: int,
    file_format: Annotated[Literal["docx"], Query(alias="format")] = "docx",
) -> Response:
    """The compilation text: the head version with every open amendment as a tracked change
    by its city (its rationale a comment), competing rewrites as alternatives after their
    paragraph, and the comments on their quotes."""
    return download(compiling.compilation_docx(session, declaration_id=declaration_id))


@router.post(
    "/declarations/{declaration_id}/amendments/import",
    response_model=DocumentImport,
    status_code=status.HTTP_201_CREATED,
    responses={
        **error_responses(401, 403, 404, 409, 413, NoChangesError, RateLimitedError),
        200: {"model": DocumentImport, "description": "Preview (dry_run): nothing written"},
    },
)
def import_amendments(
    session: SessionDep,
    context: ContextDep,
    member: CityMember,
    declaration_id: int,
    file: Annotated[UploadFile, File(description="the marked-up Word document (.docx)")],
    base_version: Annotated[
        int | None,
        Form(description="the version it was made from; not needed for Concord's own export"),
    ] = None,
    dry_run: Annotated[bool, Form(description="preview only: nothing is written")] = False,
) -> Response:
    """A marked-up Word document becomes your city's amendments (one per changed paragraph)
    and its comments comments on their quotes; `dry_run` previews the list."""
    limit = context.settings.max_body_bytes
    result = uploads.import_amendments(
        session,
        limits=context.write_limits,
        actor=member,
        declaration_id=declaration_id,
        data=file.file.read(limit + 1),
        max_bytes=limit,
        base_version=base_version,
        dry_run=dry_run,
    )
    return Response(
        result.model_dump_json(),
        status_code=200 if dry_run else 201,
        media_type="application/json",
    )
