"""Passkeys through the API, with a software authenticator making genuine assertions: a mayor
registers one and signs with it; every refusal has its code and writes nothing."""

import base64
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.auth.models import Role
from app.db import utcnow
from app.endorsements.models import LogEntry
from app.endorsements.statements import unverified_statement
from app.endorsements.verify import verify_bundle
from app.endorsements.verify_command import format_report
from app.passkeys.assertion import CHALLENGE_PREFIX, verify_assertion
from app.passkeys.models import PasskeyChallenge
from tests.endorsements.test_endorsement_api import refused
from tests.passkeys.authenticator import SoftAuthenticator, b64url, unb64url

ORIGIN, RP_ID = "http://localhost:8000", "localhost"


def register(client, mayor: dict, authenticator: SoftAuthenticator, name: str = "Laptop"):
    options = client.post("/api/me/passkeys/options", headers=mayor)
    assert options.status_code == 200, options.text
    credential = authenticator.create(options.json())
    return client.post(
        "/api/me/passkeys", json={"name": name, "credential": credential}, headers=mayor
    )


def registered(client, mayor: dict) -> SoftAuthenticator:
    authenticator = SoftAuthenticator(ORIGIN)
    r = register(client, mayor, authenticator)
    assert r.status_code == 201, r.text
    return authenticator


def challenge(endorsement, mayor: dict) -> str:
    r = endorsement.client.post(endorsement.url("/signatures/options"), headers=mayor)
    assert r.status_code == 200, r.text
    return r.json()["challenge"]


def sign_with(endorsement, mayor: dict, assertion: dict, content_hash: str | None = None):
    body = {"content_hash": content_hash or endorsement.content_hash, "passkey": assertion}
    return endorsement.client.post(endorsement.url("/signatures"), json=body, headers=mayor)


class TestRegistration:
    def test_a_mayor_registers_lists_and_removes_a_passkey(self, client, people):
        mayor = people.as_role(Role.mayor)
        options = client.post("/api/me/passkeys/options", headers=mayor).json()
        assert options["rp"]["id"] == RP_ID
        assert options["authenticatorSelection"]["userVerification"] == "required"
        assert [p["alg"] for p in options["pubKeyCredParams"]] == [-7]
        authenticator = SoftAuthenticator(ORIGIN)
        credential = authenticator.create(options)
        r = client.post(
            "/api/me/passkeys", json={"name": "Phone", "credential": credential}, headers=mayor
        )
        assert r.status_code == 201, r.text
        assert r.json()["credential_id"] == b64url(authenticator.credential_id)
        listed = client.get("/api/me/passkeys", headers=mayor).json()
        assert [p["name"] for p in listed] == ["Phone"]
        assert (
            client.delete(f"/api/me/passkeys/{listed[0]['id']}", headers=mayor).status_code == 204
        )
        assert client.get("/api/me/passkeys", headers=mayor).json() == []

    def test_only_mayors_have_passkeys(self, client, people):
        delegate = people.as_role(Role.delegate)
        r = client.post("/api/me/passkeys/options", headers=delegate)
        assert r.status_code == 403 and r.json()["code"] == "role_forbidden"

    def test_user_verification_is_required(self, client, people):
        mayor = people.as_role(Role.mayor)
        options = client.post("/api/me/passkeys/options", headers=mayor).json()
        credential = SoftAuthenticator(ORIGIN).create(options, user_verified=False)
        r = client.post(
            "/api/me/passkeys", json={"name": "x", "credential": credential}, headers=mayor
        )
        assert r.status_code == 401 and r.json()["code"] == "passkey_invalid"
        assert client.get("/api/me/passkeys", headers=mayor).json() == []

    def test_a_registration_challenge_is_used_once(self, client, people):
        mayor = people.as_role(Role.mayor)
        options = client.post("/api/me/passkeys/options", headers=mayor).json()
        authenticator = SoftAuthenticator(ORIGIN)
        credential = authenticator.create(options)
        body = {"name": "x", "credential": credential}
        assert client.post("/api/me/passkeys", json=body, headers=mayor).status_code == 201
        again = client.post("/api/me/passkeys", json=body, headers=mayor)
        assert again.status_code == 409 and again.json()["code"] == "challenge_used"

    def test_another_mayor_cannot_remove_it(self, client, people):
        mayor, other = people.as_role(Role.mayor), people.as_role(Role.mayor)
        registered(client, mayor)
        pid = client.get("/api/me/passkeys", headers=mayor).json()[0]["id"]
        r = client.delete(f"/api/me/passkeys/{pid}", headers=other)
        assert r.status_code == 404 and r.json()["code"] == "passkey_not_found"


