"""The demo: real cities on several continents, an account per role, a draft in two versions."""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.amendments.merging import make_version
from app.auth.models import City, Role, User
from app.auth.schemas import CityCreate, UserCreate
from app.auth.security import Passwords
from app.auth.service import create_city, create_user
from app.declarations.models import Declaration
from app.declarations.schemas import VersionCreate
from app.declarations.service import create_declaration

DATA = Path(__file__).parent / "demo_data"
TITLE = "Mechelen Declaration on Cities and Migration (demo draft)"

# name (in its own script), ISO country, kind, latitude, longitude
CITIES = [
    ("Mechelen", "BE", "city", 51.0259, 4.4776),
    ("Kampala", "UG", "city", 0.3476, 32.5825),
    ("São Paulo", "BR", "city", -23.5505, -46.6333),
    ("東京都", "JP", "region", 35.6762, 139.6503),
    ("عمّان", "JO", "city", 31.9539, 35.9106),
    ("Київ", "UA", "city", 50.4501, 30.5234),
    ("Montréal", "CA", "city", 45.5019, -73.5674),
    ("Αθήνα", "GR", "city", 37.9838, 23.7275),
    ("ঢাকা", "BD", "city", 23.8103, 90.4125),
    ("Ciudad de México", "MX", "city", 19.4326, -99.1332),
    ("Malmö", "SE", "city", 55.6050, 13.0038),
    ("서울특별시", "KR", "city", 37.5665, 126.9780),
    ("الدار البيضاء", "MA", "city", 33.5731, -7.5898),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    name: str
    role: Role
    title: str | None = None
    city: str | None = None


ACCOUNTS = [
    DemoAccount("admin@concord.example", "admin-demo-2017", "Conference Secretariat", Role.admin),
    DemoAccount(
        "cofacilitator@concord.example",
        "cofac-demo-2017",
        "Ana Moreau",
        Role.co_facilitator,
        "Co-facilitator",
    ),
    DemoAccount(
        "delegate.mechelen@concord.example",
        "delegate-demo-2017",
        "Pieter Janssens",
        Role.delegate,
        "Delegate",
        "Mechelen",
    ),
    DemoAccount(
        "delegate.kampala@concord.example",
        "delegate-demo-2017",
        "Grace Nakato",
        Role.delegate,
        "Delegate",
        "Kampala",
    ),
    DemoAccount(
        "mayor.mechelen@concord.example",
        "mayor-demo-2017",
        "Bart Somers",
        Role.mayor,
        "Mayor",
        "Mechelen",
    ),
    DemoAccount(
        "mayor.saopaulo@concord.example",
        "mayor-demo-2017",
        "João Ribeiro",
        Role.mayor,
        "Prefeito",
        "São Paulo",
    ),
    DemoAccount(
        "mayor.tokyo@concord.example",
        "mayor-demo-2017",
        "山田 花子",
        Role.mayor,
        "知事",
        "東京都",
    ),
    DemoAccount(
        "observer@concord.example",
        "observer-demo-2017",
        "Office of the SRSG",
        Role.observer,
        "Observer",
    ),
]


def seed_demo(session: Session, *, passwords: Passwords) -> bool:
    """Seed on an empty database only (no city, no declaration); True when it seeded."""
    has_cities = session.scalar(select(func.count()).select_from(City)) or 0
    has_declarations = session.scalar(select(func.count()).select_from(Declaration)) or 0
    session.commit()
    if has_cities or has_declarations:
        return False
    admin = session.scalar(select(User).where(User.role == Role.admin).limit(1))
    session.commit()
    cities: dict[str, int] = {}
    for name, country, kind, latitude, longitude in CITIES:
        data = CityCreate(
            name=name, country=country, kind=kind, latitude=latitude, longitude=longitude
        )
        cities[name] = create_city(session, actor=admin, data=data).id
    accounts: dict[Role, User] = {}
    for account in ACCOUNTS:
        exists = session.scalar(select(User).where(User.email == account.email))
        session.commit()
        if exists:
            accounts.setdefault(account.role, exists)
            continue
        user = create_user(
            session,
            passwords=passwords,
            actor=admin,
            data=UserCreate(
                email=account.email,
                name=account.name,
                password=account.password,
                role=account.role,
                title=account.title,
                city_id=cities[account.city] if account.city else None,
            ),
        )
        accounts.setdefault(account.role, user)
    editor = accounts[Role.co_facilitator]
    declaration = create_declaration(
        session, actor=editor, title=TITLE, text=(DATA / "declaration-v1.txt").read_text()
    )
    make_version(
        session,
        actor=editor,
        declaration_id=declaration.id,
        data=VersionCreate(
            base_version=1,
            text=(DATA / "declaration-v2.txt").read_text(),
            note="Second draft after the first reading",
        ),
    )
    return True
