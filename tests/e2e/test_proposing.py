"""A delegation proposing new wording, on a desktop and on a phone: the paragraph being amended
stays in view as it reads now, with the proposal under it (it used to be replaced by the form,
or pushed above the screen by the form's focus)."""

import pytest
from playwright.sync_api import expect

from app.demo import ACCOUNTS
from tests.e2e.test_desk import in_viewport
from tests.e2e.test_life_of_a_declaration import (  # noqa: F401 (the autouse fixture)
    TEXT,
    open_margin,
    patient_expectations,
    sign_in_as,
    snap,
)
from tests.e2e.test_translations import api_as

COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
MECHELEN = next(a for a in ACCOUNTS if a.email.startswith("delegate.mechelen"))
PLEDGE = TEXT.split("\n\n")[7]  # paragraph 7: "We reject hate speech…"


@pytest.mark.parametrize("width", [1280, 360])
def test_the_paragraph_stays_in_view_above_its_proposal(open_page, server, width):
    did = (
        api_as(server, COFAC)
        .post("/declarations", json={"title": f"Proposing at {width} px", "text": TEXT})
        .json()["id"]
    )
    page = open_page(width, 900 if width == 1280 else 800)
    sign_in_as(page, MECHELEN)
    page.goto(f"/declarations/{did}")
    panel = open_margin(page, 7)
    panel.get_by_role("button", name="Propose new wording").click()
    wording = page.get_by_role("textbox", name="New wording")
    expect(wording).to_be_focused()
    wording.fill(PLEDGE.replace("every form", "every form, online and offline"))
    paragraph = page.locator("p.paragraph-text", has_text="We reject hate speech")
    expect(paragraph).to_have_text(PLEDGE)  # as it reads now, not the proposal
    assert in_viewport(page, paragraph)
    assert paragraph.bounding_box()["y"] < wording.bounding_box()["y"]
    top = wording.bounding_box()["y"]
    assert 0 <= top < page.viewport_size["height"]
    snap(page, f"p1-proposing-keeps-the-paragraph-{width}")
