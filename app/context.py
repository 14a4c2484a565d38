"""What the app builds once at start and hands to services: settings, hashers, token keys."""

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.auth.security import LoginThrottle, Passwords, Tokens, load_or_create_secret
from app.cache import ImmutableCache, UserCache
from app.db import make_engine, make_sessionmaker
from app.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    passwords: Passwords
    tokens: Tokens
    login_throttle: LoginThrottle
    engine: Engine
    sessionmaker: sessionmaker[Session]
    cache: ImmutableCache = field(default_factory=ImmutableCache)
    users: UserCache = field(default_factory=UserCache)

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
        )
