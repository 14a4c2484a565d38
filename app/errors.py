"""The application's errors and the one handler that turns them into {detail, code}."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.text.intake import TextRejected


class ErrorBody(BaseModel):
    detail: str
    code: str


class AppError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.extra = extra


class Unauthorized(AppError):
    status_code, code = 401, "not_authenticated"


class Forbidden(AppError):
    status_code, code = 403, "forbidden"


class NotFound(AppError):
    status_code, code = 404, "not_found"


class Conflict(AppError):
    status_code, code = 409, "conflict"


class TooLarge(AppError):
    status_code, code = 413, "too_large"


class Invalid(AppError):
    status_code, code = 422, "invalid"


class TooManyRequests(AppError):
    status_code, code = 429, "too_many_requests"


@contextmanager
def text_intake() -> Iterator[None]:
    """Text the core refuses (`TextRejected`) is the request's fault: 413 when it is too large,
    422 otherwise, with the core's machine code."""
    try:
        yield
    except TextRejected as exc:
        raise (TooLarge if exc.too_large else Invalid)(str(exc), code=exc.code) from None


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route, so the generated client knows the error shape."""
    return {status: {"model": ErrorBody} for status in statuses}


_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, exc: AppError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else {}
        if "retry_after" in exc.extra:
            headers["Retry-After"] = str(exc.extra["retry_after"])
        body = {"detail": exc.detail, "code": exc.code, **exc.extra}
        return JSONResponse(body, status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(
                {"detail": "The request body is not valid JSON.", "code": "malformed_json"},
                status_code=400,
            )
        return JSONResponse(
            {"detail": _describe(errors), "code": "invalid", "errors": _jsonable(errors)},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request refused."
        code = _HTTP_CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is nothing at this address."
        if exc.status_code == 400 and detail == _FASTAPI_UNPARSABLE:
            # FastAPI's answer to a body json.loads cannot read (not UTF-8, nested too deep).
            detail = "The request body is not JSON in UTF-8, or it is nested too deeply."
            code = "malformed_json"
        return JSONResponse(
            {"detail": detail, "code": code},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def unstorable_value(_: Request, exc: Exception) -> JSONResponse:
        # A value the database cannot hold or compare (an id past its integers, a NUL
        # character on PostgreSQL) is the request's fault: 422, not a 500.
        if isinstance(exc, DataError) and not _is_unstorable(exc):
            raise exc
        return JSONResponse(
            {
                "detail": "A value in the request is out of range: a number larger than the "
                "database's integers, or a NUL character.",
                "code": "out_of_range",
            },
            status_code=422,
        )


_FASTAPI_UNPARSABLE = "There was an error parsing the body"


def _is_unstorable(exc: DataError) -> bool:
    """PostgreSQL's numeric_value_out_of_range, or psycopg refusing a NUL in a text."""
    return getattr(exc.orig, "sqlstate", None) == "22003" or "NUL (0x00)" in str(exc.orig)


def document_error_bodies(app: FastAPI) -> None:
    """Make the OpenAPI schema say what a 422 really is: an ErrorBody ({detail, code,
    errors}), not FastAPI's {detail: [...]}, which every 422 of ours would break; and that
    any request body may be refused as malformed (400) or too large (413)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            ours = {"$ref": "#/components/schemas/ErrorBody"}
            for operation in (op for path in schema["paths"].values() for op in path.values()):
                responses = operation.setdefault("responses", {})
                invalid = responses.get("422", {})
                body = invalid.get("content", {}).get("application/json", {})
                if body.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    body["schema"] = ours
                if "requestBody" in operation:
                    for status, why in (("400", "Malformed body"), ("413", "Too large")):
                        responses.setdefault(
                            status,
                            {"description": why, "content": {"application/json": {"schema": ours}}},
                        )
            components = schema.get("components", {}).get("schemas", {})
            components.setdefault("ErrorBody", ErrorBody.model_json_schema())
            for unused in ("HTTPValidationError", "ValidationError"):
                components.pop(unused, None)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def _describe(errors: Any) -> str:
    parts = []
    for error in list(errors)[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "The request is invalid."


def _jsonable(errors: Any) -> list[dict[str, Any]]:
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": e["type"]}
        for e in errors
    ]
