"""What the API says about finalizing, signatures, receipts and the public signature log."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AliasPath, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.auth.schemas import CityOut
from app.schemas import Language, Schema

ContentHash = Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$", max_length=71)]
HexHash = Annotated[
    str,
    BeforeValidator(lambda value: value.hex() if isinstance(value, bytes) else value),
    Field(description="lowercase hex of a SHA-256"),
]


class PublicJwk(BaseModel):
    """An ES256 public key; `kid` is its RFC 7638 thumbprint."""

    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str
    y: str
    kid: str
    alg: Literal["ES256"]
    use: Literal["sig"]
    x5c: list[str] | None = Field(
        default=None,
        description="the key's X.509 certificate chain (RFC 7517 §4.7: base64 DER, leaf first); "
        "self-signed unless a CA issued it. Compare its SHA-256 fingerprint out of band",
    )


class JwkSet(BaseModel):
    keys: list[PublicJwk] = Field(description="the current signing key first, then retired ones")


class Finalize(BaseModel):
    version: int = Field(ge=1, description="the head version, which becomes the text to sign")
    authentic_languages: list[Language] = Field(
        default_factory=list,
        max_length=20,
        description="translations authentic beside the negotiating language: each must be "
        "complete and current, and the fingerprint signed covers every authentic text",
    )


class SignRequest(BaseModel):
    content_hash: ContentHash = Field(
        description="the fingerprint of the text the mayor read (the final version's)"
    )
    password: str | None = Field(
        default=None, min_length=1, max_length=256, description="asked again to sign"
    )
    passkey: dict[str, Any] | None = Field(
        default=None,
        description="instead of the password: the PublicKeyCredential from "
        "navigator.credentials.get() over the challenge of …/signatures/options, as JSON with "
        "base64url binary fields (id, rawId, type, response.authenticatorData, "
        "response.clientDataJSON, response.signature, response.userHandle)",
    )

    @model_validator(mode="after")
    def one_way(self) -> "SignRequest":
        if (self.password is None) == (self.passkey is None):
            raise ValueError("give either password or passkey, not both and not neither")
        return self


class OpenEndorsement(BaseModel):
    require_passkey: bool = Field(
        default=False, description="mayors must sign with a passkey (no password fallback)"
    )


class SignerOut(BaseModel):
    name: str
    title: str | None


class Receipt(Schema):
    """A log entry as its signer keeps it: the JWS, where it stands and a proof of it."""

    # Read from the service's receipt (model_validate): each alias path says where from.
    id: int = Field(
        validation_alias=AliasPath("signature", "id"),
        description="the signature's id (withdraw with DELETE …/signatures/{id})",
    )
    kind: Literal["endorsement", "withdrawal"] = Field(
        validation_alias=AliasPath("appended", "entry", "kind")
    )
    seq: int = Field(
        validation_alias=AliasPath("appended", "entry", "seq"),
        description="the entry's place in the log, from 1",
    )
    withdraws: int | None = Field(default=None, description="seq of the withdrawn endorsement")
    city: CityOut
    signer: SignerOut = Field(validation_alias=AliasPath("signature", "signer"))
    signed_at: datetime = Field(validation_alias=AliasPath("appended", "entry", "created_at"))
    content_hash: str
    jws: str = Field(validation_alias=AliasPath("appended", "entry", "jws"))
    checkpoint: str = Field(
        validation_alias=AliasPath("appended", "checkpoint", "jws"),
        description="the checkpoint JWS signed right after this entry",
    )
    inclusion_proof: list[HexHash] = Field(
        validation_alias=AliasPath("appended", "inclusion_proof"),
        description="RFC 9162 audit path of leaf seq-1 in the tree of size seq",
    )


class SignatoryOut(Schema):
    id: int
    seq: int
    city: CityOut
    signer: SignerOut
    signed_at: datetime
    method: Literal["password", "passkey"] = Field(
        description="how the mayor confirmed: password, or their own passkey"
    )
    withdrawn: bool
    withdrawn_seq: int | None
    withdrawn_at: datetime | None


class CheckpointOut(BaseModel):
    """A signed tree head: the fields of its statement, and the JWS that is authoritative."""

    declaration_id: int
    version: int
    content_hash: str
    tree_size: int
    root_hash: HexHash
    issued_at: datetime
    final: bool
    jws: str


class InclusionProofOut(BaseModel):
    seq: int
    leaf_index: int
    tree_size: int
    leaf_hash: HexHash
    root_hash: HexHash
    inclusion_proof: list[HexHash]
    checkpoint: str = Field(description="the checkpoint JWS of this tree size")


class ConsistencyProofOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: int = Field(alias="from", serialization_alias="from")
    to: int
    from_root_hash: HexHash
    to_root_hash: HexHash
    consistency_proof: list[HexHash]
    from_checkpoint: str
    to_checkpoint: str
