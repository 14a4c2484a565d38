"""The sign-in throttle: counts failures in a sliding window and keeps memory bounded."""

from app.auth.security import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock, **kwargs) -> LoginThrottle:
    return LoginThrottle(burst=3, window_seconds=60, clock=clock, **kwargs)


class TestLoginThrottle:
    def test_the_burst_is_refused_until_its_oldest_failure_leaves_the_window(self):
        clock = Clock()
        limits = throttle(clock)
        for _ in range(3):
            assert limits.retry_after("email:a") == 0
            limits.failed("email:a")
            clock.now += 10
        assert limits.retry_after("email:a") == 31
        clock.now += 31
        assert limits.retry_after("email:a") == 0
        limits.failed("email:a")  # three in the window again: the 2nd, 3rd and this one
        assert limits.retry_after("email:a") == 10

    def test_success_forgets_the_account(self):
        clock = Clock()
        limits = throttle(clock)
        for _ in range(3):
            limits.failed("email:a")
        limits.succeeded("email:a")
        assert limits.retry_after("email:a") == 0 and limits.tracked() == 0

    def test_asking_leaves_nothing_behind(self):
        limits = throttle(Clock())
        for i in range(1000):
            assert limits.retry_after(f"email:{i}@test.example", "address:10.0.0.1") == 0
        assert limits.tracked() == 0 and len(limits._failures) == 0

    def test_failures_are_forgotten_once_they_leave_the_window(self):
        clock = Clock()
        limits = throttle(clock)
        for i in range(1000):
            limits.failed(f"email:{i}@test.example")
        assert limits.tracked() == 1000
        clock.now += 61
        limits.retry_after("email:someone")
        assert len(limits._failures) == 0

    def test_many_distinct_usernames_keep_memory_bounded(self):
        clock = Clock()
        limits = throttle(clock, max_keys=500)
        for i in range(20_000):
            limits.failed(f"email:{i}@test.example", "address:10.0.0.1")
            clock.now += 0.001  # all within one window
        assert len(limits._failures) == 500
        assert max(len(failures) for failures in limits._failures.values()) == 3
        # the address keeps counting: its every failure made it the most recent key
        assert limits.retry_after("address:10.0.0.1") > 0
        assert limits.retry_after("email:0@test.example") == 0  # forgotten first

    def test_one_key_failing_again_and_again_keeps_only_its_burst(self):
        limits = throttle(Clock())
        for _ in range(10_000):
            limits.failed("email:a")
        assert len(limits._failures["email:a"]) == 3
