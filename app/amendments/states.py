"""An amendment's states, the open ones among them, and the decisions that move it."""

import enum
from typing import Literal


class AmendmentStatus(enum.StrEnum):
    proposed = "proposed"
    accepted = "accepted"
    rejected = "rejected"
    withdrawn = "withdrawn"
    merged = "merged"
    obsolete = "obsolete"


# Open: it may still change the text, so it is shown rebased onto the head version, can be
# supported, and becomes obsolete when its paragraph is deleted.
OPEN = frozenset({AmendmentStatus.proposed, AmendmentStatus.accepted})

DecisionKind = Literal["accept", "reject", "reopen"]

# decision -> (the states it may start from, the state it leads to)
TRANSITIONS: dict[DecisionKind, tuple[tuple[AmendmentStatus, ...], AmendmentStatus]] = {
    "accept": ((AmendmentStatus.proposed,), AmendmentStatus.accepted),
    "reject": ((AmendmentStatus.proposed,), AmendmentStatus.rejected),
    "reopen": ((AmendmentStatus.accepted, AmendmentStatus.rejected), AmendmentStatus.proposed),
}
# A city's withdrawal of its own amendment, while it is proposed.
WITHDRAWAL = ((AmendmentStatus.proposed,), AmendmentStatus.withdrawn)
# The states a co-facilitator's decision leads to: reaching one records who decided, and why.
DECIDED = frozenset(to for _, to in TRANSITIONS.values())


def decisions_from(status: str) -> list[DecisionKind]:
    """The decisions a co-facilitator may take on an amendment in this state."""
    return [decision for decision, (allowed, _) in TRANSITIONS.items() if status in allowed]


def in_sql(column: str) -> str:
    """The CHECK constraint that keeps a column to these states."""
    return f"{column} IN ({', '.join(repr(s.value) for s in AmendmentStatus)})"
