"""Hostile input: each gets a clear 4xx with its `code` (never a 500), and nothing is written.

In-process requests run against the security world in a rolled-back savepoint, with every row
of every table compared before and after. What needs a real socket — a body streamed without a
length, a lying Content-Length, raw paths with `..` — goes to a uvicorn server.
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from app.declarations.models import Declaration
from tests.conftest import PASSWORD
from tests.security import (
    INDEX_HTML,
    World,
    snapshot,
    world_fixture,  # noqa: F401 (the `world` fixture)
)

LIMIT = 4_000_000  # CONCORD_MAX_BODY_BYTES' default
JSON = {"content-type": "application/json"}
RLO, LRI, ZWSP, ZWJ, ZWNJ = "\u202e", "\u2066", "\u200b", "\u200d", "\u200c"
NEVER_SERVED = ("[project]", "root:x:0:0", "never served")
SCRIPT = "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>"
SQL = "'); DROP TABLE users; -- \" OR 1=1 /* ; SELECT pg_sleep(10) --"


def stored(world: World, who: str | None, route: str, **kwargs: Any):
    """`route` ("POST /api/…") as `who`, in a savepoint: (response, rows before, rows after)."""
    method, url = route.split(" ", 1)
    headers = {**(world.as_(who) if who else {}), **kwargs.pop("headers", {})}
    with world.rolled_back() as connection, world.one_request(connection):
        before = snapshot(connection)
        response = world.client.request(method, url, headers=headers, **kwargs)
        return response, before, snapshot(connection)


def request(world: World, who: str | None, route: str, **kwargs: Any):
    """(response, whether any row changed)."""
    response, before, after = stored(world, who, route, **kwargs)
    return response, after != before


def refused(world: World, who: str | None, route: str, expected: str, **kwargs: Any):
    """`expected` is "413 too_large": that status and code, a sentence, no row written."""
    response, wrote = request(world, who, route, **kwargs)
    status, code = expected.split()
    assert (response.status_code, response.json().get("code")) == (int(status), code), (
        f"{route}: {response.text}"
    )
    assert response.json()["detail"], "a refusal says why in words"
    assert not wrote, f"{route}: refused, but rows were written"
    return response


def new_values(before: dict, after: dict) -> str:
    """Every value in rows that the request added or changed, as one string."""
    return repr([row for table in after for row in after[table] if row not in before[table]])


class TestBodyLimit:
    def test_a_declared_length_over_the_limit_is_413(self, world):
        body = b'{"title": "T", "text": "' + b"a" * LIMIT + b'"}'
        refused(world, "co_facilitator", "POST /api/declarations", "413 too_large",
                content=body, headers=JSON)  # fmt: skip

    def test_a_length_that_is_not_a_number_is_413(self, world):
        refused(world, "co_facilitator", "POST /api/declarations", "413 too_large",
                content=b"{}", headers={**JSON, "content-length": "1e9"})  # fmt: skip

    def test_a_text_over_two_million_bytes_is_413(self, world):
        body = {"title": "T", "text": "é" * 1_000_001}  # 2,000,002 bytes in a body under 4 MB
        refused(world, "co_facilitator", "POST /api/declarations", "413 too_large", json=body)

    def test_ten_thousand_paragraphs_are_413(self, world):
        text = "\n\n".join(f"Paragraph {i}." for i in range(10_000))
        refused(world, "co_facilitator", "POST /api/declarations", "413 too_many_paragraphs",
                json={"title": "Long", "text": text})  # fmt: skip
        refused(world, "co_facilitator", f"POST {drafting(world)}/versions",
                "413 too_many_paragraphs", json={"base_version": 2, "text": text})  # fmt: skip


def drafting(world: World) -> str:
    return f"/api/declarations/{world.drafting}"


class TestMalformedJson:
    @pytest.mark.parametrize(
        "body",
        [
            b"[" * 100_000 + b"]" * 100_000,
            b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
            b'{"title": "T", "text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        ],
        ids=["100,000 nested arrays", "100,000 nested objects", "nested in a field"],
    )
    def test_deep_nesting_is_400(self, world, body):
        refused(world, "co_facilitator", "POST /api/declarations", "400 malformed_json",
                content=body, headers=JSON)  # fmt: skip

    @pytest.mark.parametrize(
        "body",
        [b'{"title": "\xff\xfe", "text": "x"}', b'{"title": "T", "text": "\xc3\x28"}',
         b"\xed\xa0\x80"],
        ids=["invalid bytes", "a truncated sequence", "an encoded surrogate"],
    )  # fmt: skip
    def test_invalid_utf8_is_400(self, world, body):
        refused(world, "co_facilitator", "POST /api/declarations", "400 malformed_json",
                content=body, headers=JSON)  # fmt: skip

    def test_not_json_is_400(self, world):
        refused(world, "delegate", f"POST {drafting(world)}/comments", "400 malformed_json",
                content=b"{'body': 'single quotes'}", headers=JSON)  # fmt: skip

    def test_an_escaped_lone_surrogate_is_422(self, world):
        refused(world, "co_facilitator", "POST /api/declarations", "422 invalid",
                content=b'{"title": "T", "text": "\\ud800"}', headers=JSON)  # fmt: skip

    def test_invalid_utf8_in_the_sign_in_form_is_401(self, world):
        refused(world, None, "POST /api/auth/token", "401 bad_credentials",
                content=b"username=\xff\xfe%ff&password=\xc3\x28",
                headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip

    def test_json_with_the_wrong_content_type_is_422(self, world):
        refused(world, "co_facilitator", "POST /api/declarations", "422 invalid",
                content=b'{"title": "T", "text": "x"}', headers={"content-type": "text/plain"},
        )  # fmt: skip


def text_fields(world: World, value: str) -> dict[str, tuple[str, str, dict]]:
    """Every field that takes a text, and a request that puts `value` in it:
    field → (who, route, json)."""
    k, d, text = world.keys, drafting(world), f"One {value} two."
    amendment = {"base_version": 2, "action": "modify", "paragraph_key": k[2]}
    decision = f"POST /api/amendments/{world.amendments['unsupported']}/decision"
    csv = f"name,country\nGe{value}nt,BE\n"
    editor = "co_facilitator"
    return {
        "declaration text": (editor, "POST /api/declarations", {"title": "T", "text": text}),
        "revised draft": (editor, f"POST {d}/versions", {"base_version": 2, "text": text}),
        "edit text": ("co_facilitator", f"POST {d}/versions", {"base_version": 2, "edits": [
            {"action": "modify", "paragraph_key": k[2], "text": text}]}),
        "comment": ("delegate", f"POST {d}/comments", {"paragraph_key": k[1], "body": text}),
        "edited comment": ("delegate", f"PATCH /api/comments/{world.comments['delegate']}",
                           {"body": text}),
        "amendment text": ("delegate", f"POST {d}/amendments", {**amendment, "text": text}),
        "rationale": ("delegate", f"POST {d}/amendments",
                      {**amendment, "text": "Cities are home.", "rationale": text}),
        "decision note": ("co_facilitator", decision, {"decision": "reject", "note": text}),
        "cities CSV": ("admin", "POST /api/cities/import", {"csv": csv}),
    }  # fmt: skip


def line_fields(world: World, value: str) -> dict[str, tuple[str, str, dict]]:
    """Every one-line field (names, titles, notes, emails)."""
    user = {"email": "new@test.example", "name": "New", "password": PASSWORD, "role": "observer"}
    edits = [{"action": "delete", "paragraph_key": world.keys[2]}]
    return {
        "declaration title": ("co_facilitator", "POST /api/declarations",
                              {"title": f"Mechelen{value} Declaration", "text": "One."}),
        "version note": ("co_facilitator", f"POST {drafting(world)}/versions",
                         {"base_version": 2, "note": f"By{value} us", "edits": edits}),
        "city name": ("admin", "POST /api/cities", {"name": f"Ge{value}nt", "country": "BE"}),
        "user name": ("admin", "POST /api/users", {**user, "name": f"Bart{value} Somers"}),
        "user title": ("admin", "POST /api/users", {**user, "title": f"May{value}or"}),
        "email": ("admin", "POST /api/users", {**user, "email": f"ad{value}min@test.example"}),
        "renamed user": ("admin", f"PATCH /api/users/{world.users['other_delegate'].id}",
                         {"name": f"Bart{value} Somers"}),
    }  # fmt: skip


class TestInvisibleCharacters:
    @pytest.mark.parametrize("character", [RLO, LRI], ids=["U+202E RLO", "U+2066 LRI"])
    def test_bidi_controls_are_refused_in_every_text(self, world, character):
        for field, (who, route, body) in text_fields(world, character).items():
            response = refused(world, who, route, "422 forbidden_character", json=body)
            assert f"U+{ord(character):04X}" in response.json()["detail"], field

    @pytest.mark.parametrize(
        "character",
        [RLO, LRI, ZWSP, ZWJ, "\ufeff", "\x00"],
        ids=["RLO", "LRI", "ZWSP", "ZWJ", "BOM", "NUL"],
    )
    def test_invisible_characters_are_refused_in_every_name(self, world, character):
        for who, route, body in line_fields(world, character).values():
            refused(world, who, route, "422 invalid", json=body)

    def test_zero_width_joiners_are_kept_in_texts(self, world):
        """Persian, Indic scripts and emoji need ZWJ and ZWNJ, Thai the zero-width space:
        texts keep them, byte for byte (see docs/security.md)."""
        text = f"Mehr{ZWNJ}shahr, क्{ZWJ}ष, Bangkok{ZWSP}"
        body = {"paragraph_key": world.keys[1], "body": text}
        response, _ = request(world, "delegate", f"POST {drafting(world)}/comments", json=body)
        assert response.status_code == 201 and response.json()["body"] == text


class TestMarkupAndSql:
    @pytest.mark.parametrize("value", [SCRIPT, SQL], ids=["HTML and script", "SQL"])
    def test_every_text_field_keeps_it_as_text(self, world, value):
        """Neither is refused: both are text, stored as sent (bound parameters, never
        interpolated) and answered as JSON, with headers that keep a browser from running it."""
        fields = {**text_fields(world, value), **line_fields(world, value)}
        del fields["email"], fields["cities CSV"]  # formats of their own
        for field, (who, route, body) in fields.items():
            if field == "decision note":
                body = {**body, "decision": "accept"}
            response, before, after = stored(world, who, route, json=body)
            assert response.status_code in (200, 201), f"{field}: {response.text}"
            assert repr(value)[1:-1] in new_values(before, after), f"{field}: not stored as sent"
            assert response.headers["content-type"] == "application/json", field
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "script-src 'self'" in response.headers["content-security-policy"]

    def test_the_canonical_text_is_plain_text(self, world):
        with world.rolled_back() as connection, world.one_request(connection):
            body = {"title": "T", "text": SCRIPT}
            created = world.client.post(
                "/api/declarations", json=body, headers=world.as_("co_facilitator")
            ).json()["id"]
            text = world.client.get(f"/api/declarations/{created}/versions/1/text",
                                    headers=world.as_("observer"))  # fmt: skip
        assert text.headers["content-type"] == "text/plain; charset=utf-8"
        assert text.headers["x-content-type-options"] == "nosniff"
        assert text.text == SCRIPT + "\n"

    def test_sql_in_filters_and_sign_in(self, world):
        d = drafting(world)
        assert (
            request(world, "delegate", f"GET {d}/comments", params={"paragraph_key": SQL[:16]})[
                0
            ].json()["items"]
            == []
        )
        for params in ({"status": SQL}, {"city_id": "1 OR 1=1"}, {"limit": "1; DROP TABLE users"}):
            refused(world, "delegate", f"GET {d}/amendments", "422 invalid", params=params)
        refused(world, "observer", "GET /api/declarations/1 OR 1=1", "422 invalid")
        refused(
            world,
            None,
            "POST /api/auth/token",
            "401 bad_credentials",
            data={"username": f"{SQL}@x.example", "password": SQL},
        )
        with world.rolled_back() as connection:
            assert len(snapshot(connection)["users"]) == len(world.users)  # fmt: skip


class TestNumbersAndNul:
    """Values the database cannot hold or compare: 422 out_of_range, on both engines."""

    def test_ids_and_offsets_past_64_bits(self, world):
        huge, d = 2**64, drafting(world)
        for who, route, kwargs in [
            ("delegate", f"GET /api/declarations/{huge}", {}),
            ("delegate", f"GET {d}/versions/{huge}", {}),
            ("delegate", f"GET /api/amendments/{huge}", {}),
            ("delegate", "GET /api/declarations", {"params": {"offset": huge}}),
            ("delegate", f"GET {d}/amendments", {"params": {"city_id": huge}}),
            ("delegate", f"POST {d}/comments", {"json": {"parent_id": huge, "body": "x"}}),
            ("delegate", f"PATCH /api/comments/{huge}", {"json": {"body": "x"}}),
            ("co_facilitator", f"POST {d}/versions",
             {"json": {"base_version": 2, "amendments": [huge]}}),
        ]:  # fmt: skip
            refused(world, who, route, "422 out_of_range", **kwargs)

    def test_ids_past_32_bits(self, world, databases):
        """PostgreSQL's integer ids stop at 2³¹; SQLite's go to 2⁶³: not found there."""
        expected = {"postgresql": "422 out_of_range"}.get(
            databases.kind, "404 declaration_not_found"
        )
        refused(world, "delegate", f"GET /api/declarations/{2**40}", expected)

    def test_a_nul_in_a_filter_or_an_email(self, world, databases):
        """PostgreSQL cannot compare a text with a NUL in it; SQLite finds nothing."""
        route = f"GET {drafting(world)}/comments"
        sign_in = {"username": "a\x00@test.example", "password": "x"}
        if databases.kind == "postgresql":
            refused(world, "delegate", route, "422 out_of_range", params={"paragraph_key": "a\x00"})
            refused(world, None, "POST /api/auth/token", "422 out_of_range", data=sign_in)
        else:
            found, _ = request(world, "delegate", route, params={"paragraph_key": "a\x00"})
            assert found.status_code == 200 and found.json()["items"] == []
            refused(world, None, "POST /api/auth/token", "401 bad_credentials", data=sign_in)


class TestTokensAndOrigins:
    @pytest.mark.parametrize(
        "authorization",
        [b"Bearer", b"Bearer ", b"Bearer \xe9\xff", b"Basic YWRtaW46YWRtaW4=",
         b"Bearer " + b"a" * 8000, b"Bearer a.b.c", b"Bearer " + b"eyJhbGciOiJIUzI1NiJ9." * 3],
        ids=["no token", "empty", "not ASCII", "basic", "8 kB", "three parts", "garbage JWT"],
    )  # fmt: skip
    def test_a_malformed_authorization_is_401(self, world, authorization):
        response, _ = request(world, None, "GET /api/me", headers={"authorization": authorization})
        assert response.status_code == 401
        assert response.json()["code"] in ("not_authenticated", "invalid_token")
        assert response.headers["www-authenticate"] == "Bearer"

    def test_cors_is_closed(self, world):
        """No Access-Control-* header, ever: another site's script cannot read an answer."""
        origin = {"origin": "https://evil.example"}
        preflight = world.client.options("/api/me", headers={
            **origin, "access-control-request-method": "GET",
            "access-control-request-headers": "authorization"})  # fmt: skip
        read = world.client.get("/api/me", headers={**origin, **world.as_("observer")})
        for response in (preflight, read):
            assert not [h for h in response.headers if h.startswith("access-control-")]
        assert preflight.status_code in (401, 405)


