"""Sign-in, the signed-in user, and the secretariat's cities and accounts."""

from typing import Annotated

from fastapi import Form, Request, status

from app.auth import bulk, resets, service
from app.auth.schemas import (
    CityCreate,
    CityOut,
    CityUpdate,
    CsvImport,
    ImportResult,
    Me,
    Notice,
    PasswordResetAsk,
    PasswordResetOptions,
    PasswordResetSet,
    Token,
    UserCreate,
    UserOut,
    UserUpdate,
)
from app.deps import Admin, ContextDep, CurrentUser, SessionDep
from app.errors import (
    CsvInvalidError,
    LoginThrottledError,
    ResetThrottledError,
    error_responses,
)
from app.routing import APIRouter
from app.schemas import Page, page_params

public_router = APIRouter(tags=["auth"])
router = APIRouter(tags=["auth"])


@public_router.post(
    "/auth/token",
    response_model=Token,
    responses=error_responses(401, 422, LoginThrottledError),
)
def sign_in(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    username: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=256)],
) -> Token:
    """Exchange an email and password for a bearer token (OAuth2 password flow)."""
    address = request.client.host if request.client else "unknown"
    token, lifetime = service.authenticate(
        session,
        passwords=context.passwords,
        tokens=context.tokens,
        throttle=context.login_throttle,
        email=username,
        password=password,
        address=address,
    )
    return Token(access_token=token, expires_in=lifetime)


@public_router.get("/auth/password-reset", response_model=PasswordResetOptions)
def password_reset_options(context: ContextDep) -> PasswordResetOptions:
    """Whether a forgotten password can be reset by e-mail here (only when the platform sends
    mail), and how long a link works."""
    return PasswordResetOptions(
        available=context.mail is not None, minutes=context.settings.reset_minutes
    )


@public_router.post(
    "/auth/password-reset",
    response_model=Notice,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(409, 422, ResetThrottledError),
)
def ask_password_reset(
    request: Request, session: SessionDep, context: ContextDep, body: PasswordResetAsk
) -> Notice:
    """Send a link to set a new password to this address, if an account has it (the answer
    is the same when none has); 409 password_reset_unavailable when the platform sends no
    e-mail."""
    sentence = resets.ask(
        session,
        outbox=context.mail,
        throttle=context.reset_throttle,
        minutes=context.settings.reset_minutes,
        email=body.email,
        address=request.client.host if request.client else "unknown",
    )
    return Notice(detail=sentence)


@public_router.post(
    "/auth/password-reset/confirm",
    response_model=Notice,
    responses=error_responses(404, 409, 422),
)
def reset_password(session: SessionDep, context: ContextDep, body: PasswordResetSet) -> Notice:
    """Set a new password with the token of a link sent by e-mail: the link is then spent and
    every sign-in of the account ends. 404 reset_link_unknown; 409 reset_link_invalid for a
    link used, expired, or made before the password last changed."""
    resets.reset(
        session,
        passwords=context.passwords,
        user_cache=context.users,
        token=body.token,
        password=body.password,
    )
    return Notice(detail="Your new password is set. Sign in with it.")


@router.get("/me", response_model=Me, responses=error_responses(401))
async def read_me(user: CurrentUser) -> Me:
    """The signed-in user, with their role and city."""
    return Me.model_validate(user)


@router.get("/cities", response_model=Page[CityOut], responses=error_responses(401))
def list_cities(
    session: SessionDep, _: CurrentUser, limit: int = 100, offset: int = 0
) -> Page[CityOut]:
    """Cities and regions taking part, by country and name."""
    limit, offset = page_params(limit, offset)
    cities, total = service.list_cities(session, limit=limit, offset=offset)
    return Page(
        items=[CityOut.model_validate(c) for c in cities], total=total, limit=limit, offset=offset
    )


@router.post(
    "/cities",
    response_model=CityOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 409, 422),
)
def create_city(session: SessionDep, admin: Admin, body: CityCreate) -> CityOut:
    """Register a city or region (secretariat)."""
    return CityOut.model_validate(service.create_city(session, actor=admin, data=body))


@router.patch(
    "/cities/{city_id}", response_model=CityOut, responses=error_responses(401, 403, 404, 409, 422)
)
def update_city(session: SessionDep, admin: Admin, city_id: int, body: CityUpdate) -> CityOut:
    """Correct a city's name, country, kind or place (secretariat)."""
    return CityOut.model_validate(
        service.update_city(session, actor=admin, city_id=city_id, data=body)
    )


@router.get("/users", response_model=Page[UserOut], responses=error_responses(401, 403))
def list_users(session: SessionDep, _: Admin, limit: int = 100, offset: int = 0) -> Page[UserOut]:
    """Accounts (secretariat)."""
    limit, offset = page_params(limit, offset)
    users, total = service.list_users(session, limit=limit, offset=offset)
    return Page(
        items=[UserOut.model_validate(u) for u in users], total=total, limit=limit, offset=offset
    )


@router.post(
    "/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 404, 409, 422),
)
def create_user(
    session: SessionDep, context: ContextDep, admin: Admin, body: UserCreate
) -> UserOut:
    """Create an account with a role; mayors and delegates belong to a city (secretariat)."""
    user = service.create_user(session, passwords=context.passwords, actor=admin, data=body)
    return UserOut.model_validate(user)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    responses=error_responses(401, 403, 404, 409, 422),
)
def update_user(
    session: SessionDep, context: ContextDep, admin: Admin, user_id: int, body: UserUpdate
) -> UserOut:
    """Change an account's name, title, role, city, password, or deactivate it (secretariat).
    Deactivating it or changing its password signs it out everywhere."""
    user = service.update_user(
        session,
        passwords=context.passwords,
        user_cache=context.users,
        actor=admin,
        user_id=user_id,
        data=body,
    )
    return UserOut.model_validate(user)


@router.post(
    "/cities/import",
    response_model=ImportResult,
    responses=error_responses(401, 403, CsvInvalidError),
)
def import_cities(session: SessionDep, admin: Admin, body: CsvImport) -> ImportResult:
    """Import cities from CSV (name, country, kind, latitude, longitude); all or nothing."""
    return bulk.import_cities(session, actor=admin, raw=body.csv)


@router.post(
    "/users/import",
    response_model=ImportResult,
    responses=error_responses(401, 403, CsvInvalidError),
)
def import_users(
    session: SessionDep, context: ContextDep, admin: Admin, body: CsvImport
) -> ImportResult:
    """Import accounts from CSV (email, name, role, title, city, country, password); all or
    nothing. Passwords left empty are generated and returned once."""
    return bulk.import_users(session, passwords=context.passwords, actor=admin, raw=body.csv)
