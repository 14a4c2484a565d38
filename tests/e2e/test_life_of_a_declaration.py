"""The whole life of a declaration, in the browser, as the real people: the co-facilitator pastes
a new text; the Mechelen and Kampala delegations comment on words and propose competing wording
for the same words, and Kampala supports Mechelen's amendment; the co-facilitator accepts both,
meets the conflict, writes compromise wording, previews the redline and saves version 2,
finalizes and opens endorsement; three mayors sign (one mistypes their password first); the
co-facilitator closes; the SRSG's office downloads the signed declaration, which the public
/verify page finds valid, and a copy with one character of the text changed, not valid."""

import base64
import json
import re

import httpx
import pytest
from playwright.sync_api import expect

from app.demo import ACCOUNTS
from app.endorsements.keys import SigningKey
from app.endorsements.verify import verify_bundle
from app.endorsements.verify_command import read_bundle
from tests.e2e.conftest import shoot
from tests.endorsements.verify_fixtures import reseal

TITLE = "Mechelen–Kampala Statement on Welcoming Cities"
TEXT = """# Cities that welcome

We, mayors and city leaders from every continent, meet in Mechelen to speak for the places \
where migration is lived day by day: our streets, schools, clinics and workplaces.

Migration is as old as cities themselves. Newcomers have built our economies, renewed our \
neighbourhoods and enriched our cultures, and they will keep doing so.

Every person who lives in our cities has access to basic services, including health care, \
education and shelter, whatever their migration status.

We will make city hall a place where newcomers are greeted in a language they understand, and \
where information on rights and services is easy to find.

We call on national governments to involve cities when they design migration policies, and to \
give local authorities the means to carry out what they decide.

We will work with employers, trade unions and universities so that the skills and diplomas of \
newcomers are recognised quickly and fairly.

We reject hate speech and discrimination in every form, and we will protect residents who are \
targeted because of their origin, faith or status.

We will share reliable local data, good practice and lessons learned with one another, through \
this network of cities.
"""
SERVICES = TEXT.split("\n\n")[3]
MECHELEN_WORDING = SERVICES.replace("basic services", "essential public services")
KAMPALA_WORDING = SERVICES.replace("basic services", "quality services")
COMPROMISE = SERVICES.replace("basic services", "essential, good-quality public services")

COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
DELEGATE_MECHELEN = next(a for a in ACCOUNTS if a.email.startswith("delegate.mechelen"))
DELEGATE_KAMPALA = next(a for a in ACCOUNTS if a.email.startswith("delegate.kampala"))
MAYOR_MECHELEN = next(a for a in ACCOUNTS if a.email.startswith("mayor.mechelen"))
MAYOR_SAOPAULO = next(a for a in ACCOUNTS if a.email.startswith("mayor.saopaulo"))
MAYOR_TOKYO = next(a for a in ACCOUNTS if a.email.startswith("mayor.tokyo"))
OBSERVER = next(a for a in ACCOUNTS if a.email.startswith("observer"))


@pytest.fixture(autouse=True)
def patient_expectations():
    """Generous but bounded: every expectation waits up to 15 s (the server hashes passwords)."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


def snap(page, name: str) -> None:
    """A full-page screenshot once nothing on the page is still loading."""
    expect(page.locator(".loading")).to_have_count(0)
    shoot(page, name)


def sign_in_as(page, account, shot: str | None = None) -> None:
    """Through the sign-in page, as that person would."""
    page.goto("/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    if shot:
        snap(page, shot)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Declarations", exact=True)).to_be_visible()
    expect(page.locator("header").get_by_text(account.name)).to_be_visible()


def open_declaration(page) -> None:
    """From the list of declarations to ours (its head version)."""
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    expect(page.get_by_text("sha256:").first).to_be_visible()


def open_margin(page, number: int):
    """Open the margin panel of paragraph `number`; the panel's section."""
    page.get_by_role("button", name=f"Paragraph {number}:").click()
    panel = page.get_by_role("region", name=f"Paragraph {number}", exact=True)
    expect(panel).to_be_visible()
    return panel


