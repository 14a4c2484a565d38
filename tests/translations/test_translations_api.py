"""Translations through the API: saving by paragraph or whole (aligned, dry run first), their
states as versions are made, and what is refused."""

import asyncio
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.auth.models import Role
from app.documents.uploads import read_upload
from app.translations import routes as translation_routes
from app.translations.models import TranslationText

TEXTS = Path(__file__).parents[1] / "data" / "texts"
COVENANT = TEXTS / "contributor-covenant-v2.0.txt"


def translation_file(version: str, lang: str) -> str:
    return (TEXTS / "translations" / f"contributor-covenant-v{version}.{lang}.txt").read_text()


def negotiated_in_english(client, editor, text: Path) -> dict:
    r = client.post(
        "/api/declarations",
        json={"title": "Contributor Covenant", "text": text.read_text(), "language": "en"},
        headers=editor,
    )
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def covenant(client, editor) -> dict:
    """The Contributor Covenant v2.0 as a declaration negotiated in English."""
    return negotiated_in_english(client, editor, COVENANT)


def url(declaration: dict, number: int, lang: str) -> str:
    return f"/api/declarations/{declaration['id']}/versions/{number}/translations/{lang}"


def put(client, headers, declaration, number, lang, **body):
    return client.put(url(declaration, number, lang), json=body, headers=headers)


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def rows(session) -> int:
    return session.scalar(select(func.count()).select_from(TranslationText))


def keys_of(client, headers, declaration, number) -> list[str]:
    r = client.get(f"/api/declarations/{declaration['id']}/versions/{number}", headers=headers)
    return [p["key"] for p in r.json()["paragraphs"]]


class TestLanguage:
    def test_declaration_has_its_negotiating_language(self, covenant) -> None:
        assert covenant["language"] == "en"
        assert covenant["authentic_languages"] == [] and covenant["final_hash"] is None

    def test_a_language_that_is_not_bcp47_is_refused(self, client, editor) -> None:
        r = client.post(
            "/api/declarations",
            json={"title": "T", "text": "One.", "language": "english!"},
            headers=editor,
        )
        assert r.status_code == 422 and r.json()["code"] == "invalid"

    def test_translation_language_checked(self, client, editor, covenant, session) -> None:
        r = put(client, editor, covenant, 1, "xx_123456789", text="Un.")
        assert r.status_code == 422 and r.json()["code"] == "invalid_language"
        r = put(client, editor, covenant, 1, "EN", text="One.")
        assert r.status_code == 422 and r.json()["code"] == "source_language"
        assert rows(session) == 0


