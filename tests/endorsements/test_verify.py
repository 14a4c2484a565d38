"""The offline verifier: a real bundle verifies, and each kind of tampering is named."""

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.endorsements.bundle import build_bundle, bundle_json, verify_readme
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.merkle import leaf_hash, root_hash
from app.endorsements.statements import sign_statement
from app.endorsements.verify import verify_bundle
from app.endorsements.verify_command import format_report
from app.text.paragraphs import content_hash as content_hash_of

from .conftest import (
    ALL_SIGN,
    CITIES,
    DECLARATION,
    TEXT,
    VERSION,
    Log,
    make_log,
    seal_for,
    statements_for,
)
from .verify_fixtures import payload, reseal, with_payload


def root_of(entries: list[str]) -> str:
    return root_hash([leaf_hash(e.encode()) for e in entries]).hex()


@pytest.fixture
def bundle(log: Log) -> dict:
    return copy.deepcopy(log.bundle())


class TestValidBundle:
    def test_verifies_and_lists_the_standing_signatories(self, ring, bundle):
        report = verify_bundle(bundle, ring.jwks())
        assert report.problems == []
        assert report.ok and report.verdict == "valid" and report.exit_code == 0
        assert [(s.seq, s.city["name"]) for s in report.signatories] == [
            (1, "Mechelen"),
            (3, "São Paulo"),
            (4, "東京"),
            (5, "عمّان"),
            (8, "Malmö"),  # signed again after withdrawing
        ]
        assert [(w.city["name"], w.seq, w.withdrawn_by) for w in report.withdrawn] == [
            ("Malmö", 2, 7),
            ("Киев", 6, 9),
        ]
        assert (report.tree_size, report.final, report.entries) == (9, True, 9)
        assert report.declaration == {
            "id": 1,
            "title": DECLARATION["title"],
            "version": VERSION,
            "content_hash": content_hash_of(TEXT),
        }

    def test_report_names_signatories_in_their_own_scripts(self, ring, bundle):
        text = format_report(verify_bundle(bundle, ring.jwks()))
        assert "VALID: 5 signatories" in text
        assert "東京 (JP): 小池 百合子, 都知事, signed 2017-11-17T09:04:00Z (seq 4)" in text
        assert "Киев (UA): seq 6, withdrawn by seq 9" in text

    def test_json_round_trip_keeps_the_text_byte_for_byte(self, bundle):
        again = json.loads(bundle_json(bundle))
        assert again["text"].encode() == TEXT.encode()
        assert verify_bundle(again).ok

    def test_an_empty_sealed_log_is_valid_with_no_signatories(self, ring):
        report = verify_bundle(make_log(ring, []).bundle())
        assert report.ok and report.signatories == [] and report.root_hash == root_of([])

    def test_entries_signed_before_a_key_rotation_still_verify(self):
        old = KeyRing(SigningKey.generate())
        statements = statements_for(ALL_SIGN)
        entries = [sign_statement(old.current, s) for s in statements[:3]]
        new = KeyRing(SigningKey.generate(), (old.current.retired(),))
        entries += [sign_statement(new.current, s) for s in statements[3:]]
        log = Log(new, TEXT, entries, seal_for(new.current, entries))
        report = verify_bundle(log.bundle())
        assert report.ok, report.problems
        assert report.keys == sorted([old.current.kid, new.current.kid])

    def test_every_key_used_is_reported_the_seals_apart(self, ring, bundle):
        report = verify_bundle(bundle, ring.jwks())
        assert report.seal_key == ring.current.kid
        assert report.entry_keys == {ring.current.kid: 9}
        assert report.certificates == {ring.current.kid: ring.current.certificate_fingerprint}
        text = format_report(report)
        fingerprint = ring.current.certificate_fingerprint
        assert (
            f"Seal signed by key: {ring.current.kid} (certificate SHA-256 {fingerprint})\n"
            f"Entries signed by key: {ring.current.kid} (9 entries; certificate SHA-256 "
            f"{fingerprint})\n"
            "Keys checked against: the keys you trust (--jwks, --key)\n"
            "VALID: 5 signatories"
        ) in text


