"""Settings from the environment, prefix CONCORD_."""

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONCORD_", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    threads: int = 4
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    demo: bool = False
    jwt_secret: SecretStr | None = None
    signing_key_pem: SecretStr | None = None
    token_minutes: int = 60 * 12
    # Login throttling: this many failures per account or address in the window give 429.
    login_burst: int = 10
    login_window_seconds: int = 300
    # Writes per user and minute (per server process); the next one gets 429 rate_limited.
    comments_per_minute: int = 30
    amendments_per_minute: int = 10
    # argon2 cost; tests lower it, production keeps the library's default.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    max_body_bytes: int = 4_000_000
    frontend_dist: Path = Path(__file__).resolve().parent.parent / "frontend" / "dist"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'concord.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
