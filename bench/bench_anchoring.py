"""Re-anchoring a comment's quote after an edit: % put in the right place, by kind of edit.

1,500 cases built from real paragraphs (German Basic Law, UN A/RES/80/3, Contributor Covenant),
each an edit whose effect on the quote is known: the quote unchanged (edit elsewhere, a word
inserted right before or after it), edited (a word inserted inside it, some of its words
rewritten), moved (the paragraph's sentences reordered) or gone (deleted, its sentence replaced:
it must come back orphaned). The lookalike kinds quote one occurrence of a phrase the paragraph
repeats, and edit that occurrence. Seeded: the same cases on every run.

A result is right when the place found is the expected one (up to spaces and punctuation at its
ends), or when it is orphaned and the quote is gone. Methods: Concord before the joint scoring
(bench/anchoring_before.py, a copy), the Hypothesis client now (match-quote.ts) and until 2020
(dom-anchor-text-quote), re-implemented in bench/anchoring_hypothesis.py, and Concord now.
Time is per 1,000 anchors: placing them, the diff of their pair of texts given (as the comments
service caches it, one per pair for all its comments); in brackets, each anchor with the diff
of a pair of its own. Timings move by ±30 % on a shared machine; the % right do not move.

Run: .venv/bin/python -m bench.bench_anchoring
"""

import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.text import anchor as concord
from app.text.paragraphs import split_paragraphs
from bench import anchoring_before as before
from bench.anchoring_hypothesis import anchor_match_quote, anchor_text_quote_dmp
from bench.common import TEXTS

SEED = 2025
PER_KIND = 125
CONTEXT = 32
SOURCES = {  # file, share of the cases drawn from it
    "de-grundgesetz-v2-2012-08.txt": 0.5,
    "un-a-res-80-3-awaza-political-declaration-2025.txt": 0.3,
    "contributor-covenant-v2.1.txt": 0.2,
}
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_CLAUSE_END = re.compile(r"(?<=[.;!?])\s+")
_EDGE = " \t,.;:!?()[]\"'„“”‚‘’–—-"


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    old: str
    new: str
    start: int
    end: int
    expected: tuple[int, int] | None  # the quote's place in `new`; None: it must be orphaned

    @property
    def quote(self) -> str:
        return self.old[self.start : self.end]


Placed = tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class Method:
    """`prepare` does what is done once per pair of texts (Concord's diff, which the service
    caches for every comment on that paragraph); `anchor` places one quote."""

    prepare: Callable[[Case], object]
    anchor: Callable[[Case, object], Placed]


# --- the paragraphs ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    paragraphs: list[str]
    vocabulary: list[str]
    repeats: list[tuple[str, str]]  # a paragraph and a phrase of 2+ words it holds twice or more


def load_sources() -> dict[str, Source]:
    sources = {}
    for name in SOURCES:
        text = (TEXTS / name).read_text(encoding="utf-8")
        paragraphs = [
            b.text
            for b in split_paragraphs(text)
            if b.kind == "paragraph" and 80 <= len(b.text) <= 3000
        ]
        vocabulary = sorted({w for w in _WORD.findall(text) if len(w) >= 4 and w.isalpha()})
        repeats = [(p, phrase) for p in paragraphs for phrase in repeated_phrases(p)]
        sources[name] = Source(paragraphs, vocabulary, repeats)
    return sources


def repeated_phrases(paragraph: str) -> list[str]:
    """Runs of 2–5 whole words, 10 characters or more, found twice or more in the paragraph."""
    words = list(_WORD.finditer(paragraph))
    phrases = set()
    for size in range(2, 6):
        for i in range(len(words) - size + 1):
            phrase = paragraph[words[i].start() : words[i + size - 1].end()]
            if len(phrase) >= 10 and len(occurrences(paragraph, phrase)) >= 2:
                phrases.add(phrase)
    return sorted(phrases)


