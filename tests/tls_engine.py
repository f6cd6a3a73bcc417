"""A second Docker Engine over TCP with mutual TLS, for remote-engine tests (tests/env/tls-dockerd.sh).

``tls_engine()`` starts it in a fresh short folder under /tmp, yields a :class:`TlsEngine`
and always stops it and removes its folder. It needs root, dockerd, openssl, curl and ip
(tests/env/setup.sh installs them); missing any, the test fails under CI=true and skips locally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from external_tools import require

SCRIPT = Path(__file__).resolve().parent / "env" / "tls-dockerd.sh"


@dataclass(frozen=True)
class TlsEngine:
    url: str  # tcp://127.0.0.1:PORT
    cert_path: Path  # ca.pem, cert.pem, key.pem: a DOCKER_CERT_PATH

    @property
    def env(self) -> dict[str, str]:
        """DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH selecting this engine."""
        return {"DOCKER_HOST": self.url, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(self.cert_path)}


@contextmanager
def tls_engine() -> Iterator[TlsEngine]:
    tools = [t for t in ("dockerd", "openssl", "curl", "ip") if shutil.which(t) is None]
    require(not tools, f"{', '.join(tools) or 'tools'} for a second dockerd (tests/env/setup.sh)")
    require(os.geteuid() == 0, "root, to start a second dockerd")
    folder = tempfile.mkdtemp(prefix="sktls.", dir="/tmp")  # short: containerd's sockets live under it
    try:
        proc = subprocess.run(["bash", str(SCRIPT), "start", folder], capture_output=True, text=True, timeout=180,
                              check=False)
        assert proc.returncode == 0, f"the TLS dockerd did not start:\n{proc.stderr}"
        yield TlsEngine(proc.stdout.strip().splitlines()[-1], Path(folder) / "client")
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], capture_output=True, timeout=120, check=False)
