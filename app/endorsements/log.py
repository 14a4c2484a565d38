"""The stored signature log: appending entries and checkpoints in O(log n), proofs, and the
integrity check that refuses to vouch for a log whose rows were changed behind the app's back."""

import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from app.declarations.models import Declaration
from app.declarations.service import get_declaration
from app.endorsements.keys import KeyRing
from app.endorsements.merkle import HASH_SIZE, CompactRange, MerkleTree, leaf_hash, root_hash
from app.endorsements.models import Checkpoint, LogEntry, Signature
from app.endorsements.statements import checkpoint_statement, sign_statement, unverified_statement
from app.errors import AppError, Invalid, NotFound

logger = logging.getLogger(__name__)


class LogInconsistent(AppError):
    """The stored log no longer adds up: a server fault, never the client's."""

    status_code, code = 500, "log_inconsistent"


@dataclass(frozen=True, slots=True)
class Appended:
    """What one append wrote: the entry, the checkpoint after it, and the entry's audit path."""

    entry: LogEntry
    checkpoint: Checkpoint
    inclusion_proof: list[bytes]


class LogTrees:
    """Per process, the Merkle tree of each recently read declaration's log, as far as its
    latest checkpoint. Entries and checkpoints never change, so a tree is only ever extended:
    the entries after it are read, each hashed again from its JWS and checked against the leaf
    hash it was logged with, and the grown root against the checkpoint that signs it. Nothing a
    request asks for rebuilds a log that was read before; the proofs of every earlier size come
    from the latest tree."""

    def __init__(self, max_logs: int = 8):
        self.max_logs = max_logs
        self._trees: OrderedDict[int, MerkleTree] = OrderedDict()
        self._lock = threading.Lock()

    def tree(self, session: Session, declaration_id: int, latest: Checkpoint) -> MerkleTree:
        """The log's tree, grown to at least `latest` (its newest checkpoint) and checked."""
        with self._lock:
            tree = self._trees.get(declaration_id)
            if tree is not None:
                self._trees.move_to_end(declaration_id)
                if tree.size >= latest.tree_size:
                    return tree
        start = tree.size if tree is not None else 0
        leaves = _checked_leaves(session, declaration_id, start, latest.tree_size)
        with self._lock:
            current = self._trees.get(declaration_id)
            if current is not None and current.size >= latest.tree_size:
                return current  # another request grew it meanwhile
            have = current.size if current is not None else 0
            if have != start:  # grown or dropped meanwhile (rare): read what this one lacks
                leaves = _checked_leaves(session, declaration_id, have, latest.tree_size)
            if current is None:
                current = MerkleTree()
            current.extend(leaves)
            if current.root.hex() != latest.root_hash or _signed_root(latest) != latest.root_hash:
                self._trees.pop(declaration_id, None)
                _refuse(
                    f"The signature log of declaration {declaration_id} does not match its "
                    f"signed checkpoint of size {latest.tree_size}: an entry or checkpoint was "
                    "changed behind the platform's back."
                )
            self._trees[declaration_id] = current
            self._trees.move_to_end(declaration_id)
            while len(self._trees) > self.max_logs:
                self._trees.popitem(last=False)
            return current


def _checked_leaves(session: Session, declaration_id: int, after: int, upto: int) -> list[bytes]:
    """The leaf hashes of entries after..upto, each recomputed from its JWS and compared."""
    rows = session.execute(
        select(LogEntry.seq, LogEntry.jws, LogEntry.leaf_hash)
        .where(
            LogEntry.declaration_id == declaration_id,
            LogEntry.seq > after,
            LogEntry.seq <= upto,
        )
        .order_by(LogEntry.seq)
    ).all()
    where = f"The signature log of declaration {declaration_id}"
    seqs = [seq for seq, _, _ in rows]
    if seqs != list(range(after + 1, after + 1 + len(seqs))):
        gap = next(i for i, seq in enumerate(seqs, after + 1) if seq != i)
        _refuse(f"{where} is broken: entry {gap} is missing or out of place.")
    if len(rows) != upto - after:
        _refuse(
            f"{where} holds {after + len(rows)} entries, but its latest checkpoint signs "
            f"{upto}: entries were added or removed behind the platform's back."
        )
    leaves = []
    for seq, jws, stored in rows:
        leaf = leaf_hash(jws.encode("utf-8"))
        if leaf.hex() != stored:
            _refuse(
                f"{where} was altered: entry {seq} no longer hashes to the leaf hash it was "
                "logged with."
            )
        leaves.append(leaf)
    return leaves


def _signed_root(checkpoint: Checkpoint) -> str | None:
    return (unverified_statement(checkpoint.jws) or {}).get("root_hash")