class TestTampering:
    def test_altered_entry(self, bundle):
        statement = payload(bundle["entries"][2])
        statement["city"]["name"] = "Antwerpen"
        bundle["entries"][2] = with_payload(bundle["entries"][2], statement)
        problems = verify_bundle(bundle).problems
        assert problems[0].startswith("entry 3 (seq 3): signature does not verify with key")
        assert problems[1].startswith(f"seal: root hash {bundle['log']['root_hash']} does not")
        assert len(problems) == 2

    def test_removed_entry(self, bundle):
        del bundle["entries"][2]
        assert verify_bundle(bundle).problems == [
            "entries 3–8 (seq 4–9): out of place: entry 3 must carry seq 3",
            "entry 9 is missing: the log has 8 entries but the seal covers tree size 9",
        ]

    def test_removed_last_entry(self, bundle):
        bundle["entries"].pop()
        assert verify_bundle(bundle).problems == [
            "entry 9 is missing: the log has 8 entries but the seal covers tree size 9"
        ]

    def test_reordered_entries(self, bundle):
        entries = bundle["entries"]
        entries[1], entries[2] = entries[2], entries[1]
        problems = verify_bundle(bundle).problems
        assert problems[:2] == [
            "entry 2 (seq 3): out of place: entry 2 must carry seq 2",
            "entry 3 (seq 2): out of place: entry 3 must carry seq 3",
        ]
        assert problems[2].startswith("seal: root hash")

    def test_repeated_entry(self, bundle):
        bundle["entries"][3] = bundle["entries"][2]
        problems = verify_bundle(bundle).problems
        assert problems[0] == "entry 4 (seq 3): repeats an earlier entry (seq 3)"
        assert problems[1].startswith("seal: root hash")
        assert len(problems) == 2

    def test_added_entry(self, ring, bundle):
        extra = statements_for([*ALL_SIGN, ("endorse", 0)])[-1] | {"seq": 10}
        bundle["entries"].append(sign_statement(ring.current, extra))
        problems = verify_bundle(bundle).problems
        assert problems[0] == (
            "entries 10–10 are not covered by the seal: the log has 10 entries "
            "but the seal covers tree size 9"
        )

    def test_altered_text(self, bundle):
        bundle["text"] = bundle["text"].replace("every language", "some languages")
        assert verify_bundle(bundle).problems == [
            f"text: its hash {content_hash_of(bundle['text'])} does not match content_hash "
            f"{content_hash_of(TEXT)} in the seal (the text was altered)"
        ]

    def test_text_changed_only_in_normalisation_is_still_altered(self, bundle):
        bundle["text"] = bundle["text"].replace("«Ça", "«C\u0327a")  # NFD: same look, new bytes
        assert verify_bundle(bundle).problems[0].startswith("text: its hash")

    def test_seal_of_another_log(self, ring, bundle):
        other = make_log(ring, [("endorse", 0), ("endorse", 1)] * 4 + [("endorse", 2)])
        bundle["seal"] = other.seal
        problems = verify_bundle(bundle).problems
        assert problems == [
            f"seal: root hash {root_of(other.entries)} does not match the root of the entries "
            f"{root_of(bundle['entries'])} (an entry was altered, replaced or reordered, "
            "or the seal belongs to another log)",
            f"log: root_hash '{root_of(bundle['entries'])}' is not the seal's "
            f"'{root_of(other.entries)}'",
        ]

    def test_seal_with_an_altered_root(self, bundle):
        sealed = payload(bundle["seal"]) | {"root_hash": "00" * 32}
        bundle["seal"] = with_payload(bundle["seal"], sealed)
        problems = verify_bundle(bundle).problems
        assert problems[0].startswith("seal: signature does not verify with key")
        assert any(p.startswith(f"seal: root hash {'00' * 32} does not match") for p in problems)

    def test_seal_signed_by_an_unknown_key(self, bundle):
        stranger = SigningKey.generate()
        bundle["seal"] = sign_statement(stranger, payload(bundle["seal"]))
        assert verify_bundle(bundle).problems == [
            f"seal: signed with key {stranger.kid}, which is not in the key set"
        ]

    def test_entry_signed_by_an_unknown_key(self, bundle):
        stranger = SigningKey.generate()
        bundle["entries"][3] = sign_statement(stranger, payload(bundle["entries"][3]))
        problems = verify_bundle(bundle).problems
        assert problems[0] == (
            f"entry 4 (seq 4): signed with key {stranger.kid}, which is not in the key set"
        )
        assert problems[1].startswith("seal: root hash")

    def test_unknown_key_smuggled_into_the_bundle_jwks_is_caught_by_trusted_keys(
        self, ring, bundle
    ):
        stranger = SigningKey.generate()
        bundle["entries"][3] = sign_statement(stranger, payload(bundle["entries"][3]))
        bundle["jwks"]["keys"].append(stranger.public_jwk)
        bundle["seal"] = seal_for(stranger, bundle["entries"])
        bundle["log"]["root_hash"] = root_of(bundle["entries"])
        assert verify_bundle(bundle).ok  # consistent with the keys it names…
        problems = verify_bundle(bundle, trusted_jwks=ring.jwks()).problems
        assert problems == [  # …but not with the platform's published keys
            f"seal: signed with key {stranger.kid}, which is not in the key set",
            f"entry 4 (seq 4): signed with key {stranger.kid}, which is not in the key set",
        ]

    def test_entry_signing_another_text(self, ring, bundle):
        statement = payload(bundle["entries"][0]) | {"content_hash": content_hash_of("draft\n")}
        bundle["entries"][0] = sign_statement(ring.current, statement)
        problems = verify_bundle(bundle).problems
        assert problems[0] == (
            f"entry 1 (seq 1): signs content_hash {content_hash_of('draft' + chr(10))}, "
            f"not the sealed text's {content_hash_of(TEXT)}"
        )

    def test_entry_for_another_declaration_or_version(self, ring, bundle):
        first = payload(bundle["entries"][0])
        bundle["entries"][0] = sign_statement(
            ring.current, first | {"declaration": {"id": 2, "title": "Other"}}
        )
        bundle["entries"][1] = sign_statement(ring.current, payload(bundle["entries"][1]) | {
            "version": 2
        })  # fmt: skip
        problems = verify_bundle(bundle).problems
        assert problems[:2] == [
            "entry 1 (seq 1): belongs to declaration 2, not the sealed declaration 1",
            "entry 2 (seq 2): signs version 2, not sealed version 3",
        ]

    def test_second_endorsement_of_a_city_and_a_bogus_withdrawal(self, ring):
        events = [("endorse", 0), ("endorse", 1), ("withdraw", 1)]
        statements = statements_for(events)
        statements.append(statements_for([("endorse", 0)])[0] | {"seq": 4})
        statements.append(statements[2] | {"seq": 5, "withdraws": 1})
        entries = [sign_statement(ring.current, s) for s in statements]
        log = Log(ring, TEXT, entries, seal_for(ring.current, entries))
        assert verify_bundle(log.bundle()).problems == [
            "entry 4 (seq 4): a second endorsement for Mechelen while its endorsement at seq 1 "
            "stands",
            "entry 5 (seq 5): withdraws seq 1, which is not a standing endorsement of Malmö",
        ]

    def test_a_city_can_only_withdraw_its_own_standing_endorsement(self, ring):
        statements = statements_for([("endorse", 0), ("endorse", 1), ("withdraw", 0)])
        statements[2]["withdraws"] = 2  # Mechelen withdrawing Malmö's endorsement
        entries = [sign_statement(ring.current, s) for s in statements]
        log = Log(ring, TEXT, entries, seal_for(ring.current, entries))
        report = verify_bundle(log.bundle())
        assert report.problems == [
            "entry 3 (seq 3): withdraws seq 2, which is not a standing endorsement of Mechelen"
        ]

    def test_a_signed_statement_without_its_city_is_named(self, ring):
        statement = statements_for([("endorse", 0)])[0]
        statement["city"] = {"id": {"nested": 1}, "name": "?", "country": "BE"}
        entries = [sign_statement(ring.current, statement)]
        log = Log(ring, TEXT, entries, seal_for(ring.current, entries))
        assert verify_bundle(log.bundle()).problems == [
            "entry 1 (seq 1): the statement lacks its city, signer, declaration, seq or withdraws"
        ]

    def test_a_signed_statement_nested_too_deeply(self, ring):
        statement = statements_for([("endorse", 0)])[0]
        nested: list = []
        for _ in range(64):
            nested = [nested]
        statement["signer"]["note"] = nested  # 66 levels with the statement and its signer
        entries = [sign_statement(ring.current, statement)]
        log = Log(ring, TEXT, entries, seal_for(ring.current, entries))
        assert verify_bundle(log.bundle()).problems == [
            "entry 1: the signed payload is nested too deeply"
        ]

    def test_summary_fields_that_disagree_with_the_seal(self, bundle):
        bundle["declaration"]["version"] = 4
        bundle["declaration"]["title"] = "Another title"
        assert verify_bundle(bundle).problems == [
            "declaration: version 4 does not match 3 in the seal",
            "declaration: title 'Another title' is not the title the entries sign",
        ]

    def test_a_key_whose_kid_is_not_its_thumbprint(self, bundle):
        bundle["jwks"]["keys"][0]["kid"] = "friendly-name"
        problems = verify_bundle(bundle).problems
        assert problems[0] == "jwks: key friendly-name is not named by its RFC 7638 thumbprint"

    def test_many_broken_entries_are_summed_up(self, ring):
        stranger = SigningKey.generate()
        events = [("endorse", i) for i in range(60)]
        entries = [sign_statement(stranger, s) for s in statements_for(events, cities=CITIES * 10)]
        log = Log(ring, TEXT, entries, seal_for(ring.current, entries))
        problems = verify_bundle(log.bundle()).problems
        assert len(problems) == 51
        assert problems[-1] == "… and 10 more entries refused"

    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            (lambda b: b.pop("seal"), "seal: missing (the final checkpoint JWS)"),
            (lambda b: b.update(seal="x.y.z"), "seal: the JWS header cannot be read"),
            (lambda b: b.pop("jwks"), "jwks: missing or not a JWK Set with keys"),
            (lambda b: b.update(entries="none"), "entries: missing or not a list of JWS strings"),
            (lambda b: b.update(text=None), "text: missing (the canonical text must be a string)"),
            (lambda b: b.update(format="v9"), "format: 'v9' is not"),
        ],
    )
    def test_missing_parts_are_named(self, bundle, change, problem):
        change(bundle)
        assert verify_bundle(bundle).problems[0].startswith(problem)

    def test_not_an_object(self):
        assert verify_bundle([1, 2]).problems == ["bundle: not a JSON object"]

    def test_report_of_an_invalid_bundle_lists_problems_not_signatories(self, bundle):
        del bundle["entries"][-1]
        text = format_report(verify_bundle(bundle))
        assert "INVALID: 1 problem\n  - entry 9 is missing" in text
        assert "São Paulo" not in text


