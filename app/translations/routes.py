"""Translations: per language at the head, one language at a version, saving one, and a
version's canonical text in the source language or a translation."""

from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.declarations import service as declarations
from app.deps import ContextDep, CurrentUser, Editor, SessionDep
from app.documents.routes import DOCX_RESPONSE, download
from app.documents.uploads import read_upload
from app.errors import Invalid, error_responses
from app.routing import APIRouter
from app.translations import documents, service
from app.translations.schemas import (
    Alignment,
    AlignmentIncompleteError,
    LanguageSummary,
    TranslatedParagraph,
    TranslationIncompleteError,
    TranslationOut,
    TranslationPut,
)

router = APIRouter(tags=["translations"])

_MULTIPART = "multipart/form-data"
_DOCX_NAMES = (".docx",)


def translation_out(translation: service.Translation) -> TranslationOut:
    alignment = translation.alignment
    return TranslationOut(
        language=translation.language,
        direction=translation.direction,  # type: ignore[arg-type]
        version=translation.version,
        saved=translation.saved,
        current=translation.count("current"),
        outdated=translation.count("outdated"),
        missing=translation.count("missing"),
        paragraphs=[
            TranslatedParagraph.model_validate(p, from_attributes=True)
            for p in translation.paragraphs
        ],
        alignment=Alignment.model_validate(alignment, from_attributes=True) if alignment else None,
    )


@router.get(
    "/declarations/{declaration_id}/translations",
    response_model=list[LanguageSummary],
    responses=error_responses(401, 404),
)
def list_translations(
    session: SessionDep, _: CurrentUser, declaration_id: int
) -> list[LanguageSummary]:
    """Each language translated (or authentic), with its paragraphs at the head version
    counted as current, outdated or missing (a bare array: there are few)."""
    declaration = declarations.get_declaration(session, declaration_id)
    authentic = set(declaration.authentic_languages or [])
    return [
        LanguageSummary(
            language=t.language,
            direction=t.direction,  # type: ignore[arg-type]
            version=t.version,
            authentic=t.language in authentic,
            current=t.count("current"),
            outdated=t.count("outdated"),
            missing=t.count("missing"),
        )
        for t in service.translations_overview(session, declaration_id=declaration_id)
    ]


@router.get(
    "/declarations/{declaration_id}/versions/{number}/translations/{language}",
    response_model=TranslationOut,
    responses=error_responses(401, 404, 422),
)
def read_translation(
    session: SessionDep, _: CurrentUser, declaration_id: int, number: int, language: str
) -> TranslationOut:
    """A version's translation into one language, paragraph by paragraph: current, outdated
    (with the source's redline since the version it was translated from) or missing."""
    return translation_out(
        service.read_translation(
            session, declaration_id=declaration_id, number=number, language=language
        )
    )


@router.get(
    "/declarations/{declaration_id}/versions/{number}/translations/{language}/document",
    response_class=Response,
    responses={**error_responses(401, 404, 422), 200: DOCX_RESPONSE},
)
def read_translation_document(
    session: SessionDep, _: CurrentUser, declaration_id: int, number: int, language: str
) -> Response:
    """A version's translation as Word: the version's paragraph keys kept as in its own Word
    export (so the file re-uploads as the same translation), the language's direction set;
    a paragraph not translated yet is empty."""
    return download(
        documents.translation_docx(
            session, declaration_id=declaration_id, number=number, language=language
        )
    )


class _Upload:
    def __init__(self, upload: service.Upload, dry_run: bool) -> None:
        self.upload, self.dry_run = upload, dry_run


async def _parsed_upload(request: Request, context: ContextDep) -> _Upload:
    """The body as JSON (paragraphs or a whole text) or as a multipart form (`file`, .txt or
    .docx, and `dry_run`)."""
    if request.headers.get("content-type", "").startswith(_MULTIPART):
        return await _form_upload(request, context.settings.max_body_bytes)
    body = await request.body()
    try:
        put = TranslationPut.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False)) from None
    if put.paragraphs is not None:
        pairs = [(p.key, p.text) for p in put.paragraphs]
        return _Upload(service.Upload(paragraphs=pairs), put.dry_run)
    return _Upload(service.Upload(text=put.text), put.dry_run)


async def _form_upload(request: Request, max_bytes: int) -> _Upload:
    form = await request.form(max_files=1, max_fields=4)
    file = form.get("file")
    dry_run = str(form.get("dry_run", "false")).strip().lower() in ("true", "1", "on", "yes")
    if file is None or isinstance(file, str):
        raise Invalid("Send the translation as the form's `file`.", code="file_missing")
    data = await file.read(max_bytes + 1)
    name = (file.filename or "").lower()
    if name.endswith(_DOCX_NAMES) or data[:2] == b"PK":
        # Reading a Word file is CPU work: off the event loop, which serves the live streams.
        word = await run_in_threadpool(read_upload, data, max_bytes=max_bytes)
        return _Upload(service.Upload(word=word), dry_run)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid(
            "The file is neither UTF-8 plain text nor a Word document (.docx).",
            code="unreadable_file",
        ) from None
    return _Upload(service.Upload(text=text), dry_run)


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its `$defs` written in place (the body is parsed by hand, so
    FastAPI does not list the model among the components)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_PUT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inlined(TranslationPut.model_json_schema())},
            _MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "the whole translation, .txt (UTF-8) or .docx",
                        },
                        "dry_run": {"type": "boolean", "default": False},
                    },
                }
            },
        },
    }
}


@router.put(
    "/declarations/{declaration_id}/versions/{number}/translations/{language}",
    response_model=TranslationOut,
    responses=error_responses(400, 401, 403, 404, 409, 413, AlignmentIncompleteError),
    openapi_extra=_PUT_BODY,
)
def save_translation(
    session: SessionDep,
    editor: Editor,
    declaration_id: int,
    number: int,
    language: str,
    sent: Annotated[_Upload, Depends(_parsed_upload)],
) -> TranslationOut:
    """Save a version's translation: paragraphs by key, or a whole text (JSON `text`, or a
    .txt/.docx `file`) aligned to the version's paragraphs; `dry_run` shows the alignment
    and saves nothing."""
    translation = service.save_translation(
        session,
        actor=editor,
        declaration_id=declaration_id,
        number=number,
        language=language,
        upload=sent.upload,
        dry_run=sent.dry_run,
    )
    return translation_out(translation)


@router.get(
    "/declarations/{declaration_id}/versions/{number}/text",
    response_class=Response,
    responses={
        **error_responses(401, 404, 422, TranslationIncompleteError),
        200: {"content": {"text/plain": {}}},
    },
)
def read_version_text(
    session: SessionDep,
    _: CurrentUser,
    declaration_id: int,
    number: int,
    language: Annotated[
        str | None, Query(description="a translation's language; the source's when absent")
    ] = None,
) -> Response:
    """The canonical text, byte for byte: its SHA-256 is the version's content_hash. With
    `language`, the translation's canonical text by the same rules (409 while incomplete)."""
    if language is None:
        version = declarations.get_version(session, declaration_id, number)
        text, fingerprint = declarations.version_text(version), version.content_hash
    else:
        text, fingerprint = service.translated_text(
            session, declaration_id=declaration_id, number=number, language=language
        )
    return Response(
        text.encode("utf-8"),
        media_type="text/plain; charset=utf-8",
        headers={"X-Content-Hash": fingerprint},
    )
