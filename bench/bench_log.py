"""The public signature-log endpoints at 10,000 entries, in-process (service + database) and
through `concord serve`: GET …/log/checkpoint, an inclusion proof for a random tree size, a
consistency proof between random sizes; and the first read, which builds the cached tree.

Run: .venv/bin/python -m bench.bench_log [--signatories N] [--requests N]
"""

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from app.endorsements import log
from bench.bench_endorsement import engines, mayors, prepare, sign_all
from bench.common import served_concord


def p50(values: list[float]) -> str:
    values = sorted(values)
    return f"p50 {statistics.median(values):.2f} ms, p99 {values[int(len(values) * 0.99)]:.2f} ms"


def timed_ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def in_process(context, did: int, n: int, requests: int) -> list[tuple[str, str]]:
    rng = random.Random(11)
    trees = log.LogTrees()
    with context.sessionmaker() as session:
        first = timed_ms(lambda: log.verified_checkpoint(session, trees, did))
        checkpoint = [
            timed_ms(lambda: log.verified_checkpoint(session, trees, did)) for _ in range(requests)
        ]

        def random_proof():
            size = rng.randint(1, n)
            log.inclusion_proof(session, trees, did, seq=rng.randint(1, size), tree_size=size)

        def random_consistency():
            new = rng.randint(1, n)
            log.consistency_proof(session, trees, did, old_size=rng.randint(1, new), new_size=new)

        proofs = [timed_ms(random_proof) for _ in range(requests)]
        consistency = [timed_ms(random_consistency) for _ in range(requests)]
    return [
        (f"first checkpoint read, builds the tree of {n:,}", f"{first:.1f} ms"),
        ("checkpoint, service + DB", p50(checkpoint)),
        ("inclusion proof, random tree size, service + DB", p50(proofs)),
        ("consistency proof, random sizes, service + DB", p50(consistency)),
    ]


def over_http(url: str, did: int, n: int, requests: int) -> list[tuple[str, str]]:
    rng = random.Random(12)
    with served_concord(url) as base, httpx.Client(base_url=f"{base}/api") as client:
        client.get(f"/declarations/{did}/log/checkpoint").raise_for_status()
        checkpoint = [
            timed_ms(lambda: client.get(f"/declarations/{did}/log/checkpoint").raise_for_status())
            for _ in range(requests)
        ]

        def random_proof():
            size = rng.randint(1, n)
            params = {"seq": rng.randint(1, size), "tree_size": size}
            client.get(f"/declarations/{did}/log/proof", params=params).raise_for_status()

        proofs = [timed_ms(random_proof) for _ in range(requests)]
    return [
        ("GET …/log/checkpoint through HTTP (1 worker)", p50(checkpoint)),
        ("GET …/log/proof, random tree size, through HTTP", p50(proofs)),
    ]


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(figure, target, measured) rows, as bench.run_all reads them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signatories", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--engines", default="sqlite")
    args = parser.parse_args(argv)
    rows = []
    with engines(args.engines.split(",")) as found:
        for name, url in found:
            data_dir = Path(tempfile.mkdtemp(prefix="concord-bench-data-"))
            try:
                context, did, content_hash = prepare(url, data_dir, args.signatories)
                sign_all(context, did, content_hash, mayors(context))
                measured = in_process(context, did, args.signatories, args.requests)
                measured += over_http(url, did, args.signatories, args.requests)
                rows += [
                    (f"{name}: {figure}", "< 2 ms" if "p50" in value else "—", value)
                    for figure, value in measured
                ]
                context.engine.dispose()
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for figure, target, value in main():
        print(f"{figure:64} {target:>7}  {value}")
