"""A negotiation at the scale of the next declaration: a 400-paragraph text (the first 400
paragraphs of Basic Law v3), 2,000 amendments from 200 cities, 10,000 comments. Times, over HTTP
against `concord serve`: listing and filtering amendments, merging 200 accepted amendments into
one version, and reading all 10,000 comments re-anchored onto that version (also timed as the
bare service call).

The cities, delegates, amendments, supports and comments are written straight into the served
database (through the app's models, as its services would write them): only what is measured
goes through HTTP.

Run: .venv/bin/python -m bench.bench_negotiation
     BENCH_DATABASE_URL=postgresql+psycopg://user@host:port/emptydb .venv/bin/python -m ...
     (an empty, throwaway database: the server migrates it and the bench fills it)
"""

import os
import random
import re
import shutil
import statistics
import tempfile
import time
from collections import defaultdict

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.amendments.models import Amendment, Support
from app.auth.models import City, Role, User
from app.comments.models import Comment
from app.comments.service import reanchor_comments
from app.db import make_engine
from app.declarations.service import get_version
from app.text.anchor import CONTEXT_CHARS
from app.text.diff import word_diff
from app.text.paragraphs import split_paragraphs
from bench.common import TEXTS, served_concord, token

PARAGRAPHS = 400
CITIES = 200
AMENDMENTS = 2_000
MERGED = 200
COMMENTS = 10_000
SUPPORTS = 3_000
LIST_REQUESTS = 60
PAGE = 500

WORDS = re.compile(r"\S+")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def text_of_400_paragraphs() -> str:
    blocks = split_paragraphs((TEXTS / "de-grundgesetz-v3-2020.txt").read_text())[:PARAGRAPHS]
    return "\n\n".join(("# " if b.kind == "heading" else "") + b.text for b in blocks) + "\n"


def replace_word(text: str, index: int, new: str) -> str:
    spans = [m.span() for m in WORDS.finditer(text)]
    start, end = spans[index]
    return text[:start] + new + text[end:]


