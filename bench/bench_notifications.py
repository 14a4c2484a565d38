"""Notifying every mayor that a text is open for signature, at 10,000 mayors: the notices written
in the opening's transaction (one INSERT … SELECT, `endorsement_opened`), without and with the
mail queue (one more insert of a row per notice, when the platform sends mail); on SQLite and on
PostgreSQL. Then the mail sender (app/notifications/mail.py) delivering queued notices to a real
SMTP server on loopback (aiosmtpd), as `CONCORD_SMTP_URL` makes it.

Bounded: `--mayors` (10,000), `--repeat` (3) openings each way, `--mails` (500) delivered.
Run: .venv/bin/python -m bench.bench_notifications [--mayors 10000] [--repeat 3] [--mails 500]
"""

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import City, Role, User
from app.db import make_engine, make_sessionmaker
from app.declarations.models import Declaration
from app.notifications import service
from app.notifications.mail import MailSender
from app.notifications.models import Mail, Notification
from bench.bench_load import databases
from bench.common import free_port, load_row
from tests.conftest import make_settings, migrate

Row = tuple[str, str, str]


def seed(sessions: sessionmaker[Session], mayors: int) -> tuple[User, int]:
    """`mayors` active mayors, a co-facilitator who opens the text, and the declaration."""
    with sessions() as session:
        session.execute(insert(City), [
            {"name": f"City {i}", "country": "BE", "kind": "city"} for i in range(mayors)
        ])  # fmt: skip
        cities = session.scalars(select(City.id).order_by(City.id))
        session.execute(insert(User), [
            {"email": f"mayor{i}@notify.example", "name": f"Mayor {i}", "role": Role.mayor,
             "city_id": city, "password_hash": "x"} for i, city in enumerate(cities)
        ])  # fmt: skip
        actor = User(email="cofac@notify.example", name="Cofac", role=Role.co_facilitator,
                     password_hash="x")  # fmt: skip
        session.add(actor)
        session.flush()
        declaration = Declaration(title="Declaration on Cities and Migration", created_by=actor.id)
        session.add(declaration)
        session.commit()
        session.expunge(actor)
        return actor, declaration.id


def clear(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        session.execute(delete(Mail))
        session.execute(delete(Notification))
        session.commit()


def opening(sessions, actor: User, declaration_id: int, *, mail: bool) -> tuple[float, int]:
    """ms to write every mayor's notice (and its mail) and commit; how many were written."""
    with sessions() as session:
        session.info[service.MAIL] = mail
        start = time.perf_counter()
        service.endorsement_opened(session, actor=actor, declaration_id=declaration_id)
        session.commit()
        elapsed = (time.perf_counter() - start) * 1000
        written = session.scalar(select(func.count()).select_from(Notification))
    return elapsed, written or 0


class Inbox:
    """aiosmtpd's handler: counts what arrives."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.count += 1
        return "250 OK"


def delivery(url: str, sessions, actor: User, declaration_id: int, mails: int) -> str:
    """Every mayor's notice queued as the opening queues it; the sender's rounds (`send_due`, 50
    mails over one connection each) until `mails` have gone to aiosmtpd on loopback."""
    clear(sessions)
    opening(sessions, actor, declaration_id, mail=True)  # every mayor's mail queued
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = make_settings(
            Path(tempfile.mkdtemp(prefix="concord-notify-")), database_url=url,
            smtp_url=f"smtp://127.0.0.1:{port}", mail_from="concord@bench.example",
            public_url="https://concord.bench.example",
        )  # fmt: skip
        sender = MailSender(settings, sessions)
        start = time.perf_counter()
        rounds = 0
        while inbox.count < mails and sender.send_due():
            rounds += 1
        seconds = time.perf_counter() - start
    finally:
        controller.stop()
    with sessions() as session:
        sent = session.scalar(select(func.count()).where(Mail.state == "sent"))
    return (f"{inbox.count / seconds:.0f} mails/s ({inbox.count:,} received, {sent:,} recorded "
            f"sent, in {rounds} rounds, {seconds:.2f} s)")  # fmt: skip


def engine_rows(name: str, url: str, args: argparse.Namespace) -> list[Row]:
    engine = make_engine(url)
    migrate(engine)
    sessions = make_sessionmaker(engine)
    actor, declaration_id = seed(sessions, args.mayors)
    rows = []
    for mail in (False, True):
        times = []
        for _ in range(args.repeat):
            clear(sessions)
            elapsed, written = opening(sessions, actor, declaration_id, mail=mail)
            assert written == args.mayors, (written, args.mayors)
            times.append(elapsed)
        way = "with the mail queue" if mail else "without mail"
        rows.append(
            (f"{name}: notify {args.mayors:,} mayors that a text opens, {way} (write + commit)",
             "—", f"median {statistics.median(times):.0f} ms, best {min(times):.0f} ms "
             f"of {args.repeat}")
        )  # fmt: skip
    rows.append((f"{name}: mail sender, queued notices to an SMTP server on loopback (aiosmtpd)",
                 "—", delivery(url, sessions, actor, declaration_id, args.mails)))  # fmt: skip
    engine.dispose()
    return rows


def main(argv: list[str] | None = None) -> list[Row]:
    """(figure, target, measured) rows, as bench.run_all reads them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mayors", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    rows = []
    with databases(args.engines.split(",")) as found:
        for name, url in found:
            rows.extend(engine_rows(name, url, args))
    rows.append(load_row(load))
    return rows


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
