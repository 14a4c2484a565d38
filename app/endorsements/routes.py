"""Finalize, open and close endorsement, sign and withdraw, the signatories, the sealed
declaration; and, on the public router, the keys and the signature log (hashes only)."""

import asyncio
import functools
from typing import Annotated, Literal

from anyio import to_thread
from fastapi import Query, Response, status
from fastapi.responses import FileResponse, JSONResponse

from app.declarations.schemas import DeclarationOut
from app.declarations.service import get_declaration
from app.deps import ContextDep, CurrentUser, Editor, Mayor, SessionDep
from app.endorsements import lifecycle, log, sealed, service, signing
from app.endorsements.models import Checkpoint
from app.endorsements.schemas import (
    CheckpointOut,
    ConsistencyProofOut,
    Finalize,
    InclusionProofOut,
    JwkSet,
    OpenEndorsement,
    Receipt,
    SignatoryOut,
    SignRequest,
)
from app.endorsements.statements import unverified_statement
from app.errors import (
    AlreadySignedError,
    HashMismatchError,
    NotHeadError,
    SigningThrottledError,
    WrongStateError,
    error_responses,
)
from app.passkeys import service as passkeys
from app.passkeys.schemas import SigningOptions
from app.routing import APIRouter
from app.schemas import Page, page_params
from app.translations.schemas import TranslationIncompleteError

router = APIRouter(tags=["endorsement"])
public_router = APIRouter(tags=["signature log"])

# The log's latest checkpoint moves with each signature: shared caches may keep it briefly.
# A proof for named sizes never changes (entries and checkpoints are never rewritten).
LATEST_CACHE = "public, max-age=5"
FIXED_CACHE = "public, max-age=86400, immutable"


@router.post(
    "/declarations/{declaration_id}/finalize",
    response_model=DeclarationOut,
    responses=error_responses(
        401, 403, 404, 422, NotHeadError, WrongStateError, TranslationIncompleteError
    ),
)
def finalize(
    session: SessionDep, editor: Editor, declaration_id: int, body: Finalize
) -> DeclarationOut:
    """Freeze the head version as the text to sign (drafting → final)."""
    declaration = lifecycle.finalize(
        session,
        actor=editor,
        declaration_id=declaration_id,
        version=body.version,
        authentic_languages=body.authentic_languages,
    )
    return DeclarationOut.model_validate(declaration)


@router.post(
    "/declarations/{declaration_id}/endorsement/open",
    response_model=DeclarationOut,
    responses=error_responses(401, 403, 404, WrongStateError),
)
def open_endorsement(
    session: SessionDep,
    context: ContextDep,
    editor: Editor,
    declaration_id: int,
    body: OpenEndorsement | None = None,
) -> DeclarationOut:
    """Open endorsement of the final text (final → open); the signature log begins. With
    `require_passkey`, mayors sign with a passkey only."""
    declaration = lifecycle.open_endorsement(
        session,
        keys=context.keys,
        actor=editor,
        declaration_id=declaration_id,
        require_passkey=body.require_passkey if body else False,
    )
    return DeclarationOut.model_validate(declaration)


@router.post(
    "/declarations/{declaration_id}/endorsement/close",
    response_model=DeclarationOut,
    responses=error_responses(401, 403, 404, WrongStateError),
)
def close_endorsement(
    session: SessionDep, context: ContextDep, editor: Editor, declaration_id: int
) -> DeclarationOut:
    """Close endorsement (open → closed): the final checkpoint, the seal, is signed."""
    declaration = lifecycle.close_endorsement(
        session, keys=context.keys, actor=editor, declaration_id=declaration_id
    )
    return DeclarationOut.model_validate(declaration)


