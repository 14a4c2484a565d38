"""Every table, imported in one place so that Alembic and the tests see the whole schema."""

from app.amendments.models import Amendment, Support
from app.audit.models import Event
from app.auth.models import City, User
from app.comments.models import Comment
from app.db import Base
from app.declarations.models import Declaration, Paragraph, Version
from app.endorsements.models import Checkpoint, LogEntry, Signature
from app.notifications.models import Mail, MailAttempt, Notification
from app.passkeys.models import Passkey, PasskeyChallenge
from app.ratelimit import Hit
from app.translations.models import TranslationText

__all__ = [
    "Amendment",
    "Base",
    "Checkpoint",
    "City",
    "Comment",
    "Declaration",
    "Event",
    "Hit",
    "LogEntry",
    "Mail",
    "MailAttempt",
    "Notification",
    "Paragraph",
    "Passkey",
    "PasskeyChallenge",
    "Signature",
    "Support",
    "TranslationText",
    "User",
    "Version",
]
