"""The local stand-in for python:3.9.10 behaves as the example deck needs (tests/env/image-python39.sh)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.docker

PROBE = r"""
set -e
python3 --version
python --version
pip --version
python3 -c 'import sys; print("path", *sys.path)'
echo "cert $PIP_CERT $REQUESTS_CA_BUNDLE $SSL_CERT_FILE"
test -s "$PIP_CERT"
if dpkg -S "$PIP_CERT" >/dev/null 2>&1; then echo "owned by a package"; else echo "cert not packaged"; fi
apt-cache policy >/dev/null && grep -c bullseye /etc/apt/sources.list
"""


def test_python39_pip_and_ca_bundle(docker_client, python39_image) -> None:  # type: ignore[no-untyped-def]
    out = docker_client.containers.run(python39_image, ["sh", "-c", PROBE], remove=True, stderr=True).decode()
    lines = out.splitlines()
    assert lines[0].startswith("Python 3.9.") and lines[1] == lines[0]
    assert "(python 3.9)" in lines[2]
    assert "/usr/local/lib/python3.9/dist-packages" in lines[3].split()
    cert = lines[4].split()[1:]
    assert len(set(cert)) == 1 and cert[0].startswith("/usr/local/share/slidekit/")
    assert lines[5] == "cert not packaged"
    assert int(lines[6]) >= 1
