"""A mayor's own passkeys: register, list, remove."""

from typing import Any

from fastapi import status

from app.deps import ContextDep, Mayor, SessionDep
from app.errors import error_responses
from app.passkeys import service
from app.passkeys.schemas import PasskeyCreate, PasskeyOut
from app.routing import APIRouter

router = APIRouter(tags=["passkeys"])


@router.post(
    "/me/passkeys/options",
    response_model=dict[str, Any],
    responses=error_responses(401, 403),
)
def registration_options(session: SessionDep, context: ContextDep, mayor: Mayor) -> dict[str, Any]:
    """WebAuthn creation options for a new passkey (base64url; user verification required,
    ES256), with a single-use challenge valid 5 minutes."""
    return service.registration_options(session, context.relying_party, mayor)


@router.post(
    "/me/passkeys",
    response_model=PasskeyOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 409, 422),
)
def register(
    session: SessionDep, context: ContextDep, mayor: Mayor, body: PasskeyCreate
) -> PasskeyOut:
    """Register the passkey the browser created: the platform keeps its public key only."""
    passkey = service.register(
        session, context.relying_party, mayor, name=body.name, credential=body.credential
    )
    return PasskeyOut.model_validate(passkey)


@router.get("/me/passkeys", response_model=list[PasskeyOut], responses=error_responses(401, 403))
def list_passkeys(session: SessionDep, mayor: Mayor) -> list[PasskeyOut]:
    """Your passkeys (a bare array)."""
    return [PasskeyOut.model_validate(p) for p in service.list_passkeys(session, mayor)]


@router.delete(
    "/me/passkeys/{passkey_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
)
def delete_passkey(session: SessionDep, mayor: Mayor, passkey_id: int) -> None:
    """Remove one of your passkeys: it can no longer sign (signatures made with it stand)."""
    service.delete_passkey(session, mayor, passkey_id)
