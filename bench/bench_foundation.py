"""Foundation figures on German Basic Law v3 (≈890 paragraphs, 177 KB): import, version read
against a bare FastAPI endpoint serving the same bytes, and compare v2→v3.

Run: .venv/bin/python bench/bench_foundation.py
"""

import os
import subprocess
import sys
import tempfile
import time

import httpx

from bench.common import ROOT, TEXTS, free_port, served_concord, timed, token, wait_until_up, wrk


def main() -> list[tuple[str, str, str]]:
    v2 = (TEXTS / "de-grundgesetz-v2-2012-08.txt").read_text()
    v3 = (TEXTS / "de-grundgesetz-v3-2020.txt").read_text()
    results = []
    with served_concord() as base:
        headers = {"Authorization": f"Bearer {token(base)}"}
        http = httpx.Client(base_url=base, headers=headers, timeout=120)
        imports = []
        for _ in range(5):
            start = time.perf_counter()
            r = http.post("/api/declarations", json={"title": "Grundgesetz", "text": v3})
            imports.append((time.perf_counter() - start) * 1000)
            r.raise_for_status()
        did = r.json()["id"]
        imports.sort()
        results.append(
            (
                "import Basic Law v3 (POST /declarations)",
                "< 1000 ms",
                f"{imports[2]:.0f} ms median of 5",
            )
        )

        compare_did = http.post("/api/declarations", json={"title": "GG", "text": v2}).json()["id"]
        http.post(
            f"/api/declarations/{compare_did}/versions", json={"base_version": 1, "text": v3}
        ).raise_for_status()
        from app.declarations.service import paragraphs_of  # noqa: F401  (import cost outside)
        from app.text.compare import compare
        from app.text.document import Para

        old = [
            Para(p["key"], p["kind"], p["text"])
            for p in http.get(f"/api/declarations/{compare_did}/versions/1").json()["paragraphs"]
        ]
        new = [
            Para(p["key"], p["kind"], p["text"])
            for p in http.get(f"/api/declarations/{compare_did}/versions/2").json()["paragraphs"]
        ]
        median, best = timed(lambda: compare(old, new), repeat=5)
        results.append(("compare v2→v3, text core", "< 300 ms", f"{median:.0f} ms median"))
        start = time.perf_counter()
        http.get(f"/api/declarations/{compare_did}/compare?from=1&to=2").raise_for_status()
        first = (time.perf_counter() - start) * 1000
        results.append(("compare v2→v3, first HTTP request", "< 300 ms", f"{first:.0f} ms"))

        url = f"{base}/api/declarations/{did}/versions/1"
        body = http.get(url).content
        read = wrk(url, headers=headers)

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        f.write(body)
    port = free_port()
    bare = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "BARE_BODY_FILE": f.name},
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/body", bare)
        yardstick = wrk(f"http://127.0.0.1:{port}/body")
    finally:
        bare.terminate()
        bare.wait(10)
    share = read["rps"] / yardstick["rps"] * 100
    results.append(
        (
            f"GET /versions/{{n}} ({len(body) // 1024} KB), 1 worker",
            "≥ 50% of bare",
            f"{read['rps']:.0f} req/s, p50 {read['p50']:.1f} ms, "
            f"p99 {read['p99']:.1f} ms, {share:.0f}% of bare",
        )
    )
    results.append(
        (
            "bare FastAPI endpoint, same body",
            "—",
            f"{yardstick['rps']:.0f} req/s, p50 {yardstick['p50']:.1f} ms, "
            f"p99 {yardstick['p99']:.1f} ms",
        )
    )
    return results


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure:55} {target:>14}  {measured}")
