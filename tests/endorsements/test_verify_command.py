"""`concord verify`: exit codes by trust anchor, key sets from files and http(s) addresses, and
hostile files refused in bounded time and memory."""

import copy
import http.server
import io
import json
import struct
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.cli import main as concord
from app.endorsements import verify_command
from app.endorsements.bundle import build_zip, bundle_json
from app.endorsements.keys import KeyRing, SigningKey
from app.endorsements.verify_command import verify_file

from .conftest import Log
from .verify_fixtures import b64, payload, reseal, with_payload

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bundle(log: Log) -> dict:
    return copy.deepcopy(log.bundle())


@pytest.fixture
def files(tmp_path, bundle, ring) -> Path:
    (tmp_path / "b.json").write_bytes(bundle_json(bundle))
    (tmp_path / "b.zip").write_bytes(build_zip(bundle, pdf=b"%PDF-1.7 stand-in"))
    (tmp_path / "jwks.json").write_text(json.dumps(ring.jwks()))
    (tmp_path / "other.json").write_text(json.dumps(KeyRing(SigningKey.generate()).jwks()))
    return tmp_path


def run(path: Path, jwks: object = None, *keys: str) -> tuple[int, str]:
    """verify_file's exit code and what it printed."""
    out = io.StringIO()
    code = verify_file(path, trusted_jwks=jwks and str(jwks), trusted_keys=keys, out=out)
    return code, out.getvalue()


class TestExitCodes:
    def test_valid_against_a_trusted_key_set_exits_0(self, files):
        for name in ("b.json", "b.zip"):
            code, out = run(files / name, files / "jwks.json")
            assert code == 0, out
            assert "VALID: 5 signatories" in out

    def test_valid_against_a_pinned_key_exits_0(self, files, ring):
        assert run(files / "b.zip", None, ring.current.kid)[0] == 0
        assert run(files / "b.zip", None, ring.current.certificate_fingerprint)[0] == 0

    def test_the_files_own_keys_exit_3_and_name_them(self, files, ring):
        code, out = run(files / "b.json")
        assert code == 3
        assert f"Seal signed by key: {ring.current.kid} (certificate SHA-256 " in out
        assert f"Entries signed by key: {ring.current.kid} (9 entries; certificate " in out
        assert "ORIGIN UNPROVEN: consistent, 5 signatories" in out
        assert "Mechelen (BE): Bart Somers, Mayor" in out  # what it claims, marked unproven

    def test_another_platforms_keys_exit_1(self, files):
        code, out = run(files / "b.json", files / "other.json")
        assert code == 1
        assert "seal: signed with key" in out and "which is not in the key set" in out

    def test_an_invalid_bundle_exits_1(self, files, bundle):
        bundle["text"] += "\n"
        (files / "b.json").write_bytes(bundle_json(bundle))
        code, out = run(files / "b.json")
        assert code == 1
        assert "text: its hash" in out

    def test_unreadable_files_exit_2(self, tmp_path, files):
        (tmp_path / "bad.json").write_text("{not json")
        with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
            archive.writestr("other.txt", "x")
        for name, keys, says in [
            ("missing.json", None, "No such file"),
            ("bad.json", None, "Expecting property name"),
            ("empty.zip", None, "the ZIP holds no bundle.json"),
            ("b.json", tmp_path / "missing-keys.json", "No such file"),
        ]:
            code, out = run(tmp_path / name, keys)
            assert code == 2, out
            assert out.startswith("cannot read ") and says in out

    def test_the_forgery_of_issue_11_never_exits_0(self, files, bundle, ring):
        forged = reseal(bundle, SigningKey.generate(), bundle["entries"][:-1])
        (files / "forged.json").write_bytes(bundle_json(forged))
        assert run(files / "forged.json")[0] == 3
        assert run(files / "forged.json", files / "jwks.json")[0] == 1
        assert run(files / "forged.json", None, ring.current.kid)[0] == 1

    def test_the_concord_command(self, files, ring, capsys):
        assert concord(["verify", str(files / "b.zip")]) == 3
        assert concord(["verify", str(files / "b.zip"), "--key", ring.current.kid]) == 0
        assert concord(["verify", str(files / "b.zip"), "--jwks", str(files / "jwks.json")]) == 0
        assert concord(["verify", str(files / "b.zip"), "--jwks", str(files / "other.json")]) == 1
        assert "VALID: 5 signatories" in capsys.readouterr().out


