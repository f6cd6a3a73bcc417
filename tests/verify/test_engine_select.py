"""Engine selection as the docker CLI does it: resolve_engine is pure (environment + files in)."""

from __future__ import annotations

import hashlib
import itertools
import json

import pytest

from slidekit.cli import main
from slidekit.verify.engine import (
    DEFAULT_HOST,
    EngineSelectionError,
    EngineSpec,
    TlsSettings,
    connect,
    context_id,
    resolve_engine,
)

HOME = "/home/ada"
DOCKER = f"{HOME}/.docker"


def files(**contexts: dict) -> dict[str, str]:  # type: ignore[type-arg]
    """A docker config folder holding ``contexts`` (name -> {"host", "skip", "tls": [pem names]})."""
    out: dict[str, str] = {}
    for name, spec in contexts.items():
        ident = hashlib.sha256(name.encode()).hexdigest()
        endpoint = {"Host": spec["host"], "SkipTLSVerify": spec.get("skip", False)}
        out[f"{DOCKER}/contexts/meta/{ident}/meta.json"] = json.dumps(
            {"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}})
        for pem in spec.get("tls", ()):
            out[f"{DOCKER}/contexts/tls/{ident}/docker/{pem}.pem"] = "-----BEGIN-----"
    return out


def resolve(selection: str | None, env: dict[str, str], fs: dict[str, str]) -> EngineSpec:
    return resolve_engine(selection, {"HOME": HOME, **env}, fs.get)


def test_context_id_is_the_sha256_of_the_name() -> None:
    # The folder `docker context create my-remote` writes (checked against docker CLI 28).
    assert context_id("my-remote") == "995831de38713183bb4c8441b902b30852d5236a036fad78b2c4b0d29753ad81"


def test_nothing_selected_is_the_default_socket() -> None:
    assert resolve(None, {}, {}) == EngineSpec("default", DEFAULT_HOST, None, "default")
    assert resolve(None, {"DOCKER_HOST": ""}, {}).base_url == DEFAULT_HOST  # empty = unset


REMOTE = {"host": "tcp://10.0.0.5:2376", "tls": ["ca", "cert", "key"]}
CONFIG = {f"{DOCKER}/config.json": json.dumps({"auths": {}, "currentContext": "remote"})}


@pytest.mark.parametrize(
    ("engine", "docker_host", "docker_context", "config", "expected"),
    # every combination of the five sources: the first one present wins
    [(e, h, c, f, next(x for x in (e, h, c, f, "default") if x))
     for e, h, c, f in itertools.product(["--engine", None], ["DOCKER_HOST", None], ["DOCKER_CONTEXT", None],
                                         ["config.json", None])],
)
def test_precedence(engine: str | None, docker_host: str | None, docker_context: str | None, config: str | None,
                    expected: str) -> None:
    fs = files(remote=REMOTE, other={"host": "unix:///run/other.sock"}, third={"host": "ssh://me@build"})
    if config:
        fs.update(CONFIG)
    env = {}
    if docker_host:
        env["DOCKER_HOST"] = "unix:///run/from-env.sock"
    if docker_context:
        env["DOCKER_CONTEXT"] = "other"
    spec = resolve("third" if engine else None, env, fs)
    assert spec.source == expected
    assert spec.base_url == {"--engine": "ssh://me@build", "DOCKER_HOST": "unix:///run/from-env.sock",
                             "DOCKER_CONTEXT": "unix:///run/other.sock", "config.json": "tcp://10.0.0.5:2376",
                             "default": DEFAULT_HOST}[expected]


def test_docker_host_tcp_with_tls_variables() -> None:
    env = {"DOCKER_HOST": "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/certs"}
    fs = {"/certs/ca.pem": "x", "/certs/cert.pem": "x", "/certs/key.pem": "x"}
    spec = resolve(None, env, fs)
    assert spec == EngineSpec("default", "tcp://127.0.0.1:2376",
                              TlsSettings(True, "/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem"), "DOCKER_HOST")
    assert spec.label == "default (tcp://127.0.0.1:2376)"
    # DOCKER_CERT_PATH defaults to ~/.docker; without DOCKER_TLS_VERIFY/DOCKER_TLS there is no TLS
    home = {f"{DOCKER}/ca.pem": "x"}
    assert resolve(None, {"DOCKER_HOST": "tcp://h:1", "DOCKER_TLS_VERIFY": "1"}, home).tls == TlsSettings(True, f"{DOCKER}/ca.pem")
    assert resolve(None, {"DOCKER_HOST": "tcp://h:1", "DOCKER_TLS": "1"}, home).tls == TlsSettings(False, f"{DOCKER}/ca.pem")
    assert resolve(None, {"DOCKER_HOST": "tcp://h:1"}, fs).tls is None
    # a client certificate needs both halves
    assert resolve(None, {**env, "DOCKER_CERT_PATH": "/c"}, {"/c/cert.pem": "x"}).tls == TlsSettings(True)
    # DOCKER_CONFIG moves ~/.docker
    assert resolve(None, {"DOCKER_HOST": "tcp://h:1", "DOCKER_TLS_VERIFY": "1", "DOCKER_CONFIG": "/cfg"},
                   {"/cfg/ca.pem": "x"}).tls == TlsSettings(True, "/cfg/ca.pem")


def test_context_tls_material_and_skip_verify() -> None:
    ident = context_id("remote")
    folder = f"{DOCKER}/contexts/tls/{ident}/docker"
    spec = resolve("remote", {}, files(remote=REMOTE))
    assert spec == EngineSpec("remote", "tcp://10.0.0.5:2376",
                              TlsSettings(True, f"{folder}/ca.pem", f"{folder}/cert.pem", f"{folder}/key.pem"), "--engine")
    assert spec.label == "remote (tcp://10.0.0.5:2376)"
    skip = resolve("s", {}, files(s={"host": "tcp://h:1", "skip": True}))
    assert skip.tls == TlsSettings(False)
    assert resolve("plain", {}, files(plain={"host": "tcp://h:1"})).tls is None
    # a context's TLS comes from the context, never from DOCKER_TLS_VERIFY
    assert resolve("plain", {"DOCKER_TLS_VERIFY": "1"}, files(plain={"host": "tcp://h:1"})).tls is None


def test_default_context_name_means_the_environment() -> None:
    assert resolve("default", {}, {}).base_url == DEFAULT_HOST
    assert resolve("default", {"DOCKER_HOST": "tcp://h:1"}, {}).base_url == "tcp://h:1"
    assert resolve(None, {"DOCKER_CONTEXT": "default"}, CONFIG).base_url == DEFAULT_HOST


def test_urls_given_to_engine() -> None:
    assert resolve("ssh://me@host", {}, {}) == EngineSpec("ssh://me@host", "ssh://me@host", None, "--engine")
    assert resolve("ssh://me@host", {}, {}).label == "ssh://me@host"
    spec = resolve("tcp://h:2376", {"DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/c"}, {"/c/ca.pem": "x"})
    assert spec.tls == TlsSettings(True, "/c/ca.pem")
    assert resolve("unix:///tmp/d.sock", {}, {}).unix_socket == "/tmp/d.sock"


@pytest.mark.parametrize(
    ("selection", "env", "fs", "message"),
    [
        ("nope", {}, {}, "no docker context named 'nope'"),
        (None, {"DOCKER_CONTEXT": "nope"}, {}, "DOCKER_CONTEXT: no docker context named 'nope'"),
        (None, {"DOCKER_HOST": "10.0.0.1:2375"}, {}, "is not an engine URL"),
        ("tcp://", {}, {}, "names no host"),
        (None, {}, {f"{DOCKER}/config.json": "{not json"}, "config.json: not valid JSON"),
        ("bad", {}, {f"{DOCKER}/contexts/meta/{context_id('bad')}/meta.json": '{"Endpoints": {}}'}, "no Endpoints.docker.Host"),
        ("odd", {}, files(odd={"host": "ftp://x"}), "'ftp://x' is not an engine URL"),
    ],
)
def test_selection_errors(selection: str | None, env: dict[str, str], fs: dict[str, str], message: str) -> None:
    with pytest.raises(EngineSelectionError) as info:
        resolve(selection, env, fs)
    assert message in str(info.value)


def test_unknown_engine_is_a_usage_error_before_anything_runs(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)
    deck = tmp_path / "deck.md"
    deck.write_text("# t\n\n```dockerfile\nFROM scratch AS base\n```\n")
    for argv in (["verify", "--engine", "nope", str(deck)], ["export", "--verify", "--engine", "nope", str(deck)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: --engine: no docker context named 'nope'") and "Traceback" not in err
    assert not (tmp_path / "deck.html").exists()


def test_ssh_engine_goes_through_the_ssh_program() -> None:
    """ssh:// uses the SDK's ssh transport shelling out to `ssh` (as the docker CLI does); without
    paramiko (which the SDK's transport imports) the message says what to install."""
    import importlib.util

    spec = resolve("ssh://nobody@127.0.0.1:1", {}, {})
    engine = connect(spec, timeout=5)
    assert not engine.available and engine.message.startswith("engine ssh://nobody@127.0.0.1:1: ")
    if importlib.util.find_spec("paramiko") is None:
        assert "pip install 'slidekit[ssh]'" in engine.message
    else:
        assert "paramiko" not in engine.message  # the transport loaded; the ssh connection itself failed
