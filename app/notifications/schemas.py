"""The API's notices."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from app.schemas import Schema

Kind = Literal["amendment.decided", "amendment.merged", "comment.reply", "endorsement.open"]


class Target(BaseModel):
    type: str
    id: int


class NotificationOut(Schema):
    id: int
    kind: Kind
    declaration_id: int
    target: Target
    actor_id: int | None
    text: str
    link: str = Field(description="The web app's path to what the notice is about.")
    created_at: datetime
    read_at: datetime | None

    @model_validator(mode="before")
    @classmethod
    def _target(cls, value):
        if hasattr(value, "target_type"):
            value = {
                name: getattr(value, name)
                for name in ("id", "kind", "declaration_id", "actor_id", "text", "link")
                + ("created_at", "read_at")
            } | {"target": {"type": value.target_type, "id": value.target_id}}
        return value


class Notifications(BaseModel):
    items: list[NotificationOut]
    total: int
    unread: int
    limit: int
    offset: int


class MarkRead(BaseModel):
    """`ids` of one's own notices, or `all: true`."""

    ids: list[int] | None = Field(default=None, max_length=500)
    all: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> "MarkRead":
        if (self.ids is None) == (not self.all):
            raise ValueError("Give either ids or all: true.")
        return self


class Unread(BaseModel):
    unread: int
