"""The app in the reader's language, in the browser: a mayor chooses Arabic in the header and
reads the endorsement page right to left, signs and keeps the receipt, with no English left on
the page but the declaration's own text, names and hashes (the account page likewise); anyone
checks the sealed declaration on /verify in French. Screenshots at 1280 and 360 px (axe runs on
each)."""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from app.demo import ACCOUNTS
from tests.e2e.test_life_of_a_declaration import (  # noqa: F401 (the autouse fixture)
    patient_expectations,
    sign_in_as,
    snap,
)
from tests.e2e.test_translations import api_as

COFAC = next(a for a in ACCOUNTS if a.email.startswith("cofacilitator"))
ADMIN = next(a for a in ACCOUNTS if a.email.startswith("admin"))
MAYOR = next(a for a in ACCOUNTS if a.email.startswith("mayor.mechelen"))
TITLE = "Declaration on Cities and Climate"
TEXT = (
    "We, mayors and governors, meeting in Mechelen,\n\n"
    "1. Commit to halve our cities' emissions by 2035.\n\n"
    "2. Call on States to support local climate action."
)

# Words written in Latin letters that are not English sentences of the app: technical names and
# formats every language writes so, the brand, and language tags.
TECHNICAL = {
    "Concord",
    "CSV",
    "csv",
    "ISO",
    "PDF",
    "JSON",
    "ZIP",
    "XML",
    "txt",
    "SHA",
    "SHA-256",
    "ES256",
    "JWKS",
    "PIN",
    "Akoma",
    "Ntoso",
    "UTC",
    "Merkle",
    "id",
    "en",
    "ar",
    "fr",
    "zh",
    "ru",
    "es",
}

LOCALES = Path(__file__).parents[2] / "frontend" / "src" / "i18n" / "locales"
WORD = r"[^\W\d_][\w'’-]*"


