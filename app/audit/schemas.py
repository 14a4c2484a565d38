"""What the API says about audit events."""

from datetime import datetime
from typing import Any

from app.schemas import Schema


class EventOut(Schema):
    id: int
    declaration_id: int | None
    actor_id: int | None
    action: str
    target_type: str
    target_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: datetime