class TestForgeries:
    """The forgeries of issue 11: an earlier verifier called each of them VALID (exit 0)."""

    def test_a_dropped_withdrawal_resealed_with_another_key_is_unproven_at_best(self, ring, bundle):
        forger = SigningKey.generate()
        forged = reseal(bundle, forger, bundle["entries"][:-1])  # Киев's withdrawal dropped
        report = verify_bundle(forged)
        assert report.problems == []
        assert (report.verdict, report.exit_code) == ("unproven", 3)
        assert "Киев" in [s.city["name"] for s in report.signatories]  # as the forger wants
        # The seal's key is named apart, so a reader sees it is not the entries' key.
        assert report.seal_key == forger.kid
        assert report.entry_keys == {ring.current.kid: 8}
        text = format_report(report)
        assert f"Seal signed by key: {forger.kid} (certificate SHA-256 " in text
        assert "Keys checked against: only the keys the file itself carries" in text
        assert "ORIGIN UNPROVEN: consistent, 6 signatories" in text
        assert "VALID:" not in text

    def test_the_same_forgery_is_invalid_against_the_platforms_keys(self, ring, bundle):
        forger = SigningKey.generate()
        forged = reseal(bundle, forger, bundle["entries"][:-1])
        for report in (
            verify_bundle(forged, ring.jwks()),
            verify_bundle(forged, trusted_keys=[ring.current.kid]),
            verify_bundle(forged, trusted_keys=[ring.current.certificate_fingerprint]),
        ):
            assert report.problems == [
                f"seal: signed with key {forger.kid}, which is not in the key set"
            ]
            assert report.exit_code == 1

    def test_a_dropped_middle_entry_is_invalid_under_any_seal(self, ring, bundle):
        kept = [bundle["entries"][i] for i in (0, 2, 3)]  # seqs 1, 3, 4 under a seal of size 3
        for key, trusted in ((ring.current, ring.jwks()), (SigningKey.generate(), None)):
            report = verify_bundle(reseal(bundle, key, kept), trusted)
            assert report.problems == [
                "entries 2–3 (seq 3–4): out of place: entry 2 must carry seq 2"
            ]
            assert report.exit_code == 1

    def test_a_dropped_first_entry_is_invalid(self, ring, bundle):
        report = verify_bundle(reseal(bundle, ring.current, bundle["entries"][1:]), ring.jwks())
        assert report.problems[0] == (
            "entries 1–8 (seq 2–9): out of place: entry 1 must carry seq 1"
        )

    def test_a_genuine_checkpoint_that_is_not_final_is_no_seal(self, ring, bundle):
        # What GET …/log/consistency hands anyone: the platform's own checkpoint of size 5.
        forged = reseal(bundle, ring.current, bundle["entries"][:5], final=False)
        report = verify_bundle(forged, ring.jwks())
        assert report.problems == [
            "seal: a checkpoint that is not final: it covers the entries signed up to it, while "
            "signing went on (a signed declaration is sealed by the final checkpoint)"
        ]
        assert report.exit_code == 1

    def test_a_platform_certificate_beside_a_forgers_key_lends_it_nothing(self, ring, bundle):
        forger = SigningKey.generate()
        forged = reseal(bundle, forger, bundle["entries"][:-1])
        forged["jwks"]["keys"][-1]["x5c"] = ring.current.jwk["x5c"]
        report = verify_bundle(forged)
        assert report.problems == [
            f"jwks: key {forger.kid}: its certificate (x5c) is for another key"
        ]
        assert forger.kid not in report.certificates
        pinned = verify_bundle(forged, trusted_keys=[ring.current.certificate_fingerprint])
        assert pinned.seal_key is None and pinned.exit_code == 1


