"""Align a whole translation to its source's paragraphs, as translators split and merge them.

Gale–Church (1993): the length of a paragraph and of its translation are proportional, with a
variance that grows with the length, so a bead (1–1, 1–2, 2–1, or a paragraph left over) costs
−log P(length difference) − log P(bead kind), and the order-preserving sequence of beads with the
least total cost wins. Lengths are counted per script: a CJK character carries about what a
Latin, Cyrillic or Arabic word does, and the ratio between the two texts is the ratio of their
totals. Headings and numbering are anchors: a numbered paragraph ("3.", "(b)", "Article 5",
"三、") aligns with the same number, a heading is never merged with its neighbour, and digits and
web addresses, which translators keep, must agree.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

# −log of each bead kind's prior: most paragraphs are translated one to one; a translator
# splits or merges now and then, or puts two neighbours the other way round. A paragraph left
# over (one the translation lacks or adds) is a last resort, taken only where splits and merges
# cannot cover both texts: an official translation leaves nothing out.
_BEAD_PRIORS = {(1, 1): 0.89, (1, 2): 0.02, (2, 1): 0.02}
_BEAD_COSTS = {kind: -math.log(p) for kind, p in _BEAD_PRIORS.items()}
_BEAD_COSTS |= {(1, 0): 200.0, (0, 1): 200.0}
_SWAP_COST = -math.log(0.005)  # two 1–1 beads crossed: source i, i+1 ↔ target j+1, j
# A bead whose cost passes this is shown as doubtful for review (a 1–1 bead costs about 0.1 to 3).
DOUBTFUL_COST = 8.0
# Variance of the translated length per unit of source length (Gale and Church found 6.8 for
# characters; words and CJK characters are fewer and vary more per unit).
_VARIANCE = 1.6
_NUMBER_MISMATCH = 12.0  # "3." against "4.": almost surely not each other's translation
_NUMBER_ONE_SIDED = 3.0  # numbered on one side only
_HEADING_MERGED = 8.0  # a heading merged with a neighbour
_HEADING_MISMATCH = 4.0  # a marked heading against a plain paragraph
_INVARIANT_MISSING = 1.5  # per digit string or address found on one side only
_INVARIANT_CAP = 9.0
_FIRST_BAND = 8  # paragraphs either side of the diagonal; doubled while the path reaches it
_SQRT2 = math.sqrt(2)

_CJK_CHARS = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u3000-\u303f\uff01-\uff5e"
)
_CJK = re.compile(f"[{_CJK_CHARS}]")
_ADDRESS = re.compile(r"https?://[^\s\])>]*[^\s\])>.,;:!?]|[\w.+-]+@[\w-]+\.[\w.-]*\w")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
# One pass: an address, else one CJK character, else a run of other letters or digits.
_UNIT = re.compile(f"{_ADDRESS.pattern}|[{_CJK_CHARS}]|[^\\W_{_CJK_CHARS}]+")
_INVARIANT = re.compile(f"{_ADDRESS.pattern}|{_DIGITS.pattern}")
_CJK_NUMERALS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)}
_NUMBERING = re.compile(
    r"""^\s*(?:
        (?:article|artikel|art\.|article|artículo|articolo|статья|§|section|chapter|chapitre|
           capítulo|глава|раздел|المادة|الفصل|第)\s*(?P<word>\d+|[ivxlc]+\b)
      | \(?(?P<num>\d+(?:\.\d+)*)[.)](?=\s|$)
      | \((?P<letter>[a-z])\)
      | (?P<cjk>[一二三四五六七八九十]+)[、.．]
    )""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Bead:
    """Source paragraphs (indices) and the target paragraphs that translate them; `cost` is how
    unlikely the pairing is (−log probability), for the reviewer."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    cost: float = 0.0

    @property
    def doubtful(self) -> bool:
        return self.cost > DOUBTFUL_COST


@dataclass(frozen=True, slots=True)
class Segment:
    """What the aligner reads of one paragraph: its text and whether it is a heading."""

    text: str
    heading: bool = False


@dataclass(frozen=True, slots=True)
class _Features:
    """One paragraph, or two neighbours taken together as one side of a bead."""

    length: float
    number: str | None
    invariants: frozenset[str]
    heading: bool
    merged_heading: bool = False  # two paragraphs, one of them a heading
    merged_number: bool = False  # two paragraphs, the second numbered


def _merge(first: _Features, second: _Features) -> _Features:
    return _Features(
        length=first.length + second.length,
        number=first.number,
        invariants=first.invariants | second.invariants,
        heading=first.heading,
        merged_heading=first.heading or second.heading,
        merged_number=second.number is not None,
    )


def length_units(text: str) -> int:
    """CJK characters count one each; every other run of letters or digits counts one (a word);
    a web or mail address, copied as it stands, counts one."""
    return sum(1 for _ in _UNIT.finditer(text))


def numbering(text: str) -> str | None:
    """The number a paragraph opens with ("3", "4.1", "b", "iv"), or None."""
    found = _NUMBERING.match(text)
    if not found:
        return None
    if found["cjk"]:
        return str(_cjk_number(found["cjk"]))
    return (found["word"] or found["num"] or found["letter"]).lower()


def _cjk_number(numeral: str) -> int:
    # 一 … 九, 十, 十一 … 十九, 二十 … 九十九
    if "十" not in numeral:
        return _CJK_NUMERALS.get(numeral[-1], 0)
    tens, _, units = numeral.partition("十")
    return (_CJK_NUMERALS.get(tens, 1) if tens else 1) * 10 + _CJK_NUMERALS.get(units, 0)


def _invariants(text: str) -> frozenset[str]:
    """What a translator copies as it stands: web and mail addresses, and digit strings."""
    return frozenset(_INVARIANT.findall(text))


def _features(segment: Segment) -> _Features:
    return _Features(
        length=float(length_units(segment.text)),
        number=numbering(segment.text),
        invariants=_invariants(segment.text),
        heading=segment.heading,
    )


class _Scorer:
    """Bead costs, each pairing computed once: the search asks for most of them again (a
    crossed bead, a wider band)."""

    def __init__(self, source: list[_Features], target: list[_Features]) -> None:
        self.sides = (
            (source, [_merge(a, b) for a, b in zip(source, source[1:], strict=False)]),
            (target, [_merge(a, b) for a, b in zip(target, target[1:], strict=False)]),
        )
        self.marks = any(f.heading for f in target)
        total_source = sum(f.length for f in source) or 1.0
        total_target = sum(f.length for f in target) or 1.0
        self.ratio = total_target / total_source
        self._pairings: dict[tuple[int, int, int, int], float] = {}

    def cost(self, i: int, di: int, j: int, dj: int) -> float:
        """The cost of a bead of source[i:i+di] and target[j:j+dj]."""
        if not (di and dj):
            return _BEAD_COSTS[di, dj]
        known = self._pairings.get((i, di, j, dj))
        if known is None:
            known = self._pairing(self.sides[0][di - 1][i], self.sides[1][dj - 1][j])
            self._pairings[i, di, j, dj] = known
        return _BEAD_COSTS[di, dj] + known

    def crossed_cost(self, i: int, j: int) -> float:
        """Source i and i+1 translated by target j+1 and j, in that order."""
        one_to_one = _BEAD_COSTS[1, 1]
        crossed = self.cost(i, 1, j + 1, 1) + self.cost(i + 1, 1, j, 1) - 2 * one_to_one
        return _SWAP_COST + crossed

    def _pairing(self, src: _Features, tgt: _Features) -> float:
        scaled = tgt.length / self.ratio
        mean = max((src.length + scaled) / 2, 1.0)
        delta = abs(scaled - src.length) / math.sqrt(_VARIANCE * mean)
        cost = -math.log(max(math.erfc(delta / _SQRT2), 1e-300))
        if src.number and tgt.number:
            cost += 0.0 if src.number == tgt.number else _NUMBER_MISMATCH
        elif src.number or tgt.number:
            cost += _NUMBER_ONE_SIDED
        if src.merged_heading or tgt.merged_heading:
            cost += _HEADING_MERGED
        if src.merged_number or tgt.merged_number:
            cost += _NUMBER_ONE_SIDED
        if self.marks and src.heading != tgt.heading:
            cost += _HEADING_MISMATCH
        if src.invariants or tgt.invariants:
            missing = len(src.invariants ^ tgt.invariants)
            cost += min(missing * _INVARIANT_MISSING, _INVARIANT_CAP)
        return cost


def align_translation(source: Sequence[Segment], target: Sequence[Segment]) -> list[Bead]:
    """The least-cost order-preserving beads covering every paragraph of both texts once.

    A bead with an empty side is a paragraph left over: one the translation lacks, or one it
    has and the source does not. The search keeps to a band around the diagonal, widened only
    while the best path runs along its edge, so its cost grows with the length, not its square."""
    n, m = len(source), len(target)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    scorer = _Scorer([_features(s) for s in source], [_features(t) for t in target])
    band = _FIRST_BAND
    while True:
        best = _search(scorer, n, m, band)
        if (n, m) in best and not _touches_edge(best, n, m, band) or band >= max(n, m):
            return _trace(best, n, m)
        band *= 2


def _search(
    scorer: _Scorer, n: int, m: int, band: int
) -> dict[tuple[int, int], tuple[float, int, int, bool]]:
    """best[i, j]: the least cost of covering source[:i] and target[:j] within `band` of the
    diagonal, and the last move (di, dj, crossed) that got there."""
    best: dict[tuple[int, int], tuple[float, int, int, bool]] = {(0, 0): (0.0, 0, 0, False)}
    for i in range(n + 1):
        centre = round(i * m / n)
        for j in range(max(0, centre - band), min(m, centre + band) + 1):
            choice: tuple[float, int, int, bool] | None = None
            for di, dj in _BEAD_COSTS:
                previous = best.get((i - di, j - dj))
                if previous is not None:
                    total = previous[0] + scorer.cost(i - di, di, j - dj, dj)
                    if choice is None or total < choice[0]:
                        choice = (total, di, dj, False)
            previous = best.get((i - 2, j - 2))
            if previous is not None:
                total = previous[0] + scorer.crossed_cost(i - 2, j - 2)
                if choice is None or total < choice[0]:
                    choice = (total, 2, 2, True)
            if choice is not None:
                best[i, j] = choice
    return best


def _touches_edge(
    best: dict[tuple[int, int], tuple[float, int, int, bool]], n: int, m: int, band: int
) -> bool:
    """Whether the best path runs along the band's edge, where a wider band might do better."""
    i, j = n, m
    while (i, j) != (0, 0):
        if abs(j - round(i * m / n)) >= band - 1:
            return True
        _, di, dj, _ = best[i, j]
        i, j = i - di, j - dj
    return False


