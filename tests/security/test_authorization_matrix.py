"""Every route, called as every role and as nobody, against the matrix in docs/security.md.

The matrix is written once, as the tables of docs/security.md; this test reads them. A route the
app serves without a row there fails, as does a row for a route that is gone. Each request runs
in a savepoint rolled back before the next, so every identity meets the same world; a refused
request must leave every row of every table as it was.
"""

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from tests.conftest import PASSWORD
from tests.documents.markup import marked_up, paras
from tests.passkeys.authenticator import SoftAuthenticator
from tests.security import (
    MATRIX,
    NOBODIES,
    OWNERSHIP,
    ROLES,
    World,
    snapshot,
    world_fixture,  # noqa: F401 (the `world` fixture)
)


def served_routes(app) -> set[str]:
    """Every method and path the app answers, whether or not it is in the OpenAPI schema.
    (FastAPI ≥ 0.16x keeps included routers whole in `app.routes`; their routes are listed
    by `iter_route_contexts`.) Static mounts are covered by the path traversal tests."""
    served = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount) or not route.methods:
            continue
        served |= {f"{method} {route.path}" for method in route.methods - {"HEAD"}}
    return served


# How to call each route, as `who`: (url, keyword arguments for the test client).
Request = tuple[str, dict[str, Any]]


def _d(declaration: int, rest: str = "", **kwargs: Any) -> Request:
    return f"/api/declarations/{declaration}{rest}", kwargs


def _marked_up_copy(world: World) -> bytes:
    """Version 2 of the drafting declaration as Word, one paragraph changed with Track Changes."""
    answer = world.client.get(
        f"/api/declarations/{world.drafting}/versions/2", headers=world.as_("co_facilitator")
    ).json()
    before = paras(answer)
    after = [*before[:1], dataclasses.replace(before[1], text="We, mayors, commit to all."),
             *before[2:]]
    return marked_up(world.drafting, 2, before, after)


def _own_comment(world: World, who: str) -> int:
    return world.comments.get(who, world.comments["delegate"])