# ---- Key sets fetched from an address ------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Callable[["Handler"], None]] = {}

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.routes.get(self.path, lambda h: h.send_error(404))(self)

    def log_message(self, *args: object) -> None:
        pass

    def answer(self, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server(ring) -> Iterator[str]:
    """A loopback server with a key set, an oversized one, a redirect and a slow drip."""

    def drip(handler: Handler) -> None:
        handler.send_response(200)
        handler.end_headers()
        for _ in range(40):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.05)

    def redirect(handler: Handler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "file:///etc/passwd")
        handler.end_headers()

    Handler.routes = {
        "/api/.well-known/jwks.json": lambda h: h.answer(json.dumps(ring.jwks()).encode()),
        "/huge.json": lambda h: h.answer(b" " * (verify_command.MAX_KEY_SET_BYTES + 1)),
        "/redirect": redirect,
        "/drip": drip,
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class TestKeySetFromAnAddress:
    def test_the_platforms_published_keys(self, files, server):
        code, out = run(files / "b.zip", f"{server}/api/.well-known/jwks.json")
        assert code == 0, out

    @pytest.mark.parametrize(
        ("path", "says"),
        [
            ("/nothing-here", "HTTP Error 404"),
            ("/huge.json", "too large for a key set"),
            ("/redirect", "file:///etc/passwd"),
        ],
    )
    def test_refused_answers_exit_2(self, files, server, path, says):
        code, out = run(files / "b.json", server + path)
        assert code == 2 and says in out, out

    def test_a_server_that_drips_is_cut_off(self, files, server, monkeypatch):
        monkeypatch.setattr(verify_command, "FETCH_SECONDS", 0.5)
        code, out = run(files / "b.json", f"{server}/drip")
        assert code == 2 and "took longer than" in out

    @pytest.mark.parametrize("address", ["file:///etc/passwd", "ftp://127.0.0.1/jwks.json"])
    def test_only_http_and_https_are_fetched(self, files, address):
        code, out = run(files / "b.json", address)
        assert code == 2 and "only http:// and https:// addresses are fetched" in out


# ---- Hostile files ---------------------------------------------------------------------------

# concord verify under a hard limit of 1 GiB of address space and 20 s of CPU: a check that
# sized its work by an unverified number would die of it instead of answering.
LIMITED = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
    from app.cli import main
    sys.exit(main(["verify", *sys.argv[1:]]))
    """
)


def verify_limited(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LIMITED, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


class TestHostileFiles:
    def test_an_unsigned_seal_claiming_a_huge_tree(self, tmp_path, bundle):
        # Measured before the fix: a 3.9 KB file like this one took 28 s and 6.1 GB.
        bundle["entries"] = bundle["entries"][:1]
        bundle["seal"] = with_payload(
            bundle["seal"], payload(bundle["seal"]) | {"tree_size": 10**15}
        )
        (tmp_path / "huge.json").write_bytes(bundle_json(bundle))
        result = verify_limited(str(tmp_path / "huge.json"))
        assert result.returncode == 1, result.stderr
        assert "seal: signature does not verify with key" in result.stdout
        assert (
            "entries 2–1000000000000000 are missing: the log has 1 entries but the seal covers "
            "tree size 1000000000000000"
        ) in result.stdout

    def test_json_nested_too_deeply(self, tmp_path):
        (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
        result = verify_limited(str(tmp_path / "deep.json"))
        assert result.returncode == 2, result.stderr
        assert "JSON nested too deeply" in result.stdout

    def test_json_nested_beyond_what_a_bundle_needs(self, tmp_path, bundle):
        nested: list = []
        for _ in range(64):
            nested = [nested]
        bundle["declaration"]["note"] = nested
        (tmp_path / "deep.json").write_bytes(bundle_json(bundle))
        code, out = run(tmp_path / "deep.json")
        assert code == 2 and "JSON nested too deeply" in out

    def test_an_entry_nested_too_deeply(self, tmp_path, bundle):
        deep = "[" * 200_000 + "]" * 200_000
        header, _, signature = bundle["entries"][0].split(".")
        bundle["entries"][0] = f"{header}.{b64(deep.encode())}.{signature}"
        (tmp_path / "deep-entry.json").write_bytes(bundle_json(bundle))
        result = verify_limited(str(tmp_path / "deep-entry.json"))
        assert result.returncode == 1, result.stderr
        assert "  - entry 1: signature does not verify with key" in result.stdout

    def test_a_file_beyond_the_cap_is_not_read(self, tmp_path):
        path = tmp_path / "big.json"
        with path.open("wb") as file:
            file.truncate(verify_command.MAX_BUNDLE_BYTES + 1)  # sparse: nothing is written
        result = verify_limited(str(path))
        assert result.returncode == 2
        assert "too large for a bundle" in result.stdout

    def test_a_zip_member_declared_beyond_the_cap_is_not_inflated(self, tmp_path):
        path = tmp_path / "big.zip"
        zeros = bytes(1 << 20)
        with (
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
            archive.open("bundle.json", "w") as member,
        ):
            for _ in range(verify_command.MAX_BUNDLE_BYTES // len(zeros) + 1):
                member.write(zeros)
        assert path.stat().st_size < verify_command.MAX_BUNDLE_BYTES // 100
        result = verify_limited(str(path))
        assert result.returncode == 2
        assert "bundle.json is too large" in result.stdout

    def test_a_zip_member_that_inflates_beyond_its_declared_size(self, tmp_path):
        path = tmp_path / "bomb.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("bundle.json", bytes(200 << 20))
        lie_about_sizes(path, 1000)
        result = verify_limited(str(path))
        assert result.returncode == 2, result.stderr
        assert result.stdout.startswith("cannot read ")


def lie_about_sizes(path: Path, size: int) -> None:
    """Rewrite the uncompressed size a ZIP's first member declares, locally and centrally."""
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, 22, size)  # local file header
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))
