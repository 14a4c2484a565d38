"""Finalize, open, sign, withdraw, close; the public signature log; the signed declaration."""

import base64
import json
import zipfile
from dataclasses import dataclass

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.audit.models import Event
from app.auth.models import Role, User
from app.cli import main as concord
from app.endorsements import signing
from app.endorsements.certificates import leaf_of
from app.endorsements.log import LogTrees
from app.endorsements.merkle import EMPTY_ROOT, leaf_hash, verify_consistency, verify_inclusion
from app.endorsements.models import Checkpoint, LogEntry, Signature
from app.endorsements.statements import CHECKPOINT_TYP, ENTRY_TYP, verify_jws
from tests.conftest import PASSWORD
from tests.endorsements.test_pades import validated

TEXT = """# Mechelen Declaration on Cities and Migration

We, mayors and local and regional leaders, meeting in Mechelen, commit to the safe, orderly and
regular migration of all.

Cities are where migrants arrive, work and belong.
"""
TABLES = (Signature, LogEntry, Checkpoint, Event)


@dataclass
class Endorsement:
    client: object
    people: object
    did: int
    editor: dict
    content_hash: str = ""

    def url(self, path: str = "") -> str:
        return f"/api/declarations/{self.did}{path}"

    def post(self, path: str, headers: dict | None = None, **body):
        return self.client.post(self.url(path), json=body or None, headers=headers or self.editor)

    def finalize(self, version: int = 1, headers: dict | None = None):
        return self.post("/finalize", headers, version=version)

    def open(self, headers: dict | None = None):
        return self.post("/endorsement/open", headers)

    def close(self, headers: dict | None = None):
        return self.post("/endorsement/close", headers)

    def opened(self) -> "Endorsement":
        assert self.finalize().status_code == 200
        assert self.open().status_code == 200
        return self

    def sign(self, headers: dict, content_hash: str | None = None, password: str = PASSWORD):
        body = {"content_hash": content_hash or self.content_hash, "password": password}
        return self.client.post(self.url("/signatures"), json=body, headers=headers)

    def signed(self, headers: dict) -> dict:
        r = self.sign(headers)
        assert r.status_code == 201, r.text
        return r.json()

    def withdraw(self, signature_id: int, headers: dict):
        return self.client.delete(self.url(f"/signatures/{signature_id}"), headers=headers)

    def mayor(self, city=None, name: str | None = None) -> dict:
        return self.people.as_role(Role.mayor, city=city, name=name)

    def checkpoint(self) -> dict:
        r = self.client.get(self.url("/log/checkpoint"))
        assert r.status_code == 200, r.text
        return r.json()

    def jwks(self) -> dict:
        return self.client.get("/api/.well-known/jwks.json").json()

    def status(self) -> str:
        return self.client.get(self.url(), headers=self.editor).json()["status"]


@pytest.fixture
def endorsement(client, people) -> Endorsement:
    editor = people.as_role(Role.co_facilitator)
    r = client.post("/api/declarations", json={"title": "Mechelen", "text": TEXT}, headers=editor)
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    content_hash = client.get(f"/api/declarations/{did}/versions/1", headers=editor).json()[
        "content_hash"
    ]
    return Endorsement(client, people, did, editor, content_hash)


def counts(session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in TABLES
    }


def refused(session, request, status: int, code: str) -> None:
    """`request()` answers status/code and writes nothing at all."""
    before = counts(session)
    r = request()
    assert r.status_code == status, r.text
    assert r.json()["code"] == code, r.text
    assert counts(session) == before


def hexes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


