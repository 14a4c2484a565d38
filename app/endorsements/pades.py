"""The signed declaration's PDF signed by the platform's key and certificate as a PAdES baseline
signature (B-B; B-T with an RFC 3161 time stamp), so that a PDF reader can tell on its own that
not a byte changed since the platform sealed it.

The signature goes into one incremental update after the PDF/A document Typst made: an invisible
signature field, tagged as a Form structure element (PDF/UA), whose widget is printable and
locked (PDF/A); pyHanko keeps the XMP metadata in step with the document information.
"""

import asyncio
import io
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asn1crypto import x509
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.endorsements.keys import SigningKey
from app.errors import AppError

FIELD = "Platform seal"
DESCRIPTION = "Digital signature of the platform (PAdES): the document is as the platform sealed it"
TSA_SECONDS = 10
MAX_TRIES = 32


class TimestampUnavailable(AppError):
    """The time-stamp authority did not answer: the PDF is not handed out without its stamp."""

    status_code, code = 503, "timestamp_unavailable"


def sign_pdf(pdf: bytes, key: SigningKey, *, tsa_url: str | None = None) -> bytes:
    """The PDF with the platform's PAdES signature over all of it (B-T when `tsa_url` names a
    time-stamp authority). Raises ValueError for a key without a private half or certificate."""
    if key.private_pem is None or not key.certificates:
        raise ValueError(f"key {key.kid} cannot sign a PDF: it has no private key or certificate")
    chain = [x509.Certificate.load(der) for der in key.certificates]
    signer = signers.SimpleSigner(
        signing_cert=chain[0],
        signing_key=load_private_key_from_pemder_data(key.private_pem.encode(), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    timestamper = timestamps.HTTPTimeStamper(tsa_url, timeout=TSA_SECONDS) if tsa_url else None
    # The signature value is written into space reserved before it is known, and no validator
    # looks at the zeros that pad it: reserve exactly its size, so that no byte of the file
    # can change without making the signature invalid. ECDSA signatures and time stamps vary
    # in length by a byte or two, so this takes a few tries: a longer signature than reserved
    # makes room for one more byte, a shorter one sets the room to its size.
    reserved = None
    for _ in range(MAX_TRIES):
        try:
            signed = _sign_once(pdf, signer, timestamper, reserved)
        except SigningError:  # this signature came out longer than the space reserved
            reserved = (reserved or 0) + 2
            continue
        except TimestampRequestError as error:
            raise TimestampUnavailable(
                f"The time-stamp authority {tsa_url} did not answer ({error}); try again later."
            ) from None
        size = 2 * _signature_size(signed)  # pyHanko reserves hex digits, two a byte
        if size == reserved:
            return signed
        reserved = size
    raise RuntimeError(f"no signature of exactly {reserved} hex digits in {MAX_TRIES} tries")


def _sign_once(
    pdf: bytes,
    signer: signers.Signer,
    timestamper: timestamps.TimeStamper | None,
    reserved: int | None,
) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    _tagged_signature_field(writer)
    metadata = PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Sealed by the platform: the text, its fingerprint and its signatories",
        location="Concord",
    )
    out = io.BytesIO()
    _run_to_completion(
        lambda: signers.async_sign_pdf(
            writer,
            metadata,
            signer=signer,
            timestamper=timestamper,
            bytes_reserved=reserved,
            output=out,
        )
    )
    return out.getvalue()


def _run_to_completion(make_coroutine: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """pyHanko signs with a coroutine. Its own sync wrapper calls asyncio.run, which fails in a
    thread that already runs an event loop (a caller's, or a test driver's): there, run the
    coroutine in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


def _signature_size(pdf: bytes) -> int:
    """The length of the DER signature (CMS) in the last signature's /Contents, without padding."""
    contents = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1].sig_object["/Contents"]
    der = bytes(contents)
    if der[1] < 0x80:
        return 2 + der[1]
    octets = der[1] & 0x7F
    return 2 + octets + int.from_bytes(der[2 : 2 + octets], "big")


def _tagged_signature_field(writer: IncrementalPdfFileWriter) -> None:
    """An invisible signature field on the first page, with its widget in the structure tree
    as a Form element, so that the tagged PDF stays whole."""
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=FIELD, on_page=0))
    widget_ref = next(
        ref for ref in writer.root["/AcroForm"]["/Fields"] if ref.get_object().get("/T") == FIELD
    )
    widget = widget_ref.get_object()
    widget["/TU"] = generic.TextStringObject(DESCRIPTION)
    struct_root = writer.root.get("/StructTreeRoot")
    struct_root = struct_root.get_object() if struct_root is not None else None
    parent_tree = struct_root.get("/ParentTree") if struct_root is not None else None
    if parent_tree is None or "/Nums" not in parent_tree:
        return  # untagged, or a parent tree split into kids: nothing this function can extend
    top = struct_root["/K"]
    document_ref = (
        top.raw_get(0) if isinstance(top, generic.ArrayObject) else struct_root.raw_get("/K")
    )
    document = document_ref.get_object()
    page = widget.raw_get("/P")
    next_key = struct_root.get("/ParentTreeNextKey")
    key = int(next_key) if next_key is not None else _next_key(parent_tree)
    element = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/StructElem"),
                generic.NameObject("/S"): generic.NameObject("/Form"),
                generic.NameObject("/P"): document_ref,
                generic.NameObject("/Pg"): page,
                generic.NameObject("/Alt"): generic.TextStringObject(DESCRIPTION),
                generic.NameObject("/K"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Type"): generic.NameObject("/OBJR"),
                        generic.NameObject("/Obj"): widget_ref,
                        generic.NameObject("/Pg"): page,
                    }
                ),
            }
        )
    )
    widget["/StructParent"] = generic.NumberObject(key)
    _children(document).append(element)
    parent_tree["/Nums"].extend([generic.NumberObject(key), element])
    struct_root["/ParentTreeNextKey"] = generic.NumberObject(key + 1)
    writer.update_container(document)
    writer.update_container(struct_root)


def _children(element: generic.DictionaryObject) -> generic.ArrayObject:
    kids = element.get("/K")
    if not isinstance(kids, generic.ArrayObject):
        kids = generic.ArrayObject([] if kids is None else [element.raw_get("/K")])
        element["/K"] = kids
    return kids


def _next_key(parent_tree: generic.DictionaryObject) -> int:
    numbers = parent_tree["/Nums"]
    keys = (int(numbers.raw_get(i)) for i in range(0, len(numbers), 2))
    return max(keys, default=-1) + 1
