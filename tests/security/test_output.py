"""S3 (output to special files replaced them) and R8 (--pdf -o same.pdf)."""

from __future__ import annotations

import os
import select
import socket
import stat
import threading
import time
from pathlib import Path

import pytest

from slidekit.errors import SlidekitError
from slidekit.files import refuse_same_outputs, write_atomic
from tests.security.conftest import Run, one_error_line


def test_s3_export_to_dev_null_leaves_it_a_character_device(tmp_path: Path, slidekit: Run) -> None:
    (tmp_path / "d.md").write_text("# hi\n")
    result = slidekit("export", "d.md", "-o", "/dev/null")
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not list(Path("/dev").glob(".null.*.tmp"))


def test_s3_extract_to_dev_stdout_writes_through(tmp_path: Path, slidekit: Run) -> None:
    (tmp_path / "d.md").write_text("# x\n\n```dockerfile\nFROM scratch\n```\n")
    result = slidekit("extract", "d.md", "-o", "/dev/stdout")
    assert result.returncode == 0 and result.stdout == "FROM scratch\n", result.stderr


def test_fifo_is_written_through_when_read_and_refused_without_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    with pytest.raises(SlidekitError, match="no process is reading the FIFO"):
        write_atomic(fifo, "x")
    got: list[bytes] = []
    reader_ready = threading.Event()

    def read() -> None:
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader from now on (a writer may open)
        reader_ready.set()
        data = b""
        deadline = time.monotonic() + 10
        try:
            while time.monotonic() < deadline:
                select.select([fd], [], [], 0.1)
                try:
                    chunk = os.read(fd, 4096)
                except BlockingIOError:
                    continue
                if not chunk and data:  # the writer closed after writing
                    break
                data += chunk
        finally:
            os.close(fd)
        got.append(data)

    thread = threading.Thread(target=read)
    thread.start()
    reader_ready.wait(5)
    write_atomic(fifo, "payload")
    thread.join(5)
    assert got == [b"payload"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_socket_and_directory_are_refused(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "s"))
        with pytest.raises(SlidekitError, match="a socket"):
            write_atomic(tmp_path / "s", "x")
    assert stat.S_ISSOCK(os.stat(tmp_path / "s").st_mode)
    with pytest.raises(SlidekitError, match="directory"):
        write_atomic(tmp_path, "x")


def test_symlinked_output_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real.html").write_text("old")
    (tmp_path / "link.html").symlink_to("real.html")
    write_atomic(tmp_path / "link.html", "new")
    assert (tmp_path / "link.html").is_symlink() and (tmp_path / "real.html").read_text() == "new"


def test_r8_pdf_and_html_may_not_be_the_same_file(tmp_path: Path, slidekit: Run) -> None:
    (tmp_path / "d.md").write_text("# hi\n")
    (tmp_path / "same.pdf").write_text("keep me")
    result = slidekit("export", "d.md", "--pdf", "-o", "same.pdf")
    assert result.returncode == 2
    assert one_error_line(result) == "error: same.pdf: the PDF and the HTML would be the same file (choose another -o)"
    assert (tmp_path / "same.pdf").read_text() == "keep me"


def test_refuse_same_outputs_sees_through_links(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(SlidekitError):
        refuse_same_outputs(("HTML", tmp_path / "a"), ("PDF", tmp_path / "b"))
    refuse_same_outputs(("HTML", tmp_path / "a.html"), ("PDF", tmp_path / "a.pdf"))
