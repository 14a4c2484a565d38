"""Shared pieces of the benchmarks: a served app on a throwaway database, wrk, timing."""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "data" / "texts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise RuntimeError("server exited")
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def served_concord(database_url: str | None = None, workers: int = 1, **env_extra: str):
    """`concord serve` on a free port with the given database; yields the base URL."""
    data_dir = tempfile.mkdtemp(prefix="concord-bench-")
    port = free_port()
    env = {
        **os.environ,
        "CONCORD_PORT": str(port),
        "CONCORD_DATA_DIR": data_dir,
        "CONCORD_DEMO": "0",
        "CONCORD_WORKERS": str(workers),
        "CONCORD_ADMIN_EMAIL": "bench@bench.example",
        "CONCORD_ADMIN_PASSWORD": "bench-password",
        **env_extra,
    }
    if database_url:
        env["CONCORD_DATABASE_URL"] = database_url
    process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/health", process)
        yield base
    finally:
        process.terminate()
        process.wait(20)
        shutil.rmtree(data_dir, ignore_errors=True)


def token(base: str, email: str = "bench@bench.example", password: str = "bench-password") -> str:
    r = httpx.post(f"{base}/api/auth/token", data={"username": email, "password": password})
    r.raise_for_status()
    return r.json()["access_token"]


def wrk(
    url: str,
    *,
    seconds: int = 10,
    connections: int = 16,
    threads: int = 1,
    headers: dict[str, str] | None = None,
) -> dict[str, float]:
    """requests/s and latency percentiles from wrk (which must be installed)."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    script = Path(tempfile.mkdtemp()) / "report.lua"
    script.write_text(
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format("JSON {\\"p50\\": %f, \\"p99\\": %f, \\"requests\\": %d, '
        '\\"errors\\": %d}\\n", latency:percentile(50)/1000, latency:percentile(99)/1000, '
        "summary.requests, summary.errors.status + summary.errors.connect + "
        "summary.errors.read + summary.errors.write + summary.errors.timeout))\n"
        "end\n"
    )
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    report = json.loads(re.search(r"JSON (\{.*\})", out).group(1))
    report["rps"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return report


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """Median and minimum wall time of fn() in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def load_row(before: float) -> tuple[str, str, str]:
    """A results row: the machine's load average from `before` (os.getloadavg()[0], taken as
    the benchmark began) to now, since other work shares its cores."""
    return (
        "load average of the machine, before and after (other work shares its cores)",
        "—",
        f"{before:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    )
