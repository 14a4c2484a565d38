"""A version's translation into one language as Word: the version's own export (the same
paragraph keys as hidden bookmarks, headings and numbering), written in the translation's
language and direction, so that the file comes back as the same translation by its keys."""

from sqlalchemy.orm import Session

from app.declarations.service import get_declaration, get_version
from app.documents import layout
from app.documents.service import DOCX, Download
from app.documents.word import DocumentInfo, write_document
from app.text.document import Para
from app.translations.service import read_translation


def translation_docx(
    session: Session, *, declaration_id: int, number: int, language: str
) -> Download:
    """Every paragraph of the version under its key, in the translation's text; a paragraph
    not translated yet is an empty paragraph keeping its key, for the translator to fill."""
    declaration = get_declaration(session, declaration_id)
    translation = read_translation(
        session, declaration_id=declaration_id, number=number, language=language
    )
    version = get_version(session, declaration_id, number, with_paragraphs=False)  # its date
    info = DocumentInfo(
        title=declaration.title,
        header=f"{declaration.title} — version {number}, {translation.language}",
        kind="translation",
        declaration_id=declaration_id,
        version=number,
        created=version.created_at,
        language=translation.language,
        right_to_left=translation.direction == "rtl",
    )
    paragraphs = [Para(p.key, p.kind, p.text or "") for p in translation.paragraphs]
    content = write_document(info, layout.version_paragraphs(paragraphs))
    filename = f"declaration-{declaration_id}-v{number}-{translation.language}.docx"
    return Download(filename, DOCX, content)
