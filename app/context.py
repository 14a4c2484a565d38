"""What the app builds once at start and hands to services: settings, hashers, token keys."""

from dataclasses import dataclass, field

from app.cache import ImmutableCache
from app.auth.security import LoginThrottle, Passwords, Tokens, load_or_create_secret
from app.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    passwords: Passwords
    tokens: Tokens
    login_throttle: LoginThrottle
    cache: ImmutableCache = field(default_factory=ImmutableCache)

    @classmethod
    def build(cls, settings: Settings) -> "AppContext":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return cls(
            settings=settings,
            passwords=Passwords(settings),
            tokens=Tokens(load_or_create_secret(settings), settings.token_minutes),
            login_throttle=LoginThrottle(settings.login_burst, settings.login_window_seconds),
        )