class TestTrustedKeys:
    def test_a_key_pinned_by_thumbprint_or_certificate_fingerprint(self, ring, bundle):
        fingerprint = ring.current.certificate_fingerprint
        for pinned in (ring.current.kid, fingerprint, fingerprint.replace(":", "").lower()):
            report = verify_bundle(bundle, trusted_keys=[pinned])
            assert (report.problems, report.verdict) == ([], "valid")

    def test_a_pinned_key_the_bundle_does_not_carry(self, bundle):
        stranger = SigningKey.generate()
        report = verify_bundle(bundle, trusted_keys=[stranger.kid])
        assert report.problems == [
            "trusted keys: none of the keys given (--key) is among the bundle's keys"
        ]

    def test_the_bundles_own_keys_only_ever_give_unproven(self, ring, bundle):
        report = verify_bundle(bundle)
        assert (report.ok, report.trusted, report.verdict) == (True, False, "unproven")

    def test_entries_and_seal_by_keys_of_the_trusted_set_and_of_pinned_kids(self, ring):
        old = KeyRing(SigningKey.generate())
        entries = [sign_statement(old.current, s) for s in statements_for(ALL_SIGN)]
        log = Log(ring, TEXT, entries, seal_for(ring.current, entries))
        bundle = log.bundle()
        bundle["jwks"]["keys"].append(old.current.jwk)
        assert verify_bundle(bundle, ring.jwks()).problems == [
            f"entry {i} (seq {i}): signed with key {old.current.kid}, which is not in the key set"
            for i in range(1, 7)
        ]
        report = verify_bundle(bundle, ring.jwks(), trusted_keys=[old.current.kid])
        assert report.verdict == "valid"
        assert (report.seal_key, report.entry_keys) == (ring.current.kid, {old.current.kid: 6})

    def test_a_certificate_that_cannot_be_read(self, bundle):
        kid = bundle["jwks"]["keys"][0]["kid"]
        bundle["jwks"]["keys"][0]["x5c"] = ["bm90IGEgY2VydGlmaWNhdGU="]
        assert verify_bundle(bundle).problems == [
            f"jwks: key {kid}: its certificate (x5c) cannot be read"
        ]


