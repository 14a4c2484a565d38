"""PAdES at 10,000 signatories: signing the signed declaration's PDF with the platform's key and
certificate (B-B, as `sealed` does without a time-stamp authority), and validating it with
pyHanko's validator against that certificate as the only trust root (as tests/endorsements/
test_pades.py and the ZIP's README do). The PDF is rendered once (bench_endorsement_core times
that); each signing and each validation is timed apart, wall and CPU time.

Bounded: one PDF, `--repeat` (5) signings and validations. No network.
Run: .venv/bin/python -m bench.bench_pades [--signatories 10000] [--repeat 5]
"""

import argparse
import io
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from app.endorsements.bundle import build_bundle, render_pdf
from app.endorsements.keys import SigningKey
from app.endorsements.pades import sign_pdf
from bench.bench_endorsement_core import ROWS, build_log
from bench.common import load_row

Row = tuple[str, str, str]
TITLE = "Mechelen Declaration on Cities and Migration"  # as bench_endorsement_core's entries say


def validate(pdf: bytes, key: SigningKey) -> bool:
    """pyHanko's bottom line on the PDF's one signature, the platform's certificate trusted."""
    (signature,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    root = x509.Certificate.load(key.certificates[0])
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[root])).bottom_line


def runs(action: Callable[[], Any], repeat: int) -> tuple[Any, list[float], list[float]]:
    """The last result, and each run's wall and CPU time in ms."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return result, walls, cpus


def shown(walls: list[float], cpus: list[float]) -> str:
    return (
        f"median {statistics.median(walls):.0f} ms, best {min(walls):.0f} ms "
        f"(CPU median {statistics.median(cpus):.0f} ms) of {len(walls)}"
    )


def main(argv: list[str] | None = None) -> list[Row]:
    """(figure, target, measured) rows, as bench.run_all reads them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signatories", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    n = args.signatories
    load = os.getloadavg()[0]
    ring, text, entries, seal = build_log(n)
    ROWS.clear()  # build_log's own timing belongs to bench_endorsement_core
    bundle = build_bundle(
        declaration={"id": 1, "title": TITLE, "version": 3},
        text=text,
        entries=entries,
        seal=seal,
        jwks=ring.jwks(),
    )
    pdf = render_pdf(bundle)
    key = ring.current
    signed, sign_walls, sign_cpus = runs(lambda: sign_pdf(pdf, key), args.repeat)
    valid, check_walls, check_cpus = runs(lambda: validate(signed, key), args.repeat)
    assert valid, "pyHanko does not validate the signed PDF"
    tampered = bytearray(signed)
    tampered[len(pdf) // 2] ^= 0x01  # a byte of the document, inside the signed range
    try:
        refused = not validate(bytes(tampered), key)
    except Exception:  # noqa: BLE001 (a file pyHanko cannot read is refused too)
        refused = True
    assert refused, "a changed byte still validates"
    size = f"{len(pdf) / 1e6:.1f} MB, {len(signed) - len(pdf):,} bytes added by the signature"
    return [
        (f"PAdES B-B signing of the {n:,}-signatory PDF ({size})", "—",
         shown(sign_walls, sign_cpus)),
        ("PAdES validation of that PDF (pyHanko, platform certificate as trust root; "
         "valid, and a changed byte invalid)", "—", shown(check_walls, check_cpus)),
        load_row(load),
    ]  # fmt: skip


if __name__ == "__main__":
    for figure, target, measured in main():
        print(f"{figure}: {measured} (target {target})")
