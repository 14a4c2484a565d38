"""What the API says about amendments, their supporters and decisions."""

from datetime import datetime
from typing import Annotated, ClassVar, Self

from pydantic import AliasChoices, BaseModel, Field, computed_field, model_validator

from app.amendments.states import OPEN, AmendmentStatus, DecisionKind, decisions_from
from app.auth.schemas import CityOut, UserRef
from app.declarations.schemas import DiffOp, ParagraphChange
from app.schemas import Schema
from app.text.document import Action

Rationale = Annotated[str, Field(max_length=10_000)]


class AmendmentCreate(ParagraphChange):
    called: ClassVar[str] = "amendment"
    base_version: int
    rationale: Rationale = ""

    @model_validator(mode="after")
    def _nothing_to_delete_with(self) -> Self:
        if self.action == "delete" and self.text:
            raise ValueError("a delete amendment has no text")
        return self


class SupporterOut(Schema):
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
    action: Action
    paragraph_key: str | None
    base_version: int
    text: str | None
    base_text: str | None
    rationale: str
    city: CityOut
    author: UserRef
    # Read from the model's `supports`; built by its own name too (AmendmentDetail).
    supporters: list[SupporterOut] = Field(validation_alias=AliasChoices("supports", "supporters"))
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