def occurrences(text: str, phrase: str) -> list[int]:
    """Where `phrase` stands in `text` as whole words."""
    found = []
    for match in re.finditer(re.escape(phrase), text):
        s, e = match.span()
        if (s == 0 or not text[s - 1].isalnum()) and (e == len(text) or not text[e].isalnum()):
            found.append(s)
    return found


# --- the cases -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Drawn:
    """A paragraph and the words a reader quoted in it: words[first..last]."""

    source: Source
    old: str
    words: list[re.Match]
    first: int
    last: int

    @property
    def start(self) -> int:
        return self.words[self.first].start()

    @property
    def end(self) -> int:
        return self.words[self.last].end()

    @property
    def quoted(self) -> list[re.Match]:
        return self.words[self.first : self.last + 1]


class Builder:
    """Draws paragraphs, quotes and edits; each kind returns a Case, or None to draw again."""

    def __init__(self, sources: dict[str, Source], rng: random.Random) -> None:
        self.sources = sources
        self.rng = rng

    def source(self) -> Source:
        names = list(SOURCES)
        return self.sources[self.rng.choices(names, [SOURCES[n] for n in names])[0]]

    def draw(
        self, min_words: int = 2, usable: Callable[[str], bool] = lambda paragraph: True
    ) -> Drawn | None:
        """A paragraph and in it a run of 2–8 whole words, as a reader would select it."""
        source = self.source()
        old = self.rng.choice(source.paragraphs)
        if not usable(old):
            return None
        words = list(_WORD.finditer(old))
        size = self.rng.randint(min_words, 8)
        if len(words) < size + 1:
            return None
        first = self.rng.randrange(len(words) - size + 1)
        return Drawn(source, old, words, first, first + size - 1)

    def word(self, source: Source) -> str:
        return self.rng.choice(source.vocabulary)

    # The quote unchanged: it must come back exact, where it now is.

    def edit_elsewhere(self) -> Case | None:
        drawn = self.draw()
        if drawn is None:
            return None
        old, s, e = drawn.old, drawn.start, drawn.end
        far = [w for w in drawn.words if w.end() < s - 20 or w.start() > e + 20]
        if not far:
            return None
        target = self.rng.choice(far)
        how = self.rng.choice(["insert", "delete", "replace"])
        word = self.word(drawn.source) if how != "delete" else ""
        if how == "insert":
            new, at, delta = splice(old, target.start(), target.start(), word + " ")
        elif how == "delete":
            after = (
                target.end() + 1 if old[target.end() : target.end() + 1] == " " else target.end()
            )
            new, at, delta = splice(old, target.start(), after, "")
        else:
            new, at, delta = splice(old, target.start(), target.end(), word)
        shift = delta if at <= s else 0
        return Case("edit elsewhere", old, new, s, e, (s + shift, e + shift))

    def inserted_beside(self, side: str) -> Case | None:
        drawn = self.draw()
        if drawn is None:
            return None
        old, s, e = drawn.old, drawn.start, drawn.end
        word = self.word(drawn.source)
        if side == "before":
            new, _, delta = splice(old, s, s, word + " ")
            return Case("word inserted before", old, new, s, e, (s + delta, e + delta))
        new, _, _ = splice(old, e, e, " " + word)
        return Case("word inserted after", old, new, s, e, (s, e))

    # The quote edited: it must come back fuzzy, on its edited self.

    def inserted_inside(self) -> Case | None:
        drawn = self.draw()
        if drawn is None:
            return None
        old, s, e = drawn.old, drawn.start, drawn.end
        gap = self.rng.choice(drawn.quoted[:-1]).end()
        new, _, delta = splice(old, gap, gap, " " + self.word(drawn.source))
        return Case("word inserted inside", old, new, s, e, (s, e + delta))

    def rewritten(self) -> Case | None:
        drawn = self.draw(min_words=3)
        if drawn is None:
            return None
        return self._rewrite(drawn.source, "quote partly rewritten", drawn.old, drawn.quoted)

    def _rewrite(self, source: Source, kind: str, old: str, quoted: list[re.Match]) -> Case:
        """A third of the quoted words (one at least, side by side) replaced by others."""
        count = max(1, round(len(quoted) / 3))
        at = self.rng.randrange(len(quoted) - count + 1)
        new = old
        for word in reversed(quoted[at : at + count]):
            new = new[: word.start()] + self.word(source) + new[word.end() :]
        s, e = quoted[0].start(), quoted[-1].end()
        return Case(kind, old, new, s, e, (s, e + len(new) - len(old)))

    # The quote moved: it must be found where it went.

    def reordered(self) -> Case | None:
        drawn = self.draw(usable=lambda paragraph: len(clause_spans(paragraph)) >= 2)
        if drawn is None:
            return None
        old, s, e = drawn.old, drawn.start, drawn.end
        clauses = clause_spans(old)
        home = next((i for i, (cs, ce) in enumerate(clauses) if cs <= s and e <= ce), None)
        if home is None:
            return None
        order = list(range(len(clauses)))
        while order == sorted(order):
            self.rng.shuffle(order)
        texts = [old[cs:ce] for cs, ce in clauses]
        new = " ".join(texts[i] for i in order)
        moved_to = sum(len(texts[i]) + 1 for i in order[: order.index(home)])
        offset = moved_to - clauses[home][0]
        return Case("sentences reordered", old, new, s, e, (s + offset, e + offset))

    # The quote gone: it must come back orphaned.

    def deleted(self) -> Case | None:
        drawn = self.draw()
        if drawn is None:
            return None
        old, s, e = drawn.old, drawn.start, drawn.end
        new = delete_words(old, s, e)
        if old[s:e] in new:
            return None  # a lookalike is left: that is the lookalike kind's case
        return Case("quote deleted", old, new, s, e, None)

    def sentence_replaced(self) -> Case | None:
        drawn = self.draw()
        if drawn is None:
            return None
        old, s, e = drawn.old, drawn.start, drawn.end
        home = next(((cs, ce) for cs, ce in clause_spans(old) if cs <= s and e <= ce), None)
        if home is None:
            return None
        donor = self.rng.choice(drawn.source.paragraphs)
        other = self.rng.choice(clause_spans(donor))
        new = old[: home[0]] + donor[other[0] : other[1]] + old[home[1] :]
        if old[s:e] in new:
            return None
        return Case("its sentence replaced", old, new, s, e, None)

    # Lookalikes: the paragraph holds the quoted phrase more than once.

    def lookalike(self, kind: str) -> Case | None:
        source = self.source()
        if not source.repeats:
            return None
        old, phrase = self.rng.choice(source.repeats)
        places = occurrences(old, phrase)
        s = self.rng.choice(places)
        e = s + len(phrase)
        quoted = [w for w in _WORD.finditer(old) if s <= w.start() and w.end() <= e]
        if kind == "lookalike, edit elsewhere":
            # A word inserted before another occurrence: its position shifts, its context changes.
            other = self.rng.choice([p for p in places if p != s])
            new, _, delta = splice(old, other, other, self.word(source) + " ")
            shift = delta if other < s else 0
            return Case(kind, old, new, s, e, (s + shift, e + shift))
        if kind == "lookalike + word inserted inside":
            gap = self.rng.choice(quoted[:-1]).end()
            new, _, delta = splice(old, gap, gap, " " + self.word(source))
            return Case(kind, old, new, s, e, (s, e + delta))
        if kind == "lookalike + quote partly rewritten":
            if len(quoted) < 3:
                return None
            return self._rewrite(source, kind, old, quoted)
        new = delete_words(old, s, e)  # lookalike + quote deleted
        return Case(kind, old, new, s, e, None)


