"""What one comparison of two versions may cost (`GET …/compare`, any signed-in reader): CPU of
the text core's compare on the costliest texts within the limits — two versions of ~1.9 MB
whose every paragraph was rewritten with other words, in 100, 400 and 1,000 paragraphs — and on
a real revision (Basic Law 2012 → 2020, aligned as an uploaded draft).

Run: .venv/bin/python -m bench.bench_compare
"""

import random
import time

from app.text.align import align_paragraphs
from app.text.compare import compare
from app.text.document import Para
from app.text.paragraphs import split_paragraphs, with_mark
from bench.common import TEXTS


def rewritten(paragraphs: int, words: int) -> tuple[list[Para], list[Para]]:
    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(50_000)]

    def text() -> str:
        return " ".join(rng.choice(vocabulary) for _ in range(words))

    old = [Para(f"k{i}", "paragraph", text()) for i in range(paragraphs)]
    return old, [Para(p.key, "paragraph", text()) for p in old]


def basic_law_revision() -> tuple[list[Para], list[Para]]:
    before = split_paragraphs((TEXTS / "de-grundgesetz-v1-2012-07.txt").read_text())
    after = split_paragraphs((TEXTS / "de-grundgesetz-v3-2020.txt").read_text())
    old = [Para(f"k{i}", b.kind, b.text) for i, b in enumerate(before)]
    pairs = align_paragraphs([with_mark(b) for b in before], [with_mark(b) for b in after])
    new = [
        Para(f"k{i}" if i is not None else f"n{j}", after[j].kind, after[j].text)
        for i, j in pairs
        if j is not None
    ]
    return old, new


def cpu_seconds(old: list[Para], new: list[Para]) -> float:
    start = time.process_time()
    compare(old, new)
    return time.process_time() - start


def main() -> list[tuple[str, str, str]]:
    rows = []
    for paragraphs, words in ((100, 2_800), (400, 700), (1_000, 280)):
        old, new = rewritten(paragraphs, words)
        size = sum(len(p.text.encode()) for p in old) / 1e6
        rows.append((
            f"compare, {paragraphs:,} paragraphs all rewritten ({size:.1f} MB a version)",
            "≤ 2.5 s CPU", f"{cpu_seconds(old, new):.2f} s CPU",
        ))  # fmt: skip
    old, new = basic_law_revision()
    rows.append(("compare, Basic Law 2012 → 2020", "-", f"{cpu_seconds(old, new):.2f} s CPU"))
    return rows


if __name__ == "__main__":
    for figure, _, measured in main():
        print(f"{figure}: {measured}")
