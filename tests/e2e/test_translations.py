"""A bilingual declaration in the browser: the co-facilitator uploads the Arabic translation of
the Contributor Covenant (45 paragraphs for 44: the aligner shows the split for review), reads it
side by side (right to left) at 1280 and 360 px, a new version makes one paragraph outdated and
the translator's view shows its change beside the translation; a current paragraph is corrected
side by side and the translation downloaded as Word; the Arabic is made authentic at
finalize; a mayor reads the text to sign in Arabic and signs; the sealed bundle verifies, and an
altered Arabic text is refused naming the language."""

import zipfile
from pathlib import Path

import httpx
from playwright.sync_api import expect

from app.demo import ACCOUNTS
from app.endorsements.verify import verify_bundle
from tests.e2e.test_life_of_a_declaration import (  # noqa: F401 (the autouse fixture)
    patient_expectations,
    sign_in_as,
    snap,
)

TEXTS = Path(__file__).parents[1] / "data" / "texts"
ENGLISH = (TEXTS / "contributor-covenant-v2.1.txt").read_text(encoding="utf-8")
ARABIC = (TEXTS / "translations" / "contributor-covenant-v2.1.ar.txt").read_text(encoding="utf-8")
TITLE = "Contributor Covenant (bilingual)"
COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
MAYOR = next(a for a in ACCOUNTS if a.email.startswith("mayor.mechelen"))


def api_as(server: str, account) -> httpx.Client:
    api = httpx.Client(base_url=f"{server}/api", timeout=60)
    token = api.post(
        "/auth/token", data={"username": account.email, "password": account.password}
    ).json()["access_token"]
    api.headers["Authorization"] = f"Bearer {token}"
    return api


