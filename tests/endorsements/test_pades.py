"""The signed declaration's PDF proves itself: a PAdES signature by the platform's certificate,
checked with pyHanko's validator (not pdfsig, which ignores later incremental updates), with
that certificate as the trust root."""

import asyncio
import http.server
import io
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from app.endorsements.bundle import render_pdf
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.pades import FIELD, TimestampUnavailable, sign_pdf

from .conftest import ALL_SIGN, Log, make_log
from .test_certificates import issued_by_a_ca, make_certificate


def root_of(key: SigningKey) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(key.certificates[0])


def validated(pdf: bytes, *roots: asn1_x509.Certificate):
    """pyHanko's verdict on the PDF's one signature; a file it cannot even read is invalid."""
    reader = PdfFileReader(io.BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    return validate_pdf_signature(signature, ValidationContext(trust_roots=list(roots)))


def is_valid(pdf: bytes, *roots: asn1_x509.Certificate) -> bool:
    try:
        return validated(pdf, *roots).bottom_line
    except Exception:  # noqa: BLE001 (any failure to read or check it is a refusal)
        return False


def signature_spans(pdf: bytes) -> tuple[range, list[int]]:
    """Where the /Contents hex string is, and the file positions of its SignerInfo's hex."""
    _, length, after, _ = map(
        int, re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)", pdf).groups()
    )
    der = bytes.fromhex(pdf[length + 1 : after - 1].decode())
    signer_info = cms.ContentInfo.load(der)["content"]["signer_infos"][0].dump()
    start = length + 1 + 2 * der.index(signer_info)
    return range(length, after), list(range(start, start + 2 * len(signer_info)))


@pytest.fixture(scope="module")
def signed(log: Log) -> bytes:
    return sign_pdf(render_pdf(log.bundle()), log.ring.current)


class TestSigned:
    def test_intact_valid_and_trusted_with_the_platform_certificate(self, log, signed):
        status = validated(signed, root_of(log.ring.current))
        assert (status.intact, status.valid, status.trusted) == (True, True, True)
        assert status.coverage.name == "ENTIRE_FILE" and status.bottom_line
        assert status.signer_reported_dt is not None
        reader = PdfFileReader(io.BytesIO(signed))
        assert reader.embedded_signatures[0].field_name == FIELD
        assert reader.embedded_signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"

    def test_not_trusted_with_another_platforms_certificate(self, signed):
        other = SigningKey.generate()
        status = validated(signed, root_of(other))
        assert status.intact and not status.trusted and not status.bottom_line

    def test_stays_pdf_a_and_tagged(self, log, signed):
        reader = PdfFileReader(io.BytesIO(signed))
        metadata = reader.root["/Metadata"].data.decode()
        assert 'pdfaid:part="2"' in metadata and 'pdfaid:conformance="A"' in metadata
        info = reader.trailer["/Info"]
        assert f'pdf:Producer="{info["/Producer"]}"' in metadata  # XMP kept in step with Info
        (widget,) = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"]]
        assert widget["/F"] == 132  # printable and locked, as PDF/A wants
        structure = reader.root["/StructTreeRoot"]
        numbers = structure["/ParentTree"]["/Nums"]
        form = numbers.raw_get(len(numbers) - 1).get_object()
        assert numbers.raw_get(len(numbers) - 2) == widget["/StructParent"]
        assert form["/S"] == "/Form" and form["/K"]["/Obj"].get_object() is not None
        assert structure["/ParentTreeNextKey"] == widget["/StructParent"] + 1

    def test_the_signature_fills_its_space_exactly(self, signed):
        reader = PdfFileReader(io.BytesIO(signed))
        contents = bytes(reader.embedded_signatures[0].sig_object["/Contents"])
        assert not contents.endswith(b"\x00\x00")  # no padding a forger could write into

    def test_a_key_without_its_private_half_cannot_sign(self, log):
        with pytest.raises(ValueError, match="cannot sign a PDF"):
            sign_pdf(b"%PDF-1.7", log.ring.current.retired())


