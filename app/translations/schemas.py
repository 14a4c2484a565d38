"""What the API says about translations: the overview, one language's text, an upload."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from app.declarations.schemas import DiffOp, RawText
from app.errors import TypedError

State = Literal["current", "outdated", "missing"]
ParagraphText = Annotated[str, Field(max_length=100_000)]


class LanguageSummary(BaseModel):
    language: str
    direction: Literal["ltr", "rtl"]
    version: int = Field(description="the head version, whose paragraphs are counted")
    authentic: bool
    current: int
    outdated: int
    missing: int


class TranslatedParagraph(BaseModel):
    key: str
    kind: Literal["heading", "paragraph"]
    source: str = Field(description="the source paragraph at this version")
    text: str | None = Field(description="the translation; null while missing")
    state: State
    translated_version: int | None = Field(
        description="the source version the translation was made from"
    )
    source_diff: list[DiffOp] | None = Field(
        default=None,
        description="outdated: the source's redline from translated_version to this version",
    )


class Bead(BaseModel):
    """Source paragraphs and the uploaded paragraphs aligned to them (1–1, 1–2, 2–1), or left
    over on one side."""

    keys: list[str]
    uploaded: list[int] = Field(description="positions (1-based) of the uploaded paragraphs")
    texts: list[str] = Field(description="the uploaded paragraphs")
    doubtful: bool = Field(description="an unlikely pairing, for the reviewer to check")


class Alignment(BaseModel):
    beads: list[Bead]
    left_over: list[int] = Field(description="uploaded paragraphs (1-based) matched to no key")
    unmatched_keys: list[str] = Field(description="source keys the upload has no text for")
    by_key: bool = Field(
        False,
        description="the file carried Concord's paragraph keys (a Word file downloaded from "
        "Concord): its paragraphs map by key, and those left empty keep what they have",
    )


class TranslationOut(BaseModel):
    language: str
    direction: Literal["ltr", "rtl"]
    version: int
    saved: bool = Field(description="false for a dry run: nothing was written")
    current: int
    outdated: int
    missing: int
    paragraphs: list[TranslatedParagraph]
    alignment: Alignment | None = Field(
        default=None, description="how an uploaded whole text was aligned"
    )


class ParagraphTranslation(BaseModel):
    key: str = Field(max_length=16)
    text: ParagraphText


class TranslationPut(BaseModel):
    """Paragraph by paragraph, or a whole text to align; `dry_run` saves nothing."""

    paragraphs: list[ParagraphTranslation] | None = Field(default=None, max_length=5000)
    text: RawText | None = None
    dry_run: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> "TranslationPut":
        if (self.paragraphs is None) == (self.text is None):
            raise ValueError("send either paragraphs or a whole text")
        return self


class TranslationIncompleteError(TypedError):
    """A translation read whole while paragraphs are missing (or outdated): each language's."""

    http_status = 409
    code: Literal["translation_incomplete"]
    paragraphs: dict[str, list[str]]


class AlignmentIncompleteError(TypedError):
    """A whole upload whose paragraphs do not all find a key (nothing was saved)."""

    http_status = 422
    code: Literal["alignment_incomplete"]
    left_over: list[int]
    unmatched_keys: list[str]
