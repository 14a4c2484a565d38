"""Password hashes (argon2) and access tokens (JWT, HS256 only)."""

import os
import secrets
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from jose import JWTError, jwt

from app.settings import Settings

TOKEN_ALGORITHMS = ["HS256"]


class Passwords:
    def __init__(self, settings: Settings):
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
        # Verified against when the email is unknown, so both cases take the same time.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash or self._dummy_hash, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Made with another cost than the configured one."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return False


def load_or_create_secret(settings: Settings) -> str:
    if settings.jwt_secret:
        return settings.jwt_secret.get_secret_value()
    path = settings.data_dir / "jwt-secret"
    if not path.exists():
        write_secret_file(path, secrets.token_urlsafe(48))
    return path.read_text().strip()


def write_secret_file(path: Path, content: str) -> None:
    """Create a file only its owner can read, without a moment where others could."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = temporary.open("x", encoding="utf-8")
    try:
        temporary.chmod(0o600)
        fd.write(content)
    finally:
        fd.close()
    try:
        os.link(temporary, path)  # fails if another process created it first; theirs wins
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


class Tokens:
    def __init__(self, secret: str, minutes: int):
        self._secret = secret
        self.lifetime = timedelta(minutes=minutes)
        # Verified tokens, so that a client's repeated requests skip the HMAC and JSON work;
        # expiry is still checked on every use.
        self._verified: dict[str, tuple[int, int, int]] = {}

    def issue(self, *, user_id: int, token_version: int) -> str:
        now = datetime.now(UTC)
        claims = {
            "sub": str(user_id),
            "tv": token_version,
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def read(self, token: str) -> tuple[int, int] | None:
        """(user id, token version), or None for any token we did not issue or that expired."""
        known = self._verified.get(token)
        if known is not None:
            user_id, token_version, expires = known
            return (user_id, token_version) if time.time() < expires else None
        try:
            claims = jwt.decode(token, self._secret, algorithms=TOKEN_ALGORITHMS)
            user_id, token_version = int(claims["sub"]), int(claims.get("tv", -1))
            expires = int(claims["exp"])
        except (JWTError, KeyError, ValueError, TypeError):
            return None
        if len(self._verified) > 100_000:
            self._verified.clear()
        self._verified[token] = (user_id, token_version, expires)
        return user_id, token_version
