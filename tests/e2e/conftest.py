"""Browser tests: `concord serve` with the demo on a fresh database, driven by Playwright in
Debian's Chromium (Playwright's own browser download does not work on these machines)."""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("CONCORD_E2E_SHOTS", ROOT / "tests" / "e2e" / "screenshots"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def serving(data_dir: Path, **settings: str) -> Iterator[str]:
    """`concord serve` with the demo on a fresh database in `data_dir` (and any other
    CONCORD_ settings): its base URL while it runs."""
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail(
            "frontend/dist is not built: `make test` builds it (cd frontend && npm run build)"
        )
    from tests.test_serve import free_port

    port = free_port()
    env = {
        **os.environ,
        "CONCORD_PORT": str(port),
        "CONCORD_DEMO": "1",
        "CONCORD_DATA_DIR": str(data_dir),
        "CONCORD_ARGON2_MEMORY_KIB": "8192",
        "CONCORD_ARGON2_TIME_COST": "1",
        "CONCORD_LOGIN_BURST": "1000",
        **{f"CONCORD_{name.upper()}": value for name, value in settings.items()},
    }
    env.pop("CONCORD_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"concord serve did not start:\n{process.stdout.read()}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(20)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("e2e-data")) as base:
        yield base


# Package scope: Playwright's sync API runs an event loop in the main thread while it lives, and
# code under test elsewhere (pyHanko signing) must not find one running there.
@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def open_page(browser, server):
    """A factory of pages, each in a fresh browser context (one per person: its own session),
    optionally at another viewport; every page is checked for JavaScript errors at the end."""
    opened: list[tuple[object, list[str]]] = []

    def open_one(width: int = 1280, height: int = 900):
        context = browser.new_context(
            base_url=server, viewport={"width": width, "height": height}, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        opened.append((context, errors))
        return page

    yield open_one
    for context, _ in opened:
        context.close()
    errors = [error for _, found in opened for error in found]
    assert not errors, f"JavaScript errors on the pages: {errors}"


AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
# The serious and critical violations axe-core finds on the page as it stands, one line each.
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const where = v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(" | ");
      return `${v.impact} ${v.id}: ${v.help} at ${where}`;
    });
}"""


def accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page (evaluated, so the app's CSP,
    which allows no inline script, does not stand in the way)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(AXE_RUN)


def shoot(page, name: str, *, ours: bool = True) -> None:
    """A full-page screenshot of every screen the browser tests visit, each of the app's own
    screens checked by axe-core first: no serious or critical violation. (`ours=False`: a page
    the app serves but did not make, Swagger UI, is not held to it.)"""
    if ours:
        problems = accessibility_problems(page)
        assert not problems, f"axe-core on {name} ({page.url}):\n" + "\n".join(problems)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Declarations").wait_for()
