"""Word documents in: a delegation's marked-up copy becomes its city's amendments and comments;
a co-facilitator's document becomes a declaration's text."""

from sqlalchemy.orm import Session

from app.amendments.service import add_proposal, open_base, proposing_city
from app.audit.service import record
from app.auth.models import User
from app.comments.schemas import Quote
from app.comments.service import add_comment, comment_body
from app.declarations.service import intake_paragraph, paragraphs_of
from app.documents.importing import ImportPlan, PlannedComment, Proposal, accepted, plan_import
from app.documents.package import DocumentRejected, open_package
from app.documents.reader import WordText, read_word
from app.documents.schemas import DocumentImport, ImportedAmendment, ImportedComment, ImportWarning
from app.errors import Invalid, NotFound, TooLarge, text_intake
from app.ratelimit import WriteLimits
from app.text.diff import word_diff
from app.text.intake import normalize_text
from app.text.paragraphs import Block, parse_block, with_mark


def read_upload(data: bytes, *, max_bytes: int) -> WordText:
    """The uploaded file read as Word, or a 4xx that says why it is not read."""
    if len(data) > max_bytes:
        raise TooLarge(
            f"The document is larger than {max_bytes:,} bytes.", code="document_too_large"
        )
    if not data:
        raise Invalid("The file is empty.", code="not_a_docx")
    try:
        return read_word(open_package(data))
    except DocumentRejected as exc:
        raise (TooLarge if exc.too_large else Invalid)(str(exc), code=exc.code) from None


def import_amendments(
    session: Session,
    *,
    limits: WriteLimits,
    actor: User,
    declaration_id: int,
    data: bytes,
    max_bytes: int,
    base_version: int | None,
    dry_run: bool,
) -> DocumentImport:
    """A marked-up document's changes as amendments of the uploader's city, its comments as
    comments: all written in one transaction, or none (a dry run writes nothing)."""
    city_id = proposing_city(actor)
    # One upload counts as one write, whatever it holds.
    limits.spend(session, "amendment", actor.id)
    word = read_upload(data, max_bytes=max_bytes)
    keyed, number = _base_of(word, declaration_id, base_version)
    base = open_base(session, declaration_id=declaration_id, base_version=number)
    plan = plan_import(word, paragraphs_of(base), keyed=keyed)
    proposals = [_checked(p, n) for n, p in enumerate(plan.proposals, start=1)]
    comments = [(c, comment_body(_signed(c, actor))) for c in plan.comments]
    if dry_run:
        session.rollback()
        return _result(plan, number, proposals, comments, ids=None, comment_ids=None)
    if not proposals and not comments:
        raise Invalid(
            f"The document proposes nothing against version {number}: it has no tracked "
            "changes there, and no comments on its text.",
            code="no_changes",
            warnings=[{"code": w.code, "detail": w.detail} for w in plan.warnings],
        )
    ids = [
        add_proposal(
            session,
            actor=actor,
            city_id=city_id,
            base=base,
            action=p.action,
            paragraph_key=p.paragraph_key,
            text=p.text,
            kind=p.kind,
            rationale=rationale,
        ).id
        for p, rationale in proposals
    ]
    comment_ids = _write_comments(session, actor, base, comments)
    record(
        session,
        actor=actor,
        action="document.import",
        target=("declaration", declaration_id),
        declaration_id=declaration_id,
        after={
            "base_version": number,
            "mode": plan.mode,
            "amendments": ids,
            "comments": comment_ids,
        },
    )
    session.commit()
    return _result(plan, number, proposals, comments, ids=ids, comment_ids=comment_ids)


def _base_of(word: WordText, declaration_id: int, named: int | None) -> tuple[bool, int]:
    """(mapped by keys?, base version number): our own export names its version; any other
    document is aligned to the version the uploader names."""
    if word.kind in ("comparison", "compilation", "translation"):
        raise Invalid(
            f"This is a {word.kind} document: to propose changes, mark up the version itself "
            "(download it as Word from the reading view).",
            code="not_a_version_document",
        )
    ours = word.kind == "version" and word.version is not None
    if ours and word.declaration_id != declaration_id:
        raise Invalid(
            f"This document is a version of declaration {word.declaration_id}, not of "
            f"declaration {declaration_id}.",
            code="wrong_declaration",
        )
    if ours:
        if named is not None and named != word.version:
            raise Invalid(
                f"This document is version {word.version}, not version {named}: leave "
                "base_version out or name the version it is.",
                code="base_version_mismatch",
            )
        return True, word.version  # type: ignore[return-value]
    if named is None:
        raise Invalid(
            "This document was not exported by Concord: name the version it was made from "
            "(base_version).",
            code="base_version_required",
        )
    if named < 1:
        raise NotFound(f"There is no version {named}.", code="version_not_found")
    return False, named