class TestWholeUpload:
    def test_dry_run_shows_the_alignment_and_saves_nothing(
        self, client, editor, covenant, session
    ) -> None:
        r = put(client, editor, covenant, 1, "zh-CN", text=translation_file("2.0", "zh-cn"),
                dry_run=True)
        assert r.status_code == 200, r.text
        answer = r.json()
        assert answer["saved"] is False and answer["language"] == "zh-CN"
        assert answer["missing"] == 0 and answer["current"] == 44
        split = [b for b in answer["alignment"]["beads"] if len(b["uploaded"]) == 2]
        keys = keys_of(client, editor, covenant, 1)
        assert [(b["keys"], b["uploaded"]) for b in split] == [([keys[21]], [22, 23])]
        assert answer["paragraphs"][21]["text"].startswith("此行为标准适用于本社区全部场合")
        assert "代表本社区的情形" in answer["paragraphs"][21]["text"]
        assert rows(session) == 0

    @pytest.mark.parametrize("lang", ["fr", "es", "ru", "zh-cn"])
    def test_every_real_translation_fills_every_key(self, client, editor, covenant, lang) -> None:
        r = put(client, editor, covenant, 1, lang, text=translation_file("2.0", lang))
        assert r.status_code == 200, r.text
        answer = r.json()
        assert answer["saved"] and answer["current"] == 44 and answer["missing"] == 0
        again = client.get(url(covenant, 1, lang), headers=editor).json()
        assert [p["text"] for p in again["paragraphs"]] == [p["text"] for p in answer["paragraphs"]]

    def test_arabic_is_right_to_left(self, client, editor, covenant) -> None:
        r = put(client, editor, covenant, 1, "ar", text=translation_file("2.1", "ar"))
        assert r.status_code == 200 and r.json()["direction"] == "rtl"

    def test_what_cannot_be_aligned_is_refused_and_named(
        self, client, editor, covenant, session
    ) -> None:
        many = "\n\n".join(f"Paragraphe {n}." for n in range(1, 100))
        r = put(client, editor, covenant, 1, "fr", text=many)
        assert r.status_code == 422 and r.json()["code"] == "alignment_incomplete"
        assert r.json()["left_over"], r.json()
        assert rows(session) == 0

    def test_control_and_bidi_override_characters_refused(
        self, client, editor, covenant, session
    ) -> None:
        r = put(client, editor, covenant, 1, "ar", text="نص \u202e مقلوب")
        assert r.status_code == 422 and r.json()["code"] == "forbidden_character"
        key = keys_of(client, editor, covenant, 1)[0]
        r = put(client, editor, covenant, 1, "fr", paragraphs=[{"key": key, "text": "a\x07b"}])
        assert r.status_code == 422 and r.json()["code"] == "forbidden_character"
        assert rows(session) == 0

    def test_plain_text_file_upload(self, client, editor, covenant) -> None:
        r = client.put(
            url(covenant, 1, "fr"),
            files={"file": ("fr.txt", translation_file("2.0", "fr").encode(), "text/plain")},
            data={"dry_run": "true"},
            headers=editor,
        )
        assert r.status_code == 200, r.text
        assert r.json()["saved"] is False and r.json()["current"] == 44

    def test_word_document_exported_by_concord_maps_by_key(self, client, editor, covenant):
        exported = client.get(
            f"/api/declarations/{covenant['id']}/versions/1/document", headers=editor
        )
        assert exported.status_code == 200
        r = client.put(
            url(covenant, 1, "fr"),
            files={"file": ("fr.docx", exported.content, "application/octet-stream")},
            data={"dry_run": "true"},
            headers=editor,
        )
        assert r.status_code == 200, r.text
        answer = r.json()
        assert answer["current"] == 44 and answer["alignment"]["unmatched_keys"] == []
        assert answer["paragraphs"][2]["text"] == answer["paragraphs"][2]["source"]

    def test_a_word_document_is_read_off_the_event_loop(
        self, client, editor, covenant, monkeypatch
    ) -> None:
        # Reading a .docx is CPU work: on the event loop it would stall every live stream.
        exported = client.get(
            f"/api/declarations/{covenant['id']}/versions/1/document", headers=editor
        )
        read_on = []

        def reading(data: bytes, *, max_bytes: int):
            read_on.append(_on_event_loop())
            return read_upload(data, max_bytes=max_bytes)

        monkeypatch.setattr(translation_routes, "read_upload", reading)
        r = client.put(
            url(covenant, 1, "fr"),
            files={"file": ("fr.docx", exported.content, "application/octet-stream")},
            data={"dry_run": "true"},
            headers=editor,
        )
        assert r.status_code == 200, r.text
        assert read_on == [False]

    def test_a_file_that_is_neither_text_nor_word_is_refused(self, client, editor, covenant):
        r = client.put(
            url(covenant, 1, "fr"),
            files={"file": ("x.bin", b"\xff\xfe\x00garbage", "application/octet-stream")},
            headers=editor,
        )
        assert r.status_code == 422 and r.json()["code"] == "unreadable_file"


class TestByParagraph:
    def test_paragraphs_saved_by_key_nfc(self, client, editor, covenant) -> None:
        keys = keys_of(client, editor, covenant, 1)
        r = put(client, editor, covenant, 1, "fr",
                paragraphs=[{"key": keys[0], "text": "Code de conduite\u0301 e\u0301"}])
        assert r.status_code == 200, r.text
        first = r.json()["paragraphs"][0]
        assert first["state"] == "current" and first["text"].endswith("\u00e9")
        assert r.json()["missing"] == 43

    def test_unknown_key_refused(self, client, editor, covenant, session) -> None:
        r = put(client, editor, covenant, 1, "fr", paragraphs=[{"key": "nope", "text": "Un."}])
        assert r.status_code == 422 and r.json()["code"] == "paragraph_not_found"
        assert rows(session) == 0

    def test_unknown_version_is_404(self, client, editor, covenant) -> None:
        r = put(client, editor, covenant, 9, "fr", text="Un.")
        assert r.status_code == 404 and r.json()["code"] == "version_not_found"

    def test_only_co_facilitators_and_admins_save(self, client, people, covenant) -> None:
        for role in (Role.delegate, Role.mayor, Role.observer):
            r = put(client, people.as_role(role), covenant, 1, "fr", text="Un.")
            assert r.status_code == 403

    def test_translations_are_never_updated(self, client, editor, covenant, session) -> None:
        keys = keys_of(client, editor, covenant, 1)
        put(client, editor, covenant, 1, "fr", paragraphs=[{"key": keys[0], "text": "Un."}])
        with pytest.raises(Exception, match="never updated"):
            session.execute(text("UPDATE translation_texts SET text = 'Deux.'"))
        session.rollback()


