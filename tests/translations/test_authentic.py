"""Authentic languages: finalize refuses an incomplete or outdated translation; the fingerprint a
mayor signs covers every authentic text (and stays today's for one language); the bundle carries
each authentic text and the verifier names the language of an altered one; the PDF prints each."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.auth.models import Role
from app.cli import main as concord
from app.text.paragraphs import authentic_fingerprint, content_hash
from tests.conftest import PASSWORD

TEXTS = Path(__file__).parents[1] / "data" / "texts"
SOURCE = (TEXTS / "contributor-covenant-v2.1.txt").read_text()


def translation_file(lang: str) -> str:
    return (TEXTS / "translations" / f"contributor-covenant-v2.1.{lang}.txt").read_text()


class Flow:
    def __init__(self, client, people) -> None:
        self.client, self.people = client, people
        self.editor = people.as_role(Role.co_facilitator)
        r = client.post(
            "/api/declarations",
            json={"title": "Contributor Covenant", "text": SOURCE},
            headers=self.editor,
        )
        assert r.status_code == 201, r.text
        self.did = r.json()["id"]

    def url(self, path: str = "") -> str:
        return f"/api/declarations/{self.did}{path}"

    def translate(self, lang: str, text: str | None = None) -> dict:
        r = self.client.put(
            self.url(f"/versions/1/translations/{lang}"),
            json={"text": text or translation_file(lang)},
            headers=self.editor,
        )
        assert r.status_code == 200, r.text
        return r.json()

    def finalize(self, *languages: str):
        return self.client.post(
            self.url("/finalize"),
            json={"version": 1, "authentic_languages": list(languages)},
            headers=self.editor,
        )

    def sign_and_close(self, content_hash: str) -> None:
        assert self.client.post(self.url("/endorsement/open"), headers=self.editor).is_success
        mayor = self.people.as_role(Role.mayor, city=self.people.city("Casablanca", "MA"))
        r = self.client.post(
            self.url("/signatures"),
            json={"content_hash": content_hash, "password": PASSWORD},
            headers=mayor,
        )
        assert r.status_code == 201, r.text
        assert self.client.post(self.url("/endorsement/close"), headers=self.editor).is_success

    def text(self, language: str | None = None) -> bytes:
        params = {"language": language} if language else {}
        r = self.client.get(self.url("/versions/1/text"), params=params, headers=self.editor)
        assert r.status_code == 200, r.text
        return r.content


@pytest.fixture
def flow(client, people) -> Flow:
    return Flow(client, people)


class TestFinalize:
    def test_refused_while_an_authentic_translation_is_incomplete(self, flow) -> None:
        flow.translate("fr")
        r = flow.finalize("fr", "ar")
        assert r.status_code == 409 and r.json()["code"] == "translation_incomplete"
        assert len(r.json()["paragraphs"]["ar"]) == 44 and "fr" not in r.json()["paragraphs"]
        assert "ar: 44 paragraph(s)" in r.json()["detail"]
        assert flow.client.get(flow.url(), headers=flow.editor).json()["status"] == "drafting"

    def test_refused_while_a_paragraph_is_outdated(self, flow) -> None:
        flow.translate("fr")
        keys = [p["key"] for p in flow.client.get(flow.url("/versions/1"),
                                                   headers=flow.editor).json()["paragraphs"]]
        r = flow.client.post(
            flow.url("/versions"),
            json={"base_version": 1,
                  "edits": [{"action": "modify", "paragraph_key": keys[2], "text": "We pledge."}]},
            headers=flow.editor,
        )
        assert r.status_code == 201, r.text
        r = flow.client.post(flow.url("/finalize"),
                             json={"version": 2, "authentic_languages": ["fr"]},
                             headers=flow.editor)
        assert r.status_code == 409 and r.json()["paragraphs"] == {"fr": [keys[2]]}

    def test_a_final_version_takes_no_translation(self, flow) -> None:
        assert flow.finalize().status_code == 200
        r = flow.client.put(
            flow.url("/versions/1/translations/fr"), json={"text": "Un."}, headers=flow.editor
        )
        assert r.status_code == 409 and r.json()["code"] == "wrong_state"

    def test_an_invalid_language_is_422(self, flow) -> None:
        assert flow.finalize("not a tag").status_code == 422

    def test_single_language_fingerprint_is_todays(self, flow) -> None:
        """Nothing already signed changes meaning: with no authentic translation the final
        fingerprint is the version's content_hash, the SHA-256 of its canonical text."""
        flow.translate("fr")  # a translation that is not authentic changes nothing
        r = flow.finalize()
        assert r.status_code == 200, r.text
        declaration = r.json()
        version = flow.client.get(flow.url("/versions/1"), headers=flow.editor).json()
        canonical = flow.text()
        assert declaration["final_hash"] == version["content_hash"]
        assert declaration["final_hash"] == "sha256:" + hashlib.sha256(canonical).hexdigest()
        assert declaration["authentic_languages"] == []
        flow.sign_and_close(version["content_hash"])
        bundle = flow.client.get(flow.url("/signed-declaration"), headers=flow.editor).json()
        assert "translations" not in bundle and "texts" not in bundle["declaration"]
        assert bundle["declaration"]["content_hash"] == version["content_hash"]


