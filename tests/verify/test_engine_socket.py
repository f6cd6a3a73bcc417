"""The warm path's raw socket look-up falls back (None) on any answer it does not fully understand."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from slidekit.verify.engine import local_image_ids

ID = "sha256:" + "ab" * 32
JSON_OK = b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"Id": "%s"}' % ID.encode()


def _serve(path: Path, answers: dict[str, bytes | None]) -> Iterator[None]:
    """A one-answer-per-connection fake engine; None: accept and never answer."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    server.settimeout(0.1)  # so that the loop sees ``stop``
    stop = threading.Event()

    def loop() -> None:
        held = []
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            conn.settimeout(5)
            request = conn.recv(65536).decode()
            ref = request.split(" ")[1].split("/")[2]
            answer = answers.get(ref, b"HTTP/1.0 404 Not Found\r\n\r\n{}")
            if answer is None:
                held.append(conn)
                continue
            conn.sendall(answer)
            conn.close()
        for conn in held:
            conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        server.close()
        thread.join(5)


@pytest.fixture()
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes | None]]:
    path = tmp_path / "docker.sock"
    answers: dict[str, bytes | None] = {}
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    yield from (answers for _ in _serve(path, answers))


def test_ids_and_absent_images(engine: dict[str, bytes | None]) -> None:
    engine["img%3A1"] = JSON_OK
    assert local_image_ids(["img:1", "absent:2"]) == {"img:1": ID, "absent:2": None}


@pytest.mark.parametrize(
    "answer",
    [
        b"HTTP/1.0 500 Internal Server Error\r\n\r\n{\"message\": \"boom\"}",  # not "absent": unknown
        b"HTTP/1.0 400 Bad Request\r\n\r\n{\"message\": \"invalid reference format\"}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4f\r\n{\"Id\": \"%s\"}\r\n0\r\n\r\n" % ID.encode(),
        b"HTTP/1.0 200 OK\r\n\r\n{\"Id\": \"%s\"" % ID.encode(),  # cut short
        b"HTTP/1.0 200 OK\r\n\r\n{\"Id\": null}",
        b"HTTP/1.0 200 OK\r\n\r\n{\"Id\": \"abc\"}",
        b"HTTP/1.0 200 OK\r\n\r\n[]",
        b"SSH-2.0-OpenSSH_9.6\r\n",
        b"",
    ],
)
def test_anything_unusual_falls_back(engine: dict[str, bytes | None], answer: bytes) -> None:
    engine["img%3A1"] = answer
    assert local_image_ids(["absent:2", "img:1"]) is None


def test_no_answer_in_time_falls_back(engine: dict[str, bytes | None]) -> None:
    engine["img%3A1"] = None
    assert local_image_ids(["img:1"], timeout=0.3) is None


@pytest.mark.parametrize("host", ["tcp://127.0.0.1:2375", "ssh://me@host", "unix:///nonexistent/docker.sock"])
def test_other_hosts_fall_back(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    monkeypatch.setenv("DOCKER_HOST", host)
    assert local_image_ids(["img:1"]) is None
