"""A drafting declaration, and delegations of two cities, for the amendment tests."""

from dataclasses import dataclass

import pytest

from app.auth.models import Role

TEXT = """# Commitments

We commit to give every resident access to basic services within thirty (30) days.

We commit to fight discrimination in our administrations.

We will meet again to report on these commitments.
"""


@dataclass
class Negotiation:
    client: object
    did: int
    keys: list[str]
    editor: dict
    mechelen: dict
    mechelen_mayor: dict
    kampala: dict
    observer: dict

    def propose(self, headers, **body):
        body.setdefault("base_version", 1)
        return self.client.post(f"/api/declarations/{self.did}/amendments", json=body,
                                headers=headers)

    def proposed(self, headers, **body):
        r = self.propose(headers, **body)
        assert r.status_code == 201, r.text
        return r.json()

    def decide(self, amendment_id, decision, headers=None, note=None):
        return self.client.post(f"/api/amendments/{amendment_id}/decision",
                                json={"decision": decision, "note": note},
                                headers=headers or self.editor)

    def accepted(self, headers, **body):
        amendment = self.proposed(headers, **body)
        r = self.decide(amendment["id"], "accept")
        assert r.status_code == 200, r.text
        return r.json()

    def merge(self, amendments, base=None, **body):
        if base is None:
            base = self.client.get(f"/api/declarations/{self.did}",
                                   headers=self.editor).json()["head_version"]
        return self.client.post(
            f"/api/declarations/{self.did}/versions",
            json={"base_version": base, "amendments": amendments, **body}, headers=self.editor)

    def head_texts(self):
        head = self.client.get(f"/api/declarations/{self.did}", headers=self.editor).json()[
            "head_version"]
        version = self.client.get(f"/api/declarations/{self.did}/versions/{head}",
                                  headers=self.editor).json()
        return [p["text"] for p in version["paragraphs"]]


@pytest.fixture
def negotiation(client, people):
    editor = people.as_role(Role.co_facilitator)
    r = client.post("/api/declarations", json={"title": "T", "text": TEXT}, headers=editor)
    did = r.json()["id"]
    keys = [p["key"] for p in client.get(f"/api/declarations/{did}/versions/1",
                                          headers=editor).json()["paragraphs"]]
    mechelen = people.city("Mechelen", "BE")
    kampala = people.city("Kampala", "UG")
    return Negotiation(
        client=client, did=did, keys=keys, editor=editor,
        mechelen=people.as_role(Role.delegate, city=mechelen),
        mechelen_mayor=people.as_role(Role.mayor, city=mechelen),
        kampala=people.as_role(Role.delegate, city=kampala),
        observer=people.as_role(Role.observer),
    )