class TestFinalize:
    def test_a_co_facilitator_freezes_the_head(self, endorsement, session):
        r = endorsement.finalize()
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "final" and r.json()["final_version"] == 1
        event = session.scalar(select(Event).where(Event.action == "declaration.finalize"))
        assert event.after == {
            "status": "final",
            "final_version": 1,
            "content_hash": endorsement.content_hash,
        }

    def test_an_admin_may_finalize(self, endorsement, people):
        assert endorsement.finalize(headers=people.as_role(Role.admin)).status_code == 200

    @pytest.mark.parametrize("role", [Role.delegate, Role.mayor, Role.observer])
    def test_other_roles_are_refused(self, endorsement, people, session, role):
        refused(session, lambda: endorsement.finalize(headers=people.as_role(role)), 403,
                "role_forbidden")  # fmt: skip

    def test_nobody_signed_in_is_refused(self, endorsement, client):
        assert client.post(endorsement.url("/finalize"), json={"version": 1}).status_code == 401

    def test_only_the_head_version(self, endorsement, session, client):
        key = client.get(endorsement.url("/versions/1"), headers=endorsement.editor).json()[
            "paragraphs"
        ][1]["key"]
        r = endorsement.post(
            "/versions", base_version=1,
            edits=[{"action": "modify", "paragraph_key": key, "text": "We commit."}],
        )  # fmt: skip
        assert r.status_code == 201, r.text
        refused(session, lambda: endorsement.finalize(1), 409, "not_head")
        assert endorsement.finalize(1).json()["head_version"] == 2
        refused(session, lambda: endorsement.finalize(3), 404, "version_not_found")
        assert endorsement.finalize(2).json()["final_version"] == 2

    def test_twice_is_refused(self, endorsement, session):
        endorsement.finalize()
        refused(session, lambda: endorsement.finalize(), 409, "wrong_state")

    def test_unknown_declaration(self, endorsement, client):
        r = client.post("/api/declarations/9999/finalize", json={"version": 1},
                        headers=endorsement.editor)  # fmt: skip
        assert r.status_code == 404 and r.json()["code"] == "declaration_not_found"

    def test_no_amendment_decision_merge_or_proposal_after_it(self, endorsement, people, client):
        delegate = people.as_role(Role.delegate)
        key = client.get(endorsement.url("/versions/1"), headers=delegate).json()["paragraphs"][1][
            "key"
        ]
        proposal = {"base_version": 1, "action": "modify", "paragraph_key": key,
                    "text": "We commit to more.", "rationale": "Stronger."}  # fmt: skip
        amendment = client.post(endorsement.url("/amendments"), json=proposal, headers=delegate)
        assert amendment.status_code == 201, amendment.text
        aid = amendment.json()["id"]
        assert endorsement.finalize().status_code == 200
        r = client.post(f"/api/amendments/{aid}/decision", json={"decision": "accept"},
                        headers=endorsement.editor)  # fmt: skip
        assert r.status_code == 409 and r.json()["code"] == "wrong_state"
        r = endorsement.post(
            "/versions", base_version=1,
            edits=[{"action": "modify", "paragraph_key": key, "text": "Changed."}],
        )  # fmt: skip
        assert r.status_code == 409 and r.json()["code"] == "wrong_state"
        r = client.post(endorsement.url("/amendments"), json=proposal, headers=delegate)
        assert r.status_code == 409 and r.json()["code"] == "wrong_state"


class TestOpenAndClose:
    def test_open_starts_the_log_with_a_signed_empty_checkpoint(self, endorsement, session):
        refused(session, endorsement.open, 409, "wrong_state")  # still drafting
        endorsement.finalize()
        r = endorsement.open()
        assert r.status_code == 200 and r.json()["status"] == "open"
        checkpoint = endorsement.checkpoint()
        assert checkpoint["tree_size"] == 0 and checkpoint["root_hash"] == EMPTY_ROOT.hex()
        statement = verify_jws(checkpoint["jws"], endorsement.jwks(), typ=CHECKPOINT_TYP)
        assert statement["final"] is False
        assert statement["content_hash"] == endorsement.content_hash
        assert session.scalar(select(Event).where(Event.action == "endorsement.open"))
        refused(session, endorsement.open, 409, "wrong_state")

    def test_close_signs_the_seal(self, endorsement, session):
        endorsement.opened()
        receipt = endorsement.signed(endorsement.mayor())
        r = endorsement.close()
        assert r.status_code == 200 and r.json()["status"] == "closed"
        seal = endorsement.checkpoint()
        assert seal["final"] is True and seal["tree_size"] == 1
        statement = verify_jws(seal["jws"], endorsement.jwks(), typ=CHECKPOINT_TYP)
        assert statement["final"] is True
        assert verify_inclusion(
            leaf_hash(receipt["jws"].encode()), 0, 1, [], bytes.fromhex(seal["root_hash"])
        )
        event = session.scalar(select(Event).where(Event.action == "endorsement.close"))
        assert event.after["tree_size"] == 1 and event.after["signatories"] == 1
        refused(session, endorsement.close, 409, "wrong_state")
        refused(session, endorsement.open, 409, "wrong_state")

    def test_close_needs_open(self, endorsement, session):
        endorsement.finalize()
        refused(session, endorsement.close, 409, "wrong_state")

    @pytest.mark.parametrize("role", [Role.delegate, Role.mayor, Role.observer])
    def test_other_roles_are_refused(self, endorsement, people, session, role):
        endorsement.finalize()
        headers = people.as_role(role)
        refused(session, lambda: endorsement.open(headers), 403, "role_forbidden")
        endorsement.open()
        refused(session, lambda: endorsement.close(headers), 403, "role_forbidden")

    def test_nobody_signed_in_is_refused(self, endorsement, client):
        endorsement.finalize()
        assert client.post(endorsement.url("/endorsement/open")).status_code == 401


