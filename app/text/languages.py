"""Language tags (BCP 47) and the direction their scripts are written in."""

import re

from app.text.intake import TextRejected

# RFC 5646 §2.1, well-formed tags (grandfathered irregular ones aside): language, extlang,
# script, region, variants, extensions, private use.
_TAG = re.compile(
    r"""^(?:
        (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
        (?:-(?P<script>[a-z]{4}))?
        (?:-(?P<region>[a-z]{2}|\d{3}))?
        (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*
        (?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*
        (?:-x(?:-[a-z\d]{1,8})+)?
      | x(?:-[a-z\d]{1,8})+
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
MAX_TAG_CHARS = 35

# Languages written right to left in their usual script, and the scripts that are.
_RTL_LANGUAGES = frozenset(
    {
        "ar",
        "arc",
        "ckb",
        "dv",
        "fa",
        "he",
        "iw",
        "ks",
        "ku",
        "pnb",
        "ps",
        "sd",
        "syr",
        "ug",
        "ur",
        "yi",
    }
)
_RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand"})
_LTR_SCRIPTS = frozenset({"latn", "cyrl"})


def language_tag(raw: str) -> str:
    """A well-formed BCP 47 tag in its conventional case (`zh-Hans-CN`, `sr-Latn`), or
    TextRejected with code `invalid_language`."""
    tag = raw.strip().replace("_", "-")
    if not tag or len(tag) > MAX_TAG_CHARS or not _TAG.match(tag):
        raise TextRejected(
            f"{raw[:40]!r} is not a BCP 47 language tag (such as en, fr, zh-Hans, ar).",
            code="invalid_language",
        )
    parts = tag.split("-")
    cased = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha() and cased[-1] not in ("x",) and len(cased) < 4:
            cased.append(part.title())
        elif len(part) == 2 and part.isalpha() and len(cased) > 0 and "x" not in cased:
            cased.append(part.upper())
        else:
            cased.append(part.lower())
    return "-".join(cased)


def direction(tag: str) -> str:
    """`rtl` for a tag whose script is written right to left (Arabic, Hebrew, Persian, …)."""
    match = _TAG.match(tag)
    script = (match["script"] or "").lower() if match and match["script"] else ""
    if script in _RTL_SCRIPTS:
        return "rtl"
    if script in _LTR_SCRIPTS:
        return "ltr"
    language = (match["language"] if match and match["language"] else tag).lower()
    return "rtl" if language.split("-")[0] in _RTL_LANGUAGES else "ltr"
