"""Word-level redlines and token matching, built on diff-match-patch bounded by work, not time."""

import difflib
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from typing import Literal

from diff_match_patch import diff_match_patch

Op = Literal["equal", "insert", "delete"]
Diff = tuple[int, str]  # diff-match-patch's own (op, text), op being one of the three below

DELETE, EQUAL, INSERT = -1, 0, 1
_OP_NAMES: dict[int, Op] = {DELETE: "delete", EQUAL: "equal", INSERT: "insert"}

# The one tokenisation rule of redlines, merges and anchors, which the browser's live redline
# follows too (frontend/src/lib/wordDiff.ts; both are tested on frontend/src/lib/fixtures/
# tokens.json). Ideographs and kana are written without spaces: one token each keeps a CJK
# redline word-sized instead of turning a whole sentence into one token. Any other word is a run
# of letters, digits, marks (a vowel sign or a shadda is part of its word) and '_', hyphens and
# apostrophes joining two runs ("well-known", "l’Europe"); white space runs are tokens; any
# other character is a token of its own.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_JOINERS = "'\u2019\\-\u2010\u2011"


def _marks() -> str:
    """Every combining mark (categories Mn, Mc, Me) but the kana's own, as a character class
    body. Marks are found in the first two planes and among plane 14's variation selectors."""
    cjk = re.compile(f"[{_CJK}]")
    codes = [
        code
        for code in (*range(0x20000), *range(0xE0000, 0xE1000))
        if unicodedata.category(chr(code)).startswith("M") and not cjk.match(chr(code))
    ]
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


_MARKS = _marks()
# Letters as runs of \w (letters, digits, '_') and runs of marks: a per-character alternation
# costs twice the time on Latin text. Possessive: a word is never taken back.
_LETTERS = rf"(?:[^\W{_CJK}]++|[{_MARKS}]++)++"
_TOKEN = re.compile(rf"[{_CJK}]|{_LETTERS}(?:[{_JOINERS}]{_LETTERS})*+|\s+|.", re.DOTALL)
_WORD_START = re.compile(rf"[\w{_MARKS}]")

# Tokens are diffed as characters, one character per distinct token. A one-character token that
# is not alphanumeric (space, punctuation) below U+E000 stands for itself, so dmp's semantic
# cleanup still sees word boundaries; every other token gets a character from these ranges,
# alphanumeric ones first, then everything from U+E000 up, which no token ever stands for itself.
_IDENTITY_BELOW = 0xE000
_POOL: tuple[tuple[int, int], ...] = (
    (0x4E00, 0xA000),  # CJK Unified Ideographs
    (0x3400, 0x4DC0),  # CJK Extension A
    (0xAC00, 0xD7A4),  # Hangul syllables
    (0xE000, 0x110000),
)


# Work, not time, bounds a diff. dmp's default 1 s deadline makes results depend on machine load;
# with none, its Myers search is quadratic on unrelated texts (two different 5,000-character
# paragraphs take 13 s). Past this many search steps, what is left of the search becomes one
# deletion and one insertion, as on dmp's timeout, but identically on every run and machine.
DIFF_BUDGET = 500_000


class _WorkBudget:
    """Stands in for dmp's deadline; it 'passes' once the search has made enough steps.

    dmp checks `time.time() > deadline` once per round d of its search, and round d costs
    about 2d steps, so each check is charged that much.
    """

    def __init__(self, steps: int) -> None:
        self.left = steps
        self.round = 0

    def new_search(self) -> None:
        self.round = 0

    def __lt__(self, now: object) -> bool:  # reflected from `now > deadline`
        self.left -= 2 * self.round + 2
        self.round += 1
        return self.left < 0

    def __gt__(self, now: object) -> bool:
        return not self.__lt__(now)


class _Engine(diff_match_patch):
    """dmp whose Myers search restarts the round count of a `_WorkBudget` for each subproblem."""

    def diff_bisect(self, text1: str, text2: str, deadline: object) -> list[Diff]:
        if isinstance(deadline, _WorkBudget):
            deadline.new_search()
        return super().diff_bisect(text1, text2, deadline)


def engine() -> diff_match_patch:
    """A diff-match-patch without a clock (its half-match shortcut off: diffs are shortest)."""
    dmp = _Engine()
    dmp.Diff_Timeout = 0
    return dmp


_DMP = engine()


class SharedWork:
    """Search steps that several diffs spend together, on top of each one's own budget: the
    redlines of one comparison of two versions, whatever their size. Once it is spent, each
    further diff is as coarse as one whose own budget ran out (the stretch from its first to
    its last change deleted and inserted whole), still exact."""

    def __init__(self, steps: int) -> None:
        self.left = steps