class TestSigning:
    def test_a_mayor_signs_with_a_passkey_and_anyone_can_check_it_offline(
        self,
        endorsement,
        session,
    ):
        endorsement.opened()
        mayor = endorsement.mayor()
        authenticator = registered(endorsement.client, mayor)
        options = endorsement.client.post(endorsement.url("/signatures/options"), headers=mayor)
        body = options.json()
        assert body["rp_id"] == RP_ID and body["user_verification"] == "required"
        assert body["allow_credentials"] == [
            {"type": "public-key", "id": b64url(authenticator.credential_id)}
        ]
        raw = unb64url(body["challenge"])
        assert len(raw) == 64 and raw.startswith(CHALLENGE_PREFIX)
        assert raw[16:48].hex() == endorsement.content_hash.removeprefix("sha256:")
        r = sign_with(endorsement, mayor, authenticator.get(body["challenge"]))
        assert r.status_code == 201, r.text
        statement = unverified_statement(r.json()["jws"])
        assert statement["method"] == "passkey"
        passkey = statement["passkey"]
        assert passkey["credential_id"] == b64url(authenticator.credential_id)
        verify_assertion(passkey, content_hash=endorsement.content_hash, origin=ORIGIN, rp_id=RP_ID)
        # the password path says so too
        other = endorsement.mayor()
        assert unverified_statement(endorsement.signed(other)["jws"])["method"] == "password"
        assert endorsement.close().status_code == 200
        bundle = endorsement.client.get(
            endorsement.url("/signed-declaration"), headers=mayor
        ).json()
        assert bundle["platform"] == {"origin": ORIGIN, "rp_id": RP_ID}
        report = verify_bundle(bundle, endorsement.jwks())
        assert report.verdict == "valid", report.problems
        assert [s.method for s in report.signatories] == ["passkey", "password"]
        assert report.passkey_entries == 1
        printed = format_report(report)
        assert f"Passkeys checked against: origin {ORIGIN}, RP ID {RP_ID}" in printed
        assert printed.count(", own passkey") == 1

    def test_a_synced_passkey_counting_zero_signs_again_after_a_withdrawal(
        self,
        endorsement,
    ):
        endorsement.opened()
        mayor = endorsement.mayor()
        authenticator = registered(endorsement.client, mayor)
        assert authenticator.counter is None  # reports sign count 0, always
        first = sign_with(endorsement, mayor, authenticator.get(challenge(endorsement, mayor)))
        assert first.status_code == 201, first.text
        assert endorsement.withdraw(first.json()["id"], mayor).status_code == 200
        again = sign_with(endorsement, mayor, authenticator.get(challenge(endorsement, mayor)))
        assert again.status_code == 201, again.text

    def test_a_declaration_may_require_passkeys(self, endorsement, session):
        assert endorsement.finalize().status_code == 200
        r = endorsement.post("/endorsement/open", require_passkey=True)
        assert r.status_code == 200 and r.json()["require_passkey"] is True
        mayor = endorsement.mayor()
        refused(session, lambda: endorsement.sign(mayor), 403, "passkey_required")
        authenticator = registered(endorsement.client, mayor)
        r = sign_with(endorsement, mayor, authenticator.get(challenge(endorsement, mayor)))
        assert r.status_code == 201, r.text

    def test_options_need_a_passkey_and_an_open_declaration(self, endorsement):
        mayor = endorsement.mayor()
        endorsement.finalize()
        r = endorsement.client.post(endorsement.url("/signatures/options"), headers=mayor)
        assert r.status_code == 409 and r.json()["code"] == "wrong_state"
        endorsement.open()
        r = endorsement.client.post(endorsement.url("/signatures/options"), headers=mayor)
        assert r.status_code == 409 and r.json()["code"] == "no_passkey"


