"""The `concord` command: serve, migrate, seed-demo, create-user, verify, rotate-key, show-key,
backup, restore."""

import argparse
import getpass
import ipaddress
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.settings import Settings, get_settings

# Each command imports what it uses (Alembic, the app, the verifier) when it runs, so that none
# pays at start-up for the others: `concord verify` needs no Alembic, `migrate` no verifier.
if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent


def alembic_config() -> "Config":
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


def migrate() -> None:
    from alembic import command

    command.upgrade(alembic_config(), "head")


def prepare() -> None:
    """Everything `serve` does before it listens: migrate, the configured admin, the demo."""
    from app.auth.service import ensure_admin
    from app.context import AppContext
    from app.demo import seed_demo

    settings = get_settings()
    # The data directory holds the database, the JWT secret and the signing keys: owner only.
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    migrate()
    if not settings.database_url:
        database = settings.data_dir / "concord.db"
        database.chmod(0o600)  # SQLite gives its -wal and -shm files the same mode
    context = AppContext.build(settings)
    with context.sessionmaker() as session:
        if (
            settings.admin_email
            and settings.admin_password
            and ensure_admin(
                session,
                passwords=context.passwords,
                email=settings.admin_email,
                password=settings.admin_password.get_secret_value(),
            )
        ):
            print(f"Created the admin account {settings.admin_email}.")
        withheld = demo_withheld(settings)
        if withheld:
            print(withheld)
        elif settings.demo and seed_demo(session, passwords=context.passwords):
            print(
                "Seeded the demo: cities, accounts and a draft declaration. Its passwords are "
                "public (README): for a laptop, not for a server others reach."
            )


