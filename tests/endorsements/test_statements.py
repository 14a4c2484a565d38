"""Signing keys and signed statements: canonical bytes, ES256 only, keys found by kid, rotation."""

import base64
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import given, settings
from hypothesis import strategies as st
from jose import jws

from app.endorsements.keys import (
    KEYS_FILE,
    KeyRing,
    SigningKey,
    _write_atomically,
    jwk_thumbprint,
    load_or_create_keys,
    rotate,
)
from app.endorsements.statements import (
    CHECKPOINT_TYP,
    ENTRY_TYP,
    InvalidSignature,
    canonical_json,
    checkpoint_statement,
    is_canonical,
    sign_statement,
    verify_jws,
    withdrawal_statement,
)
from app.endorsements.verify import verify_bundle
from app.settings import Settings

from .conftest import ALL_SIGN, CITIES, DECLARATION, TEXT, Log, make_log, seal_for, statements_for

RFC7638_RSA = {
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
    "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
    "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4v"
    "MQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def forged(header: dict, payload: bytes, signature: bytes = b"sig") -> str:
    return ".".join([b64(json.dumps(header).encode()), b64(payload), b64(signature)])


@pytest.fixture
def statement():
    return statements_for([("endorse", 3)])[0]


class TestCanonicalJson:
    def test_keys_sort_by_utf16_code_units_as_rfc8785_says(self):
        # RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33; by code point
        # (json.dumps(sort_keys=True)) it would sort after.
        obj = {"\ufb33": 1, "\U0001f600": 2, "€": 3, "ö": 4, "\u0080": 5, "1": 6, "\r": 7}
        assert canonical_json(obj) == (
            '{"\\r":7,"1":6,"\u0080":5,"ö":4,"€":3,"\U0001f600":2,"\ufb33":1}'.encode()
        )

    def test_numbers_and_text_are_written_once_and_only_one_way(self):
        assert canonical_json({"b": [1.0, 1e21, -0.0], "a": "é\u2028"}) == (
            '{"a":"é\u2028","b":[1,1e+21,0]}'.encode()
        )

    def test_the_signed_payload_is_exactly_the_canonical_bytes(self, ring, statement):
        token = sign_statement(ring.current, statement)
        assert unb64(token.split(".")[1]) == canonical_json(statement)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(), JSON, max_size=6))
def test_the_quick_canonical_check_agrees_with_rfc8785(value):
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:  # e.g. integers beyond 2^53, lone surrogates
        assert not is_canonical(value, json.dumps(value).encode("utf-8", "surrogatepass"))
        return
    assert is_canonical(value, expected)
    loose = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    assert is_canonical(value, loose) == (loose == expected)
    assert not is_canonical(value, expected + b" ")


PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) - 2, 2**53 + 2)
    | st.text(st.characters(codec="utf-8"))  # controls, U+2028, astral planes; no surrogates
    | st.sampled_from(["\u0000\u001f\u007f", '"\\/', "\b\f\n\r\t", "\u2028\u2029", "😀"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(st.characters(codec="ascii")), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(st.characters(codec="ascii")), PLAIN, max_size=8))
def test_the_fast_canonical_form_is_rfc8785(value):
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:  # integers beyond 2^53: refused both ways
        with pytest.raises(rfc8785.CanonicalizationError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


class OwnDict(dict):
    """A dict subclass, as a caller's own mapping type might be."""


# Every shape JSON can take in Python: floats (1e-7, 1e21, -0.0), integers beyond 2^53, astral
# characters, non-ASCII keys (sorted by UTF-16 code units), tuples and dict subclasses, nested.
EVERY_SHAPE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**54), 2**54)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([1e-7, 1e-6, 1e21, 1e20, -0.0, 5e-324, 1.7976931348623157e308, 0.1])
    | st.text(st.characters(codec="utf-8"))
    | st.sampled_from(["😀", "\U0001d11e", "\ufb33", "\u2028", "\u0000"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(inner, max_size=4).map(tuple)
    | st.dictionaries(st.text(st.characters(codec="utf-8")), inner, max_size=4)
    | st.dictionaries(st.text(st.characters(codec="utf-8")), inner, max_size=4).map(OwnDict),
    max_leaves=16,
)


@settings(max_examples=400, deadline=None)
@given(EVERY_SHAPE)
def test_canonical_json_is_rfc8785_for_every_shape(value):
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:  # integers beyond 2^53: refused both ways
        with pytest.raises(rfc8785.CanonicalizationError):
            canonical_json(value)
        return
    assert canonical_json(value) == expected
    assert is_canonical(value, expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": (1e-7,)}, b'{"a":[1e-7]}'),
        ({"a": [(1, {"b": 1e21})]}, b'{"a":[[1,{"b":1e+21}]]}'),
        (OwnDict(a=1e-7), b'{"a":1e-7}'),
        (
            {"a": OwnDict({"\ufb33": 1, "\U0001f600": 2})},
            '{"a":{"\U0001f600":2,"\ufb33":1}}'.encode(),
        ),
        ((2**53,), None),
    ],
)
def test_tuples_and_dict_subclasses_are_looked_into(value, expected):
    if expected is None:
        with pytest.raises(rfc8785.CanonicalizationError):
            canonical_json(value)
    else:
        assert canonical_json(value) == expected == rfc8785.dumps(value)
        assert is_canonical(value, expected)