def tail(session: Session, declaration_id: int) -> CompactRange:
    """The log's compact range after its latest checkpoint: all an append needs."""
    latest = latest_checkpoint(session, declaration_id)
    if latest is None:
        return CompactRange()
    peaks = [latest.peaks[i : i + HASH_SIZE] for i in range(0, len(latest.peaks), HASH_SIZE)]
    try:
        compact = CompactRange(latest.tree_size, peaks)
    except ValueError:
        compact = None
    # O(log n): never sign a checkpoint that extends a tail which is not the signed one.
    if compact is None or compact.root.hex() != latest.root_hash:
        _refuse(
            f"The signature log of declaration {declaration_id}: the stored tail of its "
            f"checkpoint of size {latest.tree_size} does not give its root hash."
        )
    return compact


def append_all(
    session: Session,
    *,
    keys: KeyRing,
    declaration: Declaration,
    compact: CompactRange,
    entries: Sequence[tuple[Signature, Mapping[str, Any]]],
    issued_at: datetime,
) -> list[Appended]:
    """Sign each (signature, statement) as the next entry, each followed by the checkpoint
    over the log it grows to; `compact` is advanced past them.

    The caller holds the declaration's row lock (and SQLite's write lock), so `compact` is the
    true tail and no other append can take these seqs; the unique (declaration_id, seq) would
    refuse them anyway. Entries and checkpoints are never updated, so they are written with one
    multi-row insert each, without the ORM's unit of work; the objects returned are not in the
    session.
    """
    appended, entry_rows, checkpoint_rows = [], [], []
    for signature, statement in entries:
        seq = compact.size + 1
        if statement["seq"] != seq:
            raise ValueError(f"statement for seq {statement['seq']} appended as {seq}")
        jws = sign_statement(keys.current, statement)
        leaf = leaf_hash(jws.encode("ascii"))
        proof = compact.append(leaf)
        entry = {
            "declaration_id": declaration.id,
            "seq": seq,
            "kind": statement["type"],
            "signature_id": signature.id,
            "city_id": signature.city_id,
            "signer_id": signature.signer_id,
            "jws": jws,
            "leaf_hash": leaf.hex(),
            "created_at": issued_at,
        }
        checkpoint = _checkpoint_row(
            keys, declaration, statement["content_hash"], compact, issued_at, final=False
        )
        entry_rows.append(entry)
        checkpoint_rows.append(checkpoint)
        appended.append(Appended(LogEntry(**entry), Checkpoint(**checkpoint), proof))
    if appended:
        session.execute(insert(LogEntry.__table__), entry_rows)
        session.execute(insert(Checkpoint.__table__), checkpoint_rows)
    return appended


def sign_checkpoint(
    session: Session,
    *,
    keys: KeyRing,
    declaration: Declaration,
    content_hash: str,
    compact: CompactRange,
    issued_at: datetime,
    final: bool = False,
) -> Checkpoint:
    checkpoint = Checkpoint(
        **_checkpoint_row(keys, declaration, content_hash, compact, issued_at, final=final)
    )
    session.add(checkpoint)
    return checkpoint


def _checkpoint_row(
    keys: KeyRing,
    declaration: Declaration,
    content_hash: str,
    compact: CompactRange,
    issued_at: datetime,
    *,
    final: bool,
) -> dict[str, Any]:
    root = compact.root
    statement = checkpoint_statement(
        declaration=declaration.id,
        version=declaration.final_version or 0,
        content_hash=content_hash,
        tree_size=compact.size,
        root_hash=root,
        issued_at=issued_at,
        final=final,
    )
    return {
        "declaration_id": declaration.id,
        "tree_size": compact.size,
        "root_hash": root.hex(),
        "peaks": b"".join(compact.peaks),
        "jws": sign_statement(keys.current, statement),
        "final": final,
        "created_at": issued_at,
    }


def latest_checkpoint(session: Session, declaration_id: int) -> Checkpoint | None:
    """The newest checkpoint: the largest tree, and the seal over a non-final one of its size."""
    return session.scalar(_LATEST_CHECKPOINT, {"declaration_id": declaration_id})


# Read on every append: built once (building a statement costs more than running it).
_LATEST_CHECKPOINT = (
    select(Checkpoint)
    .where(Checkpoint.declaration_id == bindparam("declaration_id"))
    .order_by(Checkpoint.tree_size.desc(), Checkpoint.final.desc())
    .limit(1)
)


def checkpoint_at(session: Session, declaration_id: int, tree_size: int) -> Checkpoint | None:
    return session.scalar(
        select(Checkpoint)
        .where(Checkpoint.declaration_id == declaration_id, Checkpoint.tree_size == tree_size)
        .order_by(Checkpoint.final.desc())
        .limit(1)
    )


def seal_of(session: Session, declaration_id: int) -> Checkpoint | None:
    return session.scalar(
        select(Checkpoint).where(
            Checkpoint.declaration_id == declaration_id, Checkpoint.final.is_(True)
        )
    )


def require_log(session: Session, declaration_id: int) -> Checkpoint:
    """The latest checkpoint; 404 for an unknown declaration or one whose log has not begun."""
    latest = latest_checkpoint(session, declaration_id)
    if latest is None:
        get_declaration(session, declaration_id)
        raise NotFound(
            f"Endorsement of declaration {declaration_id} has not opened: it has no signature "
            "log yet.",
            code="log_not_found",
        )
    return latest


