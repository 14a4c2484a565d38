"""A real signature log for the endorsement tests: keys, signed statements, a sealed checkpoint."""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.endorsements.bundle import build_bundle
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.merkle import leaf_hash, root_hash
from app.endorsements.statements import (
    checkpoint_statement,
    endorsement_statement,
    sign_statement,
    withdrawal_statement,
)
from app.text.paragraphs import content_hash as content_hash_of

TEXTS = Path(__file__).resolve().parents[1] / "data" / "texts"
DECLARATION = {"id": 1, "title": "Mechelen Declaration on Cities and Migration"}
VERSION = 3
CITIES = [
    ({"id": 1, "name": "Mechelen", "country": "BE"}, {"name": "Bart Somers", "title": "Mayor"}),
    ({"id": 2, "name": "Malmö", "country": "SE"}, {"name": "Katrin Stjernfeldt Jammeh",
                                                   "title": "Mayor"}),
    ({"id": 3, "name": "São Paulo", "country": "BR"}, {"name": "João Dória", "title": "Prefeito"}),
    ({"id": 4, "name": "東京", "country": "JP"}, {"name": "小池 百合子", "title": "都知事"}),
    ({"id": 5, "name": "عمّان", "country": "JO"}, {"name": "يوسف الشواربة", "title": "أمين عمّان"}),
    ({"id": 6, "name": "Киев", "country": "UA"}, {"name": "Виталий Кличко", "title": "Мэр"}),
]  # fmt: skip
STARTED = datetime(2017, 11, 17, 9, 0, tzinfo=UTC)


def canonical(raw: str) -> str:
    """Canonical text as the design defines it: NFC paragraphs joined by a blank line."""
    blocks = [" ".join(b.split()) for b in raw.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(unicodedata.normalize("NFC", b) for b in blocks if b) + "\n"


TEXT = canonical(
    "# Mechelen Declaration on Cities and Migration\n\n"
    "We, mayors and local and regional leaders, meeting in Mechelen on 16 and 17 November "
    "2017, commit to the safe, orderly and regular migration of all.\n\n"
    "# Our commitments\n\n"
    "Cities are where migrants arrive, work and belong; we ask a seat at the table of the "
    "Global Compact for Migration.\n\n"
    "We will share what works — «Ça marche» — with every city, in every language."
)


@dataclass
class Log:
    """A sealed log: what the service would have stored when endorsement closed."""

    ring: KeyRing
    text: str
    entries: list[str]
    seal: str

    def bundle(self) -> dict[str, Any]:
        return build_bundle(
            declaration={**DECLARATION, "version": VERSION},
            text=self.text,
            entries=self.entries,
            seal=self.seal,
            jwks=self.ring.jwks(),
        )


def statements_for(
    events: Sequence[tuple[str, int]], text: str = TEXT, cities: Sequence[Any] = CITIES
) -> list[dict[str, Any]]:
    """("endorse", i) signs for cities[i]; ("withdraw", i) withdraws its standing endorsement."""
    content_hash = content_hash_of(text)
    standing: dict[int, int] = {}
    statements = []
    for seq, (action, i) in enumerate(events, 1):
        city, signer = cities[i]
        common = {
            "declaration": DECLARATION,
            "version": VERSION,
            "content_hash": content_hash,
            "city": city,
            "signer": signer,
            "signed_at": STARTED + timedelta(minutes=seq),
            "seq": seq,
        }
        if action == "endorse":
            statements.append(endorsement_statement(**common))
            standing[i] = seq
        else:
            statements.append(withdrawal_statement(**common, withdraws=standing.pop(i)))
    return statements


def seal_for(key: SigningKey, entries: Sequence[str], text: str = TEXT, **changes: Any) -> str:
    checkpoint = checkpoint_statement(
        declaration=DECLARATION["id"],
        version=VERSION,
        content_hash=content_hash_of(text),
        tree_size=len(entries),
        root_hash=root_hash([leaf_hash(e.encode()) for e in entries]),
        issued_at=STARTED + timedelta(days=1),
        final=True,
    )
    return sign_statement(key, {**checkpoint, **changes})


def make_log(
    ring: KeyRing,
    events: Sequence[tuple[str, int]],
    text: str = TEXT,
    cities: Sequence[Any] = CITIES,
) -> Log:
    entries = [sign_statement(ring.current, s) for s in statements_for(events, text, cities)]
    return Log(ring, text, entries, seal_for(ring.current, entries, text))


ALL_SIGN = [("endorse", i) for i in range(len(CITIES))]


@pytest.fixture(scope="session")
def ring() -> KeyRing:
    return KeyRing(SigningKey.generate())


@pytest.fixture(scope="session")
def log(ring: KeyRing) -> Log:
    """Six cities sign; Malmö withdraws and signs again; Киев withdraws."""
    events = [*ALL_SIGN, ("withdraw", 1), ("endorse", 1), ("withdraw", 5)]
    return make_log(ring, events)
