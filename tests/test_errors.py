"""Refusals in the OpenAPI schema: each code with fields of its own has its body there, named by
the routes that answer it; and no answer leaves its code's body."""

import ast
from pathlib import Path

import httpx
import pytest

import app.main  # noqa: F401  (every domain's TypedErrors and AppErrors declared)
from app.errors import TYPED_ERRORS, AppError, Conflict, ErrorBody, _body
from tests.documented import typed_errors_documented

APP = Path(__file__).parents[1] / "app"


def test_a_code_with_fields_cannot_be_answered_without_them():
    with pytest.raises(TypeError, match="TypedError"):
        _body(Conflict("The head moved.", code="stale_base"))


def test_a_code_without_a_body_of_its_own_carries_no_other_field():
    with pytest.raises(TypeError, match="TypedError"):
        _body(Conflict("Refused.", code="something_new", head_version=3))


def test_an_answer_is_what_was_raised():
    refused = Conflict("The head moved.", code="stale_base", head_version=3)
    assert _body(refused) == {"detail": "The head moved.", "code": "stale_base", "head_version": 3}
    assert _body(Conflict("Refused.", code="wrong_state")) == {
        "detail": "Refused.",
        "code": "wrong_state",
    }


def test_every_refusal_raised_carries_its_codes_fields():
    """Read in the source, so that a refusal on a path no test reaches cannot fail in the
    handler (a 500): each raise of a code with a body of its own passes that body's required
    fields and no others; any other code passes none."""
    kinds = {cls.__name__: cls.code for cls in _subclasses(AppError)}
    wrong = []
    for path in sorted(APP.rglob("*.py")):
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = _called(call)
            if name not in kinds:
                continue
            given = {k.arg: k.value for k in call.keywords}
            code = given.pop("code", ast.Constant(kinds[name]))
            if None in given or not isinstance(code, ast.Constant):
                continue  # fields or a code only known when it runs
            model = TYPED_ERRORS.get(code.value)
            fields = set(model.model_fields) - {"detail", "code"} if model else set()
            required = {f for f in fields if model and model.model_fields[f].is_required()}
            if not required <= set(given) <= fields:
                where = path.relative_to(APP.parent)
                wrong.append(f"{where}:{call.lineno} {code.value} with {sorted(given)}")
    assert not wrong, "refusals that do not fit their code's body:\n" + "\n".join(wrong)


def _subclasses(cls: type) -> list[type]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _subclasses(direct))]


def _called(node: ast.AST) -> str | None:
    """The name a call calls (`Conflict(...)`, `errors.Conflict(...)`), if it is a call."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    return node.func.attr if isinstance(node.func, ast.Attribute) else None


def test_every_typed_body_is_in_the_schema_and_named_by_a_route(app):
    schema = app.openapi()
    components = schema["components"]["schemas"]
    named = {
        ref["$ref"].rsplit("/", 1)[1]
        for operations in schema["paths"].values()
        for operation in operations.values()
        for answer in operation.get("responses", {}).values()
        for ref in _refs(answer)
    }
    for code, model in TYPED_ERRORS.items():
        assert components[model.__name__]["properties"]["code"]["const"] == code
        assert model.__name__ in named, f"no route answers {code}"
    assert ErrorBody.__name__ in named


def test_every_422_may_be_a_request_that_does_not_fit_the_schema(app):
    schema = app.openapi()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            invalid = operation.get("responses", {}).get("422")
            if invalid is not None:
                names = {r["$ref"].rsplit("/", 1)[1] for r in _refs(invalid)}
                assert {"InvalidError", "ErrorBody"} <= names, f"{method} {path}"


def test_a_route_that_does_not_name_the_body_it_answers_is_caught(app):
    """The check every API test's client runs (tests/documented.py) can fail."""
    check = typed_errors_documented(app)
    request = httpx.Request("POST", "http://testserver/api/declarations/1/endorsement/open")
    answer = {"detail": "The head moved.", "code": "stale_base", "head_version": 3}
    with pytest.raises(AssertionError, match="StaleBaseError"):
        check(httpx.Response(409, json=answer, request=request))
    named = {"detail": "Not final.", "code": "wrong_state", "status": "drafting"}
    check(httpx.Response(409, json=named, request=request))


def _refs(answer: dict) -> list[dict]:
    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
    return [r for r in [schema, *schema.get("anyOf", [])] if "$ref" in r]