class Seeder:
    """Writes the negotiation into the database the server uses."""

    def __init__(self, session: Session, did: int, paragraphs: list[dict], rng: random.Random):
        self.session = session
        self.did = did
        self.paragraphs = paragraphs
        self.rng = rng

    def people(self) -> tuple[list[City], list[User]]:
        cities = [City(name=f"Bench City {i}", country="BE", kind="city") for i in range(CITIES)]
        self.session.add_all(cities)
        self.session.flush()
        delegates = [
            User(
                email=f"delegate{i}@bench.example",
                name=f"Delegate of {c.name}",
                role=Role.delegate.value,
                city_id=c.id,
                password_hash="!",  # never signs in
            )
            for i, c in enumerate(cities)
        ]
        self.session.add_all(delegates)
        self.session.flush()
        return cities, delegates

    def amendment(self, delegate: User, action: str, paragraph: dict, text: str | None, **kw):
        base = paragraph["text"] if action != "insert" else None
        if action == "modify":
            diff = word_diff(base, text)
        elif action == "insert":
            diff = [("insert", text)]
        else:
            diff = [("delete", base)]
        return Amendment(
            declaration_id=self.did,
            city_id=delegate.city_id,
            author_id=delegate.id,
            base_version=1,
            action=action,
            paragraph_key=paragraph["key"],
            kind="paragraph" if action == "insert" else paragraph["kind"],
            base_text=base,
            text=text,
            rationale="Bench amendment.",
            diff=[list(part) for part in diff],
            **kw,
        )

    def amendments(self, delegates: list[User]) -> list[int]:
        """2,000 amendments; returns the ids of the 200 accepted ones to merge, in order."""
        rng = self.rng
        long = [p for p in self.paragraphs if len(WORDS.findall(p["text"])) >= 8]
        rng.shuffle(long)
        singles, pairs, deleted = long[:140], long[140:165], long[165:170]
        inserted_after = long[170:175]
        city = iter(delegates * (AMENDMENTS // CITIES + 1))
        to_merge: list[Amendment] = []
        for p in singles:  # one word changed in the middle
            middle = len(WORDS.findall(p["text"])) // 2
            text = replace_word(p["text"], middle, "überarbeitet")
            to_merge.append(self.amendment(next(city), "modify", p, text, status="accepted"))
        seconds = []
        for p in pairs:  # two cities, two ends of the paragraph: a three-way merge
            first = replace_word(p["text"], 0, "Erstens:")
            to_merge.append(self.amendment(next(city), "modify", p, first, status="accepted"))
            last = p["text"] + " Das Nähere regelt ein Bundesgesetz."
            seconds.append(self.amendment(next(city), "modify", p, last, status="accepted"))
        to_merge += seconds
        for p in inserted_after:
            text = "Ein neuer Absatz, von einer Stadt vorgeschlagen."
            to_merge.append(self.amendment(next(city), "insert", p, text, status="accepted"))
        for p in deleted:
            to_merge.append(self.amendment(next(city), "delete", p, None, status="accepted"))
        assert len(to_merge) == MERGED

        others = []
        statuses = ["proposed"] * 12 + ["rejected"] * 3 + ["withdrawn"] * 2 + ["accepted"] * 3
        while len(to_merge) + len(others) < AMENDMENTS:
            p = rng.choice(self.paragraphs)
            words = len(WORDS.findall(p["text"]))
            roll = rng.random()
            if roll < 0.85 and words >= 2:
                text = replace_word(p["text"], rng.randrange(words), rng.choice(["alle", "jede"]))
                if text == p["text"]:
                    continue
                action = "modify"
            elif roll < 0.95:
                action, text = "insert", "Ein weiterer Absatz."
            else:
                action, text = "delete", None
            others.append(self.amendment(next(city), action, p, text, status=rng.choice(statuses)))
        self.session.add_all(to_merge + others)
        self.session.flush()
        self.filters = [(a.status, a.paragraph_key, a.city_id) for a in others]

        supports: set[tuple[int, int]] = set()
        everything = to_merge + others
        while len(supports) < SUPPORTS:
            amendment, supporter = rng.choice(everything), rng.choice(delegates)
            if supporter.city_id != amendment.city_id:
                supports.add((amendment.id, supporter.id))
        by_id = {d.id: d for d in delegates}
        self.session.add_all(
            Support(amendment_id=a, city_id=by_id[u].city_id, user_id=u) for a, u in supports
        )
        return [a.id for a in to_merge]

    def comments(self, delegates: list[User]) -> None:
        """10,000 comments, three quarters on a quoted range, one in ten a reply."""
        rng = self.rng
        threads: dict[str, list[Comment]] = defaultdict(list)
        replies: list[tuple[Comment, Comment]] = []  # (reply, the comment it answers)
        tops: list[Comment] = []
        for n in range(COMMENTS):
            p = rng.choice(self.paragraphs)
            author = rng.choice(delegates)
            comment = Comment(
                declaration_id=self.did,
                created_version=1,
                paragraph_key=p["key"],
                author_id=author.id,
                body=f"Comment {n} on this <b>paragraph</b>.",
                status=rng.choice(["open"] * 4 + ["resolved"]),
            )
            if threads[p["key"]] and rng.random() < 0.1:
                replies.append((comment, rng.choice(threads[p["key"]])))
                continue
            spans = [m.span() for m in WORDS.finditer(p["text"])]
            if rng.random() < 0.75 and spans:
                first = rng.randrange(len(spans))
                last = min(len(spans) - 1, first + rng.randrange(1, 6))
                start, end = spans[first][0], spans[last][1]
                text = p["text"]
                comment.quote_exact = text[start:end]
                comment.quote_start, comment.quote_end = start, end
                comment.quote_prefix = text[max(0, start - CONTEXT_CHARS) : start]
                comment.quote_suffix = text[end : end + CONTEXT_CHARS]
            threads[p["key"]].append(comment)
            tops.append(comment)
        self.session.add_all(tops)
        self.session.flush()
        for reply, parent in replies:
            reply.parent_id = parent.id
        self.session.add_all(reply for reply, _ in replies)
        self.session.flush()


class ServerCPU:
    """CPU seconds used so far by the server (this process's children, from Linux's /proc): on
    a shared machine, load inflates wall time far more than it inflates CPU time."""

    def __init__(self) -> None:
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _descendants(self, pid: int) -> list[int]:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                children = [int(c) for c in f.read().split()]
        except OSError:
            return []
        return children + [d for c in children for d in self._descendants(c)]

    def __call__(self) -> float:
        total = 0
        for pid in self._descendants(os.getpid()):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rpartition(")")[2].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / self.tick


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> list[tuple[str, str, str]]:
    rng = random.Random(17_11_2017)  # noqa: S311 (a reproducible mix, not a secret)
    given = os.environ.get("BENCH_DATABASE_URL")
    tmp = tempfile.mkdtemp(prefix="concord-negotiation-")
    url = given or f"sqlite:///{tmp}/negotiation.db"
    results: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    try:
        with served_concord(database_url=url) as base:
            http = httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token(base)}"}, timeout=300
            )
            r = http.post(
                "/api/declarations", json={"title": "Negotiation", "text": text_of_400_paragraphs()}
            )
            r.raise_for_status()
            did = r.json()["id"]
            paragraphs = http.get(f"/api/declarations/{did}/versions/1").json()["paragraphs"]
            assert len(paragraphs) == PARAGRAPHS

            engine = make_engine(url)
            seed_start = time.perf_counter()
            with Session(engine) as session:
                seeder = Seeder(session, did, paragraphs, rng)
                cities, delegates = seeder.people()
                to_merge = seeder.amendments(delegates)
                seeder.comments(delegates)
                session.commit()
                city_ids = [c.id for c in cities]
                existing = seeder.filters
            print(
                f"seeded {CITIES} cities, {AMENDMENTS} amendments, {SUPPORTS} supports, "
                f"{COMMENTS} comments in {time.perf_counter() - seed_start:.1f} s"
            )

            cpu = ServerCPU()
            results += list_amendments(http, cpu, did, paragraphs, city_ids, existing, rng)
            results += merge(http, cpu, did, to_merge)
            results += reanchor(http, cpu, engine, did)
            engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"(bench ran {time.perf_counter() - started:.0f} s)")
    return results


