"""`concord backup` and `concord restore`: every row comes back, on both engines."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.auth.models import Role
from app.backup import BackupError, backup, restore
from app.db import make_engine
from app.main import create_app
from app.models import Base
from tests.conftest import LivePeople, LiveServer, make_settings


def snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def populated(databases, tmp_path):
    """A database with a negotiation in it: versions, comments, amendments, supporters."""
    url = databases.fresh()
    app = create_app(make_settings(tmp_path / "data", database_url=url))
    people = LivePeople(LiveServer(app, ""))
    editor = people.as_role(Role.co_facilitator)
    kampala, mechelen = people.city("Kampala", "UG"), people.city("Mechelen", "BE")
    delegate = people.as_role(Role.delegate, city=kampala)
    other = people.as_role(Role.delegate, city=mechelen)
    with TestClient(app) as client:
        did = client.post(
            "/api/declarations",
            json={"title": "Déclaration", "text": "# Préambule\n\nUn.\n\nDeux."},
            headers=editor,
        ).json()["id"]
        keys = [
            p["key"]
            for p in client.get(f"/api/declarations/{did}/versions/1", headers=editor).json()[
                "paragraphs"
            ]
        ]
        client.post(
            f"/api/declarations/{did}/comments",
            headers=delegate,
            json={
                "paragraph_key": keys[1],
                "body": "Why?",
                "quote": {"exact": "Un", "start": 0, "end": 2},
            },
        )
        a = client.post(
            f"/api/declarations/{did}/amendments",
            headers=delegate,
            json={
                "base_version": 1,
                "action": "modify",
                "paragraph_key": keys[2],
                "text": "Deux et trois.",
            },
        ).json()
        client.post(f"/api/amendments/{a['id']}/support", headers=other)
        client.post(
            f"/api/amendments/{a['id']}/decision", json={"decision": "accept"}, headers=editor
        )
        assert (
            client.post(
                f"/api/declarations/{did}/versions",
                headers=editor,
                json={"base_version": 1, "amendments": [a["id"]]},
            ).status_code
            == 201
        )
    people.session.close()
    engine = app.state.context.engine
    yield engine
    engine.dispose()


def test_restore_into_an_empty_database_gives_back_every_row(populated, databases, tmp_path):
    before = snapshot(populated)
    assert before["versions"] and before["comments"] and before["amendment_supports"]
    path = tmp_path / "concord.backup"
    counts = backup(populated, path)
    assert counts["versions"] == 2
    target = make_engine(databases.fresh())
    restore(target, path)
    assert snapshot(target) == before
    # Sequences continue after the restored ids: new rows do not collide.
    app = create_app(
        make_settings(
            tmp_path / "data2", database_url=str(target.url.render_as_string(hide_password=False))
        )
    )
    people = LivePeople(LiveServer(app, ""))
    people.user(Role.observer)
    target.dispose()


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path: Path):
    path = tmp_path / "concord.backup"
    backup(populated, path)
    with pytest.raises(BackupError, match="not empty"):
        restore(populated, path)


def test_restore_refuses_a_file_that_is_not_a_backup(databases, tmp_path: Path):
    import gzip

    path = tmp_path / "other.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"format": "something else"}\n')
    target = make_engine(databases.fresh())
    with pytest.raises(BackupError, match="not a Concord backup"):
        restore(target, path)
    target.dispose()
