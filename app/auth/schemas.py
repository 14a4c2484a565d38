"""What the API says about cities, users and tokens."""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from app.auth.countries import COUNTRY_CODES
from app.auth.models import Role
from app.schemas import Name, Schema, Title

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = value.strip().lower()
    # isprintable: no control, bidi or zero-width character can make one address look like
    # another in the secretariat's list, and no NUL reaches PostgreSQL, which refuses it.
    if not _EMAIL.match(value) or len(value) > 254 or not value.isprintable():
        raise ValueError("not a valid email address")
    return value


def _country(value: str) -> str:
    if value.upper() not in COUNTRY_CODES:
        raise ValueError("use the two-letter ISO 3166-1 code, e.g. BE")
    return value.upper()


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Country = Annotated[str, Field(max_length=2), AfterValidator(_country)]
Password = Annotated[str, Field(min_length=8, max_length=256)]


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a scheme name, not a secret)
    expires_in: int


class PasswordResetOptions(BaseModel):
    available: bool = Field(
        description="whether the platform sends e-mail, and so links to set a new password"
    )
    minutes: int = Field(description="how long a link works")


class PasswordResetAsk(BaseModel):
    email: Email


class PasswordResetSet(BaseModel):
    token: str = Field(min_length=1, max_length=200, description="from the link in the mail")
    password: Password


class Notice(BaseModel):
    detail: str


class CityCreate(BaseModel):
    name: Name
    country: Country
    kind: Literal["city", "region"] = "city"
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class CityUpdate(BaseModel):
    """Fields the secretariat corrects on a city; absent fields stay as they are."""

    name: Name | None = None
    country: Country | None = None
    kind: Literal["city", "region"] | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class CityOut(Schema):
    id: int
    name: str
    country: str
    kind: str
    latitude: float | None = None
    longitude: float | None = None


class UserCreate(BaseModel):
    email: Email
    name: Name
    password: Password
    role: Role
    title: Title | None = None
    city_id: int | None = None


class UserOut(Schema):
    id: int
    email: str
    name: str
    role: Role
    title: str | None
    city: CityOut | None
    active: bool


class Me(Schema):
    id: int
    email: str
    name: str
    role: Role
    title: str | None
    city: CityOut | None


class UserRef(Schema):
    """How a person is named beside what they did."""

    id: int
    name: str
    role: Role


class UserUpdate(BaseModel):
    """Fields the secretariat changes on an account; absent fields stay as they are."""

    name: Name | None = None
    email: Email | None = None
    title: Title | None = None
    role: Role | None = None
    city_id: int | None = None
    active: bool | None = None
    password: Password | None = None


class CsvImport(BaseModel):
    csv: Annotated[str, Field(max_length=2_000_000)]


class ImportedAccount(BaseModel):
    email: str
    password: str


class ImportResult(BaseModel):
    created: int
    existing: int
    # Passwords the platform generated, shown once, for the secretariat to pass on.
    generated_passwords: list[ImportedAccount] = []
