"""A version as an ordered list of keyed paragraphs, and the key-level edits that make the next."""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from app.text.paragraphs import Block, Kind

# What an amendment or a direct edit does to a paragraph named by its key.
Action = Literal["modify", "insert", "delete"]

KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no look-alikes: l/1, o/0
KEY_LENGTH = 8


@dataclass(frozen=True, slots=True)
class Para:
    key: str
    kind: Kind
    text: str

    @property
    def block(self) -> Block:
        return Block(self.kind, self.text)


class EditError(ValueError):
    """An edit names a paragraph that is not there; `code` says why in machine terms."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def key_factory(taken: Iterable[str]) -> Callable[[], str]:
    """New paragraph keys, never one this declaration has used before (a deleted key stays gone)."""
    used = set(taken)

    def new_key() -> str:
        while True:
            key = "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))
            if key not in used:
                used.add(key)
                return key

    return new_key


class Draft:
    """A mutable working copy of a version's paragraphs, edited by key."""

    def __init__(self, paragraphs: Iterable[Para], new_key: Callable[[], str]):
        self.paragraphs = list(paragraphs)
        self._new_key = new_key
        self.initial_keys = frozenset(p.key for p in self.paragraphs)

    def index(self, key: str) -> int:
        for i, paragraph in enumerate(self.paragraphs):
            if paragraph.key == key:
                return i
        raise EditError(f"There is no paragraph {key} in this version.", "unknown_paragraph")

    def get(self, key: str) -> Para:
        return self.paragraphs[self.index(key)]

    def modify(self, key: str, text: str, kind: Kind | None = None) -> None:
        i = self.index(key)
        current = self.paragraphs[i]
        self.paragraphs[i] = Para(key, kind or current.kind, text)

    def insert_after(
        self, after: str | None, text: str, kind: Kind, *, known: frozenset[str] | None = None
    ) -> str:
        """Insert after `after` (None: at the start), and after any paragraphs that follow it
        but were not `known` to the writer (default: not in the draft when it was opened):
        inserts written against one text land in the order they were written or merged."""
        known = self.initial_keys if known is None else known
        position = 0 if after is None else self.index(after) + 1
        while position < len(self.paragraphs) and self.paragraphs[position].key not in known:
            position += 1
        key = self._new_key()
        self.paragraphs.insert(position, Para(key, kind, text))
        return key

    def delete(self, key: str) -> None:
        del self.paragraphs[self.index(key)]
        if not self.paragraphs:
            raise EditError("A declaration cannot be left without text.", "empty_text")

    def blocks(self) -> list[Block]:
        return [p.block for p in self.paragraphs]
