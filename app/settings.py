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
    # The demo's passwords are public: beyond loopback it is seeded only when asked for so.
    demo_beyond_loopback: bool = False
    jwt_secret: SecretStr | None = None
    signing_key_pem: SecretStr | None = None
    # Earlier signing keys whose public halves stay in the JWKS (PEM blocks or a JWK Set), so
    # bundles signed before a rotation done through the environment still verify.
    retired_keys_pem: SecretStr | None = None
    # A CA-issued certificate for the signing key: a PKCS#12 file holding the P-256 key and its
    # chain (it replaces SIGNING_KEY_PEM and the self-signed certificate).
    signing_p12: Path | None = None
    signing_p12_password: SecretStr | None = None
    # An RFC 3161 time-stamp authority: the signed PDF's PAdES signature becomes B-T.
    tsa_url: str | None = None
    # The WebAuthn relying party: the origin browsers open the platform at; its host is the RP
    # ID (an IP address is not a valid one). Default http://localhost:{port}.
    public_origin: str | None = None
    token_minutes: int = 60 * 12
    # Sign-in throttling: this many failures per account or address in the window give 429;
    # as many wrong signing passwords of one account throttle its signing.
    login_burst: int = 10
    login_window_seconds: int = 300
    # "Forgot password": a link lasts this long; at most `reset_burst` asked for per e-mail
    # address, and `reset_client_burst` per client address, in `reset_window_seconds`
    # (counted in the database).
    reset_minutes: int = 30
    reset_burst: int = 5
    reset_client_burst: int = 20
    reset_window_seconds: int = 900
    # Writes per user and minute (counted in the database, across workers); the next one gets
    # 429 rate_limited.
    comments_per_minute: int = 30
    amendments_per_minute: int = 10
    # argon2id cost: OWASP's recommended configuration (Password Storage Cheat Sheet: 19 MiB,
    # 2 passes, 1 lane), about 30 ms a check on this project's 2-core machine, so 1,000 mayors
    # can sign within a minute; the library's default (64 MiB, 3 passes, 4 lanes) takes 170 ms,
    # 8 signatures a second (bench/bench_load.py). Tests lower it. Hashes made with another
    # cost still verify, and are re-made with this one at the next sign-in.
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1
    max_body_bytes: int = 4_000_000
    # A live stream ends after this long (the browser reconnects with Last-Event-ID and its
    # sign-in is checked again); a comment every `stream_heartbeat_seconds` keeps it open.
    stream_seconds: float = 1800
    stream_heartbeat_seconds: float = 15
    # Notices by e-mail: `smtp://[user:password@]host[:port]` (smtps:// for TLS from the start,
    # smtp+starttls:// to upgrade); unset, no mail is queued. Links in mails start with
    # public_url (default the public origin below).
    smtp_url: SecretStr | None = None
    mail_from: str = "concord@localhost"
    public_url: str | None = None
    mail_poll_seconds: float = 2  # how often the sender looks for what is due
    mail_retry_seconds: float = 30  # the first retry's wait, doubled after each failure
    mail_attempts: int = 10  # then the mail is given up (state failed)
    # The TLS-terminating proxies whose X-Forwarded-Proto and X-Forwarded-For are believed
    # (comma-separated addresses or networks, as uvicorn's forwarded_allow_ips); unset, none is.
    forwarded_allow_ips: str | None = None
    frontend_dist: Path = Path(__file__).resolve().parent.parent / "frontend" / "dist"

    @property
    def origin(self) -> str:
        return self.public_origin or f"http://localhost:{self.port}"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'concord.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
