"""`concord backup` and `concord restore`: every row comes back, on both engines."""

import gzip
import json
import os
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
    path = tmp_path / "other.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"format": "something else"}\n')
    target = make_engine(databases.fresh())
    with pytest.raises(BackupError, match="not a Concord backup"):
        restore(target, path)
    target.dispose()


@pytest.fixture
def empty(databases):
    engine = make_engine(databases.fresh())
    yield engine
    engine.dispose()


def test_the_backup_is_readable_by_its_owner_only(empty, tmp_path: Path):
    path = tmp_path / "concord.backup"
    old_umask = os.umask(0o022)  # the usual one, under which a plain open() makes 0644
    try:
        backup(empty, path)
    finally:
        os.umask(old_umask)
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["concord.backup"]  # no temporary left


def test_a_symlink_planted_at_the_temporary_path_is_not_followed(empty, tmp_path: Path):
    path = tmp_path / "concord.backup"
    victim = tmp_path / "victim"
    victim.write_text("not yours")
    (tmp_path / "concord.backup.partial").symlink_to(victim)
    backup(empty, path)
    assert victim.read_text() == "not yours"
    assert not path.is_symlink() and path.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "concord.backup.partial").exists()
    with gzip.open(path, "rt") as f:
        assert json.loads(f.readline())["format"] == "concord-backup/1"


def test_the_temporary_file_is_created_never_opened(empty, tmp_path: Path, monkeypatch):
    # A link that appears between removing what was there and creating the file: refused.
    path = tmp_path / "concord.backup"
    victim = tmp_path / "victim"
    unlink, planted = Path.unlink, []

    def unlink_then_plant(self, *args, **kwargs):
        try:
            unlink(self, *args, **kwargs)
        finally:
            if self.name.endswith(".partial") and not planted:
                planted.append(self.symlink_to(victim))

    monkeypatch.setattr(Path, "unlink", unlink_then_plant)
    with pytest.raises(FileExistsError):
        backup(empty, path)
    assert not victim.exists() and not path.exists()