def _diff(old: str, new: str, shared: SharedWork | None = None) -> list[Diff]:
    """dmp's diff_main, shortest unless the work budget runs out (then coarser, still exact)."""
    granted = DIFF_BUDGET if shared is None else max(0, min(DIFF_BUDGET, shared.left))
    budget = _WorkBudget(granted)
    diffs = _DMP.diff_main(old, new, False, budget)
    if shared is not None:
        shared.left -= granted - budget.left
    return diffs


class TableFull(Exception):
    """More distinct tokens than characters to stand for them (about 1.1 million)."""


class TokenTable:
    """Gives each distinct token one character, so dmp can diff token sequences as strings."""

    def __init__(self) -> None:
        self._codes: dict[Hashable, str] = {}
        self._tokens: dict[str, Hashable] = {}
        self._ranges = iter(_POOL)
        self._next, self._stop = next(self._ranges)

    def encode(self, tokens: Iterable[Hashable]) -> str:
        codes = self._codes
        chars = []
        for token in tokens:
            char = codes.get(token)
            if char is None:
                char = self._assign(token)
            chars.append(char)
        return "".join(chars)

    def decode_text(self, chars: str) -> str:
        """The text of a run of characters, for tables built from string tokens."""
        tokens = self._tokens
        return "".join([tokens.get(c, c) for c in chars])  # type: ignore[misc]

    def _assign(self, token: Hashable) -> str:
        if (
            isinstance(token, str)
            and len(token) == 1
            and ord(token) < _IDENTITY_BELOW
            and not token.isalnum()
        ):
            char = token
        else:
            while self._next >= self._stop:
                try:
                    self._next, self._stop = next(self._ranges)
                except StopIteration:
                    raise TableFull from None
            char = chr(self._next)
            self._next += 1
            self._tokens[char] = token
        self._codes[token] = char
        return char


def tokenize(text: str) -> list[str]:
    """Words, whitespace runs and single punctuation marks; joined they give back the text."""
    return _TOKEN.findall(text)


def is_word(token: str) -> bool:
    return bool(_WORD_START.match(token))


def char_diff(old: str, new: str) -> list[Diff]:
    """dmp's raw character diff (a shortest edit script within the budget) as (op, text) pairs."""
    return _diff(old, new)


def word_diff(old: str, new: str, shared: SharedWork | None = None) -> list[tuple[Op, str]]:
    """A redline of whole words: equal + delete parts give `old`, equal + insert give `new`.
    `shared`: the work this diff draws from along with others (besides its own budget)."""
    if old == new:
        return [("equal", old)] if old else []
    table = TokenTable()
    try:
        old_chars = table.encode(tokenize(old))
        new_chars = table.encode(tokenize(new))
    except TableFull:
        # Beyond a million distinct words a character redline is still exact, only finer.
        diffs = _diff(old, new, shared)
        _DMP.diff_cleanupSemantic(diffs)
        return _runs(diffs)
    diffs = _diff(old_chars, new_chars, shared)
    _DMP.diff_cleanupSemantic(diffs)
    return _runs((op, table.decode_text(chars)) for op, chars in diffs)


def matching_blocks(
    a: Sequence[Hashable], b: Sequence[Hashable], *, semantic: bool = False
) -> list[tuple[int, int, int]]:
    """Like difflib's get_matching_blocks (ending in (len(a), len(b), 0)), computed by dmp.

    Without `semantic` the blocks form a longest common subsequence; with it, dmp's semantic
    cleanup first folds coincidental short matches inside rewritten stretches into the edit.
    """
    table = TokenTable()
    try:
        a_chars = table.encode(a)
        b_chars = table.encode(b)
    except TableFull:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return [tuple(block) for block in matcher.get_matching_blocks()]  # type: ignore[misc]
    diffs = _diff(a_chars, b_chars)
    if semantic:
        _DMP.diff_cleanupSemantic(diffs)
    blocks = []
    i = j = 0
    for op, chars in diffs:
        if op == EQUAL:
            blocks.append((i, j, len(chars)))
            i += len(chars)
            j += len(chars)
        elif op == DELETE:
            i += len(chars)
        else:
            j += len(chars)
    blocks.append((len(a), len(b), 0))
    return blocks


def _runs(diffs: Iterable[Diff]) -> list[tuple[Op, str]]:
    runs: list[tuple[Op, str]] = []
    for op, text in diffs:
        if not text:
            continue
        name = _OP_NAMES[op]
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + text)
        else:
            runs.append((name, text))
    return runs