def _checked(proposal: Proposal, number: int) -> tuple[Proposal, str]:
    """The proposal with its text through the same intake as a typed one (a paragraph never
    starts with the heading mark), and its rationale."""
    if proposal.text is not None:
        typed = with_mark(Block(proposal.kind, proposal.text))
        block = parse_block(intake_paragraph(typed, field=f"text of change {number}"))
        proposal.text, proposal.kind = block.text, block.kind
    with text_intake():
        rationale = normalize_text(
            "\n\n".join(proposal.rationale), field="rationale", max_bytes=40_000
        ).strip()
    return proposal, rationale


def _signed(comment: PlannedComment, actor: User) -> str:
    """A Word comment keeps the name its author gave, when that is not the uploader's."""
    if comment.author and comment.author != actor.name:
        return f"{comment.author}: {comment.body}"
    return comment.body


def _write_comments(
    session: Session, actor: User, base, comments: list[tuple[PlannedComment, str]]
) -> list[int]:
    made: dict[str, object] = {}
    ids = []
    for planned, body in comments:
        parent = made.get(planned.parent) if planned.parent else None
        quote = None
        if planned.quote and parent is None:
            quote = Quote(exact=planned.quote[0], start=planned.quote[1], end=planned.quote[2])
        comment = add_comment(
            session,
            actor=actor,
            version=base,
            paragraph_key=planned.paragraph_key,
            body=body,
            parent=parent,  # type: ignore[arg-type]
            quote=quote,
        )
        made[planned.word_id] = comment
        ids.append(comment.id)
    return ids


def _result(
    plan: ImportPlan,
    number: int,
    proposals: list[tuple[Proposal, str]],
    comments: list[tuple[PlannedComment, str]],
    *,
    ids: list[int] | None,
    comment_ids: list[int] | None,
) -> DocumentImport:
    index = {c.word_id: n for n, (c, _) in enumerate(comments)}
    return DocumentImport(
        dry_run=ids is None,
        mode=plan.mode,
        base_version=number,
        amendments=[
            ImportedAmendment(
                id=ids[n] if ids else None,
                action=p.action,
                paragraph_key=p.paragraph_key,
                kind=p.kind,
                base_text=p.base_text,
                text=p.text,
                rationale=rationale,
                diff=_diff(p),
                authors=p.authors,
                moved=p.moved,
                whole_paragraph=p.whole_paragraph,
            )
            for n, (p, rationale) in enumerate(proposals)
        ],
        comments=[
            ImportedComment(
                id=comment_ids[n] if comment_ids else None,
                paragraph_key=c.paragraph_key,
                body=body,
                quote=Quote(exact=c.quote[0], start=c.quote[1], end=c.quote[2])
                if c.quote and not c.parent
                else None,
                reply_to=index.get(c.parent) if c.parent else None,
            )
            for n, (c, body) in enumerate(comments)
        ],
        warnings=[ImportWarning(code=w.code, detail=w.detail) for w in plan.warnings],
        formatting_only=plan.formatting_only,
    )


def _diff(proposal: Proposal) -> list[tuple[str, str]]:
    if proposal.action == "modify":
        return word_diff(proposal.base_text or "", proposal.text or "")
    if proposal.action == "insert":
        return [("insert", proposal.text or "")]
    return [("delete", proposal.base_text or "")]


def docx_text(data: bytes, *, max_bytes: int) -> str:
    """A Word document's text with every tracked change accepted, split by Word's paragraphs,
    as the canonical text writes it (headings marked): what a pasted text would be."""
    word = read_upload(data, max_bytes=max_bytes)
    blocks = [Block(reading.kind, reading.text) for reading in accepted(word)]
    return "\n\n".join(with_mark(b) for b in blocks) + "\n" if blocks else ""