def list_amendments(
    http, cpu, did, paragraphs, city_ids, existing, rng
) -> list[tuple[str, str, str]]:
    url = f"/api/declarations/{did}/amendments"

    def one_that_exists() -> dict:
        status, key, city = rng.choice(existing)
        return {"status": status, "paragraph_key": key, "city_id": city}

    queries = {
        "status=proposed": lambda: {"status": "proposed"},
        "status & paragraph_key": lambda: {
            "status": "proposed",
            "paragraph_key": rng.choice(paragraphs)["key"],
        },
        "city_id": lambda: {"city_id": rng.choice(city_ids)},
        "status & paragraph_key & city_id": one_that_exists,
    }
    for make in queries.values():  # warm up each query shape once
        http.get(url, params={**make(), "limit": 100}).raise_for_status()
    times: dict[str, list[float]] = {name: [] for name in queries}
    sizes: dict[str, list[int]] = {name: [] for name in queries}
    cpu_start = cpu()
    for i in range(LIST_REQUESTS):
        name = list(queries)[i % len(queries)]
        params = {**queries[name](), "limit": 100}
        start = time.perf_counter()
        r = http.get(url, params=params)
        times[name].append(time.perf_counter() - start)
        r.raise_for_status()
        sizes[name].append(len(r.json()["items"]))
    cpu_each = (cpu() - cpu_start) / LIST_REQUESTS
    everything = [t for ts in times.values() for t in ts]
    results = [
        (
            f"GET /amendments?…&limit=100, {LIST_REQUESTS} requests",
            "p50 < 50 ms",
            f"p50 {ms(statistics.median(everything))}, p90 {ms(percentile(everything, 90))}; "
            f"server CPU {ms(cpu_each)} a request",
        )
    ]
    for name, ts in times.items():
        results.append(
            (
                f"  {name}",
                "—",
                f"p50 {ms(statistics.median(ts))}, ~{statistics.mean(sizes[name]):.0f} items",
            )
        )
    return results


def merge(http, cpu, did, to_merge) -> list[tuple[str, str, str]]:
    url = f"/api/declarations/{did}/versions"
    body = {"base_version": 1, "amendments": to_merge, "note": "200 amendments"}
    previews = []
    for _ in range(2):
        start = time.perf_counter()
        r = http.post(url, json={**body, "dry_run": True})
        previews.append(time.perf_counter() - start)
        assert r.status_code == 200, r.text
    cpu_start, start = cpu(), time.perf_counter()
    r = http.post(url, json=body)
    elapsed, cpu_spent = time.perf_counter() - start, cpu() - cpu_start
    assert r.status_code == 201, r.text
    assert len(r.json()["merged_amendments"]) == MERGED
    return [
        (
            "merge 200 accepted amendments (POST /versions)",
            "< 1 s",
            f"{ms(elapsed)} (server CPU {ms(cpu_spent)})",
        ),
        ("  the same as a dry run (preview)", "—", ", ".join(ms(t) for t in previews)),
    ]


def reanchor(http, cpu, engine, did) -> list[tuple[str, str, str]]:
    results = []
    with Session(engine) as session:
        start = time.perf_counter()
        comments = list(session.scalars(select(Comment).where(Comment.declaration_id == did)))
        loaded = time.perf_counter() - start
        target = get_version(session, did, 2, with_paragraphs=False)
        runs = []
        for _ in range(3):  # the first run is cold: no paragraph diff made yet in this process
            start, cpu_start = time.perf_counter(), time.process_time()
            anchors = reanchor_comments(session, comments, target)
            runs.append((time.perf_counter() - start, time.process_time() - cpu_start))
    states = defaultdict(int)
    for anchor in anchors.values():
        states[anchor.state] += 1
    results.append(
        (
            f"re-anchor {len(comments):,} comments onto v2, service call",
            "< 2 s",
            f"cold {ms(runs[0][0])} (CPU {ms(runs[0][1])}), then "
            + ", ".join(ms(wall) for wall, _ in runs[1:])
            + f"; loading them {ms(loaded)}",
        )
    )
    results.append(
        ("  anchors", "—", ", ".join(f"{n} {state}" for state, n in sorted(states.items())))
    )
    for n, version in enumerate((2, 2, 1)):
        total, offset, spent, cpu_start = None, 0, 0.0, cpu()
        while total is None or offset < total:
            start = time.perf_counter()
            r = http.get(
                f"/api/declarations/{did}/comments",
                params={"version": version, "limit": PAGE, "offset": offset},
            )
            spent += time.perf_counter() - start
            r.raise_for_status()
            total = r.json()["total"]
            offset += PAGE
        label = {0: "onto v2, cold", 1: "onto v2, again", 2: "on v1: nothing moves"}[n]
        results.append(
            (
                f"GET /comments?version={version}&limit={PAGE}, {offset // PAGE} pages, {label}",
                "< 2 s" if version == 2 else "—",
                f"{ms(spent)} summed (server CPU {ms(cpu() - cpu_start)})",
            )
        )
    return results


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure:62} {target:>12}  {measured}")
