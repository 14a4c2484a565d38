"""The application's errors and the one handler that turns them into {detail, code}."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Literal, Union, get_args

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.text.intake import TextRejected


class ErrorBody(BaseModel):
    """Every refusal: a sentence for people (`detail`) and a word for programs (`code`). A code
    that says more has its own body below, named in the `responses` of the routes that use it,
    so that the generated client types it."""

    model_config = ConfigDict(extra="forbid")

    detail: str
    code: str


class TypedError(ErrorBody):
    """The body of one code with fields of its own, and the HTTP status it comes with. Declare
    one (here, or in a domain's schemas) as a subclass with `code: Literal["the_code"]`: the
    handler then answers that code through it."""

    http_status: ClassVar[int]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for code in get_args(cls.model_fields["code"].annotation):
            TYPED_ERRORS[code] = cls


# Each code with a body of its own, and that body (filled as the TypedErrors are declared).
TYPED_ERRORS: dict[str, type[TypedError]] = {}


class MergeConflict(BaseModel):
    """One amendment a merge could not apply, why, and every wording that clashes."""

    amendment_id: int
    paragraph_key: str | None
    reason: str = Field(description="one plain sentence: what clashes, and with whom")
    competing_amendments: list[int] = Field(
        description="the amendments earlier in this merge that changed the paragraph "
        "(empty: the clash is with the head)"
    )
    current_text: str | None = Field(
        description="the paragraph in the head version (null when it is not there)"
    )
    competing_text: str | None = Field(
        description="the paragraph as the competing amendments make it (null when none)"
    )
    proposed_text: str | None = Field(
        description="the amendment's own wording (null for a deletion)"
    )
    clashing_words: str = Field(
        description="the words of the amendment's base text both sides change "
        '("" when both insert at one place)'
    )


class ConflictError(TypedError):
    """A merge refused: the amendments that conflict with the text or with each other."""

    http_status = 409
    code: Literal["conflict"]
    conflicts: list[MergeConflict]


class StaleBaseError(TypedError):
    """A new version asked for from a version that is no longer the head."""

    http_status = 409
    code: Literal["stale_base"]
    head_version: int


class NotHeadError(TypedError):
    """Only the head version can be finalized."""

    http_status = 409
    code: Literal["not_head"]
    head_version: int


class WrongStateError(TypedError):
    """The declaration is not in the state this needs (its status, when the answer names it)."""

    http_status = 409
    code: Literal["wrong_state"]
    status: Literal["drafting", "final", "open", "closed"] | None = None


class HashMismatchError(TypedError):
    """The text signed for is not the final text: `content_hash` is the final one."""

    http_status = 409
    code: Literal["hash_mismatch"]
    content_hash: str


class AlreadySignedError(TypedError):
    """The city's standing signature (when there is one to name)."""

    http_status = 409
    code: Literal["already_signed"]
    signature_id: int | None = None


class FieldError(BaseModel):
    """One field a request got wrong: where, what, and pydantic's name for it."""

    loc: list[str]
    msg: str
    type: str


class InvalidError(TypedError):
    """A request whose parameters or body do not fit the schema."""

    http_status = 422
    code: Literal["invalid"]
    errors: list[FieldError]


class CsvInvalidError(TypedError):
    """A CSV import refused: every line's problem (nothing was imported)."""

    http_status = 422
    code: Literal["csv_invalid"]
    problems: list[str]


class NotReconciledError(TypedError):
    """An amendment named as reconciled that no direct edit of the version touches."""

    http_status = 422
    code: Literal["not_reconciled"]
    amendment_id: int


class RateLimitedError(TypedError):
    """Too many writes: try again in `retry_after` seconds."""

    http_status = 429
    code: Literal["rate_limited"]
    retry_after: int


class LoginThrottledError(TypedError):
    """Too many failed sign-ins: try again in `retry_after` seconds."""

    http_status = 429
    code: Literal["login_throttled"]
    retry_after: int


class ResetThrottledError(TypedError):
    """Too many links to set a new password asked for: try again in `retry_after` seconds."""

    http_status = 429
    code: Literal["reset_throttled"]
    retry_after: int


class SigningThrottledError(TypedError):
    """Too many wrong passwords when signing: try again in `retry_after` seconds."""

    http_status = 429
    code: Literal["signing_throttled"]
    retry_after: int


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


def error_responses(*errors: int | type[TypedError]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the statuses it may refuse with, and the codes with fields of
    their own it may answer (each at its status, beside ErrorBody for every other code), so the
    generated client knows each body's shape. Every 422 may be a request that does not fit the
    schema (InvalidError)."""
    bodies: dict[int, list[type[ErrorBody]]] = {}
    for error in errors:
        if isinstance(error, int):
            bodies.setdefault(error, [])
        else:
            bodies.setdefault(error.http_status, []).append(error)
    if 422 in bodies:
        bodies[422].insert(0, InvalidError)
    return {status: {"model": _one_of(models)} for status, models in bodies.items()}


def _one_of(models: list[type[ErrorBody]]) -> Any:
    return Union[*models, ErrorBody] if models else ErrorBody  # noqa: UP007 (a runtime union)


def _body(exc: AppError) -> dict[str, Any]:
    """The answer to a refusal, made through its code's model: it cannot leave the schema."""
    model = TYPED_ERRORS.get(exc.code, ErrorBody)
    try:
        body = model.model_validate({"detail": exc.detail, "code": exc.code, **exc.extra})
    except ValidationError as wrong:
        raise TypeError(
            f"A refusal {exc.code!r} with fields {sorted(exc.extra)} does not fit its body "
            f"{model.__name__}: a code with fields of its own needs its TypedError "
            f"(app/errors.py).\n{wrong}"
        ) from None
    return body.model_dump(mode="json", exclude_unset=True)


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
        return JSONResponse(_body(exc), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(
                {"detail": "The request body is not valid JSON.", "code": "malformed_json"},
                status_code=400,
            )
        body = InvalidError(detail=_describe(errors), code="invalid", errors=_field_errors(errors))
        return JSONResponse(body.model_dump(), status_code=422)

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
    """Make the OpenAPI schema say what a 422 really is: an InvalidError ({detail, code,
    errors}) or another code's ErrorBody, not FastAPI's {detail: [...]}, which every 422 of ours
    would break; and that any request body may be refused as malformed (400) or too large (413)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            any_error = {"$ref": "#/components/schemas/ErrorBody"}
            invalid = {"anyOf": [{"$ref": "#/components/schemas/InvalidError"}, any_error]}
            for operation in (op for path in schema["paths"].values() for op in path.values()):
                responses = operation.setdefault("responses", {})
                for answer in responses.values():  # a union's generated title says nothing
                    answer.get("content", {}).get("application/json", {}).get("schema", {}).pop(
                        "title", None
                    )
                body = responses.get("422", {}).get("content", {}).get("application/json", {})
                if body.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    body["schema"] = invalid
                if "requestBody" in operation:
                    for status, why in (("400", "Malformed body"), ("413", "Too large")):
                        responses.setdefault(
                            status,
                            {
                                "description": why,
                                "content": {"application/json": {"schema": any_error}},
                            },
                        )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            _, definitions = models_json_schema(
                [(InvalidError, "serialization"), (ErrorBody, "serialization")],
                ref_template="#/components/schemas/{model}",
            )
            for name, definition in definitions.get("$defs", {}).items():
                components.setdefault(name, definition)
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


def _field_errors(errors: Any) -> list[FieldError]:
    return [
        FieldError(
            loc=[str(p) for p in e.get("loc", ())], msg=str(e.get("msg", "")), type=e["type"]
        )
        for e in errors
    ]