class TestTampered:
    def test_any_changed_byte_of_what_is_signed_makes_it_invalid(self, log, signed):
        """Every byte outside the signature container, and every byte of its signed part (the
        signed attributes, the signature value): flipping one bit of any makes it invalid."""
        root = root_of(log.ring.current)
        contents, signer_info = signature_spans(signed)
        document = [*range(0, contents.start), *range(contents.stop, len(signed))]
        positions = {*document[::1999], *document[:20], *document[-20:], *signer_info[::5]}
        for position in sorted(positions):
            changed = bytearray(signed)
            changed[position] ^= 0x01
            assert not is_valid(bytes(changed), root), position

    def test_the_unsigned_copy_of_the_certificate_lends_nothing(self, log, signed):
        """CMS leaves the certificates it carries unsigned: a changed copy is not used, the
        signature is checked with the trusted certificate itself."""
        root = root_of(log.ring.current)
        contents, _ = signature_spans(signed)
        der = bytes.fromhex(signed[contents.start + 1 : contents.stop - 1].decode())
        certificate = root.dump()
        at = contents.start + 1 + 2 * (der.index(certificate) + 40)  # in the subject name
        changed = bytearray(signed)
        changed[at] ^= 0x01
        status = validated(bytes(changed), root)
        assert status.signing_cert.dump() == certificate

    def test_an_incremental_update_that_changes_the_text(self, log, signed):
        writer = IncrementalPdfFileWriter(io.BytesIO(signed))
        page = writer.root["/Pages"]["/Kids"][0]
        content = page["/Contents"].data
        altered = content.replace(b"[(\\000\\001)", b"[(\\000\\002)", 1)  # another first glyph
        assert altered != content
        page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=altered))
        writer.update_container(page)
        out = io.BytesIO()
        writer.write(out)
        status = validated(out.getvalue(), root_of(log.ring.current))
        assert status.intact and status.valid  # the first revision is still what was signed…
        assert status.modification_level.name == "OTHER"  # …but the text was changed after it
        assert not status.docmdp_ok and not status.bottom_line


# ---- B-T: a time stamp from an RFC 3161 authority ------------------------------------------


def time_stamp_authority() -> tuple[asn1_x509.Certificate, asn1_keys.PrivateKeyInfo]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's stamper
    certificate = make_certificate(
        key,
        "Test Time Stamping Authority",
        extensions=[x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING])],
    )
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der),
    )


@pytest.fixture
def tsa() -> Iterator[tuple[str, asn1_x509.Certificate]]:
    """An RFC 3161 time-stamp authority on a loopback port (pyHanko's test stamper)."""
    certificate, key = time_stamp_authority()
    stamper = DummyTimeStamper(tsa_cert=certificate, tsa_key=key)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", certificate
    httpd.shutdown()
    httpd.server_close()


def test_b_t_with_a_time_stamp_authority(ring, tsa):
    url, tsa_root = tsa
    pdf = render_pdf(make_log(ring, ALL_SIGN[:2]).bundle())
    signed = sign_pdf(pdf, ring.current, tsa_url=url)
    status = validated(signed, root_of(ring.current), tsa_root)
    assert status.bottom_line
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    assert abs(status.timestamp_validity.timestamp - datetime.now(UTC)) < timedelta(minutes=5)


def test_an_authority_that_does_not_answer_is_a_503(ring):
    pdf = render_pdf(make_log(ring, ALL_SIGN[:1]).bundle())
    with pytest.raises(TimestampUnavailable) as refused:
        sign_pdf(pdf, ring.current, tsa_url="http://127.0.0.1:9/")  # the discard port: closed
    assert (refused.value.status_code, refused.value.code) == (503, "timestamp_unavailable")


def test_signs_in_a_thread_that_runs_an_event_loop(log):
    # pyHanko's own sync wrapper calls asyncio.run, which refuses to run inside a running loop.
    async def inside_a_loop() -> bytes:
        return sign_pdf(render_pdf(log.bundle()), log.ring.current)

    signed = asyncio.run(inside_a_loop())
    assert is_valid(signed, root_of(log.ring.current))


def test_keys_with_a_ca_issued_chain_sign_too():
    p12, _, ca = issued_by_a_ca()
    key = SigningKey.from_pkcs12(p12, "s3cret")
    ring = KeyRing(key)
    signed = sign_pdf(render_pdf(make_log(ring, ALL_SIGN[:1]).bundle()), key)
    ca_root = asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))
    assert validated(signed, ca_root).bottom_line
