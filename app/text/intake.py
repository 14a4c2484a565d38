"""Normalise and bound text on its way in, refusing characters that could disguise it."""

import re
import unicodedata

MAX_TEXT_BYTES = 2_000_000
MAX_PARAGRAPH_CHARS = 20_000
MAX_PARAGRAPHS = 5_000
MAX_LINE_CHARS = 2_000  # titles, names: a single line

# Bidirectional embeddings, overrides and isolates reorder what a reader sees without
# changing the bytes that get signed, so a signed text must not carry them.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# C0 controls other than tab and line feed, DEL and C1 controls.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_REFUSED = re.compile(f"[{_BIDI_CONTROLS}{_CONTROLS}]")
# In one-line fields (names, titles) invisible characters only serve to impersonate.
_INVISIBLE = re.compile("[\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff\t\n]")


class TextRejected(ValueError):
    """The text cannot be accepted; `code` says why in machine terms."""

    def __init__(self, message: str, *, code: str = "invalid_text", too_large: bool = False):
        super().__init__(message)
        self.code = code
        self.too_large = too_large


def normalize_text(raw: str, *, field: str = "text", max_bytes: int = MAX_TEXT_BYTES) -> str:
    """NFC, LF line ends, no BOM; refuse bidi overrides and control characters."""
    if len(raw.encode("utf-8", "surrogatepass")) > max_bytes:
        raise TextRejected(
            f"The {field} is larger than {max_bytes:,} bytes.", code="too_large", too_large=True
        )
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _refuse_surrogates(text, field)
    bad = _REFUSED.search(text)
    if bad:
        raise TextRejected(
            f"The {field} contains the invisible control character U+{ord(bad.group()):04X} "
            f"at position {bad.start()}; remove it and try again.",
            code="forbidden_character",
        )
    return unicodedata.normalize("NFC", text)


def normalize_line(raw: str, *, field: str, max_chars: int = MAX_LINE_CHARS) -> str:
    """A one-line field such as a name or title: trimmed, NFC, no invisible characters."""
    text = normalize_text(raw, field=field, max_bytes=max_chars * 4).strip()
    bad = _INVISIBLE.search(text)
    if bad:
        raise TextRejected(
            f"The {field} contains the invisible character U+{ord(bad.group()):04X}.",
            code="forbidden_character",
        )
    if not text:
        raise TextRejected(f"The {field} must not be empty.", code="empty")
    if len(text) > max_chars:
        raise TextRejected(f"The {field} is longer than {max_chars} characters.", code="too_long")
    return text


def _refuse_surrogates(text: str, field: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise TextRejected(
            f"The {field} is not valid Unicode (lone surrogate at position {exc.start}).",
            code="invalid_unicode",
        ) from None
