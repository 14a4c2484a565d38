"""Signing in, and the secretariat's management of cities and accounts."""

import logging

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth.models import CITY_ROLES, City, Role, User, city_problem
from app.auth.schemas import CityCreate, CityUpdate, UserCreate, UserUpdate
from app.auth.security import Passwords, Tokens
from app.cache import UserCache
from app.db import begin_write
from app.errors import Conflict, Invalid, NotFound, TooManyRequests, Unauthorized
from app.ratelimit import LoginThrottle

logger = logging.getLogger(__name__)


def authenticate(
    session: Session,
    *,
    passwords: Passwords,
    tokens: Tokens,
    throttle: LoginThrottle,
    email: str,
    password: str,
    address: str,
) -> tuple[str, int]:
    """A token and its lifetime in seconds, for the right email and password."""
    email = email.strip().lower()
    keys = (f"email:{email}", f"address:{address}")
    wait = throttle.retry_after(session, *keys)
    if wait:
        raise TooManyRequests(
            f"Too many failed sign-ins. Try again in {wait} seconds.",
            code="login_throttled",
            retry_after=wait,
        )
    user = session.scalar(select(User).where(User.email == email))
    valid = passwords.verify(user.password_hash if user else None, password)
    if not valid or user is None or not user.active:
        throttle.failed(session, *keys)
        raise Unauthorized("The email or password is wrong.", code="bad_credentials")
    token = tokens.issue(user_id=user.id, token_version=user.token_version)
    rehash = passwords.needs_rehash(user.password_hash)
    throttle.succeeded(session, keys[0])
    if rehash:
        _rehash(session, passwords, user.id, password)
    return token, int(tokens.lifetime.total_seconds())


def _rehash(session: Session, passwords: Passwords, user_id: int, password: str) -> None:
    """Store the password's hash at the configured cost (it was made with another). The same
    password, so the account's tokens stay valid; should the write fail, the old hash stays."""
    session.rollback()  # the sign-in's read; the write gets a transaction of its own
    password_hash = passwords.hash(password)  # slow: before the write lock
    try:
        begin_write(session)
        session.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        logger.warning("could not re-hash the password of user %s", user_id, exc_info=True)


def check_password(passwords: Passwords, user: User, password: str) -> None:
    """Re-ask the password before a grave act (signing)."""
    if not passwords.verify(user.password_hash, password):
        raise Unauthorized("The password is wrong.", code="bad_password")


def list_cities(session: Session, *, limit: int, offset: int) -> tuple[list[City], int]:
    total = session.scalar(select(func.count()).select_from(City)) or 0
    cities = session.scalars(
        select(City).order_by(City.country, City.name, City.id).limit(limit).offset(offset)
    ).all()
    return list(cities), total


def create_city(session: Session, *, actor: User, data: CityCreate) -> City:
    begin_write(session)
    city = City(**data.model_dump())
    session.add(city)
    _flush_city(session, city)
    record(session, actor=actor, action="city.create", target=("city", city.id), after=data)
    session.commit()
    return city


def _flush_city(session: Session, city: City) -> None:
    """Write the city now, so a name and country another city has is refused before anything."""
    name, country = city.name, city.country
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            f"{name} ({country}) is already registered.", code="duplicate_city"
        ) from None


def update_city(session: Session, *, actor: User, city_id: int, data: CityUpdate) -> City:
    """Correct a city's name, country, kind or place; its accounts and signatures keep it."""
    # A null name, country or kind leaves it as it is; a null latitude or longitude clears it.
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True).items()
        if v is not None or k in ("latitude", "longitude")
    }
    begin_write(session)
    city = session.get(City, city_id)
    if city is None:
        raise NotFound(f"There is no city {city_id}.", code="city_not_found")
    before = {k: getattr(city, k) for k in changes}
    for field, value in changes.items():
        setattr(city, field, value)
    _flush_city(session, city)
    record(
        session, actor=actor, action="city.update", target=("city", city.id), before=before,
        after=changes,
    )  # fmt: skip
    session.commit()
    session.refresh(city)
    return city


def list_users(session: Session, *, limit: int, offset: int) -> tuple[list[User], int]:
    total = session.scalar(select(func.count()).select_from(User)) or 0
    users = session.scalars(select(User).order_by(User.id).limit(limit).offset(offset)).all()
    return list(users), total


def create_user(
    session: Session, *, passwords: Passwords, actor: User | None, data: UserCreate
) -> User:
    if problem := city_problem(data.role, data.city_id):
        code, sentence = problem
        raise Invalid(sentence, code=code)
    password_hash = passwords.hash(data.password)
    begin_write(session)
    if data.city_id is not None and session.get(City, data.city_id) is None:
        raise NotFound(f"There is no city {data.city_id}.", code="city_not_found")
    user = User(
        email=data.email,
        name=data.name,
        title=data.title,
        role=data.role.value,
        city_id=data.city_id,
        password_hash=password_hash,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"{data.email} already has an account.", code="duplicate_email") from None
    record(
        session,
        actor=actor,
        action="user.create",
        target=("user", user.id),
        after=data.model_dump(exclude={"password"}),
    )
    session.commit()
    session.refresh(user)
    return user


def ensure_admin(session: Session, *, passwords: Passwords, email: str, password: str) -> bool:
    """Create the configured admin when no admin exists yet; True when one was created."""
    if session.scalar(select(User.id).where(User.role == Role.admin).limit(1)) is not None:
        return False
    data = UserCreate(email=email, name="Secretariat", password=password, role=Role.admin)
    create_user(session, passwords=passwords, actor=None, data=data)
    return True


def update_user(
    session: Session,
    *,
    passwords: Passwords,
    user_cache: UserCache,
    actor: User,
    user_id: int,
    data: UserUpdate,
) -> User:
    """Change an account; deactivating it or changing its password ends its sign-ins."""
    # A null name, role, active or password leaves it as it is: these cannot be emptied, and
    # `"role": null` must not reach the database as a missing role.
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True).items()
        if v is not None or k in ("title", "city_id")
    }
    password_hash = passwords.hash(data.password) if data.password else None
    begin_write(session)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no account {user_id}.", code="user_not_found")
    if user.id == actor.id and (changes.get("active") is False or "role" in changes):
        raise Conflict(
            "You cannot deactivate yourself or change your own role.", code="own_account"
        )
    role = Role(changes.get("role", user.role))
    # A role that acts for no city drops the city it had, rather than being refused.
    city_id = changes.get("city_id", user.city_id) if role in CITY_ROLES else None
    if problem := city_problem(role, city_id):
        code, sentence = problem
        raise Invalid(sentence, code=code)
    if city_id is not None and session.get(City, city_id) is None:
        raise NotFound(f"There is no city {city_id}.", code="city_not_found")
    email = changes.get("email")
    if email and email != user.email and session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"{email} already has an account.", code="duplicate_email")
    before = {
        "name": user.name,
        "email": user.email,
        "title": user.title,
        "role": user.role,
        "city_id": user.city_id,
        "active": user.active,
    }
    for field in ("name", "email", "title", "active"):
        if field in changes:
            setattr(user, field, changes[field])
    user.role, user.city_id = role.value, city_id
    if password_hash or changes.get("active") is False:
        user.token_version += 1
    if password_hash:
        user.password_hash = password_hash
    record(
        session,
        actor=actor,
        action="user.update",
        target=("user", user.id),
        before=before,
        after={
            **{k: v for k, v in changes.items() if k != "password"},
            "password_changed": bool(password_hash),
        },
    )
    session.commit()
    user_cache.forget(user.id)
    session.refresh(user)
    return user