class TestCarriedForward:
    """v2.0 → v2.1 of the Covenant, uploaded as a revised draft: the pledge and the two link
    paragraphs change, nothing else."""

    @pytest.mark.parametrize("lang", ["fr", "es"])
    def test_changed_paragraphs_become_outdated(self, client, editor, covenant, lang) -> None:
        assert put(client, editor, covenant, 1, lang, text=translation_file("2.0", lang)).is_success
        v21 = (TEXTS / "contributor-covenant-v2.1.txt").read_text()
        r = client.post(f"/api/declarations/{covenant['id']}/versions",
                        json={"base_version": 1, "text": v21}, headers=editor)
        assert r.status_code == 201, r.text
        answer = client.get(url(covenant, 2, lang), headers=editor).json()
        outdated = [i for i, p in enumerate(answer["paragraphs"]) if p["state"] == "outdated"]
        assert outdated == [2, 40, 43]  # the pledge, "adapted from … version 2.1", the links
        pledge = answer["paragraphs"][2]
        assert pledge["translated_version"] == 1
        assert ("insert", " caste, color,") in [tuple(op) for op in pledge["source_diff"]]
        assert answer["current"] == 41 and answer["missing"] == 0
        overview = client.get(f"/api/declarations/{covenant['id']}/translations",
                              headers=editor).json()
        assert overview == [
            {"language": lang, "direction": "ltr", "version": 2, "authentic": False,
             "current": 41, "outdated": 3, "missing": 0}
        ]
        # Retranslating the pledge against version 2 makes it current again.
        fixed = put(client, editor, covenant, 2, lang,
                    paragraphs=[{"key": pledge["key"], "text": pledge["text"] + " (2.1)"}])
        assert fixed.json()["outdated"] == 2

    def test_an_inserted_paragraph_is_missing(self, client, editor, covenant) -> None:
        put(client, editor, covenant, 1, "fr", text=translation_file("2.0", "fr"))
        keys = keys_of(client, editor, covenant, 1)
        r = client.post(
            f"/api/declarations/{covenant['id']}/versions",
            json={"base_version": 1,
                  "edits": [{"action": "insert", "paragraph_key": keys[3], "text": "New."}]},
            headers=editor,
        )
        assert r.status_code == 201, r.text
        answer = client.get(url(covenant, 2, "fr"), headers=editor).json()
        assert [p["state"] for p in answer["paragraphs"]].count("missing") == 1
        inserted = answer["paragraphs"][4]
        assert inserted["state"] == "missing" and inserted["text"] is None


class TestTranslatedText:
    def test_canonical_text_of_a_translation(self, client, editor, covenant) -> None:
        put(client, editor, covenant, 1, "fr", text=translation_file("2.0", "fr"))
        r = client.get(f"/api/declarations/{covenant['id']}/versions/1/text",
                       params={"language": "fr"}, headers=editor)
        assert r.status_code == 200
        assert r.text.startswith("Code de conduite") and r.text.endswith("\n")
        assert r.headers["X-Content-Hash"] == "sha256:" + hashlib.sha256(r.content).hexdigest()

    def test_incomplete_translation_text_is_409(self, client, editor, covenant) -> None:
        r = client.get(f"/api/declarations/{covenant['id']}/versions/1/text",
                       params={"language": "fr"}, headers=editor)
        assert r.status_code == 409 and r.json()["code"] == "translation_incomplete"
