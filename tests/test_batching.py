"""Group commit: what arrives while a batch is written is written together in the next one."""

import threading
import time

import pytest

from app.batching import GroupCommit


class Writes:
    """A write that records each call and can be held until the test lets it go."""

    def __init__(self):
        self.calls: list[list] = []
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def __call__(self, items):
        self.calls.append(list(items))
        self.entered.set()
        assert self.release.wait(10)
        return [f"done {item}" for item in items]


def test_what_waits_behind_a_write_is_written_together():
    commits, writes = GroupCommit(), Writes()
    writes.release.clear()
    first = commits.submit("d1", 0, writes)
    assert writes.entered.wait(5)  # the first batch is being written, alone
    waiting = [commits.submit("d1", i, writes) for i in range(1, 6)]
    writes.release.set()
    assert [f.result(5) for f in [first, *waiting]] == [f"done {i}" for i in range(6)]
    assert writes.calls == [[0], [1, 2, 3, 4, 5]]


def test_each_key_is_written_by_its_own_call_in_arrival_order():
    commits, writes = GroupCommit(), Writes()
    writes.release.clear()
    commits.submit("hold", "h", writes)
    assert writes.entered.wait(5)
    futures = [commits.submit(key, f"{key}{i}", writes) for i in range(3) for key in ("a", "b")]
    writes.release.set()
    for future in futures:
        future.result(5)
    assert writes.calls[1:] == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]


def test_an_outcome_that_is_an_exception_is_raised_to_its_submitter_only():
    commits = GroupCommit()

    def write(items):
        return [ValueError(item) if item % 2 else item for item in items]

    futures = [commits.submit("k", i, write) for i in range(4)]
    for i, future in enumerate(futures):
        if i % 2:
            with pytest.raises(ValueError, match=str(i)):
                future.result(5)
        else:
            assert future.result(5) == i


def test_a_failing_write_fails_its_batch_and_the_writer_goes_on():
    commits, writes = GroupCommit(), Writes()

    def broken(items):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        commits.submit("k", 1, broken).result(5)
    assert commits.submit("k", 2, writes).result(5) == "done 2"


def test_a_write_that_answers_the_wrong_number_of_outcomes_fails_its_batch():
    commits = GroupCommit()
    with pytest.raises(RuntimeError, match="0 outcomes for 1 items"):
        commits.submit("k", 1, lambda items: []).result(5)


def test_a_submitter_that_gave_up_before_its_write_is_left_out():
    commits, writes = GroupCommit(), Writes()
    writes.release.clear()
    commits.submit("k", "first", writes)
    assert writes.entered.wait(5)
    abandoned = commits.submit("k", "abandoned", writes)
    kept = commits.submit("k", "kept", writes)
    assert abandoned.cancel()
    writes.release.set()
    assert kept.result(5) == "done kept"
    assert writes.calls == [["first"], ["kept"]]


def test_the_writer_stops_when_idle_and_starts_again_when_needed():
    commits, writes = GroupCommit(idle_seconds=0.05), Writes()
    assert commits.submit("k", 1, writes).result(5) == "done 1"
    deadline = time.monotonic() + 5
    while commits._writer is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert commits._writer is None
    assert commits.submit("k", 2, writes).result(5) == "done 2"


def test_batches_are_bounded():
    commits, writes = GroupCommit(max_batch=3), Writes()
    writes.release.clear()
    commits.submit("k", 0, writes)
    assert writes.entered.wait(5)
    futures = [commits.submit("k", i, writes) for i in range(1, 8)]
    writes.release.set()
    for future in futures:
        future.result(5)
    assert [len(call) for call in writes.calls] == [1, 3, 3, 1]
