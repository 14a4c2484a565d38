"""The reading screens in the app's own languages: a delegation chooses Arabic in the header's
language picker, and the declarations list and a declaration's reading view (its margin, an
open paragraph's comments and amendments, the version's documents and fingerprint) are laid out
right to left with no English left in what the app itself says; then French, left to right.
The Translations page in Arabic too: the overview, side by side, the translator's view and an
uploaded translation's alignment. Screenshots at 1280 and 360 px in Arabic and in French
(axe-core checks each)."""

import re

from playwright.sync_api import expect

from app.demo import ACCOUNTS
from tests.e2e.test_life_of_a_declaration import (  # noqa: F401 (the autouse fixture)
    patient_expectations,
    sign_in_as,
    snap,
)
from tests.e2e.test_translations import api_as

TITLE = "Declaration on Cities and Languages"
TEXT = """# Principles

We, mayors and city leaders, meet to speak for the places where people of many languages live.

Every resident receives public information in a language they understand.

We will report on our progress every year."""
COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
DELEGATE = next(a for a in ACCOUNTS if a.email.startswith("delegate.kampala"))

# What the app says, without what people wrote: the text, titles, comments, names and cities
# (bdi or dir=auto, as the app marks them), fingerprints, and what is marked as another language
# (the server's English sentences, each language's own name in the picker).
APP_WORDS = """(root) => {
  const copy = root.cloneNode(true);
  copy.querySelectorAll("[dir=auto], bdi, code, pre, textarea, [lang]")
    .forEach((element) => element.remove());
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode.nodeValue);
  return texts.join(" ");
}"""
# Names that are the same in every language: the app, formats, standards and algorithms (and,
# below, the two-letter country codes).
NAMES = {
    "Concord",
    "API",
    "Word",
    "Akoma",
    "Ntoso",
    "XML",
    "SHA",
    "HTTPS",
    "txt",
    "docx",
    "UTC",
    "BCP",
}


COMMENT = "Which languages count as understood?"
RATIONALE = "Cities have more than one language."
# What people wrote, quoted in the app's own sentences: a heading's words in a paragraph's label,
# the city a form speaks for.
WRITTEN = {"Principles", "Kampala"}


def english_left(page) -> list[str]:
    """Latin words in the page's own words (header, main, footer), other than the names above
    and what people wrote."""
    words: list[str] = []
    for part in ("header", "main", "footer"):
        text = page.locator(part).evaluate(APP_WORDS)
        words += [
            w
            for w in re.findall(r"[A-Za-z]{2,}", text)
            if w not in NAMES | WRITTEN and not re.fullmatch("[A-Z]{2}", w)
        ]
    return words


def choose_language(page, code: str) -> None:
    page.locator("#ui-language").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def a_declaration_with_a_comment_and_an_amendment(server: str) -> tuple[int, str]:
    """Made through the API: the co-facilitator's text, Kampala's comment on words of its second
    paragraph and Kampala's amendment to it. Answers the declaration and that paragraph's key."""
    cofac = api_as(server, COFAC)
    did = cofac.post("/declarations", json={"title": TITLE, "text": TEXT}).json()["id"]
    paragraphs = cofac.get(f"/declarations/{did}/versions/1").json()["paragraphs"]
    second = paragraphs[2]
    delegate = api_as(server, DELEGATE)
    words = "public information"
    start = second["text"].index(words)
    delegate.post(
        f"/declarations/{did}/comments",
        json={
            "version": 1,
            "paragraph_key": second["key"],
            "body": COMMENT,
            "quote": {"exact": words, "start": start, "end": start + len(words)},
        },
    ).raise_for_status()
    delegate.post(
        f"/declarations/{did}/amendments",
        json={
            "base_version": 1,
            "action": "modify",
            "paragraph_key": second["key"],
            "text": second["text"].replace("a language", "the languages"),
            "rationale": RATIONALE,
        },
    ).raise_for_status()
    return did, second["key"]


def left_of(page, first: str, second: str) -> bool:
    """Whether the first element's box starts left of the second's."""
    a, b = (page.locator(selector).first.bounding_box() for selector in (first, second))
    return a["x"] < b["x"]


