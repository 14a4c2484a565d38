"""What the API says about a Word import: the amendments and comments it proposes."""

from typing import Literal

from pydantic import BaseModel

from app.comments.schemas import Quote
from app.declarations.schemas import DiffOp
from app.errors import TypedError


class ImportedAmendment(BaseModel):
    id: int | None  # null in a preview
    action: Literal["modify", "insert", "delete"]
    paragraph_key: str | None
    kind: Literal["heading", "paragraph"]
    base_text: str | None
    text: str | None
    rationale: str
    diff: list[DiffOp]
    authors: list[str]  # who made the tracked changes, as the document names them
    moved: bool  # made of moved text: deleted where it was, inserted where it went
    whole_paragraph: bool  # untracked differences could not be kept apart from the change


class ImportedComment(BaseModel):
    id: int | None
    paragraph_key: str
    body: str
    quote: Quote | None
    reply_to: int | None  # index in `comments` of the comment it answers


class ImportWarning(BaseModel):
    code: str
    detail: str


class DocumentImport(BaseModel):
    dry_run: bool
    mode: Literal["keyed", "aligned"]  # by the keys our export carries, or by alignment
    base_version: int
    amendments: list[ImportedAmendment]
    comments: list[ImportedComment]
    warnings: list[ImportWarning]
    formatting_only: int


class NoChangesError(TypedError):
    """A Word document that proposes nothing, with what was found odd in it."""

    http_status = 422
    code: Literal["no_changes"]
    warnings: list[ImportWarning]