class TestStatements:
    def test_endorsement_carries_what_the_design_names(self, statement):
        assert statement == {
            "type": "endorsement",
            "declaration": DECLARATION,
            "version": 3,
            "content_hash": statement["content_hash"],
            "city": CITIES[3][0],
            "signer": CITIES[3][1],
            "signed_at": "2017-11-17T09:01:00Z",
            "seq": 1,
        }
        assert statement["content_hash"].startswith("sha256:")

    def test_withdrawal_names_the_endorsement_it_withdraws(self):
        withdrawal = statements_for([("endorse", 0), ("withdraw", 0)])[1]
        assert withdrawal["type"] == "withdrawal"
        assert (withdrawal["seq"], withdrawal["withdraws"]) == (2, 1)

    def test_checkpoint_root_is_lowercase_hex(self):
        checkpoint = checkpoint_statement(
            declaration=1,
            version=3,
            content_hash="sha256:00",
            tree_size=2,
            root_hash=bytes(range(32)),
            issued_at=datetime(2017, 11, 18, 12, 0, 0, 999, tzinfo=UTC),
        )
        assert checkpoint["root_hash"] == bytes(range(32)).hex()
        assert checkpoint["issued_at"] == "2017-11-18T12:00:00Z"
        assert checkpoint["final"] is False

    def test_naive_timestamps_are_refused(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            withdrawal_statement(
                declaration=DECLARATION,
                version=1,
                content_hash="sha256:00",
                city=CITIES[0][0],
                signer=CITIES[0][1],
                signed_at=datetime(2017, 11, 17),
                seq=2,
                withdraws=1,
            )


class TestSignAndVerify:
    def test_round_trip(self, ring, statement):
        token = sign_statement(ring.current, statement)
        header = jws.get_unverified_header(token)
        assert header == {"alg": "ES256", "kid": ring.current.kid, "typ": ENTRY_TYP}
        assert verify_jws(token, ring.jwks(), typ=ENTRY_TYP) == statement

    def test_signature_is_plain_es256_any_library_can_check(self, ring, statement):
        token = sign_statement(ring.current, statement)
        signing_input, signature = token.rsplit(".", 1)
        raw = unb64(signature)
        assert len(raw) == 64  # JWS ES256: r ‖ s, 32 bytes each, not DER
        jwk = ring.current.public_jwk
        public = ec.EllipticCurvePublicNumbers(
            int.from_bytes(unb64(jwk["x"]), "big"),
            int.from_bytes(unb64(jwk["y"]), "big"),
            ec.SECP256R1(),
        ).public_key()
        der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
        public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        with pytest.raises(CryptoInvalidSignature):
            public.verify(der, signing_input.encode() + b"x", ec.ECDSA(hashes.SHA256()))

    def test_altered_payload_does_not_verify(self, ring, statement):
        header, _, signature = sign_statement(ring.current, statement).split(".")
        altered = canonical_json({**statement, "city": CITIES[0][0]})
        with pytest.raises(InvalidSignature, match="signature does not verify"):
            verify_jws(f"{header}.{b64(altered)}.{signature}", ring.jwks())

    def test_alg_none_is_refused(self, ring, statement):
        token = forged({"alg": "none", "kid": ring.current.kid}, canonical_json(statement))
        with pytest.raises(InvalidSignature, match="'none' is refused"):
            verify_jws(token, ring.jwks())

    def test_hs256_with_the_public_key_as_secret_is_refused(self, ring, statement):
        secret = json.dumps(ring.current.public_jwk)
        token = jws.sign(
            canonical_json(statement),
            secret,
            headers={"kid": ring.current.kid},
            algorithm="HS256",
        )
        with pytest.raises(InvalidSignature, match="'HS256' is refused: only ES256"):
            verify_jws(token, ring.jwks())

    def test_unknown_kid_is_refused(self, ring, statement):
        stranger = SigningKey.generate()
        token = sign_statement(stranger, statement)
        with pytest.raises(InvalidSignature, match=f"key {stranger.kid}, which is not in"):
            verify_jws(token, ring.jwks())

    def test_a_kid_pointing_at_another_key_does_not_verify(self, ring, statement):
        stranger = SigningKey.generate()
        header, payload, signature = sign_statement(stranger, statement).split(".")
        lying = b64(json.dumps({"alg": "ES256", "kid": ring.current.kid}).encode())
        with pytest.raises(InvalidSignature, match="signature does not verify"):
            verify_jws(f"{lying}.{payload}.{signature}", ring.jwks())

    def test_missing_kid_is_refused(self, ring, statement):
        token = forged({"alg": "ES256"}, canonical_json(statement))
        with pytest.raises(InvalidSignature, match="names no key"):
            verify_jws(token, ring.jwks())

    def test_a_checkpoint_is_not_accepted_as_an_entry(self, ring):
        checkpoint = checkpoint_statement(
            declaration=1,
            version=3,
            content_hash="sha256:00",
            tree_size=0,
            root_hash="E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            issued_at=datetime(2017, 11, 18, tzinfo=UTC),
        )
        token = sign_statement(ring.current, checkpoint)
        assert verify_jws(token, ring.jwks(), typ=CHECKPOINT_TYP)["root_hash"].islower()
        with pytest.raises(InvalidSignature, match="where 'concord-entry\\+jws' was expected"):
            verify_jws(token, ring.jwks(), typ=ENTRY_TYP)

    def test_non_canonical_payload_is_refused(self, ring, statement):
        loose = json.dumps(statement, indent=1).encode()
        token = jws.sign(
            loose,
            ring.current.private_pem,
            headers={"kid": ring.current.kid},
            algorithm="ES256",
        )
        with pytest.raises(InvalidSignature, match="not RFC 8785 canonical"):
            verify_jws(token, ring.jwks())

    @pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "a.b.c", "é.b.c", 42])
    def test_garbage_is_refused_with_a_sentence(self, ring, token):
        with pytest.raises(InvalidSignature):
            verify_jws(token, ring.jwks())

    def test_retired_key_cannot_sign(self, ring, statement):
        with pytest.raises(ValueError, match="retired"):
            sign_statement(ring.current.retired(), statement)


