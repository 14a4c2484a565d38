"""A mayor adds a passkey and signs with it in Chromium, its authenticator a CDP virtual one
(platform, user verification); the downloaded bundle verifies on /verify with the assertion
checked, and offline. The page is opened at http://localhost:PORT: an IP is no RP ID."""

import base64
import json

import httpx
import pytest
from playwright.sync_api import expect

from app.demo import ACCOUNTS
from app.endorsements.verify import verify_bundle
from tests.e2e.conftest import shoot

COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
MAYOR = next(a for a in ACCOUNTS if a.email.startswith("mayor.mechelen"))
TITLE = "Passkey Statement on Welcoming Cities"
TEXT = "# Welcoming cities\n\nWe welcome everyone who arrives, and we sign it with our own keys.\n"


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def token(api: httpx.Client, account) -> dict:
    r = api.post("/auth/token", data={"username": account.email, "password": account.password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_a_mayor_signs_with_a_passkey_and_the_bundle_verifies(browser, server, tmp_path):
    local = server.replace("127.0.0.1", "localhost")
    api = httpx.Client(base_url=f"{server}/api", timeout=30)
    editor = token(api, COFAC)
    r = api.post("/declarations", json={"title": TITLE, "text": TEXT}, headers=editor)
    r.raise_for_status()
    did = r.json()["id"]
    api.post(
        f"/declarations/{did}/finalize", json={"version": 1}, headers=editor
    ).raise_for_status()
    opened = api.post(
        f"/declarations/{did}/endorsement/open", json={"require_passkey": True}, headers=editor
    )
    opened.raise_for_status()

    context = browser.new_context(
        base_url=local, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    page.goto("/login")
    page.get_by_label("Email address").fill(MAYOR.email)
    page.get_by_label("Password", exact=True).fill(MAYOR.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Declarations", exact=True)).to_be_visible()

    # The signing form says a passkey is required, and where to add one.
    page.goto(f"/declarations/{did}/endorsement")
    expect(page.get_by_text("This declaration is signed with a passkey only")).to_be_visible()
    expect(page.get_by_label("Your password, to confirm it is you")).to_have_count(0)
    page.get_by_role("link", name="Add a passkey").click()

    expect(page.get_by_role("heading", name="Your passkeys")).to_be_visible()
    expect(page.get_by_text("never leaves it")).to_be_visible()
    page.get_by_label("A name for it").fill("Office laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey “Office laptop” added")).to_be_visible()
    expect(page.locator(".passkey-list")).to_contain_text("Office laptop")
    shoot(page, "passkey-01-added")

    page.goto(f"/declarations/{did}/endorsement")
    sign = page.get_by_role("button", name="Sign with your passkey for Mechelen")
    expect(sign).to_be_visible()
    shoot(page, "passkey-02-sign")
    sign.click()
    expect(page.get_by_text("✓ Signed")).to_be_visible()
    table = page.locator("table.data-table")
    expect(table).to_contain_text("Own passkey")
    shoot(page, "passkey-03-signed")

    api.post(f"/declarations/{did}/endorsement/close", headers=editor).raise_for_status()
    bundle = api.get(f"/declarations/{did}/signed-declaration", headers=token(api, MAYOR)).json()
    path = tmp_path / "signed-declaration.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    entry = json.loads(base64.urlsafe_b64decode(bundle["entries"][0].split(".")[1] + "=="))
    assert entry["method"] == "passkey" and entry["passkey"]["client_data_json"]
    report = verify_bundle(bundle, api.get("/.well-known/jwks.json").json())
    assert report.verdict == "valid", report.problems
    assert report.passkey_entries == 1 and report.platform["rp_id"] == "localhost"

    page.goto("/verify")
    page.get_by_label("Choose a file").set_input_files(path)
    expect(page.get_by_role("heading", name="✓ Valid: 1 signatory")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Passkeys checked against")
    expect(page.locator("dl.facts")).to_contain_text("1 entry signed with the mayor’s own passkey")
    signatories = page.get_by_role("table", name="Signatories, in the order they signed")
    expect(signatories).to_contain_text("Own passkey (checked)")
    shoot(page, "passkey-04-verified")
    context.close()
    assert not errors, errors
