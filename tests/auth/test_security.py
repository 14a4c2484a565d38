"""The sign-in throttle: counts failures in a sliding window kept in the database, shared by
every throttle on that database (every worker), and prunes what has left the window."""

from sqlalchemy import func, select

from app.ratelimit import Hit, LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock) -> LoginThrottle:
    return LoginThrottle(burst=3, window_seconds=60, clock=clock)


def rows(session) -> int:
    return session.scalar(select(func.count()).select_from(Hit))


class TestLoginThrottle:
    def test_the_burst_is_refused_until_its_oldest_failure_leaves_the_window(self, session):
        clock = Clock()
        limits = throttle(clock)
        for _ in range(3):
            assert limits.retry_after(session, "email:a") == 0
            limits.failed(session, "email:a")
            clock.now += 10
        assert limits.retry_after(session, "email:a") == 31
        clock.now += 31
        assert limits.retry_after(session, "email:a") == 0
        limits.failed(session, "email:a")  # three in the window again: the 2nd, 3rd and this one
        assert limits.retry_after(session, "email:a") == 10

    def test_every_process_counts_the_same_failures(self, session):
        """Two throttles (two workers, or one before and one after a restart) on one
        database: failures made through either count for both."""
        clock = Clock()
        first, second = throttle(clock), throttle(clock)
        first.failed(session, "email:a")
        second.failed(session, "email:a")
        first.failed(session, "email:a")
        assert second.retry_after(session, "email:a") > 0
        assert first.retry_after(session, "email:a") > 0

    def test_success_forgets_the_account(self, session):
        clock = Clock()
        limits = throttle(clock)
        for _ in range(3):
            limits.failed(session, "email:a", "address:10.0.0.1")
        limits.succeeded(session, "email:a")
        assert limits.retry_after(session, "email:a") == 0
        assert limits.retry_after(session, "address:10.0.0.1") > 0  # the address still counts

    def test_keys_are_counted_apart(self, session):
        limits = throttle(Clock())
        for _ in range(3):
            limits.failed(session, "email:a")
        assert limits.retry_after(session, "signing:1") == 0
        assert limits.retry_after(session, "email:a", "signing:1") > 0

    def test_asking_leaves_nothing_behind(self, session):
        limits = throttle(Clock())
        for i in range(100):
            assert limits.retry_after(session, f"email:{i}@test.example", "address:10.0.0.1") == 0
        assert rows(session) == 0

    def test_failures_are_pruned_once_they_leave_the_window(self, session):
        clock = Clock()
        limits = throttle(clock)
        for i in range(200):
            limits.failed(session, f"email:{i}@test.example")
        assert rows(session) == 200
        clock.now += 61
        limits.failed(session, "email:someone")
        assert rows(session) == 1
