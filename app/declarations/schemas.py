"""What the API says about declarations, versions and comparisons."""

from datetime import datetime
from typing import Annotated, ClassVar, Literal, Self

from pydantic import BaseModel, Field, model_validator

from app.auth.schemas import UserRef
from app.schemas import Language, Note, Schema, Title
from app.text import compare as text_compare
from app.text.document import Action

# Texts are bounded precisely (in bytes, per paragraph, in paragraphs) by the text core;
# this cap only keeps an absurd field from being parsed at all.
RawText = Annotated[str, Field(max_length=2_500_000)]
DiffOp = tuple[Literal["equal", "insert", "delete"], str]


class DeclarationCreate(BaseModel):
    title: Title
    text: RawText
    language: Language = Field(
        default="en", description="BCP 47: the language the text is negotiated in"
    )


class DeclarationOut(Schema):
    id: int
    title: str
    status: Literal["drafting", "final", "open", "closed"]
    head_version: int
    final_version: int | None
    language: str
    authentic_languages: list[str] = Field(
        description="set at finalize: the translations that are authentic beside `language`"
    )
    final_hash: str | None = Field(
        description="the fingerprint a mayor signs: the final version's content_hash, or with "
        "authentic languages the hash over every authentic text (docs/api.md)"
    )
    require_passkey: bool = Field(
        default=False, description="mayors must sign with a passkey (set when endorsement opens)"
    )
    created_at: datetime


class ParagraphOut(Schema):
    key: str
    position: int
    kind: Literal["heading", "paragraph"]
    text: str


class VersionSummary(Schema):
    number: int
    created_at: datetime
    author: UserRef
    note: str | None
    content_hash: str
    merged_amendments: list[int]


class ComparedParagraph(BaseModel):
    key: str
    kind: Literal["heading", "paragraph"]
    status: Literal["unchanged", "modified", "inserted", "deleted"]
    from_position: int | None
    to_position: int | None
    diff: list[DiffOp]


class CompareSummary(BaseModel):
    unchanged: int = 0
    modified: int = 0
    inserted: int = 0
    deleted: int = 0


class Comparison(BaseModel):
    from_: int = Field(alias="from", serialization_alias="from")
    to: int
    summary: CompareSummary
    paragraphs: list[ComparedParagraph]

    model_config = {"populate_by_name": True}

    @classmethod
    def of(cls, old: int, new: int, comparison: text_compare.Comparison) -> "Comparison":
        """The text core's comparison of versions `old` and `new`, as the API says it."""
        paragraphs = [
            ComparedParagraph(
                key=p.key,
                kind=p.kind,
                status=p.status,
                from_position=p.from_position,
                to_position=p.to_position,
                diff=p.diff,
            )
            for p in comparison.paragraphs
        ]
        summary = CompareSummary(
            unchanged=comparison.count("unchanged"),
            modified=comparison.count("modified"),
            inserted=comparison.count("inserted"),
            deleted=comparison.count("deleted"),
        )
        return cls(**{"from": old, "to": new, "summary": summary, "paragraphs": paragraphs})


class VersionOut(VersionSummary):
    paragraphs: list[ParagraphOut]


class CombinedChange(BaseModel):
    """A paragraph two or more amendments of a merge change in different words: its new
    wording combines them, as none of them proposed it alone."""

    paragraph_key: str
    amendment_ids: list[int] = Field(description="in the order they were applied")


class VersionPreview(BaseModel):
    """What a merge would produce, written nowhere (dry_run)."""

    number: int
    content_hash: str
    merged_amendments: list[int]
    paragraphs: list[ParagraphOut]
    changes: Comparison
    combined: list[CombinedChange] = Field(
        default_factory=list,
        description="paragraphs where several merged amendments were combined",
    )


class ParagraphChange(BaseModel):
    """A change to one paragraph named by its key: what an amendment proposes and what a direct
    edit does. A modification or deletion names its paragraph; an insertion names the one it
    follows (none: at the start)."""

    called: ClassVar[str] = "change"  # the word its refusals use
    action: Action
    paragraph_key: str | None = Field(default=None, max_length=16)
    text: RawText | None = None

    @model_validator(mode="after")
    def _change_shape(self) -> Self:
        if self.action in ("modify", "delete") and not self.paragraph_key:
            raise ValueError(f"a {self.action} {self.called} names the paragraph_key it changes")
        if self.action in ("modify", "insert") and not (self.text and self.text.strip()):
            raise ValueError(f"a {self.action} {self.called} needs its text")
        return self


class Edit(ParagraphChange):
    called: ClassVar[str] = "edit"
    kind: Literal["heading", "paragraph"] | None = None


class VersionCreate(BaseModel):
    base_version: int
    amendments: list[int] = Field(default_factory=list, max_length=5000)
    edits: list[Edit] = Field(default_factory=list, max_length=5000)
    reconciled: list[int] = Field(
        default_factory=list,
        max_length=5000,
        description=(
            "accepted amendments that this version's direct edits take into account (a "
            "compromise wording): marked merged with it, though not applied as written"
        ),
    )
    text: RawText | None = None
    note: Note | None = None
    dry_run: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> "VersionCreate":
        if self.text is not None and (self.edits or self.amendments):
            raise ValueError("send either a whole revised text or amendments and edits, not both")
        if self.text is None and not (self.edits or self.amendments):
            raise ValueError("nothing to change: send amendments, edits or a revised text")
        if self.reconciled and not self.edits:
            raise ValueError("reconciled amendments need the direct edits that reconcile them")
        return self