class TestSign:
    def test_a_mayor_signs_and_gets_a_receipt(self, endorsement, people, session):
        endorsement.opened()
        mechelen = people.city("Mechelen", "BE")
        receipt = endorsement.signed(endorsement.mayor(mechelen, name="Bart Somers"))
        assert receipt["kind"] == "endorsement" and receipt["seq"] == 1
        assert receipt["city"]["name"] == "Mechelen" and receipt["city"]["country"] == "BE"
        assert receipt["signer"] == {"name": "Bart Somers", "title": "Mayor"}
        assert receipt["content_hash"] == endorsement.content_hash
        statement = verify_jws(receipt["jws"], endorsement.jwks(), typ=ENTRY_TYP)
        assert statement == {
            "type": "endorsement",
            "declaration": {"id": endorsement.did, "title": "Mechelen"},
            "version": 1,
            "content_hash": endorsement.content_hash,
            "city": {"id": mechelen.id, "name": "Mechelen", "country": "BE"},
            "signer": {"name": "Bart Somers", "title": "Mayor"},
            "signed_at": receipt["signed_at"].replace("+00:00", "Z"),
            "seq": 1,
            "method": "password",
        }
        checkpoint = verify_jws(receipt["checkpoint"], endorsement.jwks(), typ=CHECKPOINT_TYP)
        assert checkpoint["tree_size"] == 1
        assert verify_inclusion(
            leaf_hash(receipt["jws"].encode()), 0, 1, hexes(receipt["inclusion_proof"]),
            bytes.fromhex(checkpoint["root_hash"]),
        )  # fmt: skip
        event = session.scalar(select(Event).where(Event.action == "signature.sign"))
        assert event.target_id == str(receipt["id"]) and event.after["seq"] == 1

    def test_concord_verify_checks_the_receipt(self, endorsement, people, tmp_path, capsys):
        endorsement.opened()
        endorsement.signed(endorsement.mayor())
        receipt = endorsement.signed(endorsement.mayor(people.city("Malmö", "SE")))
        (tmp_path / "receipt.json").write_text(json.dumps(receipt))
        (tmp_path / "jwks.json").write_text(json.dumps(endorsement.jwks()))
        args = [str(tmp_path / "receipt.json"), "--jwks", str(tmp_path / "jwks.json")]
        assert concord(["verify", *args, "--receipt"]) == 0
        assert "VALID RECEIPT: the endorsement of Malmö (SE), seq 2" in capsys.readouterr().out
        # a receipt is no signed declaration: its checkpoint no seal
        assert concord(["verify", *args]) == 1

    @pytest.mark.parametrize(
        "role", [Role.delegate, Role.observer, Role.co_facilitator, Role.admin]
    )
    def test_only_mayors_sign(self, endorsement, people, session, role):
        endorsement.opened()
        headers = people.as_role(role)
        refused(session, lambda: endorsement.sign(headers), 403, "role_forbidden")

    def test_nobody_signed_in_is_refused(self, endorsement, client):
        endorsement.opened()
        body = {"content_hash": endorsement.content_hash, "password": PASSWORD}
        assert client.post(endorsement.url("/signatures"), json=body).status_code == 401

    def test_a_wrong_password_is_refused(self, endorsement, session):
        endorsement.opened()
        mayor = endorsement.mayor()
        refused(session, lambda: endorsement.sign(mayor, password="wrong one"), 401,
                "bad_password")  # fmt: skip

    def test_failed_sign_ins_under_the_mayors_email_do_not_stop_signing(
        self, endorsement, people, client
    ):
        """Anyone may fail to sign in under a mayor's e-mail; that must not keep the mayor,
        signed in already, from signing with the right password."""
        endorsement.opened()
        mayor = people.user(Role.mayor)
        burst = client.app.state.context.login_throttle.burst
        for _ in range(burst + 1):
            r = client.post("/api/auth/token", data={"username": mayor.email, "password": "x"})
        assert r.status_code == 429 and r.json()["code"] == "login_throttled"
        assert endorsement.sign(people.headers(mayor)).status_code == 201

    def test_wrong_signing_passwords_throttle_that_mayors_signing(self, endorsement, people):
        endorsement.opened()
        mayor, other = people.user(Role.mayor), people.user(Role.mayor)
        burst = people.context.login_throttle.burst
        for _ in range(burst):
            r = endorsement.sign(people.headers(mayor), password="wrong one")
            assert r.status_code == 401 and r.json()["code"] == "bad_password"
        r = endorsement.sign(people.headers(mayor))  # even the right password waits now
        assert r.status_code == 429 and r.json()["code"] == "signing_throttled", r.text
        assert r.headers["Retry-After"] == str(r.json()["retry_after"])
        assert endorsement.sign(people.headers(other)).status_code == 201

    def test_a_different_text_is_refused(self, endorsement, session):
        endorsement.opened()
        mayor = endorsement.mayor()
        other = "sha256:" + "0" * 64
        refused(session, lambda: endorsement.sign(mayor, other), 409, "hash_mismatch")
        assert endorsement.sign(mayor, other).json()["content_hash"] == endorsement.content_hash

    def test_a_malformed_hash_is_invalid(self, endorsement, session):
        endorsement.opened()
        mayor = endorsement.mayor()
        refused(session, lambda: endorsement.sign(mayor, "md5:abc"), 422, "invalid")

    def test_only_while_open(self, endorsement, session):
        mayor = endorsement.mayor()
        refused(session, lambda: endorsement.sign(mayor), 409, "wrong_state")  # drafting
        endorsement.finalize()
        refused(session, lambda: endorsement.sign(mayor), 409, "wrong_state")  # final
        endorsement.open()
        endorsement.close()
        refused(session, lambda: endorsement.sign(mayor), 409, "wrong_state")  # closed

    def test_one_signature_per_city(self, endorsement, people, session):
        endorsement.opened()
        city = people.city("Malmö", "SE")
        first = endorsement.signed(endorsement.mayor(city))
        refused(session, lambda: endorsement.sign(endorsement.mayor(city)), 409,
                "already_signed")  # fmt: skip
        again = endorsement.sign(endorsement.mayor(city)).json()
        assert again["signature_id"] == first["id"]

    def test_the_database_allows_one_standing_signature_per_city(self, endorsement, session):
        endorsement.opened()
        receipt = endorsement.signed(endorsement.mayor())
        row = session.get(Signature, receipt["id"])
        nested = session.begin_nested()
        session.add(Signature(
            declaration_id=row.declaration_id, city_id=row.city_id, signer_id=row.signer_id,
            signer_name="x", signer_title=None, seq=99, signed_at=row.signed_at,
        ))  # fmt: skip
        with pytest.raises(DBAPIError):
            session.flush()
        nested.rollback()

    def test_unknown_declaration(self, endorsement, client):
        body = {"content_hash": endorsement.content_hash, "password": PASSWORD}
        r = client.post("/api/declarations/9999/signatures", json=body,
                        headers=endorsement.mayor())  # fmt: skip
        assert r.status_code == 404

    def test_seqs_follow_each_other_and_proofs_hold_in_later_checkpoints(self, endorsement):
        endorsement.opened()
        receipts = [endorsement.signed(endorsement.mayor()) for _ in range(7)]
        assert [r["seq"] for r in receipts] == list(range(1, 8))
        latest = endorsement.checkpoint()
        assert latest["tree_size"] == 7
        root = bytes.fromhex(latest["root_hash"])
        for receipt in receipts:
            seq = receipt["seq"]
            # the receipt's own proof holds against the receipt's checkpoint ...
            own = verify_jws(receipt["checkpoint"], endorsement.jwks())
            leaf = leaf_hash(receipt["jws"].encode())
            assert verify_inclusion(leaf, seq - 1, seq, hexes(receipt["inclusion_proof"]),
                                    bytes.fromhex(own["root_hash"]))  # fmt: skip
            # ... and the log proves the entry is still in the latest tree
            proof = endorsement.client.get(endorsement.url(f"/log/proof?seq={seq}")).json()
            assert proof["tree_size"] == 7 and proof["leaf_hash"] == leaf.hex()
            assert verify_inclusion(leaf, seq - 1, 7, hexes(proof["inclusion_proof"]), root)
            # ... and that the receipt's tree is a prefix of the latest one
            r = endorsement.client.get(endorsement.url(f"/log/consistency?from={seq}&to=7"))
            consistency = r.json()
            assert consistency["from_root_hash"] == own["root_hash"]
            assert verify_consistency(seq, 7, bytes.fromhex(own["root_hash"]), root,
                                      hexes(consistency["consistency_proof"]))  # fmt: skip