def test_a_bilingual_declaration_from_translation_to_signed_bundle(open_page, server):
    api = api_as(server, COFAC)
    declaration = api.post("/declarations", json={"title": TITLE, "text": ENGLISH}).json()
    did = declaration["id"]

    # ---- Upload the whole Arabic translation: aligned, reviewed, saved. ----
    cofac = open_page()
    sign_in_as(cofac, COFAC)
    cofac.goto(f"/declarations/{did}/translations")
    expect(cofac.get_by_role("heading", name="Translations", exact=True)).to_be_visible()
    cofac.get_by_label("Open a language (BCP 47 tag)").fill("ar")
    cofac.get_by_role("button", name="Open", exact=True).click()
    expect(cofac.get_by_role("heading", name="Upload a whole translation into ar")).to_be_visible()
    cofac.get_by_label("Paste the translation").fill(ARABIC)
    cofac.get_by_role("button", name="Align and review").click()
    review = cofac.locator(".alignment-review")
    expect(review).to_contain_text("1 split by the translator")
    snap(cofac, "t1-translation-alignment-review")
    cofac.get_by_role("button", name="Save this translation").click()
    expect(cofac.get_by_text("Saved: 44 paragraphs current in ar.")).to_be_visible()

    # ---- Read side by side, right to left, on a desktop and on a phone. ----
    cofac.get_by_role("button", name="Side by side").click()
    arabic = cofac.locator(".bilingual-translation").first
    expect(arabic).to_have_attribute("dir", "rtl")
    expect(arabic).to_have_attribute("lang", "ar")
    expect(cofac.locator(".bilingual-source").first).to_contain_text("Contributor Covenant")
    snap(cofac, "t2-side-by-side-1280")
    phone = open_page(360, 800)
    sign_in_as(phone, COFAC)
    phone.goto(f"/declarations/{did}/translations?lang=ar&view=side")
    expect(phone.locator(".bilingual-translation").first).to_have_attribute("dir", "rtl")
    snap(phone, "t3-side-by-side-360")
    wide = phone.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > 361)
        .slice(0, 5).map((e) => e.tagName + '.' + e.className)""")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone: {width} px: {wide}"

    # ---- A new version changes the pledge: the translator's view shows what to redo. ----
    v1 = api.get(f"/declarations/{did}/versions/1").json()
    pledge = v1["paragraphs"][2]
    edit = {"action": "modify", "paragraph_key": pledge["key"],
            "text": pledge["text"].replace("harassment-free", "harassment-free and welcoming")}
    assert api.post(f"/declarations/{did}/versions",
                    json={"base_version": 1, "edits": [edit]}).status_code == 201
    cofac.goto(f"/declarations/{did}/translations?lang=ar&view=side")
    badge = cofac.locator(".bilingual-translation .state-badge")
    expect(badge).to_have_text("outdated since version 1")
    # In a right-to-left paragraph the badge follows the text on its left: a gap on its right.
    assert badge.evaluate("(e) => parseFloat(getComputedStyle(e).marginRight)") > 0
    cofac.goto(f"/declarations/{did}/translations?lang=ar&view=translator")
    step = cofac.get_by_role("heading", name="Paragraph 1 of 1 to translate (outdated)")
    expect(step).to_be_visible()
    expect(cofac.locator(".translator-source ins")).to_contain_text("and welcoming")
    snap(cofac, "t4-translator-view")
    field = cofac.get_by_label("Translation (ar)")
    expect(field).to_have_attribute("dir", "rtl")
    field.fill(field.input_value() + " ومرحِّبة")
    cofac.get_by_role("button", name="Save this paragraph").click()
    expect(cofac.get_by_text("Every paragraph of this translation is current.")).to_be_visible()

    # ---- A current paragraph corrected side by side; the translation downloaded as Word. ----
    cofac.get_by_role("button", name="Side by side").click()
    cofac.get_by_role("button", name="Edit the translation of paragraph 1", exact=True).click()
    field = cofac.get_by_role("textbox", name="Edit the translation of paragraph 1", exact=True)
    expect(field).to_have_attribute("dir", "rtl")
    field.fill("ميثاق قواعد سلوك المساهمين")
    snap(cofac, "t4b-correct-a-current-paragraph")
    cofac.get_by_role("button", name="Save", exact=True).click()
    expect(cofac.get_by_text("Paragraph 1 saved.")).to_be_visible()
    expect(cofac.locator(".bilingual-translation").first).to_contain_text("ميثاق قواعد سلوك")
    with cofac.expect_download() as download:
        cofac.get_by_role("button", name="Download as Word (.docx)").click()
    assert download.value.suggested_filename == f"declaration-{did}-v2-ar.docx"
    word = zipfile.ZipFile(download.value.path()).read("word/document.xml").decode()
    assert word.count("_concord_") == 44 and "ميثاق قواعد سلوك المساهمين" in word

    # ---- Finalize with Arabic authentic, open endorsement. ----
    cofac.goto(f"/declarations/{did}/endorsement")
    cofac.get_by_role("checkbox", name="ar").check()
    cofac.get_by_role("button", name="Finalize version 2").click()
    cofac.get_by_role("button", name="Yes, finalize version 2").click()
    expect(cofac.get_by_text("Version 2 is now the final text.")).to_be_visible()
    final_hash = api.get(f"/declarations/{did}").json()["final_hash"]
    expect(cofac.get_by_text(final_hash)).to_be_visible()
    cofac.get_by_role("button", name="Open endorsement").click()
    cofac.get_by_role("button", name="Yes, open endorsement").click()
    expect(cofac.get_by_text("Endorsement is open.", exact=True)).to_be_visible()

    # ---- A mayor reads the text in Arabic and signs the fingerprint of both texts. ----
    mayor = open_page()
    sign_in_as(mayor, MAYOR)
    mayor.goto(f"/declarations/{did}/endorsement")
    mayor.get_by_label("Read the text in").select_option("ar")
    region = mayor.get_by_role("region", name="Final text, version 2, ar")
    expect(region).to_have_attribute("dir", "rtl")
    expect(region).to_contain_text("ومرحِّبة")
    sign_panel = mayor.get_by_role("region", name="Sign for Mechelen")
    expect(sign_panel.locator(".statement")).to_contain_text("en, ar are each authentic")
    snap(mayor, "t5-mayor-reads-arabic")
    sign_panel.get_by_label("Your password, to confirm it is you").fill(MAYOR.password)
    sign_panel.get_by_role("button", name="Sign for Mechelen").click()
    expect(mayor.get_by_text("Signed for Mechelen. Keep your receipt.")).to_be_visible()

    # ---- Closed and sealed: the bundle verifies; an altered Arabic text is named. ----
    assert api.post(f"/declarations/{did}/endorsement/close").status_code == 200
    bundle = api.get(f"/declarations/{did}/signed-declaration").json()
    assert set(bundle["translations"]) == {"ar"}
    jwks = httpx.get(f"{server}/api/.well-known/jwks.json").json()
    report = verify_bundle(bundle, jwks)
    assert report.ok, report.problems
    bundle["translations"]["ar"] = bundle["translations"]["ar"].replace("تعهدنا", "وعدنا", 1)
    problems = verify_bundle(bundle, jwks).problems
    assert any(p.startswith("text (ar)") for p in problems), problems
