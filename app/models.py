"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from app.audit.models import Event
from app.auth.models import City, User
from app.db import Base
from app.declarations.models import Declaration, Paragraph, Version

__all__ = ["Base", "City", "Declaration", "Event", "Paragraph", "User", "Version"]
