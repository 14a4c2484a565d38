"""LibreOffice for the document tests (skipped where it is not installed), and a negotiation:
a declaration with a version made of two cities' amendments and a co-facilitator's edit."""

import shutil
from dataclasses import dataclass

import pytest

from app.auth.models import Role
from tests.documents.libreoffice import LibreOffice

TEXT = """# Commitments

We commit to give every resident access to basic services within thirty days.

We commit to fight discrimination in our administrations.

We will meet again to report on these commitments.
"""


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory) -> LibreOffice:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh test")
    return LibreOffice(tmp_path_factory.mktemp("libreoffice"))


@dataclass
class Negotiated:
    client: object
    did: int
    keys: list[str]
    editor: dict
    kampala: dict
    mechelen: dict
    editor_name: str

    def get(self, path: str, headers: dict | None = None, **params):
        return self.client.get(
            f"/api/declarations/{self.did}{path}", params=params, headers=headers or self.editor
        )

    def propose(self, headers, **body):
        body.setdefault("base_version", 1)
        r = self.client.post(f"/api/declarations/{self.did}/amendments", json=body, headers=headers)
        assert r.status_code == 201, r.text
        return r.json()

    def accept(self, amendment):
        r = self.client.post(
            f"/api/amendments/{amendment['id']}/decision",
            json={"decision": "accept"},
            headers=self.editor,
        )
        assert r.status_code == 200, r.text


@pytest.fixture
def negotiated(client, people) -> Negotiated:
    """Version 2 merges Kampala's rewording and Mechelen's deletion; version 3 is the
    co-facilitator's own edit. Kampala also proposes (not merged) an insertion."""
    editor_user = people.user(Role.co_facilitator, name="Ana Facilitadora")
    editor = people.headers(editor_user)
    r = client.post("/api/declarations", json={"title": "Cities", "text": TEXT}, headers=editor)
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    keys = [p["key"] for p in client.get(f"/api/declarations/{did}/versions/1",
                                          headers=editor).json()["paragraphs"]]
    kampala = people.as_role(Role.delegate, city=people.city("Kampala", "UG"))
    mechelen = people.as_role(Role.delegate, city=people.city("Mechelen", "BE"))
    n = Negotiated(client, did, keys, editor, kampala, mechelen, editor_user.name)
    reword = n.propose(kampala, action="modify", paragraph_key=keys[1],
                       text="We commit to give every resident access to basic services "
                            "within fifteen days.", rationale="Thirty days is too long.")
    drop = n.propose(mechelen, action="delete", paragraph_key=keys[2])
    n.accept(reword)
    n.accept(drop)
    r = client.post(f"/api/declarations/{did}/versions",
                    json={"base_version": 1, "amendments": [reword["id"], drop["id"]]},
                    headers=editor)
    assert r.status_code == 201, r.text
    r = client.post(f"/api/declarations/{did}/versions", json={
        "base_version": 2,
        "edits": [{"action": "modify", "paragraph_key": keys[3],
                   "text": "We will meet every year to report on these commitments."}],
    }, headers=editor)
    assert r.status_code == 201, r.text
    return n