class TestSigningTogether:
    """Signatures that arrive while a batch is written are appended together (group commit):
    each keeps its own receipt or refusal, and the log is the one single appends make."""

    def test_a_batch_gives_each_its_receipt_or_its_own_refusal(self, endorsement, people, session):
        endorsement.opened()
        before = endorsement.signed(endorsement.mayor())  # seq 1, its city signs again below
        context = endorsement.client.app.state.context
        first, second = people.user(Role.mayor), people.user(Role.mayor)
        again = session.scalar(select(User).where(User.city_id == before["city"]["id"]))
        homeless = User(id=first.id, email="x@test.example", name="No city", role="mayor")
        batch = [
            signing.Endorsement(first, endorsement.content_hash),
            signing.Endorsement(second, "sha256:" + "0" * 64),
            signing.Endorsement(homeless, endorsement.content_hash),
            signing.Endorsement(again, endorsement.content_hash),
            signing.Endorsement(second, endorsement.content_hash),
            signing.Endorsement(first, endorsement.content_hash),  # twice in one batch
        ]
        with context.sessionmaker() as writer:
            outcomes = signing.endorse_all(
                writer, keys=context.keys, declaration_id=endorsement.did, endorsements=batch
            )
        codes = [getattr(o, "code", None) for o in outcomes]
        assert codes == [None, "hash_mismatch", "no_city", "already_signed", None,
                         "already_signed"]  # fmt: skip
        assert outcomes[3].extra["signature_id"] == before["id"]
        assert outcomes[5].extra["signature_id"] == outcomes[0].signature.id
        assert [outcomes[0].signature.seq, outcomes[4].signature.seq] == [2, 3]
        latest = endorsement.checkpoint()
        assert latest["tree_size"] == 3
        for receipt in (outcomes[0], outcomes[4]):
            appended = receipt.appended
            assert appended.checkpoint.tree_size == appended.entry.seq
            assert verify_inclusion(bytes.fromhex(appended.entry.leaf_hash), appended.entry.seq - 1,
                                    appended.entry.seq, appended.inclusion_proof,
                                    bytes.fromhex(appended.checkpoint.root_hash))  # fmt: skip
        r = endorsement.client.get(endorsement.url("/log/consistency?from=2&to=3"))
        assert r.status_code == 200, r.text
        actions = session.scalars(select(Event.action).where(Event.action == "signature.sign"))
        assert len(actions.all()) == 3

    def test_a_refusal_of_all_is_each_ones_answer_and_writes_nothing(
        self, endorsement, people, session
    ):
        endorsement.finalize()  # final, not yet open
        context = endorsement.client.app.state.context
        batch = [signing.Endorsement(people.user(Role.mayor), endorsement.content_hash)
                 for _ in range(3)]  # fmt: skip
        before = counts(session)
        with context.sessionmaker() as writer:
            outcomes = signing.endorse_all(
                writer, keys=context.keys, declaration_id=endorsement.did, endorsements=batch
            )
        assert [o.code for o in outcomes] == ["wrong_state"] * 3
        assert counts(session) == before