class TestKeys:
    def test_thumbprint_matches_rfc7638_example(self):
        assert jwk_thumbprint(RFC7638_RSA) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

    def test_kid_is_the_thumbprint_and_jwks_is_public_only(self, ring):
        (published,) = ring.jwks()["keys"]
        assert published["kid"] == jwk_thumbprint(published) == ring.current.kid
        assert published | {"x": "", "y": "", "x5c": []} == {
            "kty": "EC", "crv": "P-256", "x": "", "y": "", "kid": ring.current.kid,
            "alg": "ES256", "use": "sig", "x5c": [],  # the certificate: see test_certificates
        }  # fmt: skip

    def test_first_start_creates_a_0600_file_and_later_starts_read_it(self, tmp_path):
        first = load_or_create_keys(tmp_path / "data")
        path = tmp_path / "data" / KEYS_FILE
        assert path.stat().st_mode & 0o777 == 0o600
        assert load_or_create_keys(tmp_path / "data").current.kid == first.current.kid
        assert [p.name for p in path.parent.iterdir()] == [KEYS_FILE]  # no temporary left

    def test_the_file_is_never_readable_by_others_not_even_while_written(self, tmp_path):
        os.umask(old_umask := os.umask(0))  # the most permissive umask there is
        try:
            _write_atomically(tmp_path / KEYS_FILE, b"{}", replace=False)
        finally:
            os.umask(old_umask)
        assert (tmp_path / KEYS_FILE).stat().st_mode & 0o777 == 0o600
        with pytest.raises(FileExistsError):
            _write_atomically(tmp_path / KEYS_FILE, b"[]", replace=False)
        assert (tmp_path / KEYS_FILE).read_bytes() == b"{}"

    def test_workers_starting_together_share_one_key(self, tmp_path):
        barrier = threading.Barrier(8)

        def start(_: int) -> str:
            barrier.wait()
            return load_or_create_keys(tmp_path).current.kid

        with ThreadPoolExecutor(8) as pool:
            kids = set(pool.map(start, range(8)))
        assert len(kids) == 1

    def test_a_loosened_file_mode_is_tightened(self, tmp_path):
        load_or_create_keys(tmp_path)
        os.chmod(tmp_path / KEYS_FILE, 0o644)
        load_or_create_keys(tmp_path)
        assert (tmp_path / KEYS_FILE).stat().st_mode & 0o777 == 0o600

    def test_rotation_keeps_old_public_keys_so_old_signatures_verify(self, tmp_path, statement):
        old = load_or_create_keys(tmp_path)
        old_token = sign_statement(old.current, statement)
        rotated = rotate(tmp_path)
        assert (tmp_path / KEYS_FILE).stat().st_mode & 0o777 == 0o600
        assert rotated.current.kid != old.current.kid
        assert [k.kid for k in rotated.all] == [rotated.current.kid, old.current.kid]
        reloaded = load_or_create_keys(tmp_path)
        assert [k.kid for k in reloaded.all] == [k.kid for k in rotated.all]
        assert verify_jws(old_token, reloaded.jwks()) == statement
        new_token = sign_statement(reloaded.current, statement)
        assert jws.get_unverified_header(new_token)["kid"] == rotated.current.kid
        stored = json.loads((tmp_path / KEYS_FILE).read_text())
        assert [bool(k.get("private_pem")) for k in stored["keys"]] == [True, False]

    def test_key_from_settings(self, statement):
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        previous = SigningKey.generate()
        ring = KeyRing.from_pem(pem.decode(), previous=[json.dumps(previous.public_jwk)])
        assert [k.kid for k in ring.all] == [ring.current.kid, previous.kid]
        assert verify_jws(sign_statement(previous, statement), ring.jwks()) == statement
        assert verify_jws(sign_statement(ring.current, statement), ring.jwks()) == statement

    def test_settings_key_on_another_curve_is_refused(self):
        pem = ec.generate_private_key(ec.SECP384R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with pytest.raises(ValueError, match="P-256"):
            KeyRing.from_pem(pem.decode())


def private_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(private: str) -> str:
    key = serialization.load_pem_private_key(private.encode(), password=None)
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


class TestRotationThroughTheEnvironment:
    """CONCORD_SIGNING_KEY_PEM changes; CONCORD_RETIRED_KEYS_PEM keeps the old public keys."""

    def ring_from_environment(self, monkeypatch, tmp_path, **variables) -> KeyRing:
        from app.context import signing_keys

        for name, value in variables.items():
            monkeypatch.setenv(f"CONCORD_{name.upper()}", value)
        return signing_keys(Settings(data_dir=tmp_path))

    def test_a_bundle_signed_with_the_old_key_verifies_after_the_switch(
        self, monkeypatch, tmp_path
    ):
        old, new = private_pem(), private_pem()
        before = self.ring_from_environment(monkeypatch, tmp_path, signing_key_pem=old)
        log = make_log(before, ALL_SIGN)
        old_bundle = log.bundle()

        after = self.ring_from_environment(
            monkeypatch, tmp_path, signing_key_pem=new, retired_keys_pem=public_pem(old)
        )
        assert [k.kid for k in after.all] == [SigningKey.from_pem(new).kid, before.current.kid]
        assert all("d" not in jwk for jwk in after.jwks()["keys"])
        # A bundle downloaded before the switch, checked against the keys published after it.
        assert verify_bundle(old_bundle, trusted_jwks=after.jwks()).problems == []
        # The same log sealed by the new key: its entries are still signed by the old one.
        resealed = Log(after, log.text, log.entries, seal_for(after.current, log.entries))
        assert verify_bundle(resealed.bundle()).problems == []

    def test_several_keys_as_pem_blocks_or_a_jwk_set(self, monkeypatch, tmp_path):
        retired = [SigningKey.generate() for _ in range(3)]
        pems = "\n".join(public_pem(k.private_pem) for k in retired[:2]) + retired[2].private_pem
        jwks = json.dumps({"keys": [k.public_jwk for k in retired]})
        for value in (pems, jwks):
            ring = self.ring_from_environment(
                monkeypatch, tmp_path, signing_key_pem=private_pem(), retired_keys_pem=value
            )
            assert [k.kid for k in ring.previous] == [k.kid for k in retired]
            assert all(k.private_pem is None for k in ring.previous)

    def test_retired_keys_join_a_ring_from_the_data_directory_once(self, monkeypatch, tmp_path):
        rotate(tmp_path)
        stored = load_or_create_keys(tmp_path)
        extra = SigningKey.generate()
        retired = {"keys": [stored.previous[0].public_jwk, extra.public_jwk]}
        ring = self.ring_from_environment(
            monkeypatch, tmp_path, retired_keys_pem=json.dumps(retired)
        )
        assert [k.kid for k in ring.all] == [k.kid for k in stored.all] + [extra.kid]

    def test_something_else_is_refused(self, monkeypatch, tmp_path):
        with pytest.raises(ValueError, match="PEM"):
            self.ring_from_environment(monkeypatch, tmp_path, retired_keys_pem="not a key")


def test_text_fixture_is_canonical():
    assert TEXT.endswith("\n") and not TEXT.endswith("\n\n")
    assert "\n\n# Our commitments\n\n" in TEXT
