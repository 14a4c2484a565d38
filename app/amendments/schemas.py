"""What the API says about amendments, their supporters and decisions."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, computed_field, model_validator

from app.amendments.states import OPEN, AmendmentStatus, DecisionKind, decisions_from
from app.auth.schemas import CityOut, UserRef
from app.declarations.schemas import DiffOp, RawText
from app.schemas import Schema

Rationale = Annotated[str, Field(max_length=10_000)]


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
    status: AmendmentStatus
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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def open(self) -> bool:
        """Proposed or accepted: it may still change the text."""
        return self.status in OPEN

    @computed_field  # type: ignore[prop-decorator]
    @property
    def decisions(self) -> list[DecisionKind]:
        """What a co-facilitator may decide on it now, while the declaration is drafting."""
        return decisions_from(self.status)


class AmendmentDetail(AmendmentOut):
    rebased: Rebased | None


class Decision(BaseModel):
    decision: DecisionKind
    note: Annotated[str, Field(max_length=10_000)] | None = None