def test_the_reading_screens_in_arabic_right_to_left_then_in_french(open_page, server):
    did, key = a_declaration_with_a_comment_and_an_amendment(server)

    for width, size in ((1280, "desktop"), (360, "phone")):
        page = open_page(width=width, height=900)
        sign_in_as(page, DELEGATE)

        # ---- Arabic: the list, right to left, in Arabic. ----
        choose_language(page, "ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", name="الإعلانات", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name=TITLE)).to_be_visible()
        left = english_left(page)
        assert not left, f"English left in Arabic: {left}"
        if size == "desktop":
            # The table reads from the right: the title column stands right of the status.
            status, title = (f".declarations thead th:nth-child({n})" for n in (2, 1))
            assert left_of(page, status, title)
        snap(page, f"ar-declarations-{size}")

        # ---- Arabic: the reading view, its margin and an open paragraph's panel. ----
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
        row = page.locator(f"#p-{key}")
        margin = row.get_by_role("button", name=re.compile("الفقرة 2"))
        expect(margin).to_contain_text("تعليق واحد")
        expect(margin).to_contain_text("تعديل واحد")
        margin.click()
        panel = page.locator(".paragraph-panel")
        expect(panel.get_by_role("heading", name="الفقرة 2", exact=True)).to_be_visible()
        expect(panel).to_contain_text("نقاش مفتوح واحد")
        expect(panel).to_contain_text("إعادة صياغة الفقرة 2")
        expect(panel.get_by_text("Which languages count as understood?")).to_be_visible()
        expect(page.get_by_role("heading", name="البصمة")).to_be_visible()
        left = english_left(page)
        assert not left, f"English left in Arabic: {left}"
        if size == "desktop":
            # The paragraph number stands right of its text, the margin left of it.
            assert left_of(page, f"#p-{key} .reading-text", f"#p-{key} .paragraph-number")
            assert left_of(page, f"#p-{key} .reading-margin", f"#p-{key} .reading-text")
        snap(page, f"ar-reading-{size}")

        # ---- French: left to right again, the same screens. ----
        choose_language(page, "fr")
        expect(page.locator("html")).to_have_attribute("dir", "ltr")
        expect(panel.get_by_role("heading", name="Paragraphe 2", exact=True)).to_be_visible()
        expect(panel).to_contain_text("Nouvelle rédaction pour le paragraphe 2")
        expect(page.get_by_role("heading", name="Empreinte")).to_be_visible()
        if size == "desktop":
            assert left_of(page, f"#p-{key} .paragraph-number", f"#p-{key} .reading-text")
        snap(page, f"fr-reading-{size}")
        breadcrumb = page.get_by_role("navigation", name="Fil d’Ariane")
        breadcrumb.get_by_role("link", name="Déclarations").click()
        expect(page.get_by_role("heading", name="Déclarations", exact=True)).to_be_visible()
        if size == "desktop":
            expect(page.get_by_role("columnheader", name="Version en vigueur")).to_be_visible()
        snap(page, f"fr-declarations-{size}")


def test_comparing_versions_in_arabic(open_page, server):
    from app.demo import TITLE as DEMO

    listed = api_as(server, DELEGATE).get("/declarations", params={"limit": 100}).json()["items"]
    did = next(d["id"] for d in listed if d["title"] == DEMO)
    page = open_page()
    sign_in_as(page, DELEGATE)
    choose_language(page, "ar")
    page.goto(f"/declarations/{did}/compare?from=1&to=2")
    expect(page.get_by_role("heading", name="التغييرات من النسخة 1 إلى النسخة 2")).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("دون تغيير")
    left = english_left(page)
    assert not left, f"English left in Arabic: {left}"
    snap(page, "ar-compare-desktop")
    page.get_by_text("جنبًا إلى جنب").click()
    expect(page.locator(".side-label").first).to_have_text("النسخة 1")
    left = english_left(page)
    assert not left, f"English left in Arabic: {left}"
    snap(page, "ar-compare-side-desktop")
    # The bell's list opens towards the page, inside it, right to left as left to right.
    page.locator(".bell-button").click()
    panel = page.get_by_role("region", name="الإشعارات")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
    left = english_left(page)
    assert not left, f"English left in Arabic: {left}"
    page.keyboard.press("Escape")
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="الصفحة غير موجودة")).to_be_visible()


ARABIC = {
    "Principles": "المبادئ",
    "We, mayors": (
        "نحن، العُمَد وقادة المدن، نجتمع لنتحدث باسم الأماكن التي يعيش فيها أناس من لغات كثيرة."
    ),
    "Every resident": "يتلقى كل مقيم المعلومات العامة بلغة يفهمها.",
    "We will report": "سنقدّم تقريرًا عن التقدم الذي نحرزه كل عام.",
}
SHARED = "We will share what we learn with other cities."


def a_declaration_translated_into_arabic(server: str) -> int:
    """Made through the API: the text translated into Arabic in version 1, then version 2 changes
    its second paragraph (outdated in Arabic) and adds a last one (missing)."""
    cofac = api_as(server, COFAC)
    did = cofac.post("/declarations", json={"title": TITLE, "text": TEXT}).json()["id"]
    paragraphs = cofac.get(f"/declarations/{did}/versions/1").json()["paragraphs"]
    arabic = [
        {"key": p["key"], "text": next(a for e, a in ARABIC.items() if p["text"].startswith(e))}
        for p in paragraphs
    ]
    cofac.put(
        f"/declarations/{did}/versions/1/translations/ar", json={"paragraphs": arabic}
    ).raise_for_status()
    second, last = paragraphs[2], paragraphs[-1]
    edits = [
        {
            "action": "modify",
            "paragraph_key": second["key"],
            "text": second["text"].replace("a language", "the languages"),
        },
        {"action": "insert", "paragraph_key": last["key"], "text": SHARED},
    ]
    cofac.post(
        f"/declarations/{did}/versions", json={"base_version": 1, "edits": edits}
    ).raise_for_status()
    return did