def catalogue_words(language: str) -> set[str]:
    """Every word of a language's catalogues (all its parts)."""
    words: set[str] = set()

    def gather(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                gather(item)
        else:
            words.update(re.findall(WORD, re.sub(r"{{[^}]*}}|<[^>]*>", " ", str(value))))

    for part in (LOCALES / language).glob("*.json"):
        gather(json.loads(part.read_text(encoding="utf-8")))
    return words


# The words of a page's main content (the header, the footer and the bell are the layout's),
# outside what is the declaration's or its people's own: the text (final text, code, hashes),
# names (bdi, the signatories' cities) and what is marked English on purpose (lang=en).
WORDS_SHOWN = """() => {
  const skip = 'code, pre, .final-text, bdi, th[dir=auto], td[dir=auto], [lang=en], svg title, '
    + '.visually-hidden-file, noscript';
  const main = document.querySelector('main');
  const found = [];
  const note = (text, where) => found.push([text, where]);
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || element.closest(skip) || element.closest('script, style, [hidden]')) continue;
    note(walker.currentNode.textContent, element.tagName.toLowerCase());
  }
  for (const element of main.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (element.closest(skip)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
      note(element.getAttribute(name) ?? '', `${element.tagName.toLowerCase()}@${name}`);
  }
  note(document.title, 'title');
  return found;
}"""


def english_left(page, language: str, *own_words: str) -> str:
    """The English words in the page's main content, one a line with where they are ("" when
    there are none). In a language not written in Latin letters that is any word in them; in
    French or Spanish, any word of the English catalogues that the language's do not have.
    Technical names and the declaration's and its people's own words are not counted."""
    own = set(TECHNICAL)
    for text in own_words:
        own.update(re.findall(WORD, text))
    latin = language in {"fr", "es"}
    english = catalogue_words("en") - catalogue_words(language) if latin else set()
    left = []
    for text, where in page.evaluate(WORDS_SHOWN):
        for word in re.findall(WORD, text):
            foreign = word in english if latin else re.fullmatch(r"[A-Za-z0-9'’-]+", word)
            if foreign and word not in own:
                left.append(f"{word} ({where}: {text.strip()[:80]})")
    return "\n".join(left)


# A file input's own button and "No file chosen" are in the browser's language, not the reader's:
# the app's file inputs hide behind their labels.
FILE_INPUTS_SHOWN = (
    """(inputs) => inputs.filter((input) => input.getBoundingClientRect().width > 1).length"""
)


def choose_language(page, code: str) -> None:
    page.locator("#ui-language").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_a_mayor_signs_in_arabic_and_anyone_verifies_in_french(open_page, server, tmp_path):
    api = api_as(server, COFAC)
    did = api.post("/declarations", json={"title": TITLE, "text": TEXT}).json()["id"]
    api.post(f"/declarations/{did}/finalize", json={"version": 1}).raise_for_status()
    api.post(f"/declarations/{did}/endorsement/open", json={}).raise_for_status()
    own = (TITLE, TEXT, MAYOR.name, MAYOR.title or "", "Mechelen", "BE")

    # The bell's count is read first: in Arabic its name for one unread notice ("one unread
    # notice", no digit) does not contain the "1" it shows, which axe refuses on every screenshot
    # (the bell's own words, reported to its owner; this test is about the endorsement page).
    mayor_api = api_as(server, MAYOR)
    mayor_api.post("/me/notifications/read", json={"all": True}).raise_for_status()

    # ---- The mayor chooses Arabic in the header: the page reads right to left. ----
    mayor = open_page()
    sign_in_as(mayor, MAYOR)
    choose_language(mayor, "ar")
    expect(mayor.locator("html")).to_have_attribute("dir", "rtl")
    mayor.goto(f"/declarations/{did}/endorsement")
    panel = mayor.locator("#signing")
    expect(panel.get_by_role("heading", name="التوقيع باسم Mechelen")).to_be_visible()
    expect(mayor.locator(".stages-now")).to_contain_text("المرحلة")
    assert english_left(mayor, "ar", *own) == ""
    snap(mayor, "l1-endorsement-ar-1280")

    # ---- Signs with the password: the receipt and the signatories, still in Arabic. ----
    panel.locator("input[type=password]").fill(MAYOR.password)
    panel.locator("button[type=submit]").click()
    expect(mayor.get_by_text("تم التوقيع باسم Mechelen. احتفظ بإيصالك.")).to_be_visible()
    expect(mayor.locator(".receipt-title")).to_contain_text("✓ تم التوقيع")
    expect(mayor.locator(".signatories table caption")).to_have_text("الموقِّعون، بحسب ترتيب توقيعهم")
    # The chart's axis labels stay inside it, right to left around it or not.
    outside = mayor.locator(".timeline svg").evaluate("""(svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')].filter((label) => {
        const at = label.getBoundingClientRect();
        return at.left < box.left - 0.5 || at.right > box.right + 0.5;
      }).map((label) => label.textContent);
    }""")
    assert outside == [], f"axis labels drawn outside the chart: {outside}"
    mayor.locator(".sign-panel details.technical summary").click()
    mayor.locator(".receipt details.technical summary").click()
    assert english_left(mayor, "ar", *own) == ""
    snap(mayor, "l2-endorsement-ar-signed-1280")

    phone = open_page(360, 800)
    sign_in_as(phone, MAYOR)
    choose_language(phone, "ar")
    phone.goto(f"/declarations/{did}/endorsement")
    expect(phone.locator(".receipt, .sign-panel").first).to_be_visible()
    expect(phone.locator(".signatories table")).to_be_visible()
    assert english_left(phone, "ar", *own) == ""
    snap(phone, "l3-endorsement-ar-360")

    # ---- The account page, where a mayor adds a passkey, in Arabic too. ----
    phone.goto("/account")
    expect(phone.get_by_role("heading", name="مفاتيح المرور الخاصة بك")).to_be_visible()
    assert english_left(phone, "ar", *own, MAYOR.email) == ""
    snap(phone, "l4-account-ar-360")

    # ---- Sealed; anyone checks it on /verify in French (nothing signed in). ----
    api.post(f"/declarations/{did}/endorsement/close").raise_for_status()
    bundle = tmp_path / "bundle.json"
    bundle.write_bytes(api.get(f"/declarations/{did}/signed-declaration").content)
    for width in (1280, 360):
        reader = open_page(width, 900)
        reader.goto("/verify")
        choose_language(reader, "fr")
        heading = reader.get_by_role("heading", name="Vérifier une déclaration signée")
        expect(heading).to_be_visible()
        reader.get_by_label("Choisir un fichier").set_input_files(str(bundle))
        expect(reader.get_by_role("heading", name="✓ Valide : 1 signataire")).to_be_visible()
        keys = reader.get_by_text("vérifié au moyen des clés publiées par cette plateforme")
        expect(keys).to_be_visible()
        reader.locator(".verdict-section details.technical summary").click()
        assert english_left(reader, "fr", *own) == ""
        snap(reader, f"l5-verify-fr-{width}")
    reader.get_by_label(
        "Un fichier de jeu de clés (JWKS) auquel je fais confiance", exact=False
    ).check()
    expect(reader.get_by_text("Fichier du jeu de clés", exact=True)).to_be_visible()
    assert reader.locator("main input[type=file]").evaluate_all(FILE_INPUTS_SHOWN) == 0

    # The same check right to left, in Arabic: the verdict in Arabic, the findings as the CLI's.
    choose_language(reader, "ar")
    reader.get_by_label("المفاتيح التي تنشرها هذه المنصة", exact=False).check()
    reader.get_by_label("اختيار ملف").set_input_files(str(bundle))
    expect(reader.get_by_role("heading", name="✓ صالح: موقِّع واحد")).to_be_visible()
    assert english_left(reader, "ar", *own, "bundle", "json") == ""
    # A signer's name in Latin letters does not turn its cell left to right (on a phone the
    # cell's label would land after the name).
    signer = reader.locator(".data-table td[data-label='وقّع عنها']")
    assert signer.evaluate("(cell) => getComputedStyle(cell).direction") == "rtl"
    snap(reader, "l5-verify-ar-360")


def test_the_secretariat_in_russian(open_page, server):
    """The secretariat's desk in Russian: no English left but the cities' and people's own
    names, e-mail addresses and country codes, and the CSV values a file must carry."""
    api = api_as(server, ADMIN)
    own = []
    for path in ("/cities", "/users"):
        for item in api.get(path, params={"limit": 100}).json()["items"]:
            own += [str(item.get(field) or "") for field in ("name", "country", "email", "title")]
            own += [str((item.get("city") or {}).get(field) or "") for field in ("name", "country")]
    page = open_page()
    sign_in_as(page, ADMIN)
    choose_language(page, "ru")
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Секретариат", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Учётные записи"))).to_be_visible()
    page.get_by_text("Новая учётная запись", exact=True).click()
    page.get_by_text("Импортировать учётные записи из CSV", exact=True).click()
    assert english_left(page, "ru", *own) == ""
    assert page.locator("main input[type=file]").evaluate_all(FILE_INPUTS_SHOWN) == 0
    snap(page, "l6-admin-ru-1280")
