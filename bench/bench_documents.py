"""Documents, over HTTP against `concord serve` (SQLite): Basic Law v3 (≈ 890 paragraphs) as
Word; its v2 → v3 comparison as Word; the compilation text of a 400-paragraph draft with 2,000
open amendments and 10,000 comments; importing a marked-up Word file with 200 changed
paragraphs; Basic Law v3 as Akoma Ntoso, validated against the OASIS schema (cold: the schema
is loaded in the timed run).

Each request is timed from the client, the first time it is asked (nothing cached); the
negotiation is seeded straight into the database as bench_negotiation seeds it.

Run: .venv/bin/python -m bench.bench_documents
"""

import random
import shutil
import tempfile
import time
from datetime import UTC, datetime

import httpx
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.amendments.models import Amendment
from app.documents import akn
from app.documents.layout import comparison_paragraphs
from app.documents.word import DocumentInfo, write_document
from app.text.document import Para
from bench.bench_negotiation import CITIES, COMMENTS, PARAGRAPHS, Seeder, text_of_400_paragraphs
from bench.common import TEXTS, served_concord, token

CHANGED = 200
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def timed(request) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = request()
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed, response


def main() -> list[tuple[str, str, str]]:
    tmp = tempfile.mkdtemp(prefix="concord-documents-")
    url = f"sqlite:///{tmp}/documents.db"
    results: list[tuple[str, str, str]] = []
    try:
        with served_concord(database_url=url) as base:
            http = httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token(base)}"}, timeout=300
            )
            results += basic_law(http)
            results += negotiation(http, base, url)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def basic_law(http: httpx.Client) -> list[tuple[str, str, str]]:
    v2 = (TEXTS / "de-grundgesetz-v2-2012-08.txt").read_text()
    v3 = (TEXTS / "de-grundgesetz-v3-2020.txt").read_text()
    did = http.post("/api/declarations", json={"title": "Grundgesetz", "text": v2}).json()["id"]
    http.post(f"/api/declarations/{did}/versions", json={"base_version": 1, "text": v3})
    count = len(http.get(f"/api/declarations/{did}/versions/2").json()["paragraphs"])
    word, r = timed(lambda: http.get(f"/api/declarations/{did}/versions/2/document"))
    size = len(r.content)
    compare, _ = timed(
        lambda: http.get(
            f"/api/declarations/{did}/compare", params={"from": 1, "to": 2, "format": "docx"}
        )
    )
    start = time.perf_counter()
    r = http.get(f"/api/declarations/{did}/versions/2/document", params={"format": "akn"})
    r.raise_for_status()
    fetched = time.perf_counter() - start
    errors = akn.schema_errors(r.content) + akn.convention_errors(r.content)
    total = time.perf_counter() - start
    assert errors == [], errors[:3]
    again = time.perf_counter()
    akn.schema_errors(r.content)
    warm = time.perf_counter() - again
    return [
        (f"Basic Law v3 ({count} paragraphs) as Word", "< 1 s", f"{ms(word)} ({size:,} bytes)"),
        ("Basic Law v2 → v3 comparison as Word (tracked changes)", "< 1 s", ms(compare)),
        (
            "Basic Law v3 as Akoma Ntoso, with schema validation",
            "< 1 s",
            f"{ms(total)} (request {ms(fetched)}; validating again with the schema loaded "
            f"{ms(warm)})",
        ),
    ]


def negotiation(http: httpx.Client, base: str, url: str) -> list[tuple[str, str, str]]:
    rng = random.Random(17_11_2017)  # noqa: S311 (a reproducible mix, not a secret)
    r = http.post("/api/declarations", json={"title": "Drafts", "text": text_of_400_paragraphs()})
    did = r.json()["id"]
    paragraphs = http.get(f"/api/declarations/{did}/versions/1").json()["paragraphs"]
    assert len(paragraphs) == PARAGRAPHS
    from app.db import make_engine

    engine = make_engine(url)
    with Session(engine) as session:
        seeder = Seeder(session, did, paragraphs, rng)
        _, delegates = seeder.people()
        seeder.amendments(delegates)
        seeder.comments(delegates)
        # Every amendment open: the compilation shows the proposed and accepted ones.
        session.execute(
            update(Amendment)
            .where(Amendment.declaration_id == did, Amendment.status.in_(["rejected", "withdrawn"]))
            .values(status="proposed")
        )
        session.commit()
    engine.dispose()
    compilation, r = timed(lambda: http.get(f"/api/declarations/{did}/compilation"))
    results = [
        (
            f"compilation text: {PARAGRAPHS} paragraphs, 2,000 open amendments, "
            f"{COMMENTS:,} comments",
            "< 5 s",
            f"{ms(compilation)} ({len(r.content):,} bytes)",
        )
    ]
    results += word_import(http, base, did, paragraphs)
    return results


def word_import(
    http: httpx.Client, base: str, did: int, paragraphs: list[dict]
) -> list[tuple[str, str, str]]:
    city = http.post("/api/cities", json={"name": "Importing City", "country": "UG"}).json()
    http.post(
        "/api/users",
        json={
            "email": "importer@bench.example",
            "name": "Importer",
            "password": "bench-password",
            "role": "delegate",
            "city_id": city["id"],
        },
    ).raise_for_status()
    delegate = {"Authorization": f"Bearer {token(base, 'importer@bench.example')}"}
    before = [Para(p["key"], p["kind"], p["text"]) for p in paragraphs]
    body = [i for i, p in enumerate(before) if p.kind == "paragraph"][:CHANGED]
    after = list(before)
    for i in body:
        text = f"{before[i].text} Das Nähere regelt ein Gesetz."
        after[i] = Para(before[i].key, "paragraph", text)
    when = datetime.now(UTC)
    laid = comparison_paragraphs(before, after, lambda key: ("Importing City", when))
    info = DocumentInfo("Drafts", "Drafts — version 1", "version", did, 1, when)
    data = write_document(info, laid)
    url = f"/api/declarations/{did}/amendments/import"
    files = {"file": ("marked-up.docx", data, DOCX_TYPE)}
    preview, r = timed(
        lambda: httpx.post(base + url, files=files, data={"dry_run": "true"}, headers=delegate,
                           timeout=300)
    )
    assert len(r.json()["amendments"]) == CHANGED, len(r.json()["amendments"])
    imported, r = timed(
        lambda: httpx.post(base + url, files=files, headers=delegate, timeout=300)
    )
    assert len(r.json()["amendments"]) == CHANGED
    return [
        (
            f"import a Word file with {CHANGED} changed paragraphs ({CITIES} cities' draft)",
            "< 2 s",
            f"{ms(imported)} ({len(data):,} bytes; preview {ms(preview)})",
        )
    ]


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
