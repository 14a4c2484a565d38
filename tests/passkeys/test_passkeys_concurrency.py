"""Passkey challenges written while other requests write: a session that has read (the
passkeys, the declaration) and then issues or uses a challenge after another writer committed.
On SQLite such a transaction cannot become a writer ("database is locked" at once, whatever the
busy timeout): many mayors signing at once got 500s."""

from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import City, Role, User
from app.db import make_engine, make_sessionmaker
from app.passkeys import service as passkeys
from app.passkeys.models import Passkey, PasskeyChallenge
from app.passkeys.service import RelyingParty
from tests.passkeys.authenticator import SoftAuthenticator

RP = RelyingParty.of("http://localhost:8000")


@pytest.fixture
def sessions(databases) -> Iterator[sessionmaker[Session]]:
    """Sessions of a committed database of their own (a file for SQLite), two mayors in it."""
    engine = make_engine(databases.fresh())
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        session.execute(insert(City), [{"name": f"City {i}", "country": "BE"} for i in (1, 2)])
        cities = session.scalars(select(City.id).order_by(City.id)).all()
        session.execute(insert(User), [
            {"email": f"mayor{i}@test.example", "name": f"Mayor {i}", "role": Role.mayor,
             "city_id": city, "password_hash": "x"} for i, city in enumerate(cities)
        ])  # fmt: skip
        session.commit()
    yield sessions
    engine.dispose()


def mayors(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id)))


def test_a_challenge_is_issued_after_another_writer_committed(sessions):
    with sessions() as reader, sessions() as other:
        first, _ = mayors(reader)  # the reader's transaction has read
        _, second = mayors(other)
        passkeys.registration_options(other, RP, second)  # another request writes, commits
        options = passkeys.registration_options(reader, RP, first)
    with sessions() as session:
        issued = session.scalars(select(PasskeyChallenge.user_id).order_by(PasskeyChallenge.id))
        assert list(issued) == [second.id, first.id]
    assert options["user"]["name"] == "mayor0@test.example"


def test_a_challenge_is_used_after_another_writer_committed(sessions):
    authenticator = SoftAuthenticator(RP.origin)
    with sessions() as session:
        first, _ = mayors(session)
        credential = authenticator.create(passkeys.registration_options(session, RP, first))
    with sessions() as reader, sessions() as other:
        first, _ = mayors(reader)
        _, second = mayors(other)
        passkeys.registration_options(other, RP, second)
        passkeys.register(reader, RP, first, name="Laptop", credential=credential)
    with sessions() as session:
        assert session.scalars(select(Passkey.user_id)).all() == [first.id]
        used = session.scalars(select(PasskeyChallenge.used_at).order_by(PasskeyChallenge.id))
        assert [at is not None for at in used] == [True, False]