KINDS: dict[str, Callable[[Builder], Case | None]] = {
    "edit elsewhere": Builder.edit_elsewhere,
    "word inserted before": lambda b: b.inserted_beside("before"),
    "word inserted after": lambda b: b.inserted_beside("after"),
    "word inserted inside": Builder.inserted_inside,
    "quote partly rewritten": Builder.rewritten,
    "sentences reordered": Builder.reordered,
    "quote deleted": Builder.deleted,
    "its sentence replaced": Builder.sentence_replaced,
    "lookalike, edit elsewhere": lambda b: b.lookalike("lookalike, edit elsewhere"),
    "lookalike + word inserted inside": lambda b: b.lookalike("lookalike + word inserted inside"),
    "lookalike + quote partly rewritten": lambda b: b.lookalike(
        "lookalike + quote partly rewritten"
    ),
    "lookalike + quote deleted": lambda b: b.lookalike("lookalike + quote deleted"),
}


def build_cases(per_kind: int = PER_KIND, seed: int = SEED) -> list[Case]:
    rng = random.Random(seed)
    builder = Builder(load_sources(), rng)
    cases = []
    for make in KINDS.values():
        made = 0
        while made < per_kind:
            case = make(builder)
            if case is not None and case.old != case.new:
                check(case)
                cases.append(case)
                made += 1
    return cases


