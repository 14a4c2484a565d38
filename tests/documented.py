"""A check on every answer of the test client: a refusal that carries fields of its code's own
body (`app.errors.TYPED_ERRORS`) comes from a route whose OpenAPI `responses` name that body, at
that status, so that the generated client types those fields. The whole API suite thereby
checks each route's declaration against what it really answers."""

import re
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI

from app.errors import TYPED_ERRORS

Check = Callable[[httpx.Response], None]


def typed_errors_documented(app: FastAPI) -> Check:
    routes = _routes(app.openapi())

    def check(response: httpx.Response) -> None:
        if response.status_code < 400 or "json" not in response.headers.get("content-type", ""):
            return
        response.read()
        body = response.json()
        model = TYPED_ERRORS.get(body.get("code")) if isinstance(body, dict) else None
        if model is None or set(body) <= {"detail", "code"}:  # ErrorBody says all of it
            return
        label = f"{response.request.method} {response.request.url.path}"
        assert response.status_code == model.http_status, (
            f"{label}: {body['code']} at {response.status_code}"
        )
        named = _named_bodies(
            routes, response.request.method, response.request.url.path, response.status_code
        )
        assert model.__name__ in named, (
            f"{label} answers {body['code']} ({response.status_code}) but its responses "
            f"name only {sorted(named)}: add {model.__name__} to its error_responses(...)"
        )

    return check


def _routes(schema: dict[str, Any]) -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    routes = []
    # Literal segments first: /users/import is not /users/{user_id}.
    for path, operations in sorted(schema["paths"].items(), key=lambda p: p[0].count("{")):
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method, operation in operations.items():
            routes.append((pattern, method.upper(), operation.get("responses", {})))
    return routes


def _named_bodies(routes, method: str, path: str, status: int) -> set[str]:
    for pattern, route_method, responses in routes:
        if route_method == method and pattern.match(path):
            schema = responses.get(str(status), {}).get("content", {}).get("application/json", {})
            schema = schema.get("schema", {})
            refs = [schema, *schema.get("anyOf", [])]
            return {r["$ref"].rsplit("/", 1)[1] for r in refs if "$ref" in r}
    return set()