NEW_USER = {"email": "new@test.example", "name": "New Observer", "password": PASSWORD}
RECIPES: dict[str, Callable[[World, str], Request]] = {
    "GET /api/openapi.json": lambda w, who: ("/api/openapi.json", {}),
    "GET /api/docs": lambda w, who: ("/api/docs", {}),
    "GET /{path:path}": lambda w, who: ("/declarations/1", {}),
    "GET /api/health": lambda w, who: ("/api/health", {}),
    "POST /api/auth/token": lambda w, who: (
        "/api/auth/token",
        {"data": {"username": w.users["delegate"].email, "password": PASSWORD}},
    ),
    "GET /api/auth/password-reset": lambda w, who: ("/api/auth/password-reset", {}),
    "POST /api/auth/password-reset": lambda w, who: (
        "/api/auth/password-reset",
        {"json": {"email": w.users["delegate"].email}},
    ),
    "POST /api/auth/password-reset/confirm": lambda w, who: (
        "/api/auth/password-reset/confirm",
        {"json": {"token": "a-token-nobody-was-sent", "password": "a new passphrase"}},
    ),
    "GET /api/.well-known/jwks.json": lambda w, who: ("/api/.well-known/jwks.json", {}),
    "GET /api/declarations/{declaration_id}/log/checkpoint": lambda w, who: _d(
        w.open_signed, "/log/checkpoint"
    ),
    "GET /api/declarations/{declaration_id}/log/proof": lambda w, who: _d(
        w.open_signed, "/log/proof", params={"seq": 1}
    ),
    "GET /api/declarations/{declaration_id}/log/consistency": lambda w, who: _d(
        w.open_signed, "/log/consistency", params={"from": 1, "to": 2}
    ),
    "GET /api/me": lambda w, who: ("/api/me", {}),
    "GET /api/me/notifications": lambda w, who: ("/api/me/notifications", {}),
    "POST /api/me/notifications/read": lambda w, who: (
        "/api/me/notifications/read",
        {"json": {"all": True}},
    ),
    "GET /api/cities": lambda w, who: ("/api/cities", {}),
    "POST /api/cities": lambda w, who: ("/api/cities", {"json": {"name": "Gent", "country": "BE"}}),
    "POST /api/cities/import": lambda w, who: (
        "/api/cities/import",
        {"json": {"csv": "name,country\nGent,BE\n"}},
    ),
    "PATCH /api/cities/{city_id}": lambda w, who: (
        f"/api/cities/{w.users['other_delegate'].city_id}",
        {"json": {"name": "Mechelen (corrected)"}},
    ),
    "GET /api/users": lambda w, who: ("/api/users", {}),
    "POST /api/users": lambda w, who: ("/api/users", {"json": {**NEW_USER, "role": "observer"}}),
    "POST /api/users/import": lambda w, who: (
        "/api/users/import",
        {"json": {"csv": "email,name,role\nnew@test.example,New Observer,observer\n"}},
    ),
    "PATCH /api/users/{user_id}": lambda w, who: (
        f"/api/users/{w.users['other_delegate'].id}",
        {"json": {"title": "Deputy mayor"}},
    ),
    "GET /api/declarations": lambda w, who: ("/api/declarations", {}),
    "POST /api/declarations": lambda w, who: (
        "/api/declarations",
        {"json": {"title": "Another declaration", "text": "One.\n\nTwo.\n"}},
    ),
    "GET /api/declarations/{declaration_id}": lambda w, who: _d(w.drafting),
    "GET /api/declarations/{declaration_id}/versions": lambda w, who: _d(w.drafting, "/versions"),
    "GET /api/declarations/{declaration_id}/versions/{number}": lambda w, who: _d(
        w.drafting, "/versions/2"
    ),
    "GET /api/declarations/{declaration_id}/versions/{number}/text": lambda w, who: _d(
        w.drafting, "/versions/2/text"
    ),
    "GET /api/declarations/{declaration_id}/compare": lambda w, who: _d(
        w.drafting, "/compare", params={"from": 1, "to": 2}
    ),
    "GET /api/declarations/{declaration_id}/compilation": lambda w, who: _d(
        w.drafting, "/compilation", params={"format": "docx"}
    ),
    "GET /api/declarations/{declaration_id}/versions/{number}/document": lambda w, who: _d(
        w.drafting, "/versions/2/document", params={"format": "docx"}
    ),
    "GET /api/declarations/{declaration_id}/translations": lambda w, who: _d(
        w.drafting, "/translations"
    ),
    "GET /api/declarations/{declaration_id}/versions/{number}/translations/{language}": (
        lambda w, who: _d(w.drafting, "/versions/2/translations/fr")
    ),
    "GET /api/declarations/{declaration_id}/versions/{number}/translations/{language}/document": (
        lambda w, who: _d(w.drafting, "/versions/2/translations/fr/document")
    ),
    "PUT /api/declarations/{declaration_id}/versions/{number}/translations/{language}": (
        lambda w, who: _d(
            w.drafting,
            "/versions/2/translations/fr",
            json={"paragraphs": [{"key": w.keys[0], "text": "Nous, maires."}]},
        )
    ),
    "POST /api/declarations/{declaration_id}/versions": lambda w, who: _d(
        w.drafting,
        "/versions",
        json={
            "base_version": 2,
            "edits": [{"action": "modify", "paragraph_key": w.keys[2], "text": "Cities belong."}],
        },
    ),
    "GET /api/declarations/{declaration_id}/events": lambda w, who: _d(w.drafting, "/events"),
    "GET /api/declarations/{declaration_id}/stream": lambda w, who: _d(w.drafting, "/stream"),
    "POST /api/declarations/{declaration_id}/finalize": lambda w, who: _d(
        w.drafting, "/finalize", json={"version": 2}
    ),
    "POST /api/declarations/{declaration_id}/endorsement/open": lambda w, who: _d(
        w.final, "/endorsement/open"
    ),
    "POST /api/declarations/{declaration_id}/endorsement/close": lambda w, who: _d(
        w.open_signed, "/endorsement/close"
    ),
    "GET /api/declarations/{declaration_id}/comments": lambda w, who: _d(w.drafting, "/comments"),
    "POST /api/declarations/{declaration_id}/comments": lambda w, who: _d(
        w.drafting, "/comments", json={"paragraph_key": w.keys[1], "body": "Agreed."}
    ),
    "PATCH /api/comments/{comment_id}": lambda w, who: (
        f"/api/comments/{_own_comment(w, who)}",
        {"json": {"body": "On second thought, agreed."}},
    ),
    "POST /api/comments/{comment_id}/resolve": lambda w, who: (
        f"/api/comments/{_own_comment(w, who)}/resolve",
        {},
    ),
    "GET /api/declarations/{declaration_id}/amendments": lambda w, who: _d(
        w.drafting, "/amendments"
    ),
    "POST /api/declarations/{declaration_id}/amendments": lambda w, who: _d(
        w.drafting,
        "/amendments",
        json={
            "base_version": 2,
            "action": "modify",
            "paragraph_key": w.keys[2],
            "text": "Cities are home.",
        },
    ),
    "POST /api/declarations/{declaration_id}/amendments/import": lambda w, who: _d(
        w.drafting,
        "/amendments/import",
        files={"file": ("marked-up.docx", _marked_up_copy(w), "application/octet-stream")},
    ),
    "GET /api/amendments/{amendment_id}": lambda w, who: (
        f"/api/amendments/{w.amendments['own']}",
        {},
    ),
    "POST /api/amendments/{amendment_id}/support": lambda w, who: (
        f"/api/amendments/{w.amendments['unsupported']}/support",
        {},
    ),
    "DELETE /api/amendments/{amendment_id}/support": lambda w, who: (
        f"/api/amendments/{w.amendments['supported']}/support",
        {},
    ),
    "POST /api/amendments/{amendment_id}/withdraw": lambda w, who: (
        f"/api/amendments/{w.amendments['own']}/withdraw",
        {},
    ),
    "POST /api/amendments/{amendment_id}/decision": lambda w, who: (
        f"/api/amendments/{w.amendments['unsupported']}/decision",
        {"json": {"decision": "accept", "note": "Agreed in the room."}},
    ),
    "GET /api/declarations/{declaration_id}/signatures": lambda w, who: _d(
        w.open_signed, "/signatures"
    ),
    "POST /api/declarations/{declaration_id}/signatures": lambda w, who: _d(
        w.open_unsigned,
        "/signatures",
        json={"content_hash": w.unsigned_hash, "password": PASSWORD},
    ),
    "DELETE /api/declarations/{declaration_id}/signatures/{signature_id}": lambda w, who: _d(
        w.open_signed, f"/signatures/{w.signatures['mayor']}"
    ),
    "GET /api/declarations/{declaration_id}/signatures/{signature_id}/receipt": lambda w, who: _d(
        w.open_signed, f"/signatures/{w.signatures['mayor']}/receipt"
    ),
    "GET /api/declarations/{declaration_id}/signed-declaration": lambda w, who: _d(
        w.closed, "/signed-declaration"
    ),
}