class TestBuildBundle:
    def test_shape(self, log):
        bundle = log.bundle()
        assert set(bundle) == {"format", "declaration", "text", "entries", "seal", "jwks", "log"}
        assert bundle["format"] == "concord-signed-declaration/1"
        assert bundle["log"]["tree_size"] == 9 and bundle["log"]["root_hash"] == root_of(
            log.entries
        )

    def test_a_seal_that_does_not_cover_the_entries_is_refused(self, log):
        with pytest.raises(ValueError, match="the seal covers 9 entries"):
            build_bundle(
                declaration={**DECLARATION, "version": VERSION},
                text=TEXT,
                entries=log.entries[:-1],
                seal=log.seal,
                jwks=log.ring.jwks(),
            )

    def test_a_content_hash_that_is_not_the_texts_is_refused(self, log):
        with pytest.raises(ValueError, match="the text hashes to"):
            build_bundle(
                declaration={**DECLARATION, "version": VERSION, "content_hash": "sha256:00"},
                text=TEXT,
                entries=log.entries,
                seal=log.seal,
                jwks=log.ring.jwks(),
            )


class TestReadmeSnippet:
    """The twenty lines in README.txt are run, so the promise "any JOSE library" is kept."""

    @pytest.fixture
    def check_py(self, tmp_path) -> Path:
        code = re.search(r"--- check\.py ---\n(.*?)--- end ---", verify_readme(), re.S)
        assert code is not None
        assert len(code.group(1).strip().splitlines()) <= 30
        path = tmp_path / "check.py"
        path.write_text(code.group(1))
        return path

    @pytest.fixture(autouse=True)
    def published_keys(self, ring, check_py) -> None:
        check_py.with_name("jwks.json").write_text(json.dumps(ring.jwks()))

    def run(self, check_py: Path, bundle: dict) -> subprocess.CompletedProcess:
        target = check_py.with_name("bundle.json")
        target.write_bytes(bundle_json(bundle))
        return subprocess.run(
            [sys.executable, str(check_py), str(target), str(target.with_name("jwks.json"))],
            capture_output=True,
            text=True,
        )

    def test_snippet_lists_the_signatories(self, check_py, bundle):
        result = self.run(check_py, bundle)
        assert result.returncode == 0, result.stderr
        assert [line.split()[0] for line in result.stdout.splitlines()] == [
            "Mechelen", "São", "東京", "عمّان", "Malmö",
        ]  # fmt: skip

    def test_snippet_refuses_an_altered_text(self, check_py, bundle):
        bundle["text"] = bundle["text"].upper()
        result = self.run(check_py, bundle)
        assert result.returncode != 0
        assert "the text is not the sealed text" in result.stderr

    def test_snippet_refuses_a_removed_entry(self, check_py, bundle):
        del bundle["entries"][-1]
        result = self.run(check_py, bundle)
        assert "log was altered" in result.stderr

    def test_snippet_refuses_a_forgers_seal(self, check_py, bundle):
        forged = reseal(bundle, SigningKey.generate(), bundle["entries"][:-1])
        result = self.run(check_py, forged)
        assert result.returncode != 0 and "KeyError" in result.stderr

    def test_snippet_refuses_a_dropped_middle_entry(self, ring, check_py, bundle):
        kept = [bundle["entries"][i] for i in (0, 2, 3)]
        result = self.run(check_py, reseal(bundle, ring.current, kept))
        assert "entry out of place" in result.stderr

    def test_snippet_refuses_a_checkpoint_that_is_not_final(self, ring, check_py, bundle):
        result = self.run(
            check_py, reseal(bundle, ring.current, bundle["entries"][:5], final=False)
        )
        assert "not the final seal" in result.stderr