# What needs a socket: uvicorn in a thread, on the security world's app or on `live_server`.


@contextmanager
def served(app) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def raw(
    base: str, request_head: bytes, body: bytes = b"", timeout: float = 10
) -> tuple[int, dict, bytes]:  # noqa: E501
    """Send bytes as they are (no client tidies the path or the length); read the answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(request_head + b"\r\n" + body)
        answer = b""
        while True:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            answer += chunk
            head, _, rest = answer.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                None,
            )
            if length is not None and len(rest) >= length:
                break
    head, _, rest = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = dict(
        line.decode("latin-1").lower().split(": ", 1) for line in lines[1:] if b": " in line
    )
    return int(lines[0].split()[1]), headers, rest


def get(base: str, path: str) -> tuple[int, dict, bytes]:
    return raw(base, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n".encode())


class TestLiveBodyLimit:
    def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(self, live_server):
        people = live_server.people()
        editor = people.as_role("co_facilitator")
        sent = 0
        total = 64 * 1024 * 1024

        def body() -> Iterator[bytes]:
            nonlocal sent
            yield b'{"title": "T", "text": "'
            chunk = b"a" * 65536
            while sent < total:
                sent += len(chunk)
                yield chunk
            yield b'"}'

        with httpx.Client(base_url=live_server.url, timeout=30) as client:
            try:
                response = client.post(
                    "/api/declarations",
                    content=body(),
                    headers={**editor, "content-type": "application/json"},
                )
            except httpx.TransportError as error:  # the server hung up before we finished
                pytest.fail(f"no 413 answer, the connection broke: {error!r}")
        assert "content-length" not in response.request.headers  # it was chunked
        assert (response.status_code, response.json()["code"]) == (413, "too_large")
        assert sent < total / 4, f"the server read {sent:,} bytes before refusing"
        with live_server.session() as session:
            assert session.scalar(select(func.count()).select_from(Declaration)) == 0
        people.session.close()

    def test_a_lying_content_length_is_refused_before_the_body_arrives(self, live_server):
        head = (
            b"POST /api/declarations HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/json\r\nContent-Length: 50000000\r\n"
        )
        started = time.monotonic()
        status, headers, body = raw(live_server.url, head, b'{"title": "T"', timeout=10)
        assert status == 413 and b'"too_large"' in body
        assert time.monotonic() - started < 5, "the server waited for a body it should refuse"
        assert headers.get("connection") == "close"
        assert headers.get("x-content-type-options") == "nosniff"


@pytest.fixture(scope="module")
def base(world) -> Iterator[str]:
    """The security world's app behind uvicorn, its web app a miniature dist/."""
    with served(world.app) as url:
        yield url


