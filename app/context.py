"""What the app builds once at start and hands to services: settings, hashers, token keys,
limits."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.auth.security import Passwords, Tokens, load_or_create_secret
from app.batching import GroupCommit
from app.cache import ImmutableCache, UserCache
from app.db import make_engine, make_sessionmaker
from app.documents.uploads import docx_text
from app.endorsements.keys import KeyRing, SigningKey, load_or_create_keys, split_keys
from app.endorsements.log import LogTrees
from app.live.channel import LiveRoom
from app.notifications import service as notifications
from app.notifications.mail import MailSender
from app.passkeys.service import RelyingParty
from app.ratelimit import LoginThrottle, ResetThrottle, WriteLimits
from app.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    passwords: Passwords
    tokens: Tokens
    login_throttle: LoginThrottle
    reset_throttle: ResetThrottle  # links to set a new password asked for
    engine: Engine
    sessionmaker: sessionmaker[Session]
    keys: KeyRing
    write_limits: WriteLimits
    relying_party: RelyingParty
    log_trees: LogTrees = field(default_factory=LogTrees)
    cache: ImmutableCache = field(default_factory=ImmutableCache)
    users: UserCache = field(default_factory=UserCache)
    signing: GroupCommit = field(default_factory=GroupCommit)  # signatures, by declaration
    live: LiveRoom = field(init=False)
    mail: MailSender | None = field(init=False)  # when the platform sends notices by e-mail

    def __post_init__(self) -> None:
        self.live = LiveRoom(self.engine, self.sessionmaker, self.users)
        self.mail = None
        if self.settings.smtp_url is not None:
            # Actions queue a mail with each notice (their sessions say so); the sender reads
            # the queue through the same sessions.
            self.sessionmaker.configure(info={notifications.MAIL: True})
            self.mail = MailSender(self.settings, self.sessionmaker)

    # A Word file's text, for routes that take one in place of a text (app/forms.py).
    word_text: Callable[..., str] = docx_text

    @classmethod
    def build(cls, settings: Settings) -> "AppContext":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.sqlalchemy_url)
        return cls(
            settings=settings,
            engine=engine,
            sessionmaker=make_sessionmaker(engine),
            passwords=Passwords(settings),
            tokens=Tokens(load_or_create_secret(settings), settings.token_minutes),
            login_throttle=LoginThrottle(settings.login_burst, settings.login_window_seconds),
            reset_throttle=ResetThrottle(
                settings.reset_burst, settings.reset_client_burst, settings.reset_window_seconds
            ),
            keys=signing_keys(settings),
            relying_party=RelyingParty.of(settings.origin),
            write_limits=WriteLimits(
                {
                    "comment": settings.comments_per_minute,
                    "amendment": settings.amendments_per_minute,
                }
            ),
        )


def signing_keys(settings: Settings) -> KeyRing:
    """The platform's ES256 keys: a PKCS#12 or a PEM from settings, or made once under the data
    directory; with the retired public keys settings name."""
    if settings.signing_p12:
        password = settings.signing_p12_password
        key = SigningKey.from_pkcs12(
            settings.signing_p12.read_bytes(), password.get_secret_value() if password else None
        )
        ring = KeyRing(key)
    elif settings.signing_key_pem:
        ring = KeyRing.from_pem(settings.signing_key_pem.get_secret_value())
    else:
        ring = load_or_create_keys(settings.data_dir)
    if settings.retired_keys_pem:
        ring = ring.with_retired(split_keys(settings.retired_keys_pem.get_secret_value()))
    return ring
