"""Documents: a version as Word (or Akoma Ntoso), the compilation text, and Word uploads."""

from typing import Annotated, Literal

from fastapi import File, Form, Query, Response, UploadFile, status

from app.deps import CityMember, ContextDep, CurrentUser, SessionDep
from app.documents import service, uploads
from app.documents.schemas import DocumentImport
from app.errors import error_responses
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


@router.get(
    "/declarations/{declaration_id}/versions/{number}/document",
    response_class=Response,
    responses={**error_responses(401, 404, 422), 200: DOCX_RESPONSE},
)
def read_version_document(
    session: SessionDep,
    _: CurrentUser,
    declaration_id: int,
    number: int,
    file_format: Annotated[Literal["docx"], Query(alias="format")] = "docx",
) -> Response:
    """A version as Word: headings as headings, paragraphs numbered, each paragraph's key kept
    (as a hidden bookmark) so that a marked-up copy maps back exactly."""
    return download(service.version_docx(session, declaration_id=declaration_id, number=number))


@router.post(
    "/declarations/{declaration_id}/amendments/import",
    response_model=DocumentImport,
    status_code=status.HTTP_201_CREATED,
    responses={
        **error_responses(401, 403, 404, 409, 413, 422, 429),
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
