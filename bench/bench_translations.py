"""Translations: how many paragraphs the aligner gets right on the real Contributor Covenant
translations (against the truth worked out in tests/text/test_bitext.py), on the same files with
splits and merges made by hand, and how long a whole Basic Law pseudo-translation takes.

The pseudo-translation is generated, not real: every word of Basic Law v3 (≈890 paragraphs)
replaced by a made-up word 0.6–1.5 times as long, with 3% of paragraphs split at a sentence end
and 3% of neighbours merged (so the truth is known).

Run: .venv/bin/python -m bench.bench_translations
"""

import random
import re
import time

from app.text.bitext import Segment, align_translation
from bench.common import TEXTS
from tests.text.test_bitext import (
    CROSSED,
    TRANSLATIONS,
    _edit,
    align,
    content_truth,
    order_preserving_truth,
    pair,
    right,
)


def real_translations() -> list[tuple[str, str, str]]:
    rows = []
    for version, lang in TRANSLATIONS:
        source, target = pair(version, lang)
        beads = align(source, target)
        content = right(beads, content_truth(version, lang, len(source)))
        ordered = right(beads, order_preserving_truth(version, lang, len(source)))
        truth = content_truth(version, lang, len(source))
        owner = {t: s for s, ts in truth.items() for t in ts}
        edited, edited_truth = _edit(target, owner, random.Random(f"{version}{lang}"))
        hand = right(align(source, edited), edited_truth)
        n = len(source)
        note = " (last two crossed)" if (version, lang) in CROSSED else ""
        rows.append(
            (
                f"align v{version} {lang} ({len(target)} ¶) to English ({n} ¶)",
                "every key; % right",
                f"content {content}/{n}; order-preserving {ordered}/{n}{note}; "
                f"with 6 splits + 6 merges by hand {hand}/{n}",
            )
        )
    return rows


def pseudo_basic_law() -> tuple[list[str], list[str], dict[tuple[int, ...], tuple[int, ...]]]:
    text = (TEXTS / "de-grundgesetz-v3-2020.txt").read_text(encoding="utf-8")
    source = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    rng = random.Random(7)

    def pseudo(paragraph: str) -> str:
        def word(m: re.Match[str]) -> str:
            size = max(1, int(len(m.group()) * rng.uniform(0.6, 1.5)))
            return "".join(rng.choice("aeioulnrst") for _ in range(size))

        return re.sub(r"[^\W\d_]+", word, paragraph)

    target: list[str] = []
    truth: dict[tuple[int, ...], tuple[int, ...]] = {}
    i = 0
    while i < len(source):
        draw = rng.random()
        sentences = re.split(r"(?<=[.;:]) ", source[i])
        if draw < 0.03 and len(sentences) > 1:
            half = len(sentences) // 2
            truth[i,] = (len(target), len(target) + 1)
            target += [pseudo(" ".join(sentences[:half])), pseudo(" ".join(sentences[half:]))]
            i += 1
        elif draw < 0.06 and i + 1 < len(source):
            truth[i, i + 1] = (len(target),)
            target.append(pseudo(source[i] + " " + source[i + 1]))
            i += 2
        else:
            truth[i,] = (len(target),)
            target.append(pseudo(source[i]))
            i += 1
    return source, target, truth


def main() -> list[tuple[str, str, str]]:
    rows = real_translations()
    source, target, truth = pseudo_basic_law()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        beads = align_translation([Segment(s) for s in source], [Segment(t) for t in target])
        times.append(time.perf_counter() - start)
    got = {(b.source, b.target) for b in beads}
    ok = sum(len(s) for s, t in truth.items() if (s, t) in got)
    rows.append(
        (
            f"align a Basic Law pseudo-translation ({len(source)} ¶ → {len(target)} ¶)",
            "< 1 s",
            f"{sorted(times)[1]:.2f} s median of 3; {ok}/{len(source)} paragraphs right",
        )
    )
    return rows


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