class TestRefusals:
    """Each refused with its code, and nothing written: no signature, entry, checkpoint, event."""

    @pytest.fixture
    def ready(self, endorsement):
        endorsement.opened()
        mayor = endorsement.mayor()
        return endorsement, mayor, registered(endorsement.client, mayor)

    def test_a_replayed_assertion(self, ready, session):
        e, mayor, authenticator = ready
        assertion = authenticator.get(challenge(e, mayor))
        assert sign_with(e, mayor, assertion).status_code == 201
        [signature_id] = [
            s["id"] for s in e.client.get(e.url("/signatures"), headers=mayor).json()["items"]
        ]
        assert e.withdraw(signature_id, mayor).status_code == 200
        refused(session, lambda: sign_with(e, mayor, assertion), 409, "challenge_used")

    def test_an_expired_challenge(self, ready, session):
        e, mayor, authenticator = ready
        assertion = authenticator.get(challenge(e, mayor))
        session.execute(update(PasskeyChallenge).values(expires_at=utcnow() - timedelta(seconds=1)))
        refused(session, lambda: sign_with(e, mayor, assertion), 409, "challenge_expired")

    def test_another_texts_hash(self, ready, session):
        e, mayor, authenticator = ready
        issued = unb64url(challenge(e, mayor))
        other = issued[:16] + bytes(32) + issued[48:]  # the same nonce, another fingerprint
        assertion = authenticator.get(b64url(other))
        refused(session, lambda: sign_with(e, mayor, assertion), 409, "challenge_hash_mismatch")
        # naming that other text as the one signed: it is not the final text
        forged = "sha256:" + "00" * 32
        refused(session, lambda: sign_with(e, mayor, assertion, forged), 401, "challenge_unknown")

    def test_a_challenge_the_platform_never_gave(self, ready, session):
        e, mayor, authenticator = ready
        issued = unb64url(challenge(e, mayor))
        made_up = issued[:48] + bytes(16)
        assertion = authenticator.get(b64url(made_up))
        refused(session, lambda: sign_with(e, mayor, assertion), 401, "challenge_unknown")

    def test_another_origin(self, ready, session):
        e, mayor, authenticator = ready
        assertion = authenticator.get(challenge(e, mayor), origin="https://concord.example")
        refused(session, lambda: sign_with(e, mayor, assertion), 401, "passkey_origin")

    def test_another_rp_id(self, ready, session):
        e, mayor, authenticator = ready
        assertion = authenticator.get(challenge(e, mayor), rp_id="concord.example")
        refused(session, lambda: sign_with(e, mayor, assertion), 401, "passkey_rp_id")

    def test_user_verification_not_performed(self, ready, session):
        e, mayor, authenticator = ready
        assertion = authenticator.get(challenge(e, mayor), user_verified=False)
        refused(session, lambda: sign_with(e, mayor, assertion), 401, "user_not_verified")

    def test_a_forged_signature(self, ready, session):
        e, mayor, authenticator = ready
        assertion = authenticator.get(challenge(e, mayor))
        stranger = SoftAuthenticator(ORIGIN)
        stranger.rp_id, stranger.credential_id = RP_ID, authenticator.credential_id
        stranger.user_handle = authenticator.user_handle
        forged = stranger.get(
            json.loads(unb64url(assertion["response"]["clientDataJSON"]))["challenge"]
        )
        refused(session, lambda: sign_with(e, mayor, forged), 401, "passkey_signature_invalid")

    def test_an_unknown_credential(self, ready, session):
        e, mayor, _ = ready
        unknown = SoftAuthenticator(ORIGIN)
        unknown.rp_id = RP_ID
        assertion = unknown.get(challenge(e, mayor))
        refused(session, lambda: sign_with(e, mayor, assertion), 401, "passkey_unknown")

    def test_a_deleted_credential(self, ready, session):
        e, mayor, authenticator = ready
        pid = e.client.get("/api/me/passkeys", headers=mayor).json()[0]["id"]
        assertion = authenticator.get(challenge(e, mayor))
        assert e.client.delete(f"/api/me/passkeys/{pid}", headers=mayor).status_code == 204
        refused(session, lambda: sign_with(e, mayor, assertion), 401, "passkey_unknown")

    def test_another_mayors_credential(self, ready, session):
        e, mayor, authenticator = ready
        other = e.mayor()
        registered(e.client, other)  # so that the other mayor can ask for a challenge
        assertion = authenticator.get(challenge(e, other))
        refused(session, lambda: sign_with(e, other, assertion), 403, "not_your_passkey")

    def test_a_password_and_a_passkey_together(self, ready, session):
        e, mayor, authenticator = ready
        body = {
            "content_hash": e.content_hash,
            "password": "x",
            "passkey": authenticator.get(challenge(e, mayor)),
        }
        r = e.client.post(e.url("/signatures"), json=body, headers=mayor)
        assert r.status_code == 422


def test_the_statement_carries_the_raw_client_data_bytes(endorsement, session):
    endorsement.opened()
    mayor = endorsement.mayor()
    authenticator = registered(endorsement.client, mayor)
    assertion = authenticator.get(challenge(endorsement, mayor))
    assert sign_with(endorsement, mayor, assertion).status_code == 201
    jws = session.scalar(select(LogEntry.jws).where(LogEntry.declaration_id == endorsement.did))
    passkey = unverified_statement(jws)["passkey"]
    assert passkey["client_data_json"] == assertion["response"]["clientDataJSON"]
    assert passkey["authenticator_data"] == assertion["response"]["authenticatorData"]
    assert base64.urlsafe_b64decode(passkey["signature"] + "==") == unb64url(
        assertion["response"]["signature"]
    )