class TestReceiptAgain:
    def test_anyone_signed_in_gets_it_with_a_proof_in_the_latest_tree(self, endorsement, people):
        endorsement.opened()
        signed = endorsement.signed(endorsement.mayor())
        for _ in range(4):
            endorsement.signed(endorsement.mayor())
        r = endorsement.client.get(endorsement.url(f"/signatures/{signed['id']}/receipt"),
                                   headers=people.as_role(Role.observer))  # fmt: skip
        assert r.status_code == 200, r.text
        again = r.json()
        for field in ("id", "kind", "seq", "city", "signer", "signed_at", "content_hash", "jws"):
            assert again[field] == signed[field], field
        checkpoint = verify_jws(again["checkpoint"], endorsement.jwks())
        assert checkpoint["tree_size"] == 5 == endorsement.checkpoint()["tree_size"]
        leaf = leaf_hash(again["jws"].encode())
        assert verify_inclusion(leaf, signed["seq"] - 1, 5, hexes(again["inclusion_proof"]),
                                bytes.fromhex(checkpoint["root_hash"]))  # fmt: skip

    def test_a_withdrawn_signature_still_has_its_endorsement_receipt(self, endorsement):
        endorsement.opened()
        mayor = endorsement.mayor()
        signed = endorsement.signed(mayor)
        assert endorsement.withdraw(signed["id"], mayor).status_code == 200
        again = endorsement.client.get(
            endorsement.url(f"/signatures/{signed['id']}/receipt"), headers=mayor
        ).json()
        assert again["kind"] == "endorsement" and again["jws"] == signed["jws"]

    def test_unknown_signature_or_declaration(self, endorsement, client, people):
        endorsement.opened()
        signed = endorsement.signed(endorsement.mayor())
        headers = people.as_role(Role.observer)
        r = client.get(endorsement.url("/signatures/9999/receipt"), headers=headers)
        assert (r.status_code, r.json()["code"]) == (404, "signature_not_found")
        r = client.get(f"/api/declarations/9999/signatures/{signed['id']}/receipt",
                       headers=headers)  # fmt: skip
        assert (r.status_code, r.json()["code"]) == (404, "declaration_not_found")


class TestWithdraw:
    def test_the_signer_withdraws_and_the_city_may_sign_again(self, endorsement, people, session):
        endorsement.opened()
        city = people.city("Kampala", "UG")
        mayor = endorsement.mayor(city)
        receipt = endorsement.signed(mayor)
        endorsement.signed(endorsement.mayor())
        r = endorsement.withdraw(receipt["id"], mayor)
        assert r.status_code == 200, r.text
        withdrawal = r.json()
        assert withdrawal["kind"] == "withdrawal" and withdrawal["seq"] == 3
        assert withdrawal["withdraws"] == 1 and withdrawal["id"] == receipt["id"]
        statement = verify_jws(withdrawal["jws"], endorsement.jwks(), typ=ENTRY_TYP)
        assert statement["type"] == "withdrawal" and statement["withdraws"] == 1
        assert statement["city"]["id"] == city.id
        # nothing erased: the endorsement is still entry 1 of the log
        assert session.scalar(select(func.count()).select_from(LogEntry)) == 3
        event = session.scalar(select(Event).where(Event.action == "signature.withdraw"))
        assert event.after["withdrawn_seq"] == 3
        again = endorsement.signed(mayor)
        assert again["seq"] == 4 and again["id"] != receipt["id"]

    def test_another_mayor_of_the_same_city_is_refused(self, endorsement, people, session):
        endorsement.opened()
        city = people.city()
        receipt = endorsement.signed(endorsement.mayor(city))
        other = endorsement.mayor(city)
        refused(session, lambda: endorsement.withdraw(receipt["id"], other), 403,
                "not_your_signature")  # fmt: skip

    def test_a_mayor_of_another_city_is_refused(self, endorsement, session):
        endorsement.opened()
        receipt = endorsement.signed(endorsement.mayor())
        other = endorsement.mayor()
        refused(session, lambda: endorsement.withdraw(receipt["id"], other), 403,
                "not_your_signature")  # fmt: skip

    @pytest.mark.parametrize("role", [Role.delegate, Role.observer, Role.co_facilitator])
    def test_other_roles_are_refused(self, endorsement, people, session, role):
        endorsement.opened()
        receipt = endorsement.signed(endorsement.mayor())
        headers = people.as_role(role)
        refused(session, lambda: endorsement.withdraw(receipt["id"], headers), 403,
                "role_forbidden")  # fmt: skip

    def test_nobody_signed_in_is_refused(self, endorsement, client):
        endorsement.opened()
        receipt = endorsement.signed(endorsement.mayor())
        assert client.delete(endorsement.url(f"/signatures/{receipt['id']}")).status_code == 401

    def test_twice_is_refused(self, endorsement, session):
        endorsement.opened()
        mayor = endorsement.mayor()
        receipt = endorsement.signed(mayor)
        assert endorsement.withdraw(receipt["id"], mayor).status_code == 200
        refused(session, lambda: endorsement.withdraw(receipt["id"], mayor), 409,
                "already_withdrawn")  # fmt: skip

    def test_not_after_close(self, endorsement, session):
        endorsement.opened()
        mayor = endorsement.mayor()
        receipt = endorsement.signed(mayor)
        endorsement.close()
        refused(session, lambda: endorsement.withdraw(receipt["id"], mayor), 409, "wrong_state")

    def test_unknown_signature(self, endorsement, session):
        endorsement.opened()
        mayor = endorsement.mayor()
        refused(session, lambda: endorsement.withdraw(9999, mayor), 404, "signature_not_found")