def demo_withheld(settings: Settings) -> str | None:
    """Why the demo asked for is not seeded: its accounts (an admin among them) have published
    passwords, so where others can reach the app it is an open door unless asked for in words."""
    if not settings.demo or settings.demo_beyond_loopback or _is_loopback(settings.host):
        return None
    return (
        f"Not seeding the demo: Concord listens on {settings.host}, beyond this computer, and the "
        "demo's passwords are public. Set CONCORD_DEMO_BEYOND_LOOPBACK=1 as well to seed it anyway."
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost: assume others can reach it


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `serve` runs uvicorn. The scheme and client address come from the TCP connection
    unless the peer is a proxy named in CONCORD_FORWARDED_ALLOW_IPS: then its X-Forwarded-Proto
    (so HSTS is sent behind a TLS proxy) and X-Forwarded-For (the sign-in throttle's address)."""
    trusted = (settings.forwarded_allow_ips or "").strip()
    return {
        "host": settings.host,
        "port": settings.port,
        "workers": settings.workers,
        "proxy_headers": bool(trusted),
        **({"forwarded_allow_ips": trusted} if trusted else {}),
        "server_header": False,
        "log_level": "warning",
    }


def serve(_: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    prepare()
    print(f"Concord is serving on http://{settings.host}:{settings.port}", flush=True)
    uvicorn.run("app.main:app", **uvicorn_options(settings))
    return 0


def seed(_: argparse.Namespace) -> int:
    from app.context import AppContext
    from app.demo import seed_demo

    migrate()
    context = AppContext.build(get_settings())
    with context.sessionmaker() as session:
        seeded = seed_demo(session, passwords=context.passwords)
    print("Demo seeded." if seeded else "The database is not empty: the demo was not seeded.")
    return 0


def create_user(args: argparse.Namespace) -> int:
    from app.auth.schemas import UserCreate
    from app.auth.service import create_user as create
    from app.context import AppContext
    from app.errors import AppError

    password = args.password or getpass.getpass("Password: ")
    migrate()
    try:
        data = UserCreate(
            email=args.email,
            name=args.name,
            password=password,
            role=args.role,
            title=args.title,
            city_id=args.city_id,
        )
        context = AppContext.build(get_settings())
        with context.sessionmaker() as session:
            user = create(session, passwords=context.passwords, actor=None, data=data)
    except (AppError, ValueError) as exc:
        print(f"concord: {getattr(exc, 'detail', exc)}", file=sys.stderr)
        return 1
    print(f"Created {user.role} {user.email} (id {user.id}).")
    return 0


def verify(args: argparse.Namespace) -> int:
    from app.endorsements.verify_command import verify_file, verify_receipt_file

    if args.receipt:
        return verify_receipt_file(args.file, trusted_jwks=args.jwks)
    return verify_file(args.file, trusted_jwks=args.jwks, trusted_keys=args.key)


def rotate_key(_: argparse.Namespace) -> int:
    from app.endorsements.keys import rotate

    settings = get_settings()
    if settings.signing_p12 or settings.signing_key_pem:
        setting = "CONCORD_SIGNING_P12" if settings.signing_p12 else "CONCORD_SIGNING_KEY_PEM"
        print(
            f"concord: the signing key comes from {setting}; rotate it there and "
            "keep the old key's public half in CONCORD_RETIRED_KEYS_PEM.",
            file=sys.stderr,
        )
        return 1
    ring = rotate(settings.data_dir)
    print(
        f"New signing key {ring.current.kid}; {len(ring.previous)} earlier key(s) stay in the "
        "JWKS. Restart the server to sign with it."
    )
    return 0


def show_key(_: argparse.Namespace) -> int:
    from app.context import signing_keys

    ring = signing_keys(get_settings())
    for key in ring.all:
        state = "Current signing key" if key is ring.current else "Retired key (still published)"
        print(f"{state}\n  RFC 7638 thumbprint (kid)  {key.kid}")
        if key.certificate_fingerprint:
            print(f"  certificate SHA-256        {key.certificate_fingerprint}")
    return 0


def backup_command(args: argparse.Namespace) -> int:
    from app.backup import backup
    from app.db import make_engine

    engine = make_engine(get_settings().sqlalchemy_url)
    counts = backup(engine, Path(args.file))
    print(f"Backed up {sum(counts.values()):,} rows of {len(counts)} tables to {args.file}.")
    return 0


def restore_command(args: argparse.Namespace) -> int:
    from app.backup import BackupError, restore
    from app.db import make_engine

    migrate()
    engine = make_engine(get_settings().sqlalchemy_url)
    try:
        counts = restore(engine, Path(args.file))
    except BackupError as exc:
        print(f"concord: {exc}", file=sys.stderr)
        return 1
    print(f"Restored {sum(counts.values()):,} rows of {len(counts)} tables from {args.file}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="concord", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="migrate, then serve the app and the SPA").set_defaults(
        run=serve
    )
    commands.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        run=lambda _: migrate() or 0
    )
    commands.add_parser("seed-demo", help="seed the demo on an empty database").set_defaults(
        run=seed
    )
    user = commands.add_parser("create-user", help="create an account")
    user.add_argument("--email", required=True)
    user.add_argument("--name", required=True)
    user.add_argument(
        "--role",
        required=True,
        choices=["admin", "co_facilitator", "delegate", "mayor", "observer"],
    )
    user.add_argument("--title")
    user.add_argument("--city-id", type=int)
    user.add_argument("--password", help="read from the terminal when left out")
    user.set_defaults(run=create_user)
    check = commands.add_parser(
        "verify",
        help="verify a signed declaration (.json or .zip): exit 0 valid against the keys you "
        "trust, 1 invalid, 2 unreadable, 3 origin unproven",
    )
    check.add_argument("file", help="the bundle: signed-declaration .json or .zip")
    check.add_argument(
        "--jwks",
        metavar="FILE_OR_URL",
        help="the JWK Set you trust, e.g. https://PLATFORM/api/.well-known/jwks.json or a "
        "saved copy; the bundle's own keys are then ignored",
    )
    check.add_argument(
        "--receipt",
        action="store_true",
        help="FILE is a signer's receipt (its entry, a checkpoint and an inclusion proof), "
        "checked against --jwks; a checkpoint that is not final is then accepted",
    )
    check.add_argument(
        "--key",
        action="append",
        default=[],
        metavar="KID",
        help="trust the bundle's key with this RFC 7638 thumbprint or certificate SHA-256 "
        "fingerprint, compared out of band (repeatable)",
    )
    check.set_defaults(run=verify)
    commands.add_parser(
        "rotate-key", help="make a new signing key; earlier public keys stay published"
    ).set_defaults(run=rotate_key)
    commands.add_parser(
        "show-key",
        help="print the signing keys' thumbprints and certificate fingerprints, to publish "
        "out of band",
    ).set_defaults(run=show_key)
    backup = commands.add_parser("backup", help="write a consistent snapshot of the database")
    backup.add_argument("file")
    backup.set_defaults(run=backup_command)
    restore = commands.add_parser("restore", help="load a snapshot into an empty database")
    restore.add_argument("file")
    restore.set_defaults(run=restore_command)
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
