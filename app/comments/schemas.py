"""What the API says about comments and where they stand in a version."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AliasPath, BaseModel, Field, field_validator, model_validator

from app.auth.schemas import UserRef
from app.schemas import Schema

Body = Annotated[str, Field(min_length=1, max_length=20_000)]


class Quote(BaseModel):
    exact: Annotated[str, Field(min_length=1, max_length=20_000)]
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _range(self) -> "Quote":
        if self.end <= self.start:
            raise ValueError("a quote ends after it starts")
        return self


class CommentCreate(BaseModel):
    version: int | None = None
    paragraph_key: str | None = Field(default=None, max_length=16)
    body: Body
    parent_id: int | None = None
    quote: Quote | None = None


class CommentEdit(BaseModel):
    body: Body


class AnchorOut(Schema):
    state: Literal["exact", "fuzzy", "orphaned"]
    start: int | None
    end: int | None


def _of_comment(name: str) -> Any:
    """A field read from the comment itself, as it is stored."""
    return Field(validation_alias=AliasPath("comment", name))


# Read from a comment as placed on the version read (`comments.service.Placed`).
class CommentOut(Schema):
    id: int = _of_comment("id")
    declaration_id: int = _of_comment("declaration_id")
    paragraph_key: str = _of_comment("paragraph_key")
    body: str = _of_comment("body")
    author: UserRef = _of_comment("author")
    author_city: str | None = Field(
        default=None,
        validation_alias=AliasPath("comment", "author", "city", "name"),
        description="the city the author speaks for (delegates and mayors); null for others",
    )
    parent_id: int | None = _of_comment("parent_id")
    status: Literal["open", "resolved"] = _of_comment("status")
    created_version: int = _of_comment("created_version")
    quote: Quote | None = Field(validation_alias="comment")
    anchor: AnchorOut
    anchored_version: int = Field(validation_alias="version")
    edited: bool = _of_comment("edited_at")
    created_at: datetime = _of_comment("created_at")

    @field_validator("quote", mode="before")
    @classmethod
    def _quote_of(cls, comment: Any) -> Quote | None:
        if comment.quote_exact is None:
            return None
        return Quote(exact=comment.quote_exact, start=comment.quote_start, end=comment.quote_end)

    @field_validator("edited", mode="before")
    @classmethod
    def _edited(cls, edited_at: datetime | None) -> bool:
        return edited_at is not None
