"""The co-facilitators' desk, walked by a co-facilitator on a desktop and on a phone: a decided
amendment's confirmation stays where its card was; two amendments changing different words of one
paragraph are said to be combined in the preview, each with its part; saving lands on the new
version's top saying so; a heading is named once among the paragraphs; a phone has a way straight
to the next version's panel; and the end of the process (finalize, open, close) is on the desk."""

import re

from playwright.sync_api import expect

from app.demo import ACCOUNTS
from tests.e2e.test_life_of_a_declaration import (  # noqa: F401 (the autouse fixture)
    amendment_card,
    patient_expectations,
    sign_in_as,
    snap,
)
from tests.e2e.test_translations import api_as

TITLE = "Statement on Legal Help for Newcomers"
LEGAL = "Newcomers receive free legal advice from the city in their first year."
TEXT = f"""# Preamble

We, mayors and city leaders, meet in Mechelen to speak for the places where migration is lived.

{LEGAL}

We will share reliable local data and good practice with one another.
"""
COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
MECHELEN = next(a for a in ACCOUNTS if a.email.startswith("delegate.mechelen"))
KAMPALA = next(a for a in ACCOUNTS if a.email.startswith("delegate.kampala"))


def propose(server: str, account, did: int, key: str, text: str) -> int:
    body = {"base_version": 1, "action": "modify", "paragraph_key": key, "text": text}
    answer = api_as(server, account).post(f"/declarations/{did}/amendments", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def declaration_with_legal_paragraph(api, title: str) -> tuple[int, str]:
    """A new declaration of TEXT: its id, and the key of its paragraph on legal advice."""
    did = api.post("/declarations", json={"title": title, "text": TEXT}).json()["id"]
    paragraphs = api.get(f"/declarations/{did}/versions/1").json()["paragraphs"]
    return did, next(p["key"] for p in paragraphs if p["text"] == LEGAL)


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_desk_as_a_co_facilitator(open_page, server):
    cofac_api = api_as(server, COFAC)
    did, key = declaration_with_legal_paragraph(cofac_api, TITLE)
    # Different words of one paragraph: the merge combines them into a wording neither proposed.
    mechelen = propose(server, MECHELEN, did, key, LEGAL.replace("Newcomers", "All newcomers"))
    kampala = propose(server, KAMPALA, did, key, LEGAL.replace("first year", "first two years"))
    decided = cofac_api.post(f"/amendments/{mechelen}/decision", json={"decision": "accept"})
    assert decided.status_code == 200, decided.text

    page = open_page()
    sign_in_as(page, COFAC)
    page.goto(f"/declarations/{did}/desk")
    expect(page.get_by_role("heading", name="Co-facilitators’ desk")).to_be_visible()
    # The status is a word, not a pill that reads as a button.
    badge = page.locator(".declaration-meta .badge")
    expect(badge).to_have_text("Drafting")
    assert badge.evaluate("(e) => getComputedStyle(e).borderTopStyle") == "none"
    expect(page.get_by_role("heading", name="Step 1 of 4: Drafting")).to_be_visible()
    # A heading is named once among the paragraphs to filter by.
    options = page.locator("#filter-paragraph option").all_inner_texts()
    assert "Heading: Preamble" in options, options
    assert not any("Preamble: Preamble" in option for option in options), options
    expect(page.get_by_role("button", name="Choose the 1 accepted amendment")).to_be_visible()

    # Accepted, Kampala's amendment leaves the "Proposed" list; its confirmation stays there.
    card = amendment_card(page, kampala)
    card.get_by_role("button", name="Accept", exact=True).click()
    expect(card).to_have_count(0)
    placed = (
        page.locator(".desk-main")
        .get_by_role("status")
        .filter(has_text=f"Amendment {kampala} was accepted.")
    )
    expect(placed).to_be_visible()
    assert in_viewport(page, placed)
    snap(page, "d1-desk-accepted-in-place")

    # On a phone, the next version's panel is a link away.
    phone = open_page(360, 800)
    sign_in_as(phone, COFAC)
    phone.goto(f"/declarations/{did}/desk?status=accepted")
    expect(phone.get_by_text("2 amendments accepted; showing 1–2.")).to_be_visible()
    merge_title = phone.get_by_role("heading", name="Next version (2)")
    assert not in_viewport(phone, merge_title)
    snap(phone, "d2-desk-phone-360")
    phone.get_by_role("link", name=re.compile(r"^Go to the next version \(0 chosen\)")).click()
    expect(merge_title).to_be_focused()
    assert in_viewport(phone, merge_title)

    # Both chosen, previewed: the preview says they were combined and shows each one's part.
    page.get_by_role("button", name="Choose all 2 accepted amendments").click()
    page.get_by_role("button", name="Preview the new version").click()
    preview = page.get_by_role("region", name="Preview of version 2")
    expect(preview).to_be_visible()
    combined = preview.get_by_role("region", name="Amendments combined in paragraph 2")
    expect(combined.get_by_role("heading")).to_have_text("2 amendments combined in paragraph 2")
    parts = combined.get_by_role("listitem")
    expect(parts).to_have_count(2)
    expect(parts.nth(0)).to_contain_text(f"Amendment {mechelen} (Mechelen)")
    expect(parts.nth(0).locator("ins")).to_have_text("All newcomers")
    expect(parts.nth(1)).to_contain_text(f"Amendment {kampala} (Kampala)")
    expect(parts.nth(1).locator("ins")).to_contain_text("two years")
    expect(preview).to_contain_text("All newcomers receive free legal advice")
    snap(page, "d3-desk-preview-combined")

    # Saved: the new version's page, from its top, says so.
    preview.get_by_role("button", name="Save as version 2").click()
    page.wait_for_url(f"**/declarations/{did}/versions/2")
    saved = page.get_by_role("status").filter(
        has_text="Version 2 is saved: it merges 2 amendments."
    )
    expect(saved).to_be_visible()
    # At the top of the page (the focus moves to its main part, as after every navigation).
    assert in_viewport(page, page.get_by_role("heading", name=TITLE, exact=True))
    assert in_viewport(page, saved)
    expect(saved.get_by_role("link", name="See what changed since version 1")).to_be_visible()
    snap(page, "d4-version-2-saved")

    # The end of the process, on the desk: finalize, open, close.
    page.goto(f"/declarations/{did}/desk")
    page.get_by_role("button", name="Finalize version 2").click()
    expect(page.get_by_text("Freeze version 2 of")).to_be_visible()
    snap(page, "d5-desk-confirm-finalize")
    page.get_by_role("button", name="Yes, finalize version 2").click()
    expect(page.get_by_text("Version 2 is now the final text.")).to_be_visible()
    expect(page.get_by_role("heading", name="Step 2 of 4: Final text")).to_be_visible()
    page.get_by_role("button", name="Open endorsement").click()
    page.get_by_role("button", name="Yes, open endorsement").click()
    expect(page.get_by_text("Endorsement is open.", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Step 3 of 4: Open for endorsement")).to_be_visible()
    snap(page, "d6-desk-endorsement-open")
    page.get_by_role("button", name="Close endorsement").click()
    page.get_by_role("button", name="Yes, close and seal").click()
    expect(page.get_by_role("heading", name="Step 4 of 4: Closed")).to_be_visible()
    assert cofac_api.get(f"/declarations/{did}").json()["status"] == "closed"
    phone.goto(f"/declarations/{did}/desk")
    expect(phone.get_by_role("heading", name="Step 4 of 4: Closed")).to_be_visible()
    snap(phone, "d7-desk-closed-360")

    # The desk in the reader's language: Arabic, right to left, on the phone and on a desktop.
    phone.get_by_label("Language").select_option("ar")
    expect(phone.get_by_role("heading", name="مكتب الميسّرين المشاركين")).to_be_visible()
    expect(phone.get_by_role("heading", name="الخطوة 4 من 4: مغلق")).to_be_visible()
    expect(phone.get_by_text("لا يطابق أيّ تعديل هذه المرشّحات.")).to_be_visible()
    assert phone.evaluate("document.documentElement.dir") == "rtl"
    snap(phone, "d8-desk-arabic-360")
    page.get_by_label("Language").select_option("ar")
    page.goto(f"/declarations/{did}/desk?status=merged")
    expect(page.get_by_text("تعديلان (الحالة: مدمج)؛ المعروض 1–2.")).to_be_visible()
    snap(page, "d9-desk-arabic-merged")


def test_a_conflict_on_a_phone(open_page, server):
    """Two cities rewrite the same words: on a 360-px phone the wordings stack, each readable
    with its clashing words marked, and the compromise starts from both."""
    cofac_api = api_as(server, COFAC)
    did, key = declaration_with_legal_paragraph(cofac_api, f"{TITLE} (phone)")
    mechelen = propose(server, MECHELEN, did, key, LEGAL.replace("legal advice", "legal aid"))
    kampala = propose(server, KAMPALA, did, key, LEGAL.replace("legal advice", "legal counsel"))
    for number in (mechelen, kampala):
        cofac_api.post(f"/amendments/{number}/decision", json={"decision": "accept"})

    phone = open_page(360, 800)
    sign_in_as(phone, COFAC)
    phone.goto(f"/declarations/{did}/desk?status=accepted")
    phone.get_by_role("button", name="Choose all 2 accepted amendments").click()
    phone.get_by_role("button", name="Preview the new version").click()
    conflict = phone.get_by_role("alert").filter(has_text="1 amendment conflicts")
    expect(conflict).to_be_visible()
    sides = conflict.locator(".side")
    expect(sides).to_have_count(3)
    expect(sides.nth(1).locator("mark")).to_have_text(["aid"])
    expect(sides.nth(2).locator("mark")).to_have_text(["counsel"])
    # Stacked, not squeezed side by side: each wording as wide as the next.
    widths = [sides.nth(i).bounding_box()["width"] for i in range(3)]
    assert min(widths) > 200, widths
    snap(phone, "d10-desk-conflict-360")
    conflict.get_by_role("button", name="Write compromise wording instead").click()
    wording = phone.get_by_role("group", name="Direct edit").get_by_role(
        "textbox", name="New wording"
    )
    expect(wording).to_have_value(LEGAL.replace("legal advice", "legal aid / counsel"))
