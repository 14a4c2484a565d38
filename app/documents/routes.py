"""Documents: a version as Word (or Akoma Ntoso), the compilation text, and Word uploads."""

from typing import Annotated, Literal

from fastapi import Query, Response

from app.deps import CurrentUser, SessionDep
from app.documents import service
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