class TestSignatories:
    def test_listed_in_log_order_with_their_cities_paginated(self, endorsement, people):
        endorsement.opened()
        cities = [people.city(f"City {i}", "FR") for i in range(5)]
        mayors = [endorsement.mayor(c, name=f"Mayor {i}") for i, c in enumerate(cities)]
        receipts = [endorsement.signed(m) for m in mayors]
        endorsement.withdraw(receipts[1]["id"], mayors[1])
        observer = people.as_role(Role.observer)
        page = endorsement.client.get(endorsement.url("/signatures?limit=2"), headers=observer)
        assert page.status_code == 200
        body = page.json()
        assert body["total"] == 4 and body["limit"] == 2 and body["offset"] == 0
        first = body["items"][0]
        assert first["seq"] == 1 and first["withdrawn"] is False
        assert first["city"] == {"id": cities[0].id, "name": "City 0", "country": "FR",
                                 "kind": "city", "latitude": None, "longitude": None}  # fmt: skip
        assert first["signer"] == {"name": "Mayor 0", "title": "Mayor"}
        assert [s["seq"] for s in body["items"]] == [1, 3]
        everything = endorsement.client.get(
            endorsement.url("/signatures?include_withdrawn=true"), headers=observer
        ).json()
        assert everything["total"] == 5
        withdrawn = everything["items"][1]
        assert withdrawn["withdrawn"] is True and withdrawn["withdrawn_seq"] == 6
        mine = endorsement.client.get(
            endorsement.url(f"/signatures?city_id={cities[2].id}"), headers=observer
        ).json()
        assert [s["id"] for s in mine["items"]] == [receipts[2]["id"]]

    def test_nobody_signed_in_is_refused(self, endorsement, client):
        assert client.get(endorsement.url("/signatures")).status_code == 401

    def test_unknown_declaration(self, client, people):
        r = client.get("/api/declarations/9999/signatures", headers=people.as_role("observer"))
        assert r.status_code == 404


class TestPublicLog:
    def test_keys_are_public(self, client):
        keys = client.get("/api/.well-known/jwks.json").json()["keys"]
        assert keys and keys[0]["alg"] == "ES256" and "d" not in keys[0]

    def test_keys_carry_their_certificate(self, client):
        (key, *_) = client.get("/api/.well-known/jwks.json").json()["keys"]
        certificate = x509.load_der_x509_certificate(base64.b64decode(key["x5c"][0]))
        assert leaf_of(key) == certificate.public_bytes(serialization.Encoding.DER)

    def test_checkpoint_and_proofs_need_no_sign_in_and_name_nobody(self, endorsement):
        endorsement.opened()
        endorsement.signed(endorsement.mayor(name="Ahmed Aboutaleb"))
        endorsement.signed(endorsement.mayor(name="Anne Hidalgo"))
        for path in ("/log/checkpoint", "/log/proof?seq=1", "/log/consistency?from=1"):
            r = endorsement.client.get(endorsement.url(path))
            assert r.status_code == 200, (path, r.text)
            assert "Aboutaleb" not in r.text and "Hidalgo" not in r.text
            assert "City" not in r.text

    def test_a_proof_for_an_older_tree(self, endorsement):
        endorsement.opened()
        receipts = [endorsement.signed(endorsement.mayor()) for _ in range(5)]
        r = endorsement.client.get(endorsement.url("/log/proof?seq=2&tree_size=3"))
        proof = r.json()
        checkpoint = verify_jws(proof["checkpoint"], endorsement.jwks())
        assert checkpoint["tree_size"] == 3 and proof["root_hash"] == checkpoint["root_hash"]
        assert verify_inclusion(leaf_hash(receipts[1]["jws"].encode()), 1, 3,
                                hexes(proof["inclusion_proof"]),
                                bytes.fromhex(proof["root_hash"]))  # fmt: skip

    def test_consistency_between_two_checkpoints(self, endorsement):
        endorsement.opened()
        endorsement.signed(endorsement.mayor())
        endorsement.signed(endorsement.mayor())
        early = endorsement.checkpoint()
        for _ in range(4):
            endorsement.signed(endorsement.mayor())
        late = endorsement.checkpoint()
        r = endorsement.client.get(
            endorsement.url(f"/log/consistency?from={early['tree_size']}&to={late['tree_size']}")
        )
        body = r.json()
        assert body["from"] == 2 and body["to"] == 6
        assert body["from_root_hash"] == early["root_hash"]
        assert body["to_root_hash"] == late["root_hash"]
        assert verify_consistency(2, 6, bytes.fromhex(early["root_hash"]),
                                  bytes.fromhex(late["root_hash"]),
                                  hexes(body["consistency_proof"]))  # fmt: skip

    @pytest.mark.parametrize(
        "path",
        [
            "/log/proof?seq=0",
            "/log/proof?seq=3",
            "/log/proof?seq=1&tree_size=0",
            "/log/proof?seq=1&tree_size=9",
            "/log/proof?seq=abc",
            "/log/proof",
            "/log/consistency?from=0&to=2",
            "/log/consistency?from=2&to=1",
            "/log/consistency?from=1&to=3",
            "/log/consistency",
        ],
    )
    def test_bad_sizes_are_invalid(self, endorsement, path):
        endorsement.opened()
        endorsement.signed(endorsement.mayor())
        endorsement.signed(endorsement.mayor())
        r = endorsement.client.get(endorsement.url(path))
        assert r.status_code == 422, r.text
        assert r.json()["code"] in ("invalid", "tree_size_out_of_range", "seq_out_of_range")

    def test_unknown_declaration_or_no_log_yet(self, endorsement, client):
        for path in ("/log/checkpoint", "/log/proof?seq=1", "/log/consistency?from=1"):
            r = client.get(f"/api/declarations/9999{path}")
            assert r.status_code == 404 and r.json()["code"] == "declaration_not_found"
            r = client.get(endorsement.url(path))
            assert r.status_code == 404 and r.json()["code"] == "log_not_found"