@router.post(
    "/declarations/{declaration_id}/signatures",
    response_model=Receipt,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        401,
        403,
        404,
        422,
        WrongStateError,
        HashMismatchError,
        AlreadySignedError,
        SigningThrottledError,
        409,
    ),
)
async def sign(
    context: ContextDep, mayor: Mayor, declaration_id: int, body: SignRequest
) -> Receipt:
    """Sign the final text for your city (mayors): with the password asked again, or with
    your passkey's assertion over the challenge of …/signatures/options."""
    # The confirmation first (argon2, or the assertion), outside any lock; then the append,
    # written together with the signatures that arrive meanwhile (group commit): acknowledged
    # only once committed.
    passkey = None
    if body.passkey is not None:
        check = functools.partial(
            passkeys.check_signing_assertion_in_own_session,
            context.sessionmaker,
            context.relying_party,
            mayor,
            declaration_id=declaration_id,
            content_hash=body.content_hash,
            credential=body.passkey,
        )
        passkey = await to_thread.run_sync(check)
    else:
        check = functools.partial(
            signing.check_signing_password,
            context.sessionmaker,
            passwords=context.passwords,
            throttle=context.login_throttle,
            actor=mayor,
            password=body.password or "",
        )
        await to_thread.run_sync(check)
    endorsement = signing.Endorsement(mayor, body.content_hash, passkey)
    write = functools.partial(
        signing.endorse_in_own_session,
        context.sessionmaker,
        keys=context.keys,
        declaration_id=declaration_id,
    )
    receipt = await asyncio.wrap_future(context.signing.submit(declaration_id, endorsement, write))
    return Receipt.model_validate(receipt)


@router.post(
    "/declarations/{declaration_id}/signatures/options",
    response_model=SigningOptions,
    responses=error_responses(401, 403, 404, 409, WrongStateError),
)
def signing_options(
    session: SessionDep, context: ContextDep, mayor: Mayor, declaration_id: int
) -> SigningOptions:
    """A single-use challenge (5 minutes) carrying the final text's fingerprint, for
    navigator.credentials.get() with one of your passkeys; while endorsement is open."""
    final = signing.require_open(session, get_declaration(session, declaration_id), "signed")
    options = passkeys.signing_options(
        session,
        context.relying_party,
        mayor,
        declaration_id=declaration_id,
        content_hash=final.content_hash,
    )
    return SigningOptions.model_validate(options)


@router.delete(
    "/declarations/{declaration_id}/signatures/{signature_id}",
    response_model=Receipt,
    responses=error_responses(401, 403, 404, WrongStateError),
)
def withdraw(
    session: SessionDep, context: ContextDep, mayor: Mayor, declaration_id: int, signature_id: int
) -> Receipt:
    """Withdraw your signature: a withdrawal entry is appended to the log (nothing is erased)."""
    receipt = signing.withdraw(
        session,
        keys=context.keys,
        actor=mayor,
        declaration_id=declaration_id,
        signature_id=signature_id,
    )
    return Receipt.model_validate(receipt)


@router.get(
    "/declarations/{declaration_id}/signatures/{signature_id}/receipt",
    response_model=Receipt,
    responses=error_responses(401, 404),
)
def read_receipt(
    session: SessionDep, context: ContextDep, declaration_id: int, signature_id: int
) -> Receipt:
    """A signature's receipt again: its log entry, the latest checkpoint and the entry's
    inclusion proof in that tree (anyone signed in, like the list of signatories)."""
    receipt = service.receipt_of(
        session, context.log_trees, declaration_id=declaration_id, signature_id=signature_id
    )
    return Receipt.model_validate(receipt)


