"""What the API says about passkeys."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from app.passkeys.assertion import b64url
from app.schemas import Schema

Base64Url = Annotated[
    str, BeforeValidator(lambda value: b64url(value) if isinstance(value, bytes) else value)
]


class PasskeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="what the mayor calls it")
    credential: dict[str, Any] = Field(
        description="the PublicKeyCredential from navigator.credentials.create(), as JSON with "
        "base64url binary fields (id, rawId, type, response.clientDataJSON, "
        "response.attestationObject)"
    )


class PasskeyOut(Schema):
    id: int
    name: str
    credential_id: Base64Url = Field(description="base64url")
    created_at: datetime


class SigningOptions(BaseModel):
    """What navigator.credentials.get() needs to sign the text's fingerprint."""

    challenge: str = Field(
        description="base64url of 64 bytes: 'concord-endorse' NUL ‖ SHA-256 digest of the "
        "fingerprint ‖ a 16-byte nonce; single use, 5 minutes"
    )
    rp_id: str
    allow_credentials: list[dict[str, str]]
    user_verification: str
    timeout: int
