"""What one read of an amendment costs: `GET /amendments/{id}` shows the amendment rebased onto
the head version, a word-level three-way merge of its paragraph. The text is the Basic Law
(v3, ~177 KB) whose first articles are joined into one paragraph near the 20,000-character
limit; the amendment changes words across that paragraph and the head changed other words of it
since, so the rebase is real work. CPU per read, in process (TestClient on
SQLite): the first read, then the mean of the next ones.

Run: .venv/bin/python -m bench.bench_amendment_read
"""

import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from app.auth.models import City, Role, User
from app.cli import migrate
from app.main import create_app
from app.settings import Settings, get_settings
from app.text.paragraphs import split_paragraphs
from bench.common import TEXTS

READS = 20
WORDS = re.compile(r"\w{4,}")


def every_nth_word(text: str, n: int, offset: int, mark: str) -> str:
    """The text with every n-th long word (from `offset`) changed, so edits spread over it."""
    count = 0

    def change(match: re.Match) -> str:
        nonlocal count
        count += 1
        return match.group() + mark if count % n == offset else match.group()

    return WORDS.sub(change, text)


def long_first_paragraph(text: str, limit: int = 19_500) -> str:
    blocks = [b.text for b in split_paragraphs(text) if b.kind == "paragraph"]
    joined = []
    while blocks and sum(len(b) + 1 for b in joined) + len(blocks[0]) < limit:
        joined.append(blocks.pop(0))
    return " ".join(joined) + "\n\n" + "\n\n".join(blocks) + "\n"


def seeded(client: TestClient, context) -> tuple[dict, int]:
    """A co-facilitator and a delegate; the declaration, the amendment and a newer head."""
    with context.sessionmaker() as session:
        city = City(name="Mechelen", country="BE", kind="city")
        session.add(city)
        session.flush()
        hashed = context.passwords.hash("bench-password")
        editor = User(email="cf@bench.example", name="CF", role=Role.co_facilitator,
                      password_hash=hashed)  # fmt: skip
        delegate = User(email="d@bench.example", name="D", role=Role.delegate, city_id=city.id,
                        password_hash=hashed)  # fmt: skip
        session.add_all([editor, delegate])
        session.commit()
        as_editor, as_delegate = (
            {"Authorization": f"Bearer {context.tokens.issue(user_id=u.id, token_version=0)}"}
            for u in (editor, delegate)
        )
    text = long_first_paragraph((TEXTS / "de-grundgesetz-v3-2020.txt").read_text())
    r = client.post("/api/declarations", json={"title": "GG", "text": text}, headers=as_editor)
    r.raise_for_status()
    did = r.json()["id"]
    version = client.get(f"/api/declarations/{did}/versions/1", headers=as_editor).json()
    longest = max(version["paragraphs"], key=lambda p: len(p["text"]))
    amended = every_nth_word(longest["text"], 5, 1, "ung")
    r = client.post(f"/api/declarations/{did}/amendments", headers=as_delegate, json={
        "base_version": 1, "action": "modify", "paragraph_key": longest["key"], "text": amended,
    })  # fmt: skip
    r.raise_for_status()
    edited = every_nth_word(longest["text"], 5, 3, "e")
    r = client.post(f"/api/declarations/{did}/versions", headers=as_editor, json={
        "base_version": 1,
        "edits": [{"action": "modify", "paragraph_key": longest["key"], "text": edited}],
    })  # fmt: skip
    r.raise_for_status()
    print(f"paragraph: {len(longest['text']):,} characters; text: {len(text):,} characters")
    amendments = client.get(f"/api/declarations/{did}/amendments", headers=as_delegate).json()
    return as_delegate, amendments["items"][0]["id"]


def cpu_ms(call) -> float:
    start = time.process_time()
    call()
    return (time.process_time() - start) * 1000


def main() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["CONCORD_DATA_DIR"] = data_dir
        get_settings.cache_clear()
        migrate()
        settings = Settings(data_dir=Path(data_dir), jwt_secret="bench-" + "x" * 40,
                            argon2_time_cost=1, argon2_memory_kib=8192)  # fmt: skip
        app = create_app(settings)
        with TestClient(app) as client:
            headers, amendment_id = seeded(client, app.state.context)

            def read() -> None:
                r = client.get(f"/api/amendments/{amendment_id}", headers=headers)
                r.raise_for_status()
                assert r.json()["rebased"]["conflict"] is None, r.json()["rebased"]

            first = cpu_ms(read)
            later = [cpu_ms(read) for _ in range(READS)]
    return [
        ("GET /amendments/{id}, first read (rebase made)", "-", f"{first:.0f} ms CPU"),
        (f"GET /amendments/{{id}}, next {READS} reads (mean)", "≤ 20 ms CPU",
         f"{statistics.mean(later):.1f} ms CPU"),
    ]  # fmt: skip


if __name__ == "__main__":
    for figure, _, measured in main():
        print(f"{figure}: {measured}")
