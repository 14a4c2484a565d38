"""Translations of a declaration's versions: read them with their states, save them paragraph by
paragraph or as a whole text aligned to the version's paragraphs.

A version's translation of a paragraph is the latest text saved for its key against that
version or an earlier one. It is `current` when the source paragraph reads as it did in the
version it was translated from, `outdated` when the source has changed since (the redline says
how), `missing` when there is none: so translations carry forward by key as versions are made.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth.models import User
from app.db import begin_write
from app.declarations.models import Declaration, Paragraph, Version
from app.declarations.service import (
    get_declaration,
    get_version,
    intake_blocks,
    intake_paragraph,
    version_text,
)
from app.documents.importing import Reading, accepted
from app.documents.reader import WordText
from app.errors import Conflict, Invalid, text_intake
from app.text.bitext import Segment, align_translation, join_translated, split_translated
from app.text.diff import Op, word_diff
from app.text.languages import direction, language_tag
from app.text.paragraphs import Block, Kind, canonical_text, content_hash
from app.translations.models import TranslationText

_NAMED = 20  # paragraphs named in one refusal


@dataclass(frozen=True, slots=True)
class TranslatedParagraph:
    key: str
    kind: Kind
    source: str
    text: str | None
    state: str
    translated_version: int | None
    source_diff: list[tuple[Op, str]] | None = None


@dataclass(frozen=True, slots=True)
class AlignedBead:
    keys: list[str]
    uploaded: list[int]  # 1-based positions in the upload
    texts: list[str]
    doubtful: bool


@dataclass(frozen=True, slots=True)
class Alignment:
    beads: list[AlignedBead]
    left_over: list[int]
    unmatched_keys: list[str]
    by_key: bool = False  # mapped by the keys a Word file carried: empty paragraphs are skipped


@dataclass
class Translation:
    language: str
    version: int
    paragraphs: list[TranslatedParagraph]
    saved: bool = True
    alignment: Alignment | None = None
    direction: str = field(init=False)

    def __post_init__(self) -> None:
        self.direction = direction(self.language)

    def count(self, state: str) -> int:
        return sum(1 for p in self.paragraphs if p.state == state)

    @property
    def incomplete(self) -> list[str]:
        """Keys of the paragraphs that keep this translation from being authentic."""
        return [p.key for p in self.paragraphs if p.state != "current"]


def checked_language(raw: str, declaration: Declaration) -> str:
    """A translation's language: a BCP 47 tag, not the declaration's own language."""
    with text_intake():
        language = language_tag(raw)
    if language.lower() == declaration.language.lower():
        raise Invalid(
            f"{language} is the language this declaration is negotiated in; its text is the "
            "source, not a translation.",
            code="source_language",
        )
    return language


def read_translation(
    session: Session, *, declaration_id: int, number: int, language: str
) -> Translation:
    declaration = get_declaration(session, declaration_id)
    language = checked_language(language, declaration)
    version = get_version(session, declaration_id, number)
    return _translation(session, declaration_id, version, language)


def translations_overview(session: Session, *, declaration_id: int) -> list[Translation]:
    """Every language translated so far (and every authentic one), at the head version."""
    declaration = get_declaration(session, declaration_id)
    languages = set(
        session.scalars(
            select(TranslationText.language)
            .where(TranslationText.declaration_id == declaration_id)
            .distinct()
        )
    ) | set(declaration.authentic_languages or [])
    head = get_version(session, declaration_id, declaration.head_version)
    return [_translation(session, declaration_id, head, lang) for lang in sorted(languages)]


def _translation(
    session: Session, declaration_id: int, version: Version, language: str
) -> Translation:
    latest = _latest_texts(session, declaration_id, language, version.number)
    older = _source_texts(
        session,
        declaration_id,
        {row.source_version for row in latest.values() if row.source_version != version.number},
    )
    paragraphs = [_state(p, latest.get(p.key), older, version.number) for p in version.paragraphs]
    return Translation(language, version.number, paragraphs)


def _state(
    paragraph: Paragraph,
    row: TranslationText | None,
    older: dict[int, dict[str, str]],
    number: int,
) -> TranslatedParagraph:
    kind: Kind = paragraph.kind  # type: ignore[assignment]
    if row is None:
        return TranslatedParagraph(paragraph.key, kind, paragraph.text, None, "missing", None)
    if row.source_version == number:
        was = paragraph.text
    else:
        was = older.get(row.source_version, {}).get(paragraph.key, "")
    if was == paragraph.text:
        state, diff = "current", None
    else:
        state, diff = "outdated", word_diff(was, paragraph.text)
    return TranslatedParagraph(
        paragraph.key, kind, paragraph.text, row.text, state, row.source_version, diff
    )


def _latest_texts(
    session: Session, declaration_id: int, language: str, number: int
) -> dict[str, TranslationText]:
    rows = session.scalars(
        select(TranslationText)
        .where(
            TranslationText.declaration_id == declaration_id,
            TranslationText.language == language,
            TranslationText.source_version <= number,
        )
        .order_by(TranslationText.source_version, TranslationText.id)
    )
    return {row.key: row for row in rows}


def _source_texts(
    session: Session, declaration_id: int, numbers: set[int]
) -> dict[int, dict[str, str]]:
    """The source paragraphs of the versions translations were made from, by key."""
    texts: dict[int, dict[str, str]] = {n: {} for n in numbers}
    if not numbers:
        return texts
    rows = session.execute(
        select(Version.number, Paragraph.key, Paragraph.text)
        .join(Paragraph, Paragraph.version_id == Version.id)
        .where(Version.declaration_id == declaration_id, Version.number.in_(numbers))
    )
    for number, key, text in rows:
        texts[number][key] = text
    return texts


# Saving


@dataclass(frozen=True, slots=True)
class Upload:
    """What a translator sends: texts by key, a whole text, or a Word document."""

    paragraphs: Sequence[tuple[str, str]] | None = None
    text: str | None = None
    word: WordText | None = None


def save_translation(
    session: Session,
    *,
    actor: User,
    declaration_id: int,
    number: int,
    language: str,
    upload: Upload,
    dry_run: bool = False,
) -> Translation:
    """Save a version's translation into one language, all or nothing; a dry run shows what
    would be saved (and, for a whole text, how it was aligned) and writes nothing."""
    begin_write(session)
    declaration = get_declaration(session, declaration_id, for_update=True)
    language = checked_language(language, declaration)
    version = get_version(session, declaration_id, number)
    if declaration.status != "drafting":
        raise Conflict(
            f"This declaration is {declaration.status}: its translations can no longer change.",
            code="wrong_state",
        )
    alignment = None
    if upload.paragraphs is not None:
        texts = _texts_by_key(version, upload.paragraphs)
    else:
        texts, alignment = _whole_upload(version, upload)
        unsaid = alignment.unmatched_keys and not alignment.by_key
        if not dry_run and (alignment.left_over or unsaid):
            raise Invalid(
                _left_over_sentence(alignment),
                code="alignment_incomplete",
                left_over=alignment.left_over,
                unmatched_keys=alignment.unmatched_keys,
            )
    before = _translation(session, declaration_id, version, language)
    unchanged = {
        p.key for p in before.paragraphs if p.state == "current" and p.text == texts.get(p.key)
    }
    rows = [
        TranslationText(
            declaration_id=declaration_id,
            language=language,
            key=key,
            source_version=number,
            text=text,
            author_id=actor.id,
        )
        for key, text in texts.items()
        if key not in unchanged
    ]
    if dry_run:
        after = _preview(before, texts, number)
        session.rollback()
        after.saved, after.alignment = False, alignment
        return after
    session.add_all(rows)
    session.flush()
    result = _translation(session, declaration_id, version, language)
    record(
        session,
        actor=actor,
        action="translation.save",
        target=("version", number),
        declaration_id=declaration_id,
        after={
            "language": language,
            "version": number,
            "saved": len(rows),
            "source": "paragraphs" if upload.paragraphs is not None else "whole",
            "current": result.count("current"),
            "outdated": result.count("outdated"),
            "missing": result.count("missing"),
        },
    )
    session.commit()
    result.alignment = alignment
    return result


def _preview(before: Translation, texts: dict[str, str], number: int) -> Translation:
    paragraphs = [
        TranslatedParagraph(p.key, p.kind, p.source, texts[p.key], "current", number)
        if p.key in texts
        else p
        for p in before.paragraphs
    ]
    return Translation(before.language, before.version, paragraphs)


def _texts_by_key(version: Version, given: Sequence[tuple[str, str]]) -> dict[str, str]:
    keys = {p.key for p in version.paragraphs}
    texts: dict[str, str] = {}
    for number, (key, raw) in enumerate(given, start=1):
        if key not in keys:
            raise Invalid(
                f"Version {version.number} has no paragraph {key!r} (paragraph {number} sent).",
                code="paragraph_not_found",
            )
        if key in texts:
            raise Invalid(f"Paragraph {key!r} is sent twice.", code="duplicate_paragraph")
        text = intake_paragraph(raw, field=f"translation of paragraph {key}")
        if not text:
            raise Invalid(f"The translation of paragraph {key!r} is empty.", code="empty_paragraph")
        texts[key] = text
    return texts


def _whole_upload(version: Version, upload: Upload) -> tuple[dict[str, str], Alignment]:
    """A whole translation's paragraphs, matched to the version's keys: by the keys a Word
    document exported by Concord carries, else by aligning it."""
    if upload.word is not None:
        found = accepted(upload.word)
        keys = {p.key for p in version.paragraphs}
        if any(k in keys for r in found for k in r.keys):
            return _by_word_keys(version, keys, found)
        blocks = [Block(r.kind, _intake(r.text)) for r in found]
    else:
        blocks = intake_blocks(upload.text or "", field="translation")
    return _aligned(version, blocks)


def _intake(raw: str) -> str:
    return intake_paragraph(raw, field="translated document")


def _by_word_keys(
    version: Version, keys: set[str], found: list[Reading]
) -> tuple[dict[str, str], Alignment]:
    texts: dict[str, list[str]] = {}
    beads = []
    for position, reading in enumerate(found, start=1):
        own = [k for k in reading.keys if k in keys]
        if own:
            texts.setdefault(own[0], []).append(_intake(reading.text))
            beads.append(AlignedBead([own[0]], [position], [reading.text], False))
    joined = {k: join_translated(parts) for k, parts in texts.items()}
    unmatched = [p.key for p in version.paragraphs if p.key not in joined]
    return joined, Alignment(beads, [], unmatched, by_key=True)


def _aligned(version: Version, blocks: list[Block]) -> tuple[dict[str, str], Alignment]:
    paragraphs = version.paragraphs
    source = [Segment(p.text, heading=p.kind == "heading") for p in paragraphs]
    target = [Segment(b.text, heading=b.kind == "heading") for b in blocks]
    texts: dict[str, str] = {}
    beads: list[AlignedBead] = []
    for bead in align_translation(source, target):
        keys = [paragraphs[i].key for i in bead.source]
        uploaded = [blocks[j].text for j in bead.target]
        beads.append(AlignedBead(keys, [j + 1 for j in bead.target], uploaded, bead.doubtful))
        if not (keys and uploaded):
            continue
        if len(keys) == 1:
            texts[keys[0]] = join_translated(uploaded)
            continue
        weights = [len(paragraphs[i].text) for i in bead.source]
        for key, piece in zip(keys, split_translated(uploaded[0], weights), strict=True):
            if piece:
                texts[key] = piece
    left_over = [j for b in beads if not b.keys for j in b.uploaded]
    unmatched = [p.key for p in paragraphs if p.key not in texts]
    return texts, Alignment(beads, left_over, unmatched)


def _left_over_sentence(alignment: Alignment) -> str:
    parts = []
    if alignment.left_over:
        shown = ", ".join(str(j) for j in alignment.left_over[:_NAMED])
        parts.append(f"uploaded paragraphs {shown} match no paragraph of the source")
    if alignment.unmatched_keys:
        shown = ", ".join(alignment.unmatched_keys[:_NAMED])
        parts.append(f"the source paragraphs {shown} get no text")
    return (
        "The translation cannot be aligned whole: " + "; ".join(parts) + ". Check the dry run, "
        "or send the paragraphs one by one."
    )


def incomplete(translations: Sequence[Translation], *, allow_outdated: bool = False) -> Conflict:
    """409 `translation_incomplete`, naming each language's missing (and outdated) paragraphs."""
    refused = {"missing"} if allow_outdated else {"missing", "outdated"}
    named = {t.language: [p.key for p in t.paragraphs if p.state in refused] for t in translations}
    named = {language: keys for language, keys in named.items() if keys}
    what = "missing" if allow_outdated else "missing or outdated"
    sentences = [
        f"{language}: {len(keys)} paragraph(s) {what} "
        f"({', '.join(keys[:_NAMED])}{', …' if len(keys) > _NAMED else ''})"
        for language, keys in named.items()
    ]
    return Conflict(
        "The translation is not complete — " + "; ".join(sentences) + ".",
        code="translation_incomplete",
        paragraphs=named,
    )


def translated_text(
    session: Session, *, declaration_id: int, number: int, language: str
) -> tuple[str, str]:
    """A translation's canonical text (the source's rules: paragraphs in order, NFC, headings
    marked) and its fingerprint; 409 while a paragraph is missing."""
    translation = read_translation(
        session, declaration_id=declaration_id, number=number, language=language
    )
    if translation.count("missing"):
        raise incomplete([translation], allow_outdated=True)
    text = translation_canonical(translation)
    return text, content_hash(text)


def translation_canonical(translation: Translation) -> str:
    return canonical_text([Block(p.kind, p.text or "") for p in translation.paragraphs])


def authentic_texts(
    session: Session, declaration: Declaration, version: Version, languages: Sequence[str]
) -> list[tuple[str, str]]:
    """`(language, canonical text)` of the version and of each authentic translation, the
    negotiating language first; 409 `translation_incomplete` naming every paragraph that is
    missing or outdated."""
    checked = sorted({checked_language(raw, declaration) for raw in languages})
    translations = [_translation(session, declaration.id, version, lang) for lang in checked]
    if any(t.incomplete for t in translations):
        raise incomplete(translations)
    return [(declaration.language, version_text(version))] + [
        (t.language, translation_canonical(t)) for t in translations
    ]