def amendment_card(scope, number: int):
    return scope.get_by_role("article", name=re.compile(rf"^Amendment {number}\b"))


def select_words_with_the_mouse(page, paragraph, words: str) -> None:
    """Press before the first letter of `words`, drag past the last one, release."""
    paragraph.scroll_into_view_if_needed()
    box = paragraph.evaluate(
        """(element, words) => {
            const node = [...element.childNodes].find(
                (n) => n.nodeType === 3 && n.data.includes(words));
            const start = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + 1);
            const first = range.getBoundingClientRect();
            range.setStart(node, start + words.length - 1);
            range.setEnd(node, start + words.length);
            const last = range.getBoundingClientRect();
            return {
                x1: first.left + 1, y1: first.top + first.height / 2,
                x2: last.right - 1, y2: last.top + last.height / 2,
            };
        }""",
        words,
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def amendment_number(page, city: str) -> int:
    message = page.get_by_text(re.compile(rf"^Amendment \d+ was proposed for {city}\.$"))
    expect(message).to_be_visible()
    return int(re.search(r"\d+", message.inner_text()).group())


def seal_payload(bundle: dict) -> dict:
    payload = bundle["seal"].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_the_life_of_a_declaration(open_page, server, tmp_path):
    # ---- The co-facilitator starts a declaration from a pasted text. ----
    cofac = open_page()
    sign_in_as(cofac, COFAC, shot="01-sign-in")
    snap(cofac, "02-declarations")
    cofac.get_by_text("New declaration", exact=True).click()
    form = cofac.get_by_role("form", name="New declaration")
    form.get_by_label("Title").fill(TITLE)
    form.get_by_label("Text (becomes version 1)").focus()
    cofac.keyboard.insert_text(TEXT)  # as a paste does: one input of the whole text
    expect(form.get_by_text("9 paragraphs (headings included).")).to_be_visible()
    snap(cofac, "03-new-declaration-pasted")
    form.get_by_role("button", name="Create declaration").click()
    expect(cofac.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    cofac.wait_for_url(re.compile(r"/declarations/\d+$"))
    declaration_id = int(cofac.url.rsplit("/", 1)[1])
    expect(cofac.get_by_text("Current version: 1")).to_be_visible()
    expect(cofac.get_by_role("heading", name="Cities that welcome")).to_be_visible()
    expect(cofac.locator("p.paragraph-text")).to_have_count(8)
    snap(cofac, "04-declaration-version-1")

    # ---- Mechelen comments on typed words (the keyboard path), then proposes new wording. ----
    mechelen = open_page()
    sign_in_as(mechelen, DELEGATE_MECHELEN)
    open_declaration(mechelen)
    # A quiet margin says it is where both comments and amendments start.
    quiet_margin = mechelen.locator(".margin-empty").filter(has_text="Comment or amend")
    expect(quiet_margin.first).to_be_visible()
    panel = open_margin(mechelen, 2)
    panel.get_by_role("button", name="Comment on this paragraph").click()
    comment_form = panel.get_by_role("form", name="New comment")
    comment_form.get_by_label("Words to comment on (optional)").focus()
    mechelen.keyboard.type("renewed our neighbourhoods")
    expect(comment_form.get_by_text("Found in the paragraph.")).to_be_visible()
    mechelen.keyboard.press("Tab")
    mechelen.keyboard.type("This is Mechelen's own story: please keep these words.")
    snap(mechelen, "05-mechelen-comment-on-typed-words")
    comment_form.get_by_role("button", name="Add comment").click()
    expect(panel.get_by_text("Your comment was added.")).to_be_visible()
    expect(
        mechelen.locator("mark.quote-mark", has_text="renewed our neighbourhoods")
    ).to_be_visible()
    snap(mechelen, "06-mechelen-comment-added")

    panel = open_margin(mechelen, 3)
    panel.get_by_role("button", name="Propose new wording").click()
    wording = mechelen.get_by_role("textbox", name="New wording")
    expect(wording).to_have_value(SERVICES)
    wording.fill(MECHELEN_WORDING)
    redline = mechelen.get_by_test_id("tracked-redline")
    expect(redline.locator("ins")).to_contain_text("essential public")
    expect(redline.locator("del")).to_contain_text("basic")
    mechelen.get_by_label("Rationale (optional)").fill("Essential, and provided by the public.")
    snap(mechelen, "07-mechelen-proposes")
    mechelen.get_by_role("button", name="Propose for Mechelen").click()
    mechelen_amendment = amendment_number(mechelen, "Mechelen")
    expect(amendment_card(mechelen, mechelen_amendment)).to_be_visible()
    snap(mechelen, "08-mechelen-proposed")

    # ---- Kampala selects words with the mouse and comments, proposes competing wording for the
    # same words, and supports Mechelen's amendment. ----
    kampala = open_page()
    sign_in_as(kampala, DELEGATE_KAMPALA)
    open_declaration(kampala)
    calls = kampala.locator("p.paragraph-text", has_text="We call on national governments")
    select_words_with_the_mouse(kampala, calls, "give local authorities the means")
    offer = kampala.get_by_role("button", name="Comment on “give local authorities the means”")
    expect(offer).to_be_visible()
    snap(kampala, "09-kampala-selects-words")
    offer.click()
    panel = kampala.get_by_role("region", name="Paragraph 5", exact=True)
    expect(panel.locator("blockquote.quote")).to_have_text("give local authorities the means")
    comment_form = panel.get_by_role("form", name="New comment")
    comment_form.get_by_label("Comment", exact=True).fill(
        "Kampala asks that the means include funding, not only powers."
    )
    comment_form.get_by_role("button", name="Add comment").click()
    expect(panel.get_by_text("Your comment was added.")).to_be_visible()
    expect(
        kampala.locator("mark.quote-mark", has_text="give local authorities the means")
    ).to_be_visible()
    snap(kampala, "10-kampala-comment-added")

    panel = open_margin(kampala, 3)
    expect(amendment_card(panel, mechelen_amendment)).to_be_visible()
    panel.get_by_role("button", name="Propose new wording").click()
    wording = kampala.get_by_role("textbox", name="New wording")
    wording.fill(KAMPALA_WORDING)
    expect(kampala.get_by_test_id("tracked-redline").locator("ins")).to_contain_text("quality")
    kampala.get_by_label("Rationale (optional)").fill("Services must be good, not only there.")
    kampala.get_by_role("button", name="Propose for Kampala").click()
    kampala_amendment = amendment_number(kampala, "Kampala")
    assert kampala_amendment > mechelen_amendment
    panel = kampala.get_by_role("region", name="Paragraph 3", exact=True)
    card = amendment_card(panel, mechelen_amendment)
    card.get_by_role("button", name="Kampala supports this").click()
    expect(
        panel.get_by_text(f"Kampala now supports amendment {mechelen_amendment}.")
    ).to_be_visible()
    expect(card.get_by_text("Supported by 1 city:")).to_be_visible()
    expect(card.get_by_role("button", name="Withdraw Kampala’s support")).to_be_visible()
    snap(kampala, "11-kampala-proposes-and-supports")

    # ---- The co-facilitator accepts both, meets the conflict, writes compromise wording. ----
    cofac.reload()
    expect(cofac.get_by_role("button", name="Paragraph 3:")).to_contain_text("2 amendments")
    cofac.get_by_role("link", name="Co-facilitators’ desk").click()
    expect(cofac.get_by_role("heading", name="Co-facilitators’ desk")).to_be_visible()
    expect(cofac.get_by_text("2 amendments proposed; showing 1–2.")).to_be_visible()
    snap(cofac, "12-desk-proposed")
    for number, note in (
        (mechelen_amendment, "Accepted: stronger wording."),
        (kampala_amendment, ""),
    ):
        card = amendment_card(cofac, number)
        card.get_by_label("Note to the cities (optional)").fill(note)
        card.get_by_role("button", name="Accept", exact=True).click()
        # Accepted, it leaves the list of proposed amendments; its confirmation stays in the list.
        expect(card).to_have_count(0)
        expect(
            cofac.locator(".desk-main").get_by_text(f"Amendment {number} was accepted.")
        ).to_be_visible()
    cofac.get_by_label("Status").select_option("accepted")
    cofac.get_by_role("button", name="Filter").click()
    expect(cofac.get_by_text("2 amendments accepted; showing 1–2.")).to_be_visible()
    cofac.get_by_role("button", name="Choose all 2 accepted amendments").click()
    for number in (mechelen_amendment, kampala_amendment):
        expect(
            amendment_card(cofac, number).get_by_label("Merge into the next version")
        ).to_be_checked()
    snap(cofac, "13-desk-accepted-chosen")

    cofac.get_by_role("button", name="Preview the new version").click()
    conflict = cofac.get_by_role("alert").filter(
        has=cofac.get_by_role("heading", name="1 amendment conflicts: nothing was merged")
    )
    expect(conflict).to_be_visible()
    item = conflict.get_by_role("listitem").filter(
        has=cofac.get_by_role(
            "heading", name=f"Amendment {kampala_amendment}, paragraph 3 (Kampala)"
        )
    )
    expect(item).to_be_visible()
    # Every wording that clashes, each amendment's with its city, the clashing words marked.
    sides = item.locator(".side-by-side .side")
    expect(sides).to_have_count(3)
    expect(sides.nth(0)).to_contain_text("Current text (version 1)")
    expect(sides.nth(0)).to_contain_text("access to basic services")
    expect(sides.nth(0).locator("mark")).to_have_text(["basic"])
    expect(sides.nth(1)).to_contain_text(
        f"Amendment {mechelen_amendment} (Mechelen), earlier in this merge"
    )
    expect(sides.nth(1)).to_contain_text(MECHELEN_WORDING)
    expect(sides.nth(1).locator("mark")).to_have_text(["essential public"])
    expect(sides.nth(2)).to_contain_text(f"Amendment {kampala_amendment} (Kampala)’s wording")
    expect(sides.nth(2)).to_contain_text("access to quality services")
    expect(sides.nth(2).locator("mark")).to_have_text(["quality"])
    start = item.get_by_role("group", name="Start the compromise from")
    expect(start.get_by_role("radio", name="Both wordings, where they clash")).to_be_checked()
    snap(cofac, "14-desk-conflict-side-by-side")

    item.get_by_role("button", name="Write compromise wording instead").click()
    builder = cofac.get_by_role("group", name="Direct edit")
    compromise = builder.get_by_role("textbox", name="New wording")
    # It starts from what both propose: Mechelen's wording with Kampala's words beside its own.
    expect(compromise).to_have_value(SERVICES.replace("basic", "essential public / quality"))
    expect(builder).to_contain_text(
        f"Compromise wording of amendment {kampala_amendment}, started from both wordings"
    )
    compromise.fill(COMPROMISE)
    expect(builder.get_by_test_id("tracked-redline").locator("ins")).to_contain_text(
        "essential, good-quality public"
    )
    # The merge panel is sticky and scrolls within the viewport's height: make it tall enough
    # for the whole edit to show in the screenshot.
    cofac.set_viewport_size({"width": 1280, "height": 1800})
    snap(cofac, "15-desk-compromise-wording")
    cofac.set_viewport_size({"width": 1280, "height": 900})
    builder.get_by_role("button", name="Add this edit").click()
    expect(cofac.get_by_text("The edit was added to the next version.")).to_be_visible()
    expect(
        cofac.get_by_text(f"Compromise wording of amendment {kampala_amendment}")
    ).to_be_visible()
    cofac.get_by_label("Note for the version list (optional)").fill(
        "Second draft: compromise on services"
    )
    cofac.get_by_role("button", name="Preview the new version").click()
    preview = cofac.get_by_role("region", name="Preview of version 2")
    expect(preview).to_be_visible()
    # Mechelen's amendment as written, Kampala's reconciled by the compromise wording
    expect(preview.get_by_text("Merges 2 amendments and 1 direct edit.")).to_be_visible()
    expect(preview.locator("ins").first).to_be_visible()
    expect(preview).to_contain_text("good-quality")
    expect(cofac.get_by_role("alert").filter(has_text="conflict")).to_have_count(0)
    snap(cofac, "16-desk-preview-redline")
    preview.get_by_role("button", name="Save as version 2").click()
    cofac.wait_for_url(f"**/declarations/{declaration_id}/versions/2")
    expect(
        cofac.get_by_text("Version 2 is saved: it merges 2 amendments and 1 direct edit.")
    ).to_be_in_viewport()
    expect(cofac.get_by_text("Current version: 2")).to_be_visible()
    expect(cofac.locator("p.paragraph-text", has_text=COMPROMISE)).to_be_visible()
    expect(cofac.get_by_label("Version", exact=True)).to_have_value("2")
    expect(cofac.locator("#version-select option:checked")).to_contain_text("(current)")
    versions = cofac.get_by_role("region", name="Versions")
    expect(versions.get_by_text("Second draft: compromise on services")).to_be_visible()
    snap(cofac, "17-version-2-saved")

    # ---- Finalize and open endorsement. ----
    cofac.get_by_role("link", name="Endorsement", exact=True).click()
    expect(cofac.get_by_role("heading", name="Endorsement", exact=True)).to_be_visible()
    cofac.get_by_role("button", name="Finalize version 2").click()
    expect(cofac.get_by_text("Freeze version 2 of")).to_be_visible()
    snap(cofac, "18-endorsement-confirm-finalize")
    cofac.get_by_role("button", name="Yes, finalize version 2").click()
    expect(cofac.get_by_text("Version 2 is now the final text.")).to_be_visible()
    expect(cofac.get_by_role("heading", name="The final text: version 2")).to_be_visible()
    snap(cofac, "19-endorsement-final")
    cofac.get_by_role("button", name="Open endorsement").click()
    cofac.get_by_role("button", name="Yes, open endorsement").click()
    expect(cofac.get_by_text("Endorsement is open.", exact=True)).to_be_visible()
    expect(cofac.get_by_text("No city has signed yet.")).to_be_visible()
    snap(cofac, "20-endorsement-open")

    api = httpx.Client(base_url=f"{server}/api", timeout=30)
    token = api.post(
        "/auth/token", data={"username": OBSERVER.email, "password": OBSERVER.password}
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    final = api.get(f"/declarations/{declaration_id}/versions/2", headers=auth).json()
    fingerprint = final["content_hash"]
    assert fingerprint.startswith("sha256:")

    # ---- Three mayors sign; Mechelen's, on a phone, mistypes the password first. ----
    signers = ((MAYOR_MECHELEN, 360, "BE"), (MAYOR_SAOPAULO, 1280, "BR"), (MAYOR_TOKYO, 360, "JP"))
    for seq, (mayor, width, country) in enumerate(signers, start=1):
        page = open_page(width, 800 if width == 360 else 900)
        city = mayor.city
        slug = {"Mechelen": "mechelen", "São Paulo": "sao-paulo", "東京都": "tokyo"}[city]
        size = f"-{width}" if width == 360 else ""
        sign_in_as(page, mayor)
        # Straight to signing: the list says the declaration awaits this city's signature.
        expect(page.get_by_text("Awaits your signature.")).to_be_visible()
        page.get_by_role("link", name=f"Read and sign for {city}").click()
        sign_panel = page.get_by_role("region", name=f"Sign for {city}")
        # The whole text, in the page's flow (no inner scroll box), and the form after its end.
        end = page.get_by_text("End of the text of version 2.")
        expect(end).to_be_visible()
        assert (
            page.locator(".final-text").evaluate("e => getComputedStyle(e).overflowY") == "visible"
        )
        assert end.bounding_box()["y"] < sign_panel.bounding_box()["y"]
        statement = sign_panel.locator(".statement")
        expect(statement).to_contain_text(f"You are signing version 2 of “{TITLE}”")
        expect(statement).to_contain_text(f"the whole text above, for {city} ({country})")
        expect(statement).not_to_contain_text("sha256:")  # the fingerprint is a technical detail
        sign_panel.get_by_text("Technical details").click()
        expect(sign_panel.locator("details.technical")).to_contain_text(fingerprint)
        if width == 360:  # on a phone, a link jumps past the text to the form
            page.evaluate("window.scrollTo(0, 0)")
            page.get_by_role("link", name="Go to the signing form").click()
            expect(sign_panel).to_be_in_viewport()
        expect(sign_panel.get_by_text(f"{mayor.name}, {mayor.title}")).to_be_visible()
        password = sign_panel.get_by_label("Your password, to confirm it is you")
        if seq == 1:
            snap(page, f"21-sign-{slug}{size}")
            password.fill("not-my-password")
            sign_panel.get_by_role("button", name=f"Sign for {city}").click()
            expect(sign_panel.get_by_text("The password is wrong.")).to_be_visible()
            expect(password).to_have_value("")
            expect(sign_panel.get_by_text("✓ Signed")).to_have_count(0)
            snap(page, f"22-sign-wrong-password-{slug}{size}")
            signatures = api.get(f"/declarations/{declaration_id}/signatures", headers=auth)
            assert signatures.json()["total"] == 0
        password.fill(mayor.password)
        sign_panel.get_by_role("button", name=f"Sign for {city}").click()
        expect(page.get_by_text(f"Signed for {city}. Keep your receipt.")).to_be_visible()
        receipt = sign_panel.get_by_role("status").filter(has_text="✓ Signed")
        expect(receipt).to_contain_text(f"✓ Signed: {city}")
        expect(receipt).to_contain_text(f"Entry in the log{seq}")
        expect(receipt).to_contain_text(fingerprint)
        expect(receipt.get_by_role("button", name="Print or save as PDF")).to_be_visible()
        expect(
            sign_panel.get_by_text(re.compile(rf"{city} signed on .* \(log entry {seq}\)"))
        ).to_be_visible()
        expect(page.get_by_role("heading", name=f"Signatories ({seq})")).to_be_visible()
        with page.expect_download() as download:
            receipt.get_by_role("button", name="Download the receipt (JSON)").click()
        saved = json.loads(download.value.path().read_text(encoding="utf-8"))
        assert (saved["kind"], saved["seq"], saved["city"]["name"]) == ("endorsement", seq, city)
        snap(page, f"{22 + seq}-signed-{slug}{size}")

    # ---- Mechelen's mayor, on another computer, gets the receipt again. ----
    desk = open_page()
    sign_in_as(desk, MAYOR_MECHELEN)
    expect(desk.get_by_text("Mechelen has signed.")).to_be_visible()
    open_declaration(desk)
    # The final text invites no amendment and no comment.
    expect(
        desk.get_by_text("This is the final text (version 2): it is no longer amended.")
    ).to_be_visible()
    expect(desk.locator(".margin-button.is-quiet")).to_have_count(0)
    desk.get_by_role("link", name="Final text and signatures").click()
    sign_panel = desk.get_by_role("region", name="Sign for Mechelen")
    signed = sign_panel.get_by_text(re.compile(r"Mechelen signed on .* \(log entry 1\)"))
    expect(signed).to_be_visible()
    expect(sign_panel.get_by_text("✓ Signed")).to_have_count(0)  # nothing kept on this computer
    sign_panel.get_by_role("button", name="Get our receipt").click()
    receipt = sign_panel.get_by_role("status").filter(has_text="✓ Signed")
    expect(receipt).to_contain_text("✓ Signed: Mechelen")
    expect(receipt).to_contain_text("Entry in the log1")
    expect(receipt).to_contain_text("2 hashes")  # its proof in the latest tree, of 3 entries
    expect(sign_panel.get_by_role("button", name="Get our receipt")).to_have_count(0)
    snap(desk, "26-receipt-again-mechelen")

    # ---- The co-facilitator closes and seals. ----
    cofac.reload()
    expect(cofac.get_by_role("heading", name="Signatories (3)")).to_be_visible()
    cofac.get_by_role("button", name="Close endorsement").click()
    expect(cofac.get_by_text("Close endorsement and seal the log?")).to_be_visible()
    snap(cofac, "27-endorsement-confirm-close")
    cofac.get_by_role("button", name="Yes, close and seal").click()
    expect(
        cofac.get_by_role("status").filter(has_text="Endorsement is closed and the log sealed.")
    ).to_be_visible()
    cofac.get_by_text("Technical details: the signature log").click()
    expect(cofac.get_by_text(re.compile(r"3 entries, root .* \(sealed\)"))).to_be_visible()
    snap(cofac, "28-endorsement-closed")

    # ---- The SRSG's office downloads the signed declaration. ----
    observer = open_page()
    sign_in_as(observer, OBSERVER)
    open_declaration(observer)
    observer.get_by_role("link", name="Final text and signatures").click()
    expect(observer.get_by_role("heading", name="The signed declaration")).to_be_visible()
    table = observer.get_by_role("table", name="Signatories, in the order they signed")
    expect(table.get_by_role("row")).to_have_count(4)  # the header and three cities
    for city in ("Mechelen", "São Paulo", "東京都"):
        expect(table.get_by_role("rowheader", name=city)).to_be_visible()
    snap(observer, "29-observer-signed-declaration")
    with observer.expect_download() as download:
        observer.get_by_role("button", name="Download JSON").click()
    assert download.value.suggested_filename == f"signed-declaration-{declaration_id}.json"
    bundle_path = tmp_path / download.value.suggested_filename
    download.value.save_as(bundle_path)
    with observer.expect_download() as download:
        observer.get_by_role("button", name="Download ZIP (both)").click()
    zip_path = tmp_path / download.value.suggested_filename
    download.value.save_as(zip_path)
    assert zip_path.read_bytes()[:2] == b"PK"

    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    text = bundle["text"]
    at = text.index("Newcomers")
    tampered = dict(bundle, text=text[:at] + "n" + text[at + 1 :])
    tampered_path = tmp_path / "tampered.json"
    tampered_path.write_text(json.dumps(tampered, ensure_ascii=False, indent=2), encoding="utf-8")

    jwks = api.get("/.well-known/jwks.json").json()
    forged = reseal(bundle, SigningKey.generate(), bundle["entries"][:-1])  # Tokyo dropped
    forged_path = tmp_path / "forged.json"
    forged_path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")

    # ---- Anyone, not signed in, verifies it on the public page, against the platform's keys
    # (by default): valid; the altered copy and the forger's, not. Against the file's own keys
    # the forger's copy is consistent, and the page says its origin is unproven. ----
    for width, height, valid_file in ((1280, 900, zip_path), (360, 800, bundle_path)):
        page = open_page(width, height)
        size = "" if width == 1280 else "-360"
        page.goto("/verify")
        expect(page.get_by_role("heading", name="Verify a signed declaration")).to_be_visible()
        expect(page.get_by_role("link", name="Sign in")).to_be_visible()
        expect(page.get_by_label("The keys this platform publishes")).to_be_checked()
        page.get_by_label("Choose a file").set_input_files(valid_file)
        verdict = page.get_by_role("heading", name="✓ Valid: 3 signatories")
        expect(verdict).to_be_visible()
        expect(page.get_by_text("checked against the keys this platform publishes")).to_be_visible()
        expect(page.get_by_text(valid_file.name, exact=True)).to_be_visible()
        facts = page.locator("dl.facts")
        expect(page.locator(".verdict-sentence")).to_have_text(
            "The text is exactly the one signed, and the 3 signatures in it are genuine."
        )
        expect(facts).to_contain_text(f"{TITLE} (id {declaration_id}, version 2)")
        expect(facts).to_contain_text(fingerprint)
        expect(facts).to_contain_text("3 entries; the seal covers 3")
        expect(facts).to_contain_text("(sealed at close).")
        expect(facts).to_contain_text(f"Seal signed by key{jwks['keys'][0]['kid']}")
        signatories = page.get_by_role("table", name="Signatories, in the order they signed")
        for city in ("Mechelen", "São Paulo", "東京都"):
            expect(signatories.get_by_role("rowheader", name=city)).to_be_visible()
        snap(page, f"{30 if width == 1280 else 32}-verify-valid{size}")

        page.get_by_label("Choose a file").set_input_files(tampered_path)
        expect(
            page.get_by_role("heading", name=re.compile(r"^✗ Not valid: \d+ problems?$"))
        ).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile("Valid: 3"))).to_have_count(0)
        verdict_sentence = page.locator(".verdict-sentence")
        expect(verdict_sentence).to_have_text("The text was changed after signing.")
        problems = page.locator("ol.problems")
        expect(problems).to_contain_text(
            re.compile(
                r"text: its hash sha256:\w+ does not match content_hash .* \(the text was altered\)"
            )
        )
        expect(
            page.get_by_role("table", name="Signatories, in the order they signed")
        ).to_have_count(0)
        snap(page, f"{31 if width == 1280 else 33}-verify-tampered{size}")

        page.get_by_label("Choose a file").set_input_files(forged_path)
        expect(page.get_by_role("heading", name="✗ Not valid: 1 problem")).to_be_visible()
        expect(page.locator("ol.problems")).to_contain_text("which is not in the key set")
        expect(verdict_sentence).to_contain_text("not sealed with this platform’s keys")
        page.get_by_label("Only the keys inside the file").check()
        page.get_by_label("Choose a file").set_input_files(forged_path)
        expect(
            page.get_by_role(
                "heading", name="Consistent, but who made it is unproven: 2 signatories"
            )
        ).to_be_visible()
        snap(page, f"{34 if width == 1280 else 35}-verify-forged-unproven{size}")

    # ---- And through the API: closed, three standing signatures, a seal over three entries. ----
    declaration = api.get(f"/declarations/{declaration_id}", headers=auth).json()
    assert (declaration["status"], declaration["final_version"]) == ("closed", 2)
    signatures = api.get(f"/declarations/{declaration_id}/signatures", headers=auth).json()
    assert signatures["total"] == 3
    assert [s["city"]["name"] for s in signatures["items"]] == ["Mechelen", "São Paulo", "東京都"]
    assert [s["seq"] for s in signatures["items"]] == [1, 2, 3]
    assert not any(s["withdrawn"] for s in signatures["items"])
    checkpoint = api.get(f"/declarations/{declaration_id}/log/checkpoint").json()
    assert (checkpoint["tree_size"], checkpoint["final"]) == (3, True)
    assert checkpoint["content_hash"] == fingerprint
    seal = seal_payload(bundle)
    assert (seal["tree_size"], seal["final"], seal["content_hash"]) == (3, True, fingerprint)
    assert seal["root_hash"] == checkpoint["root_hash"]
    assert len(bundle["entries"]) == 3
    version_text = api.get(f"/declarations/{declaration_id}/versions/2/text", headers=auth)
    assert version_text.text == text and COMPROMISE in text
    amendments = api.get(f"/declarations/{declaration_id}/amendments", headers=auth).json()
    status = {a["id"]: a["status"] for a in amendments["items"]}
    assert status[mechelen_amendment] == "merged"
    assert status[kampala_amendment] == "merged"  # reconciled by the compromise wording
    # `concord verify`'s checks agree, against the keys the platform publishes: the downloads hold
    # three valid signatures, the altered copy is refused for its text.
    for path in (bundle_path, zip_path):
        report = verify_bundle(read_bundle(path), jwks)
        assert report.ok, report.problems
        assert [signatory.city["name"] for signatory in report.signatories] == [
            "Mechelen",
            "São Paulo",
            "東京都",
        ]
        assert (report.tree_size, report.final) == (3, True)
    report = verify_bundle(read_bundle(tampered_path), jwks)
    assert not report.ok
    assert any("(the text was altered)" in problem for problem in report.problems)
