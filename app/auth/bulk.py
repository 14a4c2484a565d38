"""The secretariat's bulk import of cities and accounts from CSV: all rows land or none."""

import csv
import io
import secrets

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import record
from app.auth.models import City, Role, User, city_problem
from app.auth.schemas import CityCreate, ImportedAccount, ImportResult, UserCreate
from app.auth.security import Passwords
from app.db import begin_write
from app.errors import Invalid, text_intake
from app.text.intake import normalize_text

MAX_ROWS = 20_000


def _rows(raw: str, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    with text_intake():
        text = normalize_text(raw, field="CSV")
    reader = csv.DictReader(io.StringIO(text))
    header = {h.strip().lower() for h in reader.fieldnames or []}
    if missing := required - header:
        raise Invalid(
            f"The CSV needs the columns {', '.join(sorted(missing))} in its first line.",
            code="csv_columns",
        )
    rows = [
        (number, {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()})
        for number, row in enumerate(reader, start=2)
    ]
    if len(rows) > MAX_ROWS:
        raise Invalid(f"At most {MAX_ROWS:,} rows at once.", code="csv_too_long")
    return rows


def _refuse(problems: list[str]) -> None:
    if problems:
        shown = "; ".join(problems[:10]) + (
            f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        )
        raise Invalid(f"Nothing was imported. {shown}", code="csv_invalid", problems=problems)


# The names a column holds, as a sentence says them.
_FIELD_WORDS = {
    "email": "e-mail address",
    "name": "name",
    "password": "password",
    "title": "title",
    "country": "country",
    "kind": "kind",
    "latitude": "latitude",
    "longitude": "longitude",
}

# Every way the screens and people name a role, folded (lower case, no spaces, dashes or
# underscores) to the role it means.
_ROLE_NAMES = {
    "admin": Role.admin,
    "administrator": Role.admin,
    "secretariat": Role.admin,
    "secretariat(administrator)": Role.admin,
    "cofacilitator": Role.co_facilitator,
    "delegate": Role.delegate,
    "delegation": Role.delegate,
    "mayor": Role.mayor,
    "governor": Role.mayor,
    "mayororgovernor": Role.mayor,
    "observer": Role.observer,
}
ROLES_ALLOWED = "Secretariat (or admin), Co-facilitator, Delegate, Mayor (or governor), Observer"


def role_named(name: str) -> Role | None:
    """The role a CSV cell names, in any case and as the screens write it; None if none."""
    folded = "".join(name.lower().split()).replace("-", "").replace("_", "")
    return _ROLE_NAMES.get(folded)


def _explain(number: int, row: dict[str, str], error: ValidationError) -> list[str]:
    """One plain sentence per problem of a line, naming the column and the value."""
    sentences = []
    for e in error.errors():
        field = str(e["loc"][0]) if e["loc"] else ""
        words = _FIELD_WORDS.get(field, field)
        value = row.get(field, "")
        if not value:
            sentences.append(f"Line {number}: the {words} is missing.")
        else:
            reason = e["msg"].removeprefix("Value error, ")
            sentences.append(f"Line {number}: the {words} “{value}” is not valid ({reason}).")
    return sentences


def import_cities(session: Session, *, actor: User, raw: str) -> ImportResult:
    """Columns: name, country, kind (city/region), latitude, longitude."""
    rows = _rows(raw, {"name", "country"})
    parsed: list[CityCreate] = []
    problems: list[str] = []
    for number, row in rows:
        try:
            parsed.append(
                CityCreate(
                    name=row["name"],
                    country=row["country"],
                    kind=row.get("kind") or "city",
                    latitude=row.get("latitude") or None,
                    longitude=row.get("longitude") or None,
                )
            )
        except ValidationError as exc:
            problems.extend(_explain(number, row, exc))
    _refuse(problems)
    begin_write(session)
    known = {(name, country) for name, country in session.execute(select(City.name, City.country))}
    created = existing = 0
    for city in parsed:
        if (city.name, city.country) in known:
            existing += 1
            continue
        known.add((city.name, city.country))
        session.add(City(**city.model_dump()))
        created += 1
    record(
        session,
        actor=actor,
        action="city.import",
        target=("city", "csv"),
        after={"created": created, "existing": existing},
    )
    session.commit()
    return ImportResult(created=created, existing=existing)


def import_users(
    session: Session, *, passwords: Passwords, actor: User, raw: str
) -> ImportResult:
    """Columns: email, name, role, and optionally title, city, country, password.
    A city is named by name and country; a missing password is generated and returned once."""
    rows = _rows(raw, {"email", "name", "role"})
    cities = {(c.name, c.country): c.id for c in session.scalars(select(City))}
    emails = set(session.scalars(select(User.email)))
    session.commit()
    parsed: list[tuple[UserCreate, bool]] = []
    problems: list[str] = []
    for number, row in rows:
        city_id = None
        if row.get("city"):
            city_id = cities.get((row["city"], row.get("country", "").upper()))
            if city_id is None:
                problems.append(
                    f"Line {number}: there is no city “{row['city']}” in country "
                    f"“{row.get('country', '')}”; add it under Cities first."
                )
                continue
        role = role_named(row["role"])
        if role is None:
            problems.append(
                f"Line {number}: the role “{row['role']}” is not one of {ROLES_ALLOWED}."
            )
            continue
        generated = not row.get("password")
        try:
            user = UserCreate(
                email=row["email"],
                name=row["name"],
                role=role,
                title=row.get("title") or None,
                city_id=city_id,
                password=row.get("password") or secrets.token_urlsafe(12),
            )
        except ValidationError as exc:
            problems.extend(_explain(number, row, exc))
            continue
        if problem := city_problem(user.role, city_id):
            problems.append(f"Line {number}: {problem[1]}")
            continue
        parsed.append((user, generated))
    _refuse(problems)
    fresh = [(u, g) for u, g in parsed if u.email not in emails]
    hashes = [passwords.hash(u.password) for u, _ in fresh]
    begin_write(session)
    seen: set[str] = set()
    for (user, _), password_hash in zip(fresh, hashes, strict=True):
        if user.email in seen:
            continue
        seen.add(user.email)
        session.add(
            User(
                email=user.email,
                name=user.name,
                title=user.title,
                role=user.role.value,
                city_id=user.city_id,
                password_hash=password_hash,
            )
        )
    record(
        session,
        actor=actor,
        action="user.import",
        target=("user", "csv"),
        after={"created": len(seen), "existing": len(parsed) - len(fresh)},
    )
    session.commit()
    return ImportResult(
        created=len(seen),
        existing=len(parsed) - len(fresh),
        generated_passwords=[
            ImportedAccount(email=u.email, password=u.password)
            for u, generated in fresh
            if generated and u.email in seen
        ],
    )
