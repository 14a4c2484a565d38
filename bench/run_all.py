"""Run every benchmark and write one table (figure, target, measured, machine) to
bench/RESULTS.md.  Run: make bench  (or .venv/bin/python -m bench.run_all)."""

import importlib
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCHES = [
    "bench.bench_foundation",
    "bench.bench_anchoring",
    "bench.bench_translations",
    "bench.bench_negotiation",
    "bench.bench_amendment_read",
    "bench.bench_compare",
    "bench.bench_documents",
    "bench.bench_endorsement_core",
    "bench.bench_endorsement",
    "bench.bench_log",
    "bench.bench_passkeys",
    "bench.bench_pades",
    "bench.bench_passkey_signing",
    "bench.bench_load",
    "bench.bench_live",
    "bench.bench_live_load",
    "bench.bench_notifications",
]
RESULTS = Path(__file__).parent / "RESULTS.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {cpu}, Python {platform.python_version()}"


def cells(*values: str) -> str:
    return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"


def main() -> int:
    rows: list[tuple[str, str, str, str]] = []
    box = ", ".join(machine().split(", ")[:2])  # cores and memory; the whole line is above
    failures = []
    for name in BENCHES:
        start = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
            for figure, target, measured in module.main():
                rows.append((name.removeprefix("bench."), figure, target, measured))
                print(f"   {figure}: {measured} (target {target})", flush=True)
        except Exception as exc:  # a broken benchmark is reported, the others still run
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            print(f"   FAILED: {exc}", flush=True)
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit `{commit}` by "
        "`make bench`, on: " + machine() + ".",
        "Timings on a shared 2-core machine vary by ±30%; each benchmark's script says what "
        "it measures.",
        "",
        "| benchmark | figure | target | measured | machine |",
        "|---|---|---|---|---|",
        *[cells(b, f, t, m, box) for b, f, t, m in rows],
    ]
    if failures:
        lines += ["", "## Benchmarks that failed", "", *[f"* {f}" for f in failures]]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
