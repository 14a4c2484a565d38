"""Translations: how many paragraphs the aligner gets right on the real Contributor Covenant
translations (against the truth worked out in tests/text/test_bitext.py), on the same files with
splits and merges made by hand, and how long a whole Basic Law pseudo-translation takes.

The pseudo-translation is generated, not real: every word of Basic Law v3 (≈890 paragraphs)
replaced by a made-up word 0.6–1.5 times as long, with 3% of paragraphs split at a sentence end
and 3% of neighbours merged (so the truth is known).

Carrying forward: six languages (pseudo-translations saved by key) on Basic Law v3, then a
version made with 200 paragraph edits (the merge path; edits stand in for accepted amendments,
which take the same way through make_version), timed over HTTP against the same merge on a
declaration with no translations; then one language's states (current/outdated/missing with
redlines) read at the new version.

Run: .venv/bin/python -m bench.bench_translations
"""

import random
import re
import time

import httpx

from app.text.bitext import Segment, align_translation
from bench.common import TEXTS, served_concord, token
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


LANGUAGES = ("ar", "es", "fr", "ru", "zh", "de-CH")


def carried_forward() -> list[tuple[str, str, str]]:
    text = (TEXTS / "de-grundgesetz-v3-2020.txt").read_text(encoding="utf-8")
    with served_concord() as base:
        http = httpx.Client(base_url=base, timeout=300,
                            headers={"Authorization": f"Bearer {token(base)}"})
        merge_ms = {}
        for translated in (False, False, True):  # the first warms the server up
            did = http.post("/api/declarations", json={"title": "GG", "text": text}).json()["id"]
            paragraphs = http.get(f"/api/declarations/{did}/versions/1").json()["paragraphs"]
            if translated:
                for lang in LANGUAGES:
                    body = {"paragraphs": [{"key": p["key"], "text": f"[{lang}] {p['text']}"}
                                           for p in paragraphs]}
                    url = f"/api/declarations/{did}/versions/1/translations/{lang}"
                    http.put(url, json=body).raise_for_status()
            edits = [{"action": "modify", "paragraph_key": p["key"], "text": p["text"] + " (neu)"}
                     for p in paragraphs[10:410:2]]
            start = time.perf_counter()
            r = http.post(f"/api/declarations/{did}/versions",
                          json={"base_version": 1, "edits": edits})
            merge_ms[translated] = (time.perf_counter() - start) * 1000
            r.raise_for_status()
        start = time.perf_counter()
        answer = http.get(f"/api/declarations/{did}/versions/2/translations/fr").json()
        read_ms = (time.perf_counter() - start) * 1000
    return [
        (
            "200-edit merge on Basic Law v3 with six languages translated, minus without",
            "< 200 ms more",
            f"{merge_ms[True] - merge_ms[False]:+.0f} ms ({merge_ms[True]:.0f} vs "
            f"{merge_ms[False]:.0f} ms; nothing is written for translations)",
        ),
        (
            "one language's states after it (GET …/versions/2/translations/fr)",
            "—",
            f"{read_ms:.0f} ms; {answer['outdated']} outdated, {answer['current']} current",
        ),
    ]


def main() -> list[tuple[str, str, str]]:
    rows = real_translations() + carried_forward()
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