def _trace(
    best: dict[tuple[int, int], tuple[float, int, int, bool]], n: int, m: int
) -> list[Bead]:
    beads: list[Bead] = []
    i, j = n, m
    while (i, j) != (0, 0):
        total, di, dj, crossed = best[i, j]
        cost = round(total - best[i - di, j - dj][0], 2)
        if crossed:
            beads += [Bead((i - 1,), (j - 2,), cost), Bead((i - 2,), (j - 1,), cost)]
        else:
            beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), cost))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


_SENTENCE_END = re.compile(r"(?<=[.!?;:。！？；：؟؛])\s*")


def join_translated(parts: Sequence[str]) -> str:
    """Target paragraphs that translate one source paragraph, as one: CJK text joins without a
    space, as it is written."""
    joined = parts[0]
    for part in parts[1:]:
        cjk_seam = _CJK.match(joined[-1:] or " ") and _CJK.match(part[:1] or " ")
        joined += part if cjk_seam else " " + part
    return joined


def split_translated(text: str, weights: Sequence[float]) -> list[str]:
    """One target paragraph that translates several source paragraphs, cut at the sentence ends
    nearest to the sources' shares of its length. A share with no sentence end to cut at stays
    empty (the reviewer sees it and fills it in)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if 0 < m.end() < len(text)]
    total = sum(weights) or 1.0
    cuts: list[int] = []
    share = 0.0
    for weight in weights[:-1]:
        share += weight
        wanted = len(text) * share / total
        candidates = [e for e in ends if not cuts or e > cuts[-1]]
        cuts.append(min(candidates, key=lambda e: abs(e - wanted)) if candidates else len(text))
    pieces, start = [], 0
    for cut in [*cuts, len(text)]:
        pieces.append(text[start:cut].strip())
        start = max(start, cut)
    return pieces