def check(case: Case) -> None:
    """A case must say what it means: an unchanged quote is where it is expected."""
    if case.expected is not None and case.kind in UNCHANGED:
        assert case.new[case.expected[0] : case.expected[1]] == case.quote, case


UNCHANGED = {
    "edit elsewhere",
    "word inserted before",
    "word inserted after",
    "sentences reordered",
    "lookalike, edit elsewhere",
}


def splice(text: str, start: int, end: int, insert: str) -> tuple[str, int, int]:
    """text with [start, end) replaced: (new text, where, change in length)."""
    return text[:start] + insert + text[end:], start, len(insert) - (end - start)


def delete_words(text: str, start: int, end: int) -> str:
    """The words in [start, end) removed with one of the spaces around them."""
    if start > 0 and text[start - 1] == " ":
        start -= 1
    elif text[end : end + 1] == " ":
        end += 1
    return text[:start] + text[end:]


def clause_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentences and semicolon clauses, without the spaces between them."""
    spans, start = [], 0
    for gap in _CLAUSE_END.finditer(paragraph):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(paragraph)))
    return [(s, e) for s, e in spans if e > s]


# --- the methods -------------------------------------------------------------------------------


def context(case: Case) -> tuple[str, str]:
    """The prefix and suffix stored with a comment (as app/comments/service.py stores them)."""
    return (
        case.old[max(0, case.start - CONTEXT) : case.start],
        case.old[case.end : case.end + CONTEXT],
    )


def concord_method(module) -> Method:  # noqa: ANN001  (either anchor module)
    def prepare(case: Case) -> object:
        return module.char_diffs(case.old, case.new)

    def anchor(case: Case, diffs: object) -> Placed:
        prefix, suffix = context(case)
        found = module.reanchor_with_diff(
            diffs,
            case.old,
            case.new,
            case.start,
            case.end,
            case.quote,
            prefix=prefix,
            suffix=suffix,
        )
        return None if found.state == "orphaned" else (found.start, found.end)

    return Method(prepare, anchor)


def hypothesis_method(client: Callable[..., Placed]) -> Method:
    def anchor(case: Case, _: object) -> Placed:
        prefix, suffix = context(case)
        return client(case.new, case.quote, prefix, suffix, case.start)

    return Method(lambda case: None, anchor)


METHODS: dict[str, Method] = {
    "Concord before": concord_method(before),
    "Hypothesis now": hypothesis_method(anchor_match_quote),
    "Hypothesis ≤2020": hypothesis_method(anchor_text_quote_dmp),
    "Concord now": concord_method(concord),
}


def is_right(case: Case, placed: Placed) -> bool:
    if case.expected is None or placed is None:
        return case.expected is None and placed is None
    return trimmed(case.new, *placed) == trimmed(case.new, *case.expected)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    seconds: float = 0.0  # placing the quotes
    prepare_seconds: float = 0.0  # Concord's diff of each pair of texts

    def add(self, other: "Tally") -> None:
        self.right += other.right
        self.total += other.total
        self.seconds += other.seconds
        self.prepare_seconds += other.prepare_seconds

    @property
    def percent(self) -> float:
        return 100 * self.right / self.total if self.total else 0.0

    @property
    def per_thousand(self) -> float:
        """Seconds per 1,000 anchors, the diff of their pair of texts given."""
        return 1000 * self.seconds / self.total if self.total else 0.0

    @property
    def with_diff_per_thousand(self) -> float:
        """Seconds per 1,000 anchors, each on a pair of texts of its own (diff included)."""
        return 1000 * (self.seconds + self.prepare_seconds) / self.total if self.total else 0.0


def measure(cases: list[Case], method: Method) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {kind: Tally() for kind in KINDS}
    for case in cases:
        started = time.perf_counter()
        prepared = method.prepare(case)
        prepare_seconds = time.perf_counter() - started
        started = time.perf_counter()
        placed = method.anchor(case, prepared)
        seconds = time.perf_counter() - started
        tally = tallies[case.kind]
        tally.total += 1
        tally.right += is_right(case, placed)
        tally.seconds += seconds
        tally.prepare_seconds += prepare_seconds
    return tallies


def summary(tallies: dict[str, Tally], kinds: Iterator[str] | None = None) -> Tally:
    total = Tally()
    for kind in kinds if kinds is not None else tallies:
        total.add(tallies[kind])
    return total


def lookalike_kinds() -> list[str]:
    return [kind for kind in KINDS if kind.startswith("lookalike")]


def table(results: dict[str, dict[str, Tally]]) -> str:
    """% right and seconds per 1,000 anchors (the pair's diff given; with it, for Concord)."""
    methods = list(results)
    width = max(len(k) for k in [*KINDS, "lookalike kinds", "overall"])
    cell = 26
    header = f"{'kind of edit':<{width}} | " + " | ".join(f"{m:>{cell}}" for m in methods)
    lines = [header, "-" * len(header)]
    rows: list[tuple[str, Callable[[dict[str, Tally]], Tally]]] = [
        (kind, lambda r, k=kind: r[k]) for kind in KINDS
    ]
    rows += [
        ("lookalike kinds", lambda r: summary(r, iter(lookalike_kinds()))),
        ("overall", lambda r: summary(r)),
    ]
    for name, pick in rows:
        cells = []
        for method in methods:
            tally = pick(results[method])
            timing = f"{tally.per_thousand:5.2f}"
            if tally.prepare_seconds:
                timing += f" ({tally.with_diff_per_thousand:5.2f})"
            cells.append(f"{tally.percent:5.1f} % {timing} s")
        lines.append(f"{name:<{width}} | " + " | ".join(f"{c:>{cell}}" for c in cells))
    return "\n".join(lines)


def run() -> dict[str, dict[str, Tally]]:
    cases = build_cases()
    return {name: measure(cases, method) for name, method in METHODS.items()}


def main() -> list[tuple[str, str, str]]:
    """The figures bench/run_all.py records; the whole table is printed."""
    results = run()
    print(table(results))
    now, hypothesis = results["Concord now"], results["Hypothesis now"]
    worse = [k for k in KINDS if now[k].right < hypothesis[k].right]
    lookalikes = summary(now, iter(lookalike_kinds()))
    deleted = summary(now, iter(["quote deleted", "lookalike + quote deleted"]))
    return [
        ("anchoring: right overall (1,500 cases)", "≥ 93 %", f"{summary(now).percent:.1f} %"),
        ("anchoring: right on lookalike cases", "≥ 90 %", f"{lookalikes.percent:.1f} %"),
        ("anchoring: kinds of edit worse than Hypothesis", "0", str(len(worse))),
        (
            "anchoring: time per 1,000 anchors (diff of the pair given)",
            "≤ 0.5 s",
            f"{summary(now).per_thousand:.2f} s",
        ),
        (
            "anchoring: time per 1,000 anchors, each with its own diff",
            "≤ 0.5 s",
            f"{summary(now).with_diff_per_thousand:.2f} s",
        ),
        (
            "anchoring: time per 1,000 deleted quotes (diff given)",
            "≤ 0.5 s",
            f"{deleted.per_thousand:.2f} s",
        ),
    ]


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
