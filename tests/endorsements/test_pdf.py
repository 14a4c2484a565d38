"""The signed declaration's PDF and ZIP: names in their own scripts, user text kept as text."""

import io
import json
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest

from app.endorsements.bundle import build_zip, paragraphs_of, render_pdf, verify_readme
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.verify import verify_bundle

from .conftest import ALL_SIGN, CITIES, Log, make_log

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e"
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)


def extracted(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's words as pdftotext reads them, without bidi controls or Arabic vowel marks.

    pdftotext puts a shadda before the letter it sits on when that letter is part of a
    ligature; the letters themselves are what tells us the name was set in Arabic glyphs.
    """
    path = tmp_path / "declaration.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    kept = "".join(c for c in text if not unicodedata.combining(c) and c not in BIDI_CONTROLS)
    return " ".join(kept.split())  # table cells wrap: compare words, not line breaks


def fonts_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def pdf(log: Log) -> bytes:
    return render_pdf(log.bundle())


def test_is_a_pdf(pdf):
    assert pdf.startswith(b"%PDF-")
    assert b"Mechelen Declaration on Cities and Migration" in pdf  # the document title metadata


@needs_poppler
def test_names_come_out_in_their_own_scripts(pdf, tmp_path):
    text = extracted(pdf, tmp_path)
    for name in ["Mechelen", "Malmö", "São Paulo", "東京", "小池 百合子", "Katrin Stjernfeldt"]:
        assert name in text
    assert "عمان" in text  # عمّان without its shadda
    assert "Киев" in text and "Виталий Кличко" in text  # withdrawn, listed as such
    assert "Withdrawn endorsements" in text


@needs_poppler
def test_every_script_is_set_in_a_font_that_has_it(pdf, tmp_path):
    fonts = fonts_of(pdf, tmp_path)
    for face in ["NotoSerif-Regular", "NotoSerifCJKjp", "NotoNaskhArabic"]:
        assert face in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes " in line  # embedded


@needs_poppler
def test_fingerprint_seal_and_numbered_text(log, pdf, tmp_path):
    text = extracted(pdf, tmp_path)
    report = verify_bundle(log.bundle())
    assert report.declaration["content_hash"] in text
    assert report.root_hash in text
    assert "9 (endorsements and withdrawals)" in text
    assert "1. We, mayors and local and regional leaders" in text
    assert "3. We will share what works — «Ça marche»" in text
    assert "concord verify signed-declaration.zip" in text
    assert "/verify page (https://PLATFORM/verify" in " ".join(text.split())  # non-experts


@needs_poppler
def test_how_to_verify_says_what_a_passkey_signature_proves(pdf, tmp_path):
    text = extracted(pdf, tmp_path)
    assert (
        "A mayor who signed with a passkey (“passkey” under Confirmed in the signatories) "
        "signed with their own device, not only through the platform: the bundle holds their "
        "authenticator’s signature over this text’s fingerprint, with the passkey’s public key. "
        "The /verify page and concord verify check that signature too"
    ) in text


@needs_poppler
def test_the_platforms_key_to_compare_out_of_band(log, pdf, tmp_path):
    text = extracted(pdf, tmp_path)
    key = log.ring.current
    fingerprint = key.certificate_fingerprint
    assert (
        (  # pdftotext reads the grid column by column
            "The platform’s signing key it signed the seal; compare it out of band "
            "Key (RFC 7638 thumbprint) Certificate SHA-256 "
            f"{key.kid} {fingerprint[:47]} {fingerprint[48:]}"
        )
        in text
    )


@needs_poppler
def test_user_text_is_never_markup(ring, tmp_path):
    hostile = '#panic("x") *bold* $x$ ] [ \\ "quoted" <label> @ref = heading'
    cities = [({"id": 1, "name": hostile, "country": "BE"}, {"name": "#sys", "title": "]"})]
    text = '# #set page(paper: "a0")\n\n_not emphasis_ and `not code`\n'
    bundle = make_log(ring, [("endorse", 0)], text=text, cities=cities).bundle()
    out = extracted(render_pdf(bundle), tmp_path)
    assert hostile in out
    assert "#sys, ]" in out
    assert '#set page(paper: "a0")' in out and "_not emphasis_ and `not code`" in out


def test_a_bundle_that_does_not_verify_is_not_rendered(log):
    bundle = log.bundle()
    bundle["text"] += "An added sentence.\n"
    with pytest.raises(ValueError, match="does not verify: text: its hash"):
        render_pdf(bundle)


def test_the_same_bundle_gives_the_same_pdf(log, pdf):
    assert render_pdf(log.bundle()) == pdf


def test_keys_from_before_a_rotation_are_listed(tmp_path):
    old = KeyRing(SigningKey.generate())
    new = KeyRing(SigningKey.generate(), (old.current.retired(),))
    log = make_log(old, ALL_SIGN[:2])
    log.ring = new
    out = render_pdf(log.bundle())
    assert out.startswith(b"%PDF-")


class TestParagraphNumbers:
    def test_headings_are_not_numbered(self):
        assert [p["number"] for p in paragraphs_of("# A\n\nb\n\n# C\n\nd\n\ne\n")] == [
            None, 1, None, 2, 3,
        ]  # fmt: skip

    def test_a_text_that_numbers_itself_is_not_numbered_twice(self):
        text = "Preamble.\n\n1. We agree.\n\n2. We commit.\n\n3. We ask.\n"
        assert [p["number"] for p in paragraphs_of(text)] == [None, None, None, None]
        assert [p["number"] for p in paragraphs_of("In 2017 we met.\n\nWe agree.\n")] == [1, 2]


class TestZip:
    def test_holds_the_bundle_the_pdf_and_the_readme(self, log, pdf):
        bundle = log.bundle()
        archive = zipfile.ZipFile(io.BytesIO(build_zip(bundle, pdf)))
        assert archive.namelist() == ["bundle.json", "declaration.pdf", "README.txt"]
        assert json.loads(archive.read("bundle.json")) == bundle
        assert archive.read("declaration.pdf") == pdf
        readme = archive.read("README.txt").decode()
        key = log.ring.current
        assert readme == verify_readme(key.kid, key.certificate_fingerprint)
        assert f"RFC 7638 thumbprint (kid)     {key.kid}\n" in readme
        assert f"certificate SHA-256           {key.certificate_fingerprint}\n" in readme
        assert "concord verify signed-declaration.zip --jwks https://" in readme
        assert "Open https://PLATFORM/verify (no account needed)" in readme
        assert "A mayor who signed with a passkey signed with their own device" in readme
        assert archive.getinfo("bundle.json").date_time == (2017, 11, 18, 9, 0, 0)

    def test_renders_the_pdf_when_not_given_one(self, log):
        archive = zipfile.ZipFile(io.BytesIO(build_zip(log.bundle())))
        assert archive.read("declaration.pdf").startswith(b"%PDF-")


def test_cities_fixture_covers_the_scripts_the_issue_names():
    names = " ".join(city["name"] for city, _ in CITIES)
    for name in ["Mechelen", "Malmö", "São Paulo", "東京", "عمّان", "Киев"]:
        assert name in names


def test_archival_pdf_unless_a_character_has_no_font(ring):
    plain = make_log(ring, ALL_SIGN[:1]).bundle()
    assert b"<pdfaid:part>2</pdfaid:part>" in render_pdf(plain)
    cities = [({"id": 1, "name": "Mechelen \U0010fffd", "country": "BE"}, CITIES[0][1])]
    odd = make_log(ring, [("endorse", 0)], cities=cities).bundle()
    pdf = render_pdf(odd)
    assert pdf.startswith(b"%PDF-") and b"pdfaid:part" not in pdf