def verified_checkpoint(session: Session, trees: LogTrees, declaration_id: int) -> Checkpoint:
    """The latest checkpoint, its root checked against the stored entries (those read before
    are not read again: the cached tree is extended by the new ones)."""
    checkpoint = require_log(session, declaration_id)
    trees.tree(session, declaration_id, checkpoint)
    return checkpoint


def check_entries(
    declaration_id: int,
    checkpoint: Checkpoint,
    seqs: list[int],
    entries: list[tuple[str, str]],
) -> None:
    """Raise LogInconsistent unless the (jws, stored leaf hash) pairs, numbered `seqs`, are
    exactly the tree the checkpoint signs."""
    where = f"The signature log of declaration {declaration_id}"
    if seqs != list(range(1, len(seqs) + 1)):
        gap = next(i for i, seq in enumerate(seqs, 1) if seq != i)
        _refuse(f"{where} is broken: entry {gap} is missing or out of place.")
    if len(entries) != checkpoint.tree_size:
        _refuse(
            f"{where} holds {len(entries)} entries, but its latest checkpoint signs "
            f"{checkpoint.tree_size}: entries were added or removed behind the platform's back."
        )
    leaves = []
    for seq, (jws, stored) in enumerate(entries, 1):
        leaf = leaf_hash(jws.encode("utf-8"))
        if leaf.hex() != stored:
            _refuse(
                f"{where} was altered: entry {seq} no longer hashes to the leaf hash it was "
                "logged with."
            )
        leaves.append(leaf)
    computed = root_hash(leaves).hex()
    signed = unverified_statement(checkpoint.jws) or {}
    if computed != checkpoint.root_hash or signed.get("root_hash") != computed:
        _refuse(
            f"{where} does not match its signed checkpoint: the entries' root is {computed}, "
            f"the checkpoint of size {checkpoint.tree_size} signs {signed.get('root_hash')}. "
            "An entry or checkpoint was changed behind the platform's back."
        )


def _refuse(detail: str) -> NoReturn:
    logger.error("%s", detail)
    raise LogInconsistent(
        detail + " It is not served until the operators restore it from a backup."
    )


def inclusion_proof(
    session: Session, trees: LogTrees, declaration_id: int, *, seq: int, tree_size: int | None
) -> tuple[Checkpoint, bytes, list[bytes]]:
    """(checkpoint of the tree, leaf hash, audit path) for entry `seq` in a tree of `tree_size`."""
    latest = require_log(session, declaration_id)
    size = latest.tree_size if tree_size is None else tree_size
    _require_size(size, latest.tree_size, "tree_size", minimum=1)
    if not 1 <= seq <= size:
        raise Invalid(f"seq must be between 1 and the tree size {size}.", code="seq_out_of_range")
    checkpoint, tree = _tree(session, trees, declaration_id, size, latest)
    return checkpoint, tree.levels[0][seq - 1], tree.inclusion_proof(seq - 1, size)


def consistency_proof(
    session: Session,
    trees: LogTrees,
    declaration_id: int,
    *,
    old_size: int,
    new_size: int | None,
) -> tuple[Checkpoint, Checkpoint, list[bytes]]:
    """(old checkpoint, new checkpoint, RFC 9162 consistency proof between them)."""
    latest = require_log(session, declaration_id)
    size = latest.tree_size if new_size is None else new_size
    _require_size(size, latest.tree_size, "to", minimum=1)
    _require_size(old_size, size, "from", minimum=1)
    old = checkpoint_at(session, declaration_id, old_size)
    new, tree = _tree(session, trees, declaration_id, size, latest)
    if old is None:
        raise LogInconsistent(f"The checkpoint of size {old_size} is missing.")
    return old, new, tree.consistency_proof(old_size, size)


def _require_size(size: int, largest: int, name: str, *, minimum: int) -> None:
    if not minimum <= size <= largest:
        raise Invalid(
            f"{name} must be between {minimum} and {largest}, the size of the log.",
            code="tree_size_out_of_range",
        )


def _tree(
    session: Session, trees: LogTrees, declaration_id: int, tree_size: int, latest: Checkpoint
) -> tuple[Checkpoint, MerkleTree]:
    """The checkpoint of `tree_size` and the log's tree (grown to the latest checkpoint),
    whose root at that size is checked against it."""
    if tree_size == latest.tree_size:
        checkpoint: Checkpoint | None = latest
    else:
        checkpoint = checkpoint_at(session, declaration_id, tree_size)
    if checkpoint is None:
        raise LogInconsistent(
            f"The signature log of declaration {declaration_id} has no checkpoint of size "
            f"{tree_size}."
        )
    tree = trees.tree(session, declaration_id, latest)
    if tree.root_at(tree_size).hex() != checkpoint.root_hash:
        _refuse(
            f"The signature log of declaration {declaration_id} does not match its "
            f"checkpoint of size {tree_size}."
        )
    return checkpoint, tree
