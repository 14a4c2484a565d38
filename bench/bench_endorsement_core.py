"""Time the endorsement core at 10,000 signatories: Merkle root and proofs, verify, PDF, ZIP.

Run: .venv/bin/python bench/bench_endorsement_core.py [--signatories N] [--pdf PATH]
"""

import argparse
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.endorsements.bundle import build_bundle, build_zip, render_pdf  # noqa: E402
from app.endorsements.keys import KeyRing, SigningKey  # noqa: E402
from app.endorsements.merkle import (  # noqa: E402
    CompactRange,
    MerkleTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_inclusion,
)
from app.endorsements.statements import (  # noqa: E402
    checkpoint_statement,
    endorsement_statement,
    sign_statement,
)
from app.endorsements.verify import verify_bundle  # noqa: E402
from app.text.paragraphs import content_hash as content_hash_of  # noqa: E402

TEXT_FILE = ROOT / "tests" / "data" / "texts" / "un-a-res-80-3-awaza-political-declaration-2025.txt"
# Real places in their own scripts; a number keeps 10,000 of them apart.
PLACES = [
    ("Mechelen", "BE", "Bart Somers"),
    ("Malmö", "SE", "Katrin Stjernfeldt Jammeh"),
    ("São Paulo", "BR", "João Dória"),
    ("東京", "JP", "小池 百合子"),
    ("عمّان", "JO", "يوسف الشواربة"),
    ("Київ", "UA", "Віталій Кличко"),
    ("서울", "KR", "오세훈"),
    ("北京", "CN", "殷勇"),
    ("Αθήνα", "GR", "Χάρης Δούκας"),
    ("Łódź", "PL", "Hanna Zdanowska"),
    ("Zürich", "CH", "Corine Mauch"),
    ("București", "RO", "Ciprian Ciucu"),
]


def canonical(raw: str) -> str:
    blocks = [" ".join(b.split()) for b in raw.split("\n\n")]
    return "\n\n".join(unicodedata.normalize("NFC", b) for b in blocks if b) + "\n"


ROWS: list[tuple[str, str, str]] = []


def timed(label: str, action: Callable[[], Any], repeat: int = 1) -> Any:
    """Run `action`; print its best wall time and the CPU time of that run.

    CPU time is printed too because a shared machine inflates wall time.
    """
    runs = []
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    best, cpu = min(runs)
    median = statistics.median(w for w, _ in runs)
    ROWS.append((label, "—", f"{_shown(best).strip()} best, cpu {_shown(cpu).strip()}"))
    if repeat > 1:
        print(f"{label:<60}{_shown(best)} (median of {repeat}: {_shown(median).strip()})")
    else:
        print(f"{label:<60}{_shown(best)}  cpu {_shown(cpu).strip()}")
    return result


def _shown(seconds: float) -> str:
    return f"{seconds * 1000:10.3f} ms" if seconds < 1 else f"{seconds:10.3f} s "


def build_log(count: int) -> tuple[KeyRing, str, list[str], str]:
    ring = KeyRing(SigningKey.generate())
    text = canonical(TEXT_FILE.read_text("utf-8"))
    content_hash = content_hash_of(text)
    declaration = {"id": 1, "title": "Mechelen Declaration on Cities and Migration"}
    started = datetime(2017, 11, 17, 9, 0, tzinfo=UTC)
    statements = []
    for seq in range(1, count + 1):
        place, country, mayor = PLACES[seq % len(PLACES)]
        statements.append(
            endorsement_statement(
                declaration=declaration,
                version=3,
                content_hash=content_hash,
                city={"id": seq, "name": f"{place} {seq}", "country": country},
                signer={"name": mayor, "title": "Mayor"},
                signed_at=started + timedelta(seconds=seq),
                seq=seq,
            )
        )
    entries = timed(
        f"sign {count:,} endorsements (ES256, JCS)",
        lambda: [sign_statement(ring.current, s) for s in statements],
    )
    root = root_hash([leaf_hash(e.encode()) for e in entries])
    seal = sign_statement(
        ring.current,
        checkpoint_statement(
            declaration=1,
            version=3,
            content_hash=content_hash,
            tree_size=count,
            root_hash=root,
            issued_at=started + timedelta(days=1),
            final=True,
        ),
    )
    return ring, text, entries, seal


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    """Print the figures; return them as (figure, target, measured) rows for bench.run_all."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signatories", type=int, default=10_000)
    parser.add_argument("--pdf", type=Path, help="also write the PDF here")
    args = parser.parse_args([] if argv is None else argv)
    ROWS.clear()
    n = args.signatories

    ring, text, entries, seal = build_log(n)
    leaves = timed(
        f"leaf hashes of {n:,} entries", lambda: [leaf_hash(e.encode()) for e in entries]
    )
    timed(f"root of {n:,} leaves (root_hash)", lambda: root_hash(leaves), repeat=5)
    tree = timed(f"all levels of {n:,} leaves (MerkleTree)", lambda: MerkleTree(leaves), repeat=5)
    index = n // 3
    proof = timed(
        f"one inclusion proof at {n:,}, from a built tree",
        lambda: tree.inclusion_proof(index),
        repeat=1000,
    )
    timed(
        f"one inclusion proof at {n:,}, from the leaf list",
        lambda: inclusion_proof(leaves, index),
        repeat=20,
    )
    timed(
        f"one consistency proof {n // 2:,} → {n:,}, from a built tree",
        lambda: tree.consistency_proof(n // 2),
        repeat=1000,
    )
    timed(
        f"one consistency proof {n // 2:,} → {n:,}, from the leaf list",
        lambda: consistency_proof(leaves, n // 2),
        repeat=20,
    )
    compact = CompactRange.of(leaves[:-1])
    timed(
        f"append leaf {n:,} to a stored compact range (root + proof)",
        lambda: CompactRange(compact.size, compact.peaks).append(leaves[-1]),
        repeat=1000,
    )
    timed(
        "verify one inclusion proof",
        lambda: verify_inclusion(leaves[index], index, n, proof, tree.root),
        repeat=1000,
    )

    bundle = build_bundle(
        declaration={
            "id": 1,
            "title": "Mechelen Declaration on Cities and Migration",
            "version": 3,
        },
        text=text,
        entries=entries,
        seal=seal,
        jwks=ring.jwks(),
    )
    report = timed(f"verify a {n:,}-entry bundle (verify_bundle)", lambda: verify_bundle(bundle))
    assert report.ok and len(report.signatories) == n, report.problems[:3]
    timed(f"PDF of {n:,} signatories, Typst only", lambda: render_pdf(bundle, report))
    pdf = timed(f"PDF of {n:,} signatories, verify + Typst", lambda: render_pdf(bundle))
    zipped = timed("ZIP of bundle.json + PDF + README", lambda: build_zip(bundle, pdf))
    print(f"{'PDF size':<60}{len(pdf) / 1e6:10.2f} MB")
    print(f"{'ZIP size':<60}{len(zipped) / 1e6:10.2f} MB")
    if args.pdf:
        args.pdf.write_bytes(pdf)
        print(f"PDF written to {args.pdf}")
    return list(ROWS)


if __name__ == "__main__":
    main(sys.argv[1:])