class TestBilingual:
    def test_signed_verified_and_an_altered_french_text_named(self, flow, tmp_path, capsys):
        flow.translate("fr")
        r = flow.finalize("fr")
        assert r.status_code == 200, r.text
        final_hash = r.json()["final_hash"]
        version_hash = flow.client.get(flow.url("/versions/1"), headers=flow.editor).json()[
            "content_hash"
        ]
        expected = authentic_fingerprint(
            [("en", flow.text().decode()), ("fr", flow.text("fr").decode())]
        )
        assert final_hash == expected != version_hash
        # Signing names the fingerprint of every authentic text, not the English one alone.
        assert flow.client.post(flow.url("/endorsement/open"), headers=flow.editor).is_success
        mayor = flow.people.as_role(Role.mayor, city=flow.people.city("Lyon", "FR"))
        wrong = flow.client.post(flow.url("/signatures"),
                                 json={"content_hash": version_hash, "password": PASSWORD},
                                 headers=mayor)
        assert wrong.status_code == 409 and wrong.json()["code"] == "hash_mismatch"
        signed = flow.client.post(flow.url("/signatures"),
                                  json={"content_hash": final_hash, "password": PASSWORD},
                                  headers=mayor)
        assert signed.status_code == 201 and signed.json()["content_hash"] == final_hash
        assert flow.client.post(flow.url("/endorsement/close"), headers=flow.editor).is_success

        bundle = flow.client.get(flow.url("/signed-declaration"), headers=flow.editor).json()
        assert bundle["translations"]["fr"] == flow.text("fr").decode()
        assert bundle["declaration"]["texts"] == {
            "en": content_hash(bundle["text"]), "fr": content_hash(bundle["translations"]["fr"])
        }
        path, jwks = tmp_path / "signed.json", tmp_path / "jwks.json"
        path.write_text(json.dumps(bundle, ensure_ascii=False))
        jwks.write_text(json.dumps(flow.client.get("/api/.well-known/jwks.json").json()))
        assert concord(["verify", str(path), "--jwks", str(jwks)]) == 0
        capsys.readouterr()
        bundle["translations"]["fr"] = bundle["translations"]["fr"].replace("Notre", "Votre", 1)
        path.write_text(json.dumps(bundle, ensure_ascii=False))
        assert concord(["verify", str(path), "--jwks", str(jwks)]) == 1
        out = capsys.readouterr().out
        assert "text (fr)" in out and "text (en)" not in out

    @pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
    def test_pdf_prints_each_authentic_text(self, flow, tmp_path) -> None:
        flow.translate("ar")
        flow.translate("zh-CN", translation_file("zh-cn"))
        final = flow.finalize("ar", "zh-CN").json()["final_hash"]
        flow.sign_and_close(final)
        r = flow.client.get(flow.url("/signed-declaration"), params={"format": "pdf"},
                            headers=flow.editor)
        assert r.status_code == 200, r.text
        pdf = tmp_path / "signed.pdf"
        pdf.write_bytes(r.content)
        words = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        assert "Authentic text: ar" in words and "Authentic text: zh-CN" in words
        assert "贡献者公约" in words
        assert "تعهدنا" in words or "اندهعت" in words  # in reading or in visual order
