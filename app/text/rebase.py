"""What an amendment does to its paragraph in a later version of the text: the one rule that
both a merge and an amendment's rebased view apply."""

from dataclasses import dataclass
from typing import Protocol

from app.text.diff import Op, word_diff
from app.text.merge import MergeConflict, rebase_text

PARAGRAPH_GONE = "The paragraph it changes has been deleted."
DELETION_OVERTAKEN = (
    "The paragraph changed since the deletion was proposed; decide between the deletion and "
    "the new wording."
)


class Change(Protocol):
    """What an amendment proposes, written against the text of its base version."""

    @property
    def action(self) -> str: ...
    @property
    def paragraph_key(self) -> str | None: ...
    @property
    def base_text(self) -> str | None: ...
    @property
    def text(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Effect:
    """The change carried onto the paragraph as it stands now (`current`, None when the
    paragraph is gone or the change inserts at the start): `text` is the paragraph's new text
    (for an insert, the new paragraph's; None for a deletion), unless `conflict` says why the
    change cannot land as written."""

    change: Change
    current: str | None
    text: str | None
    conflict: str | None = None
    clash: MergeConflict | None = None  # the words both sides change, on a merge conflict

    def redline(self) -> list[tuple[Op, str]]:
        """Words against the paragraph now: what landing it would change, or (on a conflict)
        how the amendment's wording differs from the paragraph now."""
        if self.change.paragraph_key is not None and self.current is None:
            return []
        if self.change.action == "insert":
            return [("insert", self.change.text or "")]
        if self.change.action == "delete":
            return [("delete", self.current)]
        proposed = self.text if self.conflict is None else self.change.text
        return word_diff(self.current or "", proposed or "")


def effect_on(change: Change, current: str | None) -> Effect:
    """The change applied to its paragraph's `current` text (None: no such paragraph now)."""
    if change.paragraph_key is not None and current is None:
        return Effect(change, None, None, PARAGRAPH_GONE)
    if change.action == "insert":
        return Effect(change, current, change.text)
    if change.action == "delete":
        if current != change.base_text:
            return Effect(change, current, None, DELETION_OVERTAKEN)
        return Effect(change, current, None)
    merged = rebase_text(change.base_text or "", change.text or "", current or "")
    if isinstance(merged, MergeConflict):
        return Effect(change, current, None, merged.reason, merged)
    return Effect(change, current, merged)