def _mayors_passkey(world: World) -> int:
    """A passkey the mayor registers (a software authenticator), for the routes that need one."""
    options = world.client.post("/api/me/passkeys/options", headers=world.as_("mayor")).json()
    credential = SoftAuthenticator().create(options)
    r = world.client.post(
        "/api/me/passkeys",
        json={"name": "Laptop", "credential": credential},
        headers=world.as_("mayor"),
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _new_passkey(world: World) -> Request:
    options = world.client.post("/api/me/passkeys/options", headers=world.as_("mayor")).json()
    credential = SoftAuthenticator().create(options)
    return "/api/me/passkeys", {"json": {"name": "Phone", "credential": credential}}


RECIPES |= {
    "POST /api/me/passkeys/options": lambda w, who: ("/api/me/passkeys/options", {}),
    "POST /api/me/passkeys": lambda w, who: _new_passkey(w),
    "GET /api/me/passkeys": lambda w, who: ("/api/me/passkeys", {}),
    "DELETE /api/me/passkeys/{passkey_id}": lambda w, who: (
        f"/api/me/passkeys/{_mayors_passkey(w)}",
        {},
    ),
    "POST /api/declarations/{declaration_id}/signatures/options": lambda w, who: (
        _mayors_passkey(w) and _d(w.open_unsigned, "/signatures/options")
    ),
}

_OTHERS_COMMENT = "other_delegate"
OWNERSHIP_RECIPES: dict[str, Callable[[World], Request]] = {
    "another city's amendment, withdrawn": lambda w: (
        f"/api/amendments/{w.amendments['supported']}/withdraw",
        {},
    ),
    "another city's amendment, withdrawn by its mayor": lambda w: (
        f"/api/amendments/{w.amendments['supported']}/withdraw",
        {},
    ),
    "one's own city's amendment, supported": lambda w: (
        f"/api/amendments/{w.amendments['own']}/support",
        {},
    ),
    "another city's support, removed": lambda w: (
        f"/api/amendments/{w.amendments['unsupported']}/support",
        {},
    ),
    "another mayor's signature, withdrawn": lambda w: _d(
        w.open_signed, f"/signatures/{w.signatures['other_mayor']}"
    ),
    "one's signature, withdrawn through another declaration": lambda w: _d(
        w.open_unsigned, f"/signatures/{w.signatures['mayor']}"
    ),
    "a city signs twice": lambda w: _d(
        w.open_signed,
        "/signatures",
        json={"content_hash": w.signed_hash, "password": PASSWORD},
    ),
    "another mayor's passkey, removed": lambda w: (f"/api/me/passkeys/{_mayors_passkey(w)}", {}),
    **{
        f"another author's comment, edited{by}": lambda w: (
            f"/api/comments/{w.comments[_OTHERS_COMMENT]}",
            {"json": {"body": "Not your words."}},
        )
        for by in ("", " by a co-facilitator", " by the secretariat")
    },
    **{
        f"another author's comment, resolved{by}": lambda w: (
            f"/api/comments/{w.comments[_OTHERS_COMMENT]}/resolve",
            {},
        )
        for by in ("", " by an observer", " by a co-facilitator", " by the secretariat")
    },
    "a reply into another declaration's thread": lambda w: _d(
        w.final,
        "/comments",
        json={"parent_id": w.comments[_OTHERS_COMMENT], "body": "A reply elsewhere."},
    ),
    "one's own account, deactivated": lambda w: (
        f"/api/users/{w.users['admin'].id}",
        {"json": {"active": False}},
    ),
}


def test_every_route_has_a_row(world):
    served = served_routes(world.app)
    assert sorted(served - MATRIX.keys()) == [], "routes without a row in docs/security.md"
    assert sorted(MATRIX.keys() - served) == [], "rows in docs/security.md for no route"
    assert sorted(MATRIX.keys() ^ RECIPES.keys()) == [], "rows without a request here"
    cases = {case for case, *_ in OWNERSHIP}
    assert sorted(cases ^ OWNERSHIP_RECIPES.keys()) == [], "ownership rows without a request"
    for route, cells in MATRIX.items():
        for column, cell in cells.items():
            assert re.fullmatch(r"2xx|401|403|404|409", cell), f"{route}, {column}: {cell!r}"


def outcome(expected: str, response, *, role_row: bool) -> str | None:
    """What is wrong with `response` for the cell `expected` ("2xx", "403 not_author"…)."""
    status, _, code = expected.partition(" ")
    if role_row and status == "401":
        code = "not_authenticated|invalid_token"
    elif role_row and status == "403":
        code = "role_forbidden"
    got = response.status_code
    if status == "2xx" and 200 <= got < 300 or status == str(got):
        answer = _json(response)
        if not code or re.fullmatch(code, str(answer.get("code"))):
            return None
        return f"{got} {answer.get('code')} (want code {code})"
    return f"{got} {_json(response).get('code', '')}".strip()


def _json(response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def call(
    world: World,
    connection,
    route: str,
    who: str,
    request: Request,
    expected: str,
    *,
    role_row: bool,
) -> str | None:  # noqa: E501
    method = route.split(" ", 1)[0]
    url, kwargs = request
    refused = not expected.startswith("2")
    with world.one_request(connection):
        before = snapshot(connection) if refused else None
        response = world.client.request(method, url, headers=world.as_(who), **kwargs)
        wrong = outcome(expected, response, role_row=role_row)
        if wrong is None and refused and snapshot(connection) != before:
            wrong = f"{response.status_code}, but rows were written"
    return None if wrong is None else f"{route} as {who}: want {expected}, got {wrong}"


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_route_as_every_identity(world, route):
    recipe = RECIPES[route]
    problems = []
    with world.rolled_back() as connection:
        for who in (*NOBODIES, *ROLES):
            expected = MATRIX[route]["nobody" if who in NOBODIES else who]
            problem = call(
                world, connection, route, who, recipe(world, who), expected, role_row=True
            )
            if problem:
                problems.append(problem)
    assert problems == []


@pytest.mark.parametrize(
    ("case", "route", "who", "expected"), OWNERSHIP, ids=[o[0] for o in OWNERSHIP]
)
def test_ownership(world, case, route, who, expected):
    with world.rolled_back() as connection:
        problem = call(
            world, connection, route, who, OWNERSHIP_RECIPES[case](world), expected, role_row=False
        )
    assert problem is None
