"""'Forgot password': a link by e-mail (a real SMTP conversation with aiosmtpd), used once to
set a new password; the same answer for an address nobody has; refused links and passwords;
throttled in the database; not offered when the platform sends no mail."""

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.auth.models import PasswordReset, Role
from app.db import utcnow
from tests.conftest import PASSWORD, People
from tests.notifications.test_mail import free_port, mail_server, mailing_platform

NEW = "a new passphrase, long enough"
LINK = re.compile(r"https://concord\.test\.example/reset-password#token=([\w-]+)")


@pytest.fixture
def platform(databases, tmp_path) -> Iterator[tuple[TestClient, People, object]]:
    """The app mailing to aiosmtpd on loopback, three links per address at most."""
    port = free_port()
    controller, inbox = mail_server(port)
    try:
        with mailing_platform(databases, tmp_path, port, reset_burst=3) as (client, people):
            yield client, people, inbox
    finally:
        controller.stop()


def ask(client: TestClient, email: str):
    return client.post("/api/auth/password-reset", json={"email": email})


def confirm(client: TestClient, token: str, password: str = NEW):
    return client.post(
        "/api/auth/password-reset/confirm", json={"token": token, "password": password}
    )


def sign_in(client: TestClient, email: str, password: str) -> int:
    return client.post(
        "/api/auth/token", data={"username": email, "password": password}
    ).status_code


def token_from(inbox, count: int = 1) -> tuple[list[str], str]:
    recipients, message = inbox.wait_for(count)[count - 1]
    body = message.get_payload(decode=True).decode()
    found = LINK.search(body)
    assert found, body
    return recipients, found[1]


class TestForgotPassword:
    def test_the_link_arrives_and_sets_the_new_password_once(self, platform) -> None:
        client, people, inbox = platform
        user = people.user(Role.mayor)
        old_token = people.headers(user)
        assert client.get("/api/auth/password-reset").json() == {"available": True, "minutes": 30}
        r = ask(client, user.email.upper())
        assert r.status_code == 202, r.text
        recipients, token = token_from(inbox)
        assert recipients == [user.email]
        # Only the token's hash is kept.
        people.session.rollback()
        link = people.session.scalars(select(PasswordReset)).one()
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (link.token_hash, str(link.id))
        r = confirm(client, token)
        assert r.status_code == 200, r.text
        assert sign_in(client, user.email, NEW) == 200
        assert sign_in(client, user.email, PASSWORD) == 401
        # Every sign-in of the account ended, the cached user dropped at once.
        assert client.get("/api/me", headers=old_token).status_code == 401
        r = confirm(client, token, "yet another passphrase")
        assert r.status_code == 409 and r.json()["code"] == "reset_link_invalid"
        assert "used" in r.json()["detail"]
        assert sign_in(client, user.email, NEW) == 200

    def test_an_address_nobody_has_gets_the_same_answer_and_no_mail(self, platform) -> None:
        client, people, inbox = platform
        user = people.user(Role.observer)
        nobody = ask(client, "nobody@test.example")
        somebody = ask(client, user.email)
        assert (nobody.status_code, nobody.json()) == (somebody.status_code, somebody.json())
        recipients, _ = token_from(inbox)  # mails go in order: none was sent for nobody
        assert recipients == [user.email] and len(inbox.messages) == 1
        people.session.rollback()
        assert len(people.session.scalars(select(PasswordReset)).all()) == 1

    def test_an_expired_link_is_refused(self, platform) -> None:
        client, people, inbox = platform
        user = people.user(Role.delegate)
        ask(client, user.email)
        _, token = token_from(inbox)
        people.session.execute(
            update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        people.session.commit()
        r = confirm(client, token)
        assert r.status_code == 409 and r.json()["code"] == "reset_link_invalid"
        assert "expired" in r.json()["detail"]
        assert sign_in(client, user.email, PASSWORD) == 200

    def test_a_password_change_ends_the_link(self, platform) -> None:
        client, people, inbox = platform
        user = people.user(Role.delegate)
        admin = people.as_role(Role.admin)
        ask(client, user.email)
        _, token = token_from(inbox)
        r = client.patch(f"/api/users/{user.id}", json={"password": "set by the secretariat"},
                         headers=admin)
        assert r.status_code == 200, r.text
        r = confirm(client, token)
        assert r.status_code == 409 and r.json()["code"] == "reset_link_invalid"
        assert sign_in(client, user.email, "set by the secretariat") == 200

    def test_unknown_link_and_weak_password_are_refused(self, platform) -> None:
        client, people, inbox = platform
        user = people.user(Role.delegate)
        r = confirm(client, "not-a-token-we-made")
        assert r.status_code == 404 and r.json()["code"] == "reset_link_unknown"
        ask(client, user.email)
        _, token = token_from(inbox)
        r = confirm(client, token, "short")
        assert r.status_code == 422 and r.json()["code"] == "invalid"
        assert sign_in(client, user.email, PASSWORD) == 200
        assert confirm(client, token).status_code == 200  # the link still works

    def test_asking_is_throttled_per_address_whoever_has_it(self, platform) -> None:
        client, people, _ = platform
        user = people.user(Role.delegate)
        for email in (user.email, "nobody@test.example"):
            answers = [ask(client, email).status_code for _ in range(3)]
            assert answers == [202, 202, 202]
            r = ask(client, email)
            assert r.status_code == 429 and r.json()["code"] == "reset_throttled"
            assert r.json()["retry_after"] > 0


class TestWithoutMail:
    def test_not_offered_and_refused_with_a_code(self, client, people) -> None:
        user = people.user(Role.delegate)
        assert client.get("/api/auth/password-reset").json()["available"] is False
        r = ask(client, user.email)
        assert r.status_code == 409 and r.json()["code"] == "password_reset_unavailable"
        assert "secretariat" in r.json()["detail"]
