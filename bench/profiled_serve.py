"""`concord serve` with one worker under cProfile, in every thread (the event loop's, the request
pool's, the group committer's), counting each thread's CPU time (not its waits), from SIGUSR1 on
(start-up left out). On exit (SIGTERM), the merged statistics are written to the file named as
the argument (pstats format).

cProfile inflates small Python calls: read the shares, not the milliseconds.
Run by bench.bench_passkey_signing --profile (CONCORD_WORKERS must be 1).
"""

import cProfile
import pstats
import signal
import sys
import threading
import time


def main(out: str) -> int:
    profiles: list[cProfile.Profile] = []
    lock = threading.Lock()
    started = threading.Event()

    def profiler() -> cProfile.Profile:
        profile = cProfile.Profile(time.thread_time)
        with lock:
            profiles.append(profile)
        profile.enable()  # replaces any profile hook of this thread
        return profile

    def wait_for_start(*_) -> None:
        # The profile hook of each thread started from now on, until SIGUSR1: then the thread's
        # own profiler takes its place at its next call.
        if started.is_set():
            profiler()

    def start(*_) -> None:
        started.set()
        profiler()  # the main thread, which runs the event loop

    signal.signal(signal.SIGUSR1, start)
    # uvicorn handles SIGTERM (a graceful shutdown), puts back the handler it found and raises
    # the signal again: this one lets the process go on to write the profile.
    signal.signal(signal.SIGTERM, lambda *_: None)
    threading.setprofile(wait_for_start)
    from app.cli import main as concord

    try:
        return concord(["serve"])
    finally:
        sys.setprofile(None)
        with lock:
            if profiles:
                pstats.Stats(*profiles).dump_stats(out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
