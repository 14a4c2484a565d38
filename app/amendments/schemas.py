"""What the API says about amendments, their supporters and decisions."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from app.auth.schemas import CityOut, UserRef
from app.declarations.schemas import DiffOp, RawText
from app.schemas import Schema

Rationale = Annotated[str, Field(max_length=10_000)]
Status = Literal["proposed", "accepted", "rejected", "withdrawn", "merged", "obsolete"]


class AmendmentCreate(BaseModel):
    base_version: int
    action: Literal["modify", "insert", "delete"]
    paragraph_key: str | None = Field(default=None, max_length=16)
    text: RawText | None = None
    rationale: Rationale = ""

    @model_validator(mode="after")
    def _shape(self) -> "AmendmentCreate":
        if self.action in ("modify", "delete") and not self.paragraph_key:
            raise ValueError(f"a {self.action} amendment names the paragraph_key it changes")
        if self.action in ("modify", "insert") and not (self.text and self.text.strip()):
            raise ValueError(f"a {self.action} amendment needs its text")
        if self.action == "delete" and self.text:
            raise ValueError("a delete amendment has no text")
        return self


class SupporterOut(BaseModel):
    city: CityOut
    user: UserRef
    created_at: datetime


class Rebased(BaseModel):
    version: int
    diff: list[DiffOp]
    conflict: str | None


class AmendmentOut(Schema):
    id: int
    declaration_id: int
    status: Status
    action: Literal["modify", "insert", "delete"]
    paragraph_key: str | None
    base_version: int
    text: str | None
    base_text: str | None
    rationale: str
    city: CityOut
    author: UserRef
    supporters: list[SupporterOut]
    diff: list[DiffOp]
    decision_note: str | None
    merged_version: int | None
    created_at: datetime
    updated_at: datetime


class AmendmentDetail(AmendmentOut):
    rebased: Rebased | None


class Decision(BaseModel):
    decision: Literal["accept", "reject", "reopen"]
    note: Annotated[str, Field(max_length=10_000)] | None = None
