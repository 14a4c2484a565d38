"""`concord serve` as the Operating section starts it: migrate, admin, demo, serve on a port."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.demo import ACCOUNTS

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(env: dict[str, str], data_dir: Path) -> tuple[subprocess.Popen, str]:
    """`concord serve` on a free port with `env`, once it answers: (its process, its URL)."""
    port = free_port()
    env = {**env, "CONCORD_PORT": str(port), "CONCORD_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"concord serve did not start:\n{process.stdout.read()}")
        time.sleep(0.2)


@pytest.fixture
def served(databases, tmp_path):
    env = {
        **os.environ,
        "CONCORD_DATABASE_URL": databases.fresh(),
        "CONCORD_ADMIN_EMAIL": "secretariat@test.example",
        "CONCORD_ADMIN_PASSWORD": "a secret for the test",
        "CONCORD_DEMO": "1",
        "CONCORD_ARGON2_MEMORY_KIB": "8192",
        "CONCORD_FORWARDED_ALLOW_IPS": "127.0.0.1",  # the TLS proxy; 127.0.0.2 is a stranger
    }
    process, base = start_serve(env, tmp_path / "data")
    try:
        yield base, tmp_path / "data"
    finally:
        process.terminate()
        process.wait(20)


def sign_in(base, email, password):
    return httpx.post(f"{base}/api/auth/token", data={"username": email, "password": password})


def test_serve_migrates_creates_the_admin_seeds_the_demo_and_answers(served):
    base, data_dir = served
    assert sign_in(base, "secretariat@test.example", "a secret for the test").status_code == 200
    for account in ACCOUNTS:
        r = sign_in(base, account.email, account.password)
        assert r.status_code == 200, account.email
    token = sign_in(base, ACCOUNTS[1].email, ACCOUNTS[1].password).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    declarations = httpx.get(f"{base}/api/declarations", headers=headers).json()["items"]
    assert len(declarations) == 1 and declarations[0]["head_version"] == 2
    cities = httpx.get(f"{base}/api/cities", headers=headers).json()
    assert cities["total"] >= 12 and any(c["name"] == "東京都" for c in cities["items"])
    schema = httpx.get(f"{base}/api/openapi.json").json()
    assert "/api/declarations/{declaration_id}/compare" in schema["paths"]
    home = httpx.get(f"{base}/")
    assert home.status_code in (200, 503) and "Concord" in home.text
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
    secret = data_dir / "jwt-secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert data_dir.stat().st_mode & 0o777 == 0o700
    for database in data_dir.glob("concord.db*"):
        assert database.stat().st_mode & 0o777 == 0o600, database


def test_hsts_when_the_trusted_proxy_says_https_and_not_from_anyone_else(served):
    base, _ = served
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    through_the_proxy = httpx.get(f"{base}/api/health", headers=https)
    assert through_the_proxy.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in httpx.get(f"{base}/api/health").headers
    stranger = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(transport=stranger) as client:
        claimed = client.get(f"{base}/api/health", headers=https)
    assert claimed.status_code == 200
    assert "strict-transport-security" not in claimed.headers


EVERY_INTERFACE = "0.0.0.0"  # noqa: S104 (a setting's value, not a bind)


class TestDemoBeyondLoopback:
    """The demo's passwords are published: seeded on a laptop, not where others reach the app
    unless asked for in words."""

    def test_on_loopback_the_demo_is_seeded(self):
        from app.cli import demo_withheld
        from app.settings import Settings

        for host in ("127.0.0.1", "localhost", "::1"):
            assert demo_withheld(Settings(host=host, demo=True)) is None

    def test_beyond_loopback_it_is_withheld_and_the_start_says_so(self):
        from app.cli import demo_withheld
        from app.settings import Settings

        for host in (EVERY_INTERFACE, "192.0.2.7", "concord.example.org"):
            said = demo_withheld(Settings(host=host, demo=True))
            assert said is not None and host in said and "CONCORD_DEMO_BEYOND_LOOPBACK=1" in said
        assert demo_withheld(Settings(host=EVERY_INTERFACE, demo=False)) is None

    def test_asked_for_in_words_it_is_seeded_anyway(self):
        from app.cli import demo_withheld
        from app.settings import Settings

        asked = Settings(host=EVERY_INTERFACE, demo=True, demo_beyond_loopback=True)
        assert demo_withheld(asked) is None
