"""What the API says about comments and where they stand in a version."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from app.auth.schemas import UserRef

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


class AnchorOut(BaseModel):
    state: Literal["exact", "fuzzy", "orphaned"]
    start: int | None
    end: int | None


class CommentOut(BaseModel):
    id: int
    declaration_id: int
    paragraph_key: str
    body: str
    author: UserRef
    parent_id: int | None
    status: Literal["open", "resolved"]
    created_version: int
    quote: Quote | None
    anchor: AnchorOut
    anchored_version: int
    edited: bool
    created_at: datetime
