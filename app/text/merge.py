"""Word-level three-way merge of one paragraph's text: both changes land, or it is a conflict."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

from merge3 import Merge3

from app.text.diff import is_word, matching_blocks, tokenize

_QUOTE_CHARS = 60
_CONTEXT_WORDS = 4


@dataclass(frozen=True, slots=True)
class MergeConflict:
    """Why two changes could not both be applied.

    `words` is the base text both change; when both insert at one place it is empty and
    `after` holds the few words before that place (empty at the start of the paragraph).
    """

    reason: str
    words: str = ""
    after: str = ""


class DmpSequenceMatcher:
    """The part of difflib.SequenceMatcher that merge3 uses, computed by diff-match-patch.

    difflib is far too slow on long token lists, and its junk heuristics make it unpredictable.
    """

    def __init__(
        self,
        isjunk: object = None,
        a: Sequence[Hashable] = (),
        b: Sequence[Hashable] = (),
        autojunk: bool = True,
    ) -> None:
        self.a = a
        self.b = b

    def get_matching_blocks(self) -> list[tuple[int, int, int]]:
        # Semantic cleanup folds coincidental one-word matches inside a rewritten stretch into
        # the edit, so a rewrite is one change rather than many that another edit could slip into.
        return matching_blocks(self.a, self.b, semantic=True)


_RegionKind = Literal["unchanged", "ours", "theirs", "same", "conflict"]


@dataclass(frozen=True, slots=True)
class _Region:
    kind: _RegionKind
    base: tuple[int, int]
    ours: tuple[int, int]
    theirs: tuple[int, int]


def merge_words(base: str, ours: str, theirs: str) -> str | MergeConflict:
    """The base with both changes applied, or a conflict when they touch the same words.

    A change is a run of inserted, deleted or replaced words. Two changes conflict when they
    overlap or when only blanks and punctuation separate them (an unchanged word must stand
    between them); the same change made on both sides is applied once. Nothing is placed
    approximately: every unchanged word is matched exactly in all three texts.
    """
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    return _three_way(base, ours, theirs)


def _three_way(base: str, ours: str, theirs: str) -> str | MergeConflict:
    base_tokens, our_tokens, their_tokens = tokenize(base), tokenize(ours), tokenize(theirs)
    regions = _regions(base_tokens, our_tokens, their_tokens)

    merged: list[str] = []
    cluster: list[_Region] = []  # changes not yet separated from each other by a word
    for region in [*regions, None]:
        if region is None or (
            region.kind == "unchanged" and any(map(is_word, _span(base_tokens, region.base)))
        ):
            conflict = _cluster_conflict(cluster, base_tokens)
            if conflict:
                return conflict
            cluster = []
        if region is None:
            break
        if region.kind == "unchanged":
            merged.extend(_span(base_tokens, region.base))
            continue
        cluster.append(region)
        if region.kind in ("ours", "same"):
            merged.extend(_span(our_tokens, region.ours))
        elif region.kind == "theirs":
            merged.extend(_span(their_tokens, region.theirs))
    return "".join(merged)


def rebase_text(base: str, amended: str, head: str) -> str | MergeConflict:
    """The change base → amended applied onto head (an amendment carried to a later version)."""
    result = merge_words(base, head, amended)
    if not isinstance(result, MergeConflict):
        return result
    changed = "since the amendment was proposed, the current text changed"
    if result.words:
        reason = f"{changed} the same words: '{_shorten(result.words)}'"
    elif result.after:
        reason = f"{changed} the same place, after '{result.after}'"
    else:
        reason = f"{changed} the same place, at the start of the paragraph"
    return MergeConflict(reason=reason, words=result.words, after=result.after)


def _regions(base: list[str], ours: list[str], theirs: list[str]) -> list[_Region]:
    # merge3's own merge_regions drops the base range of one-sided changes; the conflict
    # message needs it, so the regions are rebuilt from its sync regions (same rules).
    merge = Merge3(base, ours, theirs, sequence_matcher=DmpSequenceMatcher)
    regions = []
    z = o = t = 0
    for z_start, z_end, o_start, o_end, t_start, t_end in merge.find_sync_regions():
        if (z, o, t) != (z_start, o_start, t_start):
            base_part, our_part = base[z:z_start], ours[o:o_start]
            their_part = theirs[t:t_start]
            kind: _RegionKind
            if our_part == their_part:
                kind = "same"
            elif our_part == base_part:
                kind = "theirs"
            elif their_part == base_part:
                kind = "ours"
            else:
                kind = "conflict"
            regions.append(_Region(kind, (z, z_start), (o, o_start), (t, t_start)))
        if z_end > z_start:
            regions.append(
                _Region("unchanged", (z_start, z_end), (o_start, o_end), (t_start, t_end))
            )
        z, o, t = z_end, o_end, t_end
    return regions


def _cluster_conflict(cluster: list[_Region], base: list[str]) -> MergeConflict | None:
    kinds = {region.kind for region in cluster}
    if "conflict" not in kinds and not {"ours", "theirs"} <= kinds:
        return None
    start = min(region.base[0] for region in cluster)
    end = max(region.base[1] for region in cluster)
    if "".join(base[start:end]).strip():
        # Widen to the punctuation stuck to the words, so "thirty (30" reads "thirty (30)".
        while start > 0 and _is_mark(base[start - 1]):
            start -= 1
        while end < len(base) and _is_mark(base[end]):
            end += 1
        words = "".join(base[start:end]).strip()
        return MergeConflict(reason=f"both change the words '{_shorten(words)}'", words=words)
    before = _last_words(base[:start], _CONTEXT_WORDS)
    where = f"after '{before}'" if before else "at the start"
    return MergeConflict(
        reason=f"both insert different words at the same place, {where}", after=before
    )


def _last_words(tokens: list[str], count: int) -> str:
    start = len(tokens)
    while start > 0 and count > 0:
        start -= 1
        count -= is_word(tokens[start])
    return _shorten("".join(tokens[start:]).strip(), keep_end=True)


def _span(tokens: list[str], bounds: tuple[int, int]) -> list[str]:
    return tokens[bounds[0] : bounds[1]]


def _is_mark(token: str) -> bool:
    return not is_word(token) and not token.isspace()


def _shorten(text: str, *, keep_end: bool = False) -> str:
    if len(text) <= _QUOTE_CHARS:
        return text
    if keep_end:
        return "…" + text[-(_QUOTE_CHARS - 1) :]
    half = (_QUOTE_CHARS - 1) // 2
    return text[:half] + "…" + text[-half:]
