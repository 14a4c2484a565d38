"""Documents out: a version and a comparison of two, as Word files; a version as Akoma Ntoso.

Reads what the layout needs (paragraphs, who made each change) and hands it to the pure
modules that lay it out and write it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.amendments.models import Amendment
from app.declarations.models import Declaration, Paragraph, Version
from app.declarations.service import get_declaration, get_version, paragraphs_of
from app.documents import akn, layout
from app.documents.word import DocumentInfo, write_document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Download:
    """A file to answer with: its name, media type and bytes."""

    filename: str
    media_type: str
    content: bytes


def version_docx(session: Session, *, declaration_id: int, number: int) -> Download:
    declaration = get_declaration(session, declaration_id)
    version = get_version(session, declaration_id, number)
    info = DocumentInfo(
        title=declaration.title,
        header=f"{declaration.title} — version {number}",
        kind="version",
        declaration_id=declaration_id,
        version=number,
        created=version.created_at,
        track_revisions=True,
    )
    content = write_document(info, layout.version_paragraphs(paragraphs_of(version)))
    return Download(f"declaration-{declaration_id}-v{number}.docx", DOCX, content)


AKN = "application/akn+xml"


def version_akn(session: Session, *, declaration_id: int, number: int) -> Download:
    """A version as Akoma Ntoso 3.0 (AKN4UN): a statement whose paragraphs keep their keys."""
    declaration = get_declaration(session, declaration_id)
    version = get_version(session, declaration_id, number)
    content = akn.statement_xml(statement_of(declaration, version))
    return Download(f"declaration-{declaration_id}-v{number}.akn.xml", AKN, content)


def statement_of(
    declaration: Declaration, version: Version, signatories: list[akn.Signatory] | None = None
) -> akn.Statement:
    return akn.Statement(
        declaration_id=declaration.id,
        title=declaration.title,
        created=declaration.created_at.date(),
        version=version.number,
        version_date=version.created_at.date(),
        language=declaration.language,
        content_hash=version.content_hash,
        paragraphs=paragraphs_of(version),
        signatories=signatories,
    )


def comparison_docx(
    sessions: sessionmaker[Session], declaration_id: int, old_number: int, new_number: int
) -> tuple[str, bytes]:
    """The redline of two versions as tracked changes: its ETag and the .docx bytes."""
    with sessions() as session:
        declaration = get_declaration(session, declaration_id)
        old = get_version(session, declaration_id, old_number)
        new = get_version(session, declaration_id, new_number)
        attribution = _attribution(session, declaration, old, new)
    info = DocumentInfo(
        title=declaration.title,
        header=f"{declaration.title} — version {old_number} compared with version {new_number}",
        kind="comparison",
        declaration_id=declaration_id,
        version=None,
        created=new.created_at,
        track_revisions=True,
    )
    paragraphs = layout.comparison_paragraphs(paragraphs_of(old), paragraphs_of(new), attribution)
    return f'"w{old.id}-{new.id}"', write_document(info, paragraphs)


def _attribution(
    session: Session, declaration: Declaration, old: Version, new: Version
) -> layout.Attribution:
    """Who made each paragraph's change between two versions: the cities whose amendments
    were merged into the versions that changed it, else those versions' authors."""
    low, high = sorted((old.number, new.number))
    fallback = (new.author.name, new.created_at)
    if low == high:
        return lambda key: fallback
    versions = list(
        session.scalars(
            select(Version)
            .where(
                Version.declaration_id == declaration.id,
                Version.number > low,
                Version.number <= high,
            )
            .options(selectinload(Version.author))
            .order_by(Version.number)
        )
    )
    texts = _texts_by_version(session, declaration.id, low, high)
    amendments = session.scalars(
        select(Amendment)
        .where(
            Amendment.declaration_id == declaration.id,
            Amendment.merged_version > low,
            Amendment.merged_version <= high,
        )
        .options(selectinload(Amendment.city))
    ).all()
    cities_by_step: dict[tuple[int, str], list[str]] = defaultdict(list)
    for amendment in amendments:
        step = amendment.merged_version or 0
        for key in _keys_made_by(amendment, texts.get(step - 1, {}), texts.get(step, {})):
            if amendment.city.name not in cities_by_step[step, key]:
                cities_by_step[step, key].append(amendment.city.name)
    who: dict[str, tuple[list[str], datetime]] = {}
    for version in versions:
        before, after = texts.get(version.number - 1, {}), texts.get(version.number, {})
        for key in before.keys() | after.keys():
            if before.get(key) == after.get(key):
                continue
            names = cities_by_step.get((version.number, key)) or [version.author.name]
            earlier = who.get(key, ([], version.created_at))[0]
            who[key] = (earlier + [n for n in names if n not in earlier], version.created_at)

    def attribution(key: str) -> tuple[str, datetime]:
        if key not in who:
            return fallback
        names, when = who[key]
        return "; ".join(names), when

    return attribution


def _texts_by_version(
    session: Session, declaration_id: int, low: int, high: int
) -> dict[int, dict[str, tuple[str, str]]]:
    rows = session.execute(
        select(Version.number, Paragraph.key, Paragraph.kind, Paragraph.text)
        .join(Paragraph, Paragraph.version_id == Version.id)
        .where(
            Version.declaration_id == declaration_id,
            Version.number >= low,
            Version.number <= high,
        )
    ).all()
    texts: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for number, key, kind, text in rows:
        texts[number][key] = (kind, text)
    return texts


def _keys_made_by(
    amendment: Amendment,
    before: dict[str, tuple[str, str]],
    after: dict[str, tuple[str, str]],
) -> list[str]:
    """The paragraphs an amendment merged into a version changed: its own, or for an
    insertion the new paragraphs holding its text (keys are given when it is merged)."""
    if amendment.action != "insert":
        return [amendment.paragraph_key] if amendment.paragraph_key else []
    return [
        key
        for key, (kind, text) in after.items()
        if key not in before and text == amendment.text and kind == amendment.kind
    ]
