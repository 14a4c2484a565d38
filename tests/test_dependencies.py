"""The declared dependency floors exclude versions with known, reachable vulnerabilities, and
the installed versions are the declared ones."""

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

# The last vulnerable version of each, and why it must not be installable.
KNOWN_VULNERABLE = {
    # CVE-2024-53981: a multipart body with much data before the first boundary costs CPU per
    # byte; signing in (an OAuth2 form) parses one.
    "python-multipart": "0.0.17",
    # CVE-2024-33663 (algorithm confusion with ECDSA keys), CVE-2024-33664 (JWE size bomb).
    "python-jose": "3.3.0",
    # CVE-2024-24762 (Content-Type ReDoS, fixed in 0.109.1). The floor is the FastAPI the
    # suite runs on, whose own Starlette floor is 1.6.
    "fastapi": "0.109.0",
    # CVE-2025-62727: Range headers in FileResponse (which serves the web app) cost O(n²).
    "starlette": "0.49.0",
}


def requirements() -> dict[str, Requirement]:
    project = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]
    return {r.name: r for r in map(Requirement, project["dependencies"])}


@pytest.mark.parametrize(("name", "vulnerable"), KNOWN_VULNERABLE.items())
def test_floors_leave_out_known_vulnerable_versions(name, vulnerable):
    declared = requirements()[name]
    assert not declared.specifier.contains(vulnerable), f"{declared} admits {vulnerable}"


@pytest.mark.parametrize("name", sorted(KNOWN_VULNERABLE))
def test_the_installed_version_is_one_declared(name):
    assert requirements()[name].specifier.contains(version(name))
