"""A request body that is a model as JSON, or a Word file with the model's other fields as a
form: `POST /declarations` and `POST /declarations/{id}/versions` take either.

The Word file's text (every tracked change accepted, split by Word's paragraphs, headings
marked) takes the place of the model's text field; the app's context holds the reader
(`AppContext.word_text`), so the routes that take a Word file import no document code. The
OpenAPI schema says both.
"""

import email.message
import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from starlette.datastructures import UploadFile

from app.deps import get_context
from app.errors import Invalid

M = TypeVar("M", bound=BaseModel)
_MULTIPART = "multipart/form-data"


def json_or_word(model: type[M], *, text_field: str = "text") -> Callable[..., Awaitable[M]]:
    """A dependency reading the body as `model`: JSON, or multipart with a .docx `file`."""

    async def body(request: Request) -> M:
        if request.headers.get("content-type", "").startswith(_MULTIPART):
            payload = await _word_form(request, text_field)
        else:
            payload = await _json(request)
        return _validated(lambda: model.model_validate(payload))

    return body


async def _json(request: Request) -> Any:
    """The body as FastAPI reads a JSON body: parsed when the content type is JSON (or not
    given), else the raw bytes (which then fail validation: 422); unparsable is a 400."""
    raw = await request.body()
    content_type = request.headers.get("content-type")
    if content_type:
        message = email.message.Message()
        message["content-type"] = content_type
        subtype = message.get_content_subtype()
        is_json = message.get_content_maintype() == "application" and (
            subtype == "json" or subtype.endswith("+json")
        )
        if not is_json:
            return raw
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deeply
        raise RequestValidationError(
            [{"type": "json_invalid", "loc": ("body",), "msg": "JSON decode error", "input": {}}]
        ) from None


async def _word_form(request: Request, text_field: str) -> dict[str, Any]:
    context = await get_context(request)
    limit = context.settings.max_body_bytes
    async with request.form(max_files=1, max_fields=20) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise Invalid("Send the Word document as the form field `file`.", code="file_required")
        data = await upload.read(limit + 1)
        fields = {k: v for k, v in form.items() if k not in ("file", text_field)}
    text = await run_in_threadpool(context.word_text, data, max_bytes=limit)
    return {**fields, text_field: text}


def _validated(make: Callable[[], M]) -> M:
    try:
        return make()
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors()]
        raise RequestValidationError(errors) from None


def word_upload_body(model: type[BaseModel], form_fields: dict[str, dict]) -> dict[str, Any]:
    """`openapi_extra` for such a route: the body as JSON, or as a form with the Word file."""
    required = ["file", *[name for name, spec in form_fields.items() if spec.pop("required", 0)]]
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}},
                _MULTIPART: {
                    "schema": {
                        "type": "object",
                        "required": required,
                        "properties": {
                            "file": {
                                "type": "string",
                                "format": "binary",
                                "description": "a Word document (.docx); its text with every "
                                "tracked change accepted, split by Word's paragraphs",
                            },
                            **form_fields,
                        },
                    }
                },
            },
        }
    }


def document_models(app: FastAPI, models: Iterable[type[BaseModel]]) -> None:
    """Put the JSON bodies' models in the schema's components (no route declares them as a
    parameter, so FastAPI would leave them out)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            _, definitions = models_json_schema(
                [(m, "validation") for m in models], ref_template="#/components/schemas/{model}"
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in definitions.get("$defs", {}).items():
                components.setdefault(name, _as_fastapi_writes(definition))
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def _as_fastapi_writes(definition: dict[str, Any]) -> dict[str, Any]:
    """FastAPI leaves `default: null` out of its schemas (the generated client would make such
    fields required): do the same."""
    for field in definition.get("properties", {}).values():
        if "default" in field and field["default"] is None:
            del field["default"]
    return definition
