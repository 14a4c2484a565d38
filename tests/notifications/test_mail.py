"""Notices by e-mail: a real SMTP conversation with aiosmtpd on loopback. The action that
causes a mail only queues it; the app's sender delivers it, and retries while the server is
down, recording every attempt."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.main import create_app
from app.notifications.mail import LEASE, MailSender, _claim
from app.notifications.models import Mail, MailAttempt, Notification
from tests.conftest import People, make_settings

TEXT = "# Commitments\n\nWe commit to give every resident access to basic services."


class Inbox:
    """aiosmtpd's handler: keeps what arrives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"

    def wait_for(self, count: int, seconds: float = 15) -> list[tuple[list[str], Message]]:
        wait_until(lambda: len(self.messages) >= count, seconds)
        return self.messages


def wait_until(condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within the time allowed")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mail_server(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


@pytest.fixture
def port() -> int:
    return free_port()


@contextmanager
def mailing_platform(
    databases, tmp_path, port: int, **settings
) -> Iterator[tuple[TestClient, People]]:
    """The app on a committed database, mailing to 127.0.0.1:port, retrying quickly."""
    application = create_app(
        make_settings(
            tmp_path / "data",
            database_url=databases.fresh(),
            smtp_url=f"smtp://127.0.0.1:{port}",
            mail_from="concord@test.example",
            public_url="https://concord.test.example",
            mail_poll_seconds=0.05,
            mail_retry_seconds=0.1,
            **settings,
        )
    )
    session = application.state.context.sessionmaker()
    try:
        with TestClient(application) as client:  # its lifespan runs the sender
            yield client, People(application, session)
    finally:
        session.close()
        application.state.context.engine.dispose()


@pytest.fixture
def platform(databases, tmp_path, port) -> Iterator[tuple[TestClient, People]]:
    with mailing_platform(databases, tmp_path, port) as running:
        yield running


def open_for_signature(client: TestClient, people: People, mayors: int) -> tuple[int, list]:
    editor = people.as_role(Role.co_facilitator)
    users = [people.user(Role.mayor) for _ in range(mayors)]
    people.user(Role.delegate)  # told nothing
    did = client.post(
        "/api/declarations", json={"title": "Pact", "text": TEXT}, headers=editor
    ).json()["id"]
    assert (
        client.post(
            f"/api/declarations/{did}/finalize", json={"version": 1}, headers=editor
        ).status_code
        == 200
    )
    r = client.post(f"/api/declarations/{did}/endorsement/open", headers=editor)
    assert r.status_code == 200, r.text
    return did, users


def mails(people: People) -> list[Mail]:
    people.session.rollback()  # a new snapshot: what the sender committed since
    return list(people.session.scalars(select(Mail).order_by(Mail.id)))


def attempts(people: People) -> list[MailAttempt]:
    people.session.rollback()
    return list(people.session.scalars(select(MailAttempt).order_by(MailAttempt.id)))


def test_every_mayor_gets_the_mail_with_the_link(platform, port):
    client, people = platform
    controller, inbox = mail_server(port)
    try:
        did, mayors = open_for_signature(client, people, 3)
        arrived = inbox.wait_for(3)
    finally:
        controller.stop()
    assert sorted(to for tos, _ in arrived for to in tos) == sorted(m.email for m in mayors)
    _, message = arrived[0]
    assert message["From"] == "concord@test.example"
    assert message["Subject"] == "A declaration is open for your signature"
    body = message.get_payload(decode=True).decode()
    assert "“Pact” is open for signature." in body
    assert f"https://concord.test.example/declarations/{did}/endorsement" in body
    wait_until(lambda: all(m.state == "sent" for m in mails(people)))
    assert [(a.ok, a.error) for a in attempts(people)] == [(True, None)] * 3


def test_a_mail_server_that_is_down_fails_nothing_and_gets_the_mail_later(platform, port):
    client, people = platform
    # Nobody listens on the port: the action succeeds all the same, the mail waits.
    did, mayors = open_for_signature(client, people, 2)
    wait_until(lambda: len(attempts(people)) >= 4)  # each mail tried at least twice
    assert not any(a.ok for a in attempts(people))
    assert all(a.error for a in attempts(people))
    assert all(m.state == "queued" and m.attempts >= 2 for m in mails(people))

    controller, inbox = mail_server(port)
    try:
        arrived = inbox.wait_for(2, seconds=30)
        wait_until(lambda: all(m.state == "sent" for m in mails(people)))
    finally:
        controller.stop()
    assert sorted(to for tos, _ in arrived for to in tos) == sorted(m.email for m in mayors)
    for mail in mails(people):
        tries = [a for a in attempts(people) if a.mail_id == mail.id]
        assert [a.ok for a in tries] == [False] * (len(tries) - 1) + [True]
        assert mail.attempts == len(tries)


def test_without_a_mail_server_nothing_is_queued(client, people, session):
    editor = people.as_role(Role.co_facilitator)
    people.user(Role.mayor)
    did = client.post(
        "/api/declarations", json={"title": "Pact", "text": TEXT}, headers=editor
    ).json()["id"]
    client.post(f"/api/declarations/{did}/finalize", json={"version": 1}, headers=editor)
    assert (
        client.post(f"/api/declarations/{did}/endorsement/open", headers=editor).status_code == 200
    )
    assert session.scalars(select(Mail)).all() == []


def test_a_claimed_mail_is_not_claimed_again_until_its_lease_ends(client, people, session):
    editor = people.as_role(Role.co_facilitator)
    mayor = people.user(Role.mayor)
    did = client.post(
        "/api/declarations", json={"title": "Pact", "text": TEXT}, headers=editor
    ).json()["id"]
    now = utcnow()
    notices = [
        Notification(
            user_id=mayor.id,
            kind="endorsement.open",
            declaration_id=did,
            target_type="declaration",
            target_id=did,
            text="“Pact” is open for signature.",
            link=f"/declarations/{did}/endorsement",
        )
        for _ in range(3)
    ]
    session.add_all(notices)
    session.flush()
    due = [Mail(notification_id=n.id, next_attempt_at=now) for n in notices[:2]]
    later = Mail(notification_id=notices[2].id, next_attempt_at=now + timedelta(minutes=1))
    session.add_all([*due, later])
    session.commit()

    assert _claim(session, now) == [m.id for m in due]
    assert _claim(session, now) == []  # another sender finds them leased
    assert sorted(_claim(session, now + LEASE)) == sorted([*(m.id for m in due), later.id])


def test_links_start_with_the_public_origin_when_no_public_url_is_set(tmp_path):
    """A platform that names only its origin (as DESIGN's settings do) mails links there,
    not to the address it listens on behind its proxy."""
    settings = make_settings(
        tmp_path,
        smtp_url="smtp://127.0.0.1:25",
        host="10.0.0.5",
        public_origin="https://concord.example.org",
    )
    assert MailSender(settings, sessions=None).base_url == "https://concord.example.org"