class TestPathTraversal:
    @pytest.mark.parametrize(
        "path",
        [
            "/../../etc/passwd",
            "/..%2f..%2f..%2fetc%2fpasswd",
            "/%2e%2e/%2e%2e/pyproject.toml",
            "/..%2foutside.txt",
            "/%2e%2e%2foutside.txt",
            "/..%5coutside.txt",
            "/%252e%252e/outside.txt",
            "/link-outside.txt",
            "/%00",
            "/index.html%00.js",
        ],
    )
    def test_the_web_app_serves_index_html_and_nothing_outside_dist(self, base, path):
        status, headers, body = get(base, path)
        assert status == 200, body
        assert body.decode() == INDEX_HTML
        assert "script-src 'self'" in headers["content-security-policy"]

    @pytest.mark.parametrize(
        "path",
        [
            "/assets/../../pyproject.toml",
            "/assets/..%2f..%2fpyproject.toml",
            "/assets/..%2f..%2f..%2fpyproject.toml",
            "/assets/%2e%2e/%2e%2e/pyproject.toml",
            "/assets/%2e%2e%2foutside.txt",
            "/assets/link-outside.txt",
            "/assets/%00",
            "/assets/app.js%00",
            "/swagger/..%2f..%2foutside.txt",
        ],
    )
    def test_static_files_refuse_everything_outside_their_folder(self, base, path):
        status, _, body = get(base, path)
        assert status == 404, body
        assert not any(marker.encode() in body for marker in NEVER_SERVED)

    @pytest.mark.parametrize("path", ["/api/..%2f..%2fpyproject.toml", "/api/../outside.txt"])
    def test_api_paths_never_reach_the_files(self, base, path):
        status, _, body = get(base, path)
        assert not any(marker.encode() in body for marker in NEVER_SERVED)
        assert status in (200, 404), body  # 200: `..` left /api and the SPA answered

    def test_a_file_in_dist_is_served(self, base):
        status, headers, body = get(base, "/assets/app.js")
        assert status == 200 and body == b"console.log('concord');\n"
        assert headers["x-content-type-options"] == "nosniff"