def bypass_triggers(session, table: str) -> None:
    """Drop or disable the table's triggers inside the test's transaction (rolled back)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER ALL"))
    else:
        names = session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": table},
        ).all()
        for name in names:
            session.execute(text(f"DROP TRIGGER {name}"))


class TestTampering:
    def test_the_database_refuses_to_change_the_log(self, endorsement, session):
        endorsement.opened()
        mayor = endorsement.mayor()
        receipt = endorsement.signed(mayor)
        endorsement.withdraw(receipt["id"], mayor)
        for statement in (
            "UPDATE log_entries SET jws = 'forged'",
            "DELETE FROM log_entries",
            "UPDATE checkpoints SET root_hash = 'forged'",
            "DELETE FROM checkpoints",
            "DELETE FROM signatures",
            "UPDATE signatures SET withdrawn_seq = NULL, withdrawn_at = NULL",
            "UPDATE signatures SET signer_name = 'forged'",
        ):
            nested = session.begin_nested()
            with pytest.raises(DBAPIError):
                session.execute(text(statement))
            nested.rollback()

    def test_a_changed_entry_makes_the_checkpoint_refuse(self, endorsement, session):
        endorsement.opened()
        receipts = [endorsement.signed(endorsement.mayor()) for _ in range(3)]
        assert endorsement.checkpoint()["tree_size"] == 3
        forged = receipts[1]["jws"][:-4] + ("AAAA" if receipts[1]["jws"][-4:] != "AAAA" else "BBBB")
        bypass_triggers(session, "log_entries")
        session.execute(text("UPDATE log_entries SET jws = :jws WHERE seq = 2"), {"jws": forged})
        # A process caches the entries it has checked (they never change): one that has not
        # read this log yet, as after a restart, checks them all.
        endorsement.client.app.state.context.log_trees = LogTrees()
        r = endorsement.client.get(endorsement.url("/log/checkpoint"))
        assert r.status_code == 500
        assert r.json()["code"] == "log_inconsistent"
        assert "entry 2" in r.json()["detail"]

    def test_a_changed_leaf_hash_and_entry_still_do_not_match_the_signed_root(
        self, endorsement, session
    ):
        endorsement.opened()
        for _ in range(2):
            endorsement.signed(endorsement.mayor())
        other = endorsement.signed(endorsement.mayor())["jws"]
        bypass_triggers(session, "log_entries")
        session.execute(
            text("UPDATE log_entries SET jws = :jws, leaf_hash = :leaf WHERE seq = 1"),
            {"jws": other, "leaf": leaf_hash(other.encode()).hex()},
        )
        r = endorsement.client.get(endorsement.url("/log/checkpoint"))
        assert r.status_code == 500 and r.json()["code"] == "log_inconsistent"
        assert "does not match its signed checkpoint" in r.json()["detail"]

    def test_a_removed_entry_makes_the_checkpoint_refuse(self, endorsement, session):
        endorsement.opened()
        for _ in range(2):
            endorsement.signed(endorsement.mayor())
        bypass_triggers(session, "log_entries")
        session.execute(text("DELETE FROM log_entries WHERE seq = 2"))
        r = endorsement.client.get(endorsement.url("/log/checkpoint"))
        assert r.status_code == 500 and r.json()["code"] == "log_inconsistent"

    def test_a_changed_tail_is_never_extended(self, endorsement, session):
        endorsement.opened()
        endorsement.signed(endorsement.mayor())
        mayor = endorsement.mayor()
        bypass_triggers(session, "checkpoints")
        session.execute(
            text("UPDATE checkpoints SET peaks = :peaks WHERE tree_size = 1"),
            {"peaks": bytes(32)},
        )
        refused(session, lambda: endorsement.sign(mayor), 500, "log_inconsistent")


class TestSignedDeclaration:
    def test_only_once_sealed(self, endorsement, people):
        observer = people.as_role(Role.observer)
        endorsement.opened()
        r = endorsement.client.get(endorsement.url("/signed-declaration"), headers=observer)
        assert r.status_code == 409 and r.json()["code"] == "not_sealed"

    def test_nobody_signed_in_is_refused(self, endorsement, client):
        assert client.get(endorsement.url("/signed-declaration")).status_code == 401

    def test_the_whole_flow_ends_in_a_bundle_that_verifies(
        self, endorsement, people, tmp_path, capsys
    ):
        endorsement.opened()
        mayors = [endorsement.mayor(people.city(name, country)) for name, country in
                  (("Mechelen", "BE"), ("Malmö", "SE"), ("São Paulo", "BR"))]  # fmt: skip
        receipts = [endorsement.signed(m) for m in mayors]
        endorsement.withdraw(receipts[1]["id"], mayors[1])
        assert endorsement.close().status_code == 200
        observer = people.as_role(Role.observer)
        r = endorsement.client.get(endorsement.url("/signed-declaration?format=json"),
                                   headers=observer)  # fmt: skip
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        bundle = r.json()
        assert bundle["format"] == "concord-signed-declaration/1"
        assert bundle["declaration"]["content_hash"] == endorsement.content_hash
        assert len(bundle["entries"]) == 4 and bundle["log"]["tree_size"] == 4
        assert bundle["seal"] == endorsement.checkpoint()["jws"]
        text_r = endorsement.client.get(endorsement.url("/versions/1/text"), headers=observer)
        assert bundle["text"] == text_r.content.decode()
        path = tmp_path / "signed.json"
        path.write_bytes(r.content)
        jwks = tmp_path / "jwks.json"
        jwks.write_text(json.dumps(endorsement.jwks()))
        assert concord(["verify", str(path), "--jwks", str(jwks)]) == 0
        out = capsys.readouterr().out
        assert "VALID: 2 signatories" in out and "Mechelen" in out and "São Paulo" in out
        # against nothing but its own keys, the same file is consistent but its origin unproven
        assert concord(["verify", str(path)]) == 3
        capsys.readouterr()
        # one altered character of the text is found and named
        bundle["text"] = bundle["text"].replace("Mechelen", "Mechelem", 1)
        path.write_text(json.dumps(bundle, ensure_ascii=False))
        assert concord(["verify", str(path), "--jwks", str(jwks)]) == 1
        assert "the text was altered" in capsys.readouterr().out
        # the cached file is served again, byte for byte
        again = endorsement.client.get(endorsement.url("/signed-declaration"), headers=observer)
        assert again.content == r.content

    def test_pdf_and_zip(self, endorsement, people, tmp_path, capsys):
        endorsement.opened()
        endorsement.signed(endorsement.mayor(people.city("Mechelen", "BE")))
        endorsement.close()
        observer = people.as_role(Role.observer)
        pdf = endorsement.client.get(endorsement.url("/signed-declaration?format=pdf"),
                                     headers=observer)  # fmt: skip
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        # signed by the platform (PAdES), checked against the certificate it publishes
        certificate = base64.b64decode(endorsement.jwks()["keys"][0]["x5c"][0])
        assert validated(pdf.content, asn1_x509.Certificate.load(certificate)).bottom_line
        archive = endorsement.client.get(endorsement.url("/signed-declaration?format=zip"),
                                         headers=observer)  # fmt: skip
        assert archive.headers["content-type"] == "application/zip"
        path = tmp_path / "signed.zip"
        path.write_bytes(archive.content)
        with zipfile.ZipFile(path) as files:
            assert files.read("declaration.pdf") == pdf.content  # the signed PDF itself
        kid = endorsement.jwks()["keys"][0]["kid"]
        assert concord(["verify", str(path), "--key", kid]) == 0
        assert "Mechelen" in capsys.readouterr().out
        r = endorsement.client.get(endorsement.url("/signed-declaration?format=doc"),
                                   headers=observer)  # fmt: skip
        assert r.status_code == 422

    def test_an_empty_log_seals_too(self, endorsement, people, tmp_path):
        endorsement.opened()
        endorsement.close()
        r = endorsement.client.get(endorsement.url("/signed-declaration"),
                                   headers=people.as_role(Role.observer))  # fmt: skip
        assert r.status_code == 200 and r.json()["entries"] == []
        path = tmp_path / "empty.json"
        path.write_bytes(r.content)
        assert concord(["verify", str(path), "--key", endorsement.jwks()["keys"][0]["kid"]]) == 0

    def test_a_tampered_log_is_never_handed_out(self, endorsement, people, session):
        endorsement.opened()
        endorsement.signed(endorsement.mayor())
        other = endorsement.signed(endorsement.mayor())["jws"]
        endorsement.close()
        bypass_triggers(session, "log_entries")
        session.execute(
            text("UPDATE log_entries SET jws = :jws, leaf_hash = :leaf WHERE seq = 1"),
            {"jws": other, "leaf": leaf_hash(other.encode()).hex()},
        )
        r = endorsement.client.get(endorsement.url("/signed-declaration"),
                                   headers=people.as_role(Role.observer))  # fmt: skip
        assert r.status_code == 500 and r.json()["code"] == "log_inconsistent"