def no_english_left(page) -> None:
    left = english_left(page)
    assert not left, f"English left in Arabic: {left}"


def test_the_translations_page_in_arabic(open_page, server):
    did = a_declaration_translated_into_arabic(server)

    for width, size in ((1280, "desktop"), (360, "phone")):
        page = open_page(width=width, height=900)
        sign_in_as(page, COFAC)
        choose_language(page, "ar")

        # ---- The overview: the languages and their paragraphs, right to left. ----
        page.goto(f"/declarations/{did}/translations")
        expect(page.get_by_role("heading", name="الترجمات", exact=True)).to_be_visible()
        expect(page.locator(".hint").first).to_contain_text("المعروض هو النسخة 2")
        expect(page.get_by_label("فتح لغة (وسم BCP 47)")).to_be_visible()
        row = page.get_by_role("row", name="ar")
        expect(row.get_by_role("cell")).to_have_text(["3", "1", "1", "—"])
        no_english_left(page)
        if size == "desktop":
            # The language column stands right of the counts.
            assert left_of(
                page,
                ".translations-table thead th:nth-child(2)",
                ".translations-table thead th:nth-child(1)",
            )
        snap(page, f"ar-translations-{size}")

        # ---- Side by side: the outdated and the missing paragraph say so in Arabic. ----
        row.get_by_role("link", name="ar").click()
        expect(page.get_by_role("button", name="جنبًا إلى جنب")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(page.locator(".translation-counts")).to_have_text("محدّثة: 3 · متقادمة: 1 · ناقصة: 1")
        expect(page.locator(".state-badge")).to_have_text("متقادمة منذ النسخة 1")
        expect(page.locator(".bilingual-translation .missing")).to_have_text("(لم يُترجم بعد)")
        expect(page.get_by_role("button", name="تعديل ترجمة الفقرة 1", exact=True)).to_be_visible()
        no_english_left(page)
        snap(page, f"ar-translations-side-{size}")

        # ---- The translator's view: the outdated paragraph, then the missing one. ----
        page.get_by_role("button", name="عرض المترجم").click()
        step = page.locator(".translator")
        expect(step.locator("h2")).to_have_text("الفقرة 1 من 2 المطلوب ترجمتها (متقادمة)")
        expect(step.locator("h3")).to_have_text("النص المصدر، وقد تغيّر منذ النسخة 1")
        expect(page.get_by_label("الترجمة (ar)")).to_have_attribute("dir", "rtl")
        no_english_left(page)
        snap(page, f"ar-translator-{size}")
        page.get_by_role("button", name="التالي").click()
        expect(step.locator("h2")).to_have_text("الفقرة 2 من 2 المطلوب ترجمتها (ناقصة)")
        expect(step.locator("h3")).to_have_text("النص المصدر")
        no_english_left(page)

    # ---- A whole translation uploaded: its alignment reviewed in Arabic, then saved. ----
    page = open_page()
    sign_in_as(page, COFAC)
    choose_language(page, "ar")
    page.goto(f"/declarations/{did}/translations?lang=ar&view=upload")
    expect(page.get_by_role("heading", name="رفع ترجمة كاملة إلى اللغة ar")).to_be_visible()
    whole = [*ARABIC.values(), "سنتبادل ما نتعلمه مع المدن الأخرى."]
    page.get_by_label("الصق الترجمة (تُفصل الفقرات بسطر فارغ)").fill("\n\n".join(whole))
    page.get_by_role("button", name="المواءمة والمراجعة").click()
    review = page.locator(".alignment-review")
    expect(review.get_by_role("heading", name="المواءمة المعروضة للمراجعة")).to_be_visible()
    expect(review).to_contain_text("5 فقرات متناظرة فقرةً بفقرة، لا فقرة قسّمها المترجم")
    expect(review.get_by_role("columnheader", name="النص المرفوع")).to_be_visible()
    no_english_left(page)
    snap(page, "ar-translation-review-desktop")
    page.get_by_role("button", name="حفظ هذه الترجمة").click()
    expect(page.get_by_role("status").filter(has_text="حُفظت الترجمة")).to_have_text(
        "حُفظت الترجمة ar: 5 فقرات محدّثة."
    )
    page.get_by_role("button", name="عرض المترجم").click()
    expect(page.get_by_text("جميع فقرات هذه الترجمة محدّثة.")).to_be_visible()
    no_english_left(page)