@router.get(
    "/declarations/{declaration_id}/signatures",
    response_model=Page[SignatoryOut],
    responses=error_responses(401, 404),
)
def list_signatures(
    session: SessionDep,
    _: CurrentUser,
    declaration_id: int,
    include_withdrawn: bool = False,
    city_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[SignatoryOut]:
    """The signatories in log order; withdrawn signatures only when asked for."""
    limit, offset = page_params(limit, offset)
    rows, total = service.list_signatures(
        session,
        declaration_id=declaration_id,
        include_withdrawn=include_withdrawn,
        city_id=city_id,
        limit=limit,
        offset=offset,
    )
    items = [SignatoryOut.model_validate(s) for s in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/declarations/{declaration_id}/signed-declaration",
    response_class=FileResponse,
    responses={
        **error_responses(401, 404, 409, 422, 503),
        200: {
            "content": {
                "application/json": {},
                "application/pdf": {},
                "application/zip": {},
                "application/akn+xml": {},
            },
            "description": "The bundle (JSON), its PDF, a ZIP of both with a README, or the "
            "text with its signatories as Akoma Ntoso 3.0 (akn)",
        },
    },
)
def signed_declaration(
    session: SessionDep,
    context: ContextDep,
    _: CurrentUser,
    declaration_id: int,
    format: Literal["json", "pdf", "zip", "akn"] = "json",
) -> FileResponse:
    """The sealed declaration for the SRSG office: text, every signature, the seal, the keys."""
    path = sealed.signed_declaration(
        session,
        keys=context.keys,
        platform={"origin": context.relying_party.origin, "rp_id": context.relying_party.rp_id},
        data_dir=context.settings.data_dir,
        declaration_id=declaration_id,
        fmt=format,
        tsa_url=context.settings.tsa_url,
    )
    return FileResponse(
        path,
        media_type=sealed.MEDIA_TYPES[format],
        filename=f"signed-declaration-{declaration_id}.{'akn.xml' if format == 'akn' else format}",
        headers={"Cache-Control": "private, max-age=3600, immutable"},
    )


@public_router.get("/.well-known/jwks.json", response_model=JwkSet)
def jwks(context: ContextDep) -> JSONResponse:
    """The platform's public signing keys (ES256), current and retired."""
    return JSONResponse(context.keys.jwks(), headers={"Cache-Control": "public, max-age=300"})


@public_router.get(
    "/declarations/{declaration_id}/log/checkpoint",
    response_model=CheckpointOut,
    responses=error_responses(404, 500),
)
def read_checkpoint(
    session: SessionDep, context: ContextDep, response: Response, declaration_id: int
) -> CheckpointOut:
    """The latest signed checkpoint, its root checked against the stored entries."""
    checkpoint = log.verified_checkpoint(session, context.log_trees, declaration_id)
    response.headers["Cache-Control"] = LATEST_CACHE
    return checkpoint_out(checkpoint)


@public_router.get(
    "/declarations/{declaration_id}/log/proof",
    response_model=InclusionProofOut,
    responses=error_responses(404, 422, 500),
)
def read_inclusion_proof(
    session: SessionDep,
    context: ContextDep,
    response: Response,
    declaration_id: int,
    seq: int,
    tree_size: Annotated[int | None, Query(description="default: the latest")] = None,
) -> InclusionProofOut:
    """Inclusion proof of entry `seq` (1-based) in the tree of `tree_size` entries."""
    checkpoint, leaf, proof = log.inclusion_proof(
        session, context.log_trees, declaration_id, seq=seq, tree_size=tree_size
    )
    response.headers["Cache-Control"] = LATEST_CACHE if tree_size is None else FIXED_CACHE
    return InclusionProofOut(
        seq=seq,
        leaf_index=seq - 1,
        tree_size=checkpoint.tree_size,
        leaf_hash=leaf.hex(),
        root_hash=checkpoint.root_hash,
        inclusion_proof=[p.hex() for p in proof],
        checkpoint=checkpoint.jws,
    )


@public_router.get(
    "/declarations/{declaration_id}/log/consistency",
    response_model=ConsistencyProofOut,
    responses=error_responses(404, 422, 500),
)
def read_consistency_proof(
    session: SessionDep,
    context: ContextDep,
    response: Response,
    declaration_id: int,
    old_size: Annotated[int, Query(alias="from", description="the older tree size")],
    new_size: Annotated[
        int | None, Query(alias="to", description="the newer tree size; default: the latest")
    ] = None,
) -> ConsistencyProofOut:
    """Consistency proof: the log of `from` entries is a prefix of the log of `to` entries."""
    old, new, proof = log.consistency_proof(
        session, context.log_trees, declaration_id, old_size=old_size, new_size=new_size
    )
    response.headers["Cache-Control"] = LATEST_CACHE if new_size is None else FIXED_CACHE
    return ConsistencyProofOut(
        from_=old.tree_size,
        to=new.tree_size,
        from_root_hash=old.root_hash,
        to_root_hash=new.root_hash,
        consistency_proof=[p.hex() for p in proof],
        from_checkpoint=old.jws,
        to_checkpoint=new.jws,
    )


def checkpoint_out(checkpoint: Checkpoint) -> CheckpointOut:
    statement = unverified_statement(checkpoint.jws) or {}
    return CheckpointOut(
        declaration_id=checkpoint.declaration_id,
        version=statement.get("version", 0),
        content_hash=statement.get("content_hash", ""),
        tree_size=checkpoint.tree_size,
        root_hash=checkpoint.root_hash,
        issued_at=checkpoint.created_at,
        final=checkpoint.final,
        jws=checkpoint.jws,
    )
