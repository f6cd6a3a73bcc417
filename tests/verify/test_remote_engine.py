"""Acceptance: verify, export --verify and the presenter's ctrl+e build on a remote engine over
mutual TLS (a second dockerd, tests/env/tls-dockerd.sh), selected by DOCKER_HOST + DOCKER_TLS_VERIFY +
DOCKER_CERT_PATH, by `--engine CONTEXT` and by the current docker context; the images are built
there and not on the default engine."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import docker.errors
import pytest
from external_tools import require
from tls_engine import TlsEngine, tls_engine

from slidekit.cli import main
from slidekit.session import open_deck
from slidekit.present.build import run_stage, slide_stages
from slidekit.present.runcode import dockerfile_blocks
from slidekit.verify.engine import EngineSpec, TlsSettings, open_client

pytestmark = pytest.mark.docker
SELECTION = ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_TLS", "DOCKER_CERT_PATH", "DOCKER_CONTEXT", "DOCKER_CONFIG")


@pytest.fixture(scope="module")
def remote(docker_client, busybox_image) -> Iterator[TlsEngine]:  # type: ignore[no-untyped-def]
    """The TLS engine, holding the busybox base image (docker save from the default engine, load there)."""
    with tls_engine() as engine:
        client = open_client(EngineSpec("test", engine.url, TlsSettings(True, *(
            str(engine.cert_path / f"{n}.pem") for n in ("ca", "cert", "key")))))
        client.images.load(b"".join(docker_client.images.get(busybox_image).save(named=True)))
        assert client.images.get(busybox_image).id == docker_client.images.get(busybox_image).id
        yield engine
        client.close()


@pytest.fixture()
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No engine selection from the outside; a fresh HOME (docker config) and result cache."""
    for var in SELECTION:
        monkeypatch.delenv(var, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return home


def write_deck(folder: Path) -> tuple[Path, str]:
    """A deck whose stages are new to every engine (a unique RUN), and that token."""
    token = uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    deck = folder / "deck.md"
    deck.write_text(
        "# remote\n\n---\n\n```dockerfile\nFROM slidekit-test/busybox:latest AS base\n"
        f"RUN echo {token} > /where\n```\n\n---\n\n```dockerfile\nFROM base AS app\nRUN cat /where\n```\n")
    return deck, token


def remote_client(engine: TlsEngine):  # type: ignore[no-untyped-def]
    return open_client(EngineSpec("test", engine.url, TlsSettings(True, *(
        str(engine.cert_path / f"{n}.pem") for n in ("ca", "cert", "key")))))


def assert_built_remotely(engine: TlsEngine, docker_client, image_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    client = remote_client(engine)
    try:
        for image_id in image_ids:
            assert client.images.get(image_id).id.removeprefix("sha256:").startswith(image_id.removeprefix("sha256:"))
            with pytest.raises(docker.errors.ImageNotFound):
                docker_client.images.get(image_id)
    finally:
        client.close()


def create_context(home: Path, engine: TlsEngine, name: str, *, use: bool = False) -> None:
    """A docker context made by the docker CLI itself (its real on-disk layout) in ``home``."""
    require(shutil.which("docker") is not None, "the docker CLI (docker.io)")
    certs = {n: engine.cert_path / f"{n}.pem" for n in ("ca", "cert", "key")}
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin"}
    spec = f"host={engine.url},ca={certs['ca']},cert={certs['cert']},key={certs['key']}"
    subprocess.run(["docker", "context", "create", name, "--docker", spec], env=env, check=True, capture_output=True)
    if use:
        subprocess.run(["docker", "context", "use", name], env=env, check=True, capture_output=True)


def test_docker_host_with_tls_variables(remote: TlsEngine, docker_client, clean_env: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for key, value in remote.env.items():
        monkeypatch.setenv(key, value)
    deck, _ = write_deck(tmp_path / "env")
    junit = tmp_path / "junit.xml"
    assert main(["verify", "--format", "json", "--no-hadolint", "--junit", str(junit), str(deck)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engine"] == {"available": True, "message": "", "name": f"default ({remote.url})"}
    assert {s["stage"]: s["status"] for s in data["stages"]} == {"base": "built", "app": "built"}
    assert_built_remotely(remote, docker_client, [s["image_id"] for s in data["stages"]])
    properties = {p.get("name"): p.get("value") for p in ET.parse(junit).getroot().iter("property")}
    assert properties["engine"] == f"default ({remote.url})"
    # Again: answered from the result cache (the base image id checked on the remote engine
    # through the SDK: the raw-socket warm path is for unix sockets only).
    assert main(["verify", "--no-hadolint", str(deck)]) == 0
    text = capsys.readouterr().out
    assert f"engine: default ({remote.url})" in text and text.rstrip().endswith(", cached")
    # The default engine never saw the deck: without the TLS variables nothing is cached for it.
    for key in remote.env:
        monkeypatch.delenv(key)
    assert main(["verify", "--format", "json", "--no-hadolint", "--engine", "default", "--target", "base", str(deck)]) == 0
    local = json.loads(capsys.readouterr().out)
    assert local["from_cache"] is False and local["engine"]["name"] == "default (unix:///var/run/docker.sock)"
    built = docker_client.images.get(local["stages"][0]["image_id"])  # built locally this time
    for tag in built.tags:
        if tag.startswith("slidekit-verify/"):
            docker_client.api.remove_image(tag)


def test_engine_option_names_a_docker_context(remote: TlsEngine, docker_client, clean_env: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              capsys: pytest.CaptureFixture[str]) -> None:
    create_context(clean_env, remote, "slidekit-tls")
    deck, _ = write_deck(tmp_path / "ctx")
    assert main(["verify", "--format", "json", "--no-hadolint", "--engine", "slidekit-tls", str(deck)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engine"]["name"] == f"slidekit-tls ({remote.url})"
    assert_built_remotely(remote, docker_client, [s["image_id"] for s in data["stages"]])


def test_current_context_for_export_and_presenter(remote: TlsEngine, docker_client, clean_env: Path,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_context(clean_env, remote, "slidekit-current", use=True)  # ~/.docker/config.json currentContext
    deck, _ = write_deck(tmp_path / "export")
    out = tmp_path / "talk.html"
    assert main(["export", "--verify", str(deck), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"verify: 2 built (engine slidekit-current ({remote.url}))" in printed
    assert 'built' in out.read_text()

    # ctrl+e on the third slide builds stage app, on the engine --engine names
    deck2, _ = write_deck(tmp_path / "present")
    loaded = open_deck(str(deck2), preprocess=False)
    blocks = dockerfile_blocks(loaded.slides[2])
    assert slide_stages(blocks) == ["app"]
    frames: list[tuple[list[str], bool]] = []

    def update(lines, done: bool = False) -> None:  # type: ignore[no-untyped-def]
        frames.append(([str(line) for line in lines], done))

    run_stage(loaded, blocks, update, "slidekit-current")
    lines, done = frames[-1]
    assert done and lines[0].startswith("✓ stage app: built"), lines
    assert lines[-1] == f"engine: slidekit-current ({remote.url})"
    # A bare tcp:// URL without the TLS variables is plain HTTP, as for the docker CLI: refused, said on screen.
    run_stage(loaded, blocks, update, remote.url)
    (line,), done = frames[-1]
    assert done and line.startswith(f"docker build: engine {remote.url}: ") and "HTTPS" in line
