"""The live room in two browsers: what one delegation does appears in the other's margin without
a reload; when the co-facilitator makes a new version, a delegate writing a comment sees the
banner and keeps what they wrote."""

import re
import uuid

import httpx
from playwright.sync_api import expect

from app.demo import ACCOUNTS
from tests.e2e.conftest import shoot, sign_in

COFAC = next(a for a in ACCOUNTS if a.role == "co_facilitator")
MECHELEN = next(a for a in ACCOUNTS if a.email.startswith("delegate.mechelen"))
KAMPALA = next(a for a in ACCOUNTS if a.email.startswith("delegate.kampala"))
TEXT = (
    "We, the cities, meet in the live room.\n\n"
    "We commit to give every resident access to basic services.\n\n"
    "We will meet again."
)


def bearer(server: str, account) -> dict[str, str]:
    answer = httpx.post(
        f"{server}/api/auth/token", data={"username": account.email, "password": account.password}
    )
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_a_proposal_and_a_new_version_reach_the_other_browser(open_page, server):
    cofac = bearer(server, COFAC)
    title = f"Live room pact {uuid.uuid4().hex[:6]}"
    did = httpx.post(
        f"{server}/api/declarations", json={"title": title, "text": TEXT}, headers=cofac
    ).json()["id"]

    mechelen = open_page()
    sign_in(mechelen, MECHELEN.email, MECHELEN.password)
    mechelen.goto(f"/declarations/{did}")
    expect(mechelen.get_by_role("heading", name=title)).to_be_visible()
    mechelen.get_by_role("button", name="Paragraph 1:").click()
    panel = mechelen.get_by_role("region", name="Paragraph 1", exact=True)
    panel.get_by_role("button", name="Comment on this paragraph").click()
    draft = panel.get_by_role("form", name="New comment").get_by_label("Comment", exact=True)
    draft.fill("Mechelen is still writing this.")

    kampala = open_page()
    sign_in(kampala, KAMPALA.email, KAMPALA.password)
    kampala.goto(f"/declarations/{did}")
    kampala.get_by_role("button", name="Paragraph 2:").click()
    kampala.get_by_role("button", name="Propose new wording").click()
    kampala.get_by_role("textbox", name="New wording").fill(
        "We commit to give every resident access to good basic services."
    )
    kampala.get_by_role("button", name="Propose for Kampala").click()
    expect(kampala.get_by_text(re.compile(r"Amendment \d+")).first).to_be_visible()

    told_before = httpx.get(
        f"{server}/api/me/notifications", headers=bearer(server, KAMPALA)
    ).json()["unread"]

    # Mechelen's margin shows Kampala's amendment without a reload.
    expect(
        mechelen.get_by_role("button", name=re.compile(r"^Paragraph 2:.*1 amendment"))
    ).to_be_visible()

    # The co-facilitator accepts it and makes version 2.
    [amendment] = httpx.get(f"{server}/api/declarations/{did}/amendments", headers=cofac).json()[
        "items"
    ]
    httpx.post(
        f"{server}/api/amendments/{amendment['id']}/decision",
        json={"decision": "accept"},
        headers=cofac,
    ).raise_for_status()
    httpx.post(
        f"{server}/api/declarations/{did}/versions",
        json={"base_version": 1, "amendments": [amendment["id"]]},
        headers=cofac,
    ).raise_for_status()

    # Mechelen, writing, sees the banner; the page stays on version 1 with the draft in it.
    banner = mechelen.get_by_role("status").filter(has_text="A new version was just made")
    expect(banner).to_be_visible()
    expect(draft).to_have_value("Mechelen is still writing this.")
    expect(mechelen.get_by_text("Current version: 1")).to_be_visible()
    shoot(mechelen, "live-room-new-version-banner")
    banner.get_by_role("link", name="Read version 2").click()
    expect(mechelen.get_by_text("Current version: 2")).to_be_visible()
    # Kampala is told in the bell that its amendment was accepted and merged.
    bell = kampala.get_by_role("button", name=f"Notifications, {told_before + 2} unread")
    expect(bell).to_be_visible(timeout=40_000)
