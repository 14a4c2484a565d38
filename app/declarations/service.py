"""Creating declarations and reading their versions, texts and comparisons."""

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from app.audit.service import record
from app.auth.models import User
from app.db import begin_write
from app.declarations.models import Declaration, Paragraph, Version
from app.declarations.schemas import Comparison, VersionOut
from app.errors import Invalid, NotFound, text_intake
from app.text import compare as text_compare
from app.text.document import Para, key_factory
from app.text.intake import normalize_text
from app.text.paragraphs import (
    Block,
    canonical_text,
    clean_paragraph_text,
    content_hash,
    split_paragraphs,
)


def intake_blocks(raw: str, *, field: str = "text") -> list[Block]:
    """The paragraphs of a pasted or uploaded text, or a 413/422 that says what is wrong."""
    with text_intake():
        blocks = split_paragraphs(normalize_text(raw, field=field))
    if not blocks:
        raise Invalid(f"The {field} is empty.", code="empty_text")
    return blocks


def intake_paragraph(raw: str, *, field: str = "paragraph") -> str:
    """One paragraph as typed in a form, or a 413/422 that says what is wrong."""
    with text_intake():
        return clean_paragraph_text(normalize_text(raw, field=field))


def create_declaration(
    session: Session, *, actor: User, title: str, text: str, language: str = "en"
) -> Declaration:
    blocks = intake_blocks(text)
    new_key = key_factory(())
    paragraphs = [Para(new_key(), b.kind, b.text) for b in blocks]
    begin_write(session)
    declaration = Declaration(
        title=title, language=language, created_by=actor.id, head_version=1
    )
    session.add(declaration)
    session.flush()
    version = insert_version(
        session,
        declaration=declaration,
        number=1,
        paragraphs=paragraphs,
        author=actor,
        note="Imported text",
        merged_amendments=[],
    )
    record(
        session,
        actor=actor,
        action="declaration.create",
        target=("declaration", declaration.id),
        declaration_id=declaration.id,
        after={
            "title": title,
            "language": language,
            "version": 1,
            "content_hash": version.content_hash,
            "paragraphs": len(paragraphs),
        },
    )
    session.commit()
    return declaration


def insert_version(
    session: Session,
    *,
    declaration: Declaration,
    number: int,
    paragraphs: list[Para],
    author: User,
    note: str | None,
    merged_amendments: list[int],
) -> Version:
    """Write a version and its paragraphs once; nothing ever updates them."""
    canonical = canonical_text([p.block for p in paragraphs])
    version = Version(
        declaration_id=declaration.id,
        number=number,
        content_hash=content_hash(canonical),
        note=note,
        author_id=author.id,
        merged_amendments=merged_amendments,
    )
    session.add(version)
    session.flush()
    session.execute(
        insert(Paragraph),
        [
            {"version_id": version.id, "position": i, "key": p.key, "kind": p.kind, "text": p.text}
            for i, p in enumerate(paragraphs, start=1)
        ],
    )
    return version


def list_declarations(
    session: Session, *, limit: int, offset: int
) -> tuple[list[Declaration], int]:
    total = session.scalar(select(func.count()).select_from(Declaration)) or 0
    rows = session.scalars(
        select(Declaration).order_by(Declaration.id.desc()).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def get_declaration(
    session: Session, declaration_id: int, *, for_update: bool = False
) -> Declaration:
    query = select(Declaration).where(Declaration.id == declaration_id)
    if for_update:
        query = query.with_for_update()
    declaration = session.scalar(query)
    if declaration is None:
        raise NotFound(f"There is no declaration {declaration_id}.", code="declaration_not_found")
    return declaration


def list_versions(session: Session, declaration_id: int) -> list[Version]:
    get_declaration(session, declaration_id)
    return list(
        session.scalars(
            select(Version)
            .where(Version.declaration_id == declaration_id)
            .options(selectinload(Version.author))
            .order_by(Version.number)
        )
    )


def get_version(
    session: Session, declaration_id: int, number: int, *, with_paragraphs: bool = True
) -> Version:
    query = select(Version).where(
        Version.declaration_id == declaration_id, Version.number == number
    )
    if with_paragraphs:
        query = query.options(selectinload(Version.paragraphs), selectinload(Version.author))
    version = session.scalar(query)
    if version is None:
        get_declaration(session, declaration_id)
        raise NotFound(
            f"Declaration {declaration_id} has no version {number}.", code="version_not_found"
        )
    return version


def paragraph_text(session: Session, declaration_id: int, number: int, key: str) -> str | None:
    """The text of one paragraph of a version, or None when the version has no such key."""
    return session.scalar(
        select(Paragraph.text)
        .join(Version, Version.id == Paragraph.version_id)
        .where(
            Version.declaration_id == declaration_id,
            Version.number == number,
            Paragraph.key == key,
        )
    )


def paragraphs_of(version: Version) -> list[Para]:
    return [Para(p.key, p.kind, p.text) for p in version.paragraphs]  # type: ignore[arg-type]


def version_text(version: Version) -> str:
    return canonical_text([Block(p.kind, p.text) for p in version.paragraphs])  # type: ignore[arg-type]


# Versions never change, so a version and a comparison of two are answered whole (an ETag and
# the JSON body) from the process's cache. On a miss each is read here in a session of its own:
# its route, the hottest read, takes no request session.


def version_answer(
    sessions: sessionmaker[Session], declaration_id: int, number: int
) -> tuple[str, bytes]:
    """A version's ETag and JSON body."""
    with sessions() as session:
        version = get_version(session, declaration_id, number)
        etag = f'"v{version.id}-{version.content_hash.removeprefix("sha256:")[:32]}"'
        return etag, VersionOut.model_validate(version).model_dump_json().encode()


def comparison_answer(
    sessions: sessionmaker[Session], declaration_id: int, old_number: int, new_number: int
) -> tuple[str, bytes]:
    """The comparison of two versions: its ETag and JSON body."""
    with sessions() as session:
        old = get_version(session, declaration_id, old_number)
        new = get_version(session, declaration_id, new_number)
    comparison = text_compare.compare(paragraphs_of(old), paragraphs_of(new))
    body = Comparison.of(old_number, new_number, comparison).model_dump_json(by_alias=True)
    return f'"c{old.id}-{new.id}"', body.encode()


def used_keys(session: Session, declaration_id: int) -> set[str]:
    return set(
        session.scalars(
            select(Paragraph.key)
            .join(Version, Version.id == Paragraph.version_id)
            .where(Version.declaration_id == declaration_id)
            .distinct()
        )
    )
