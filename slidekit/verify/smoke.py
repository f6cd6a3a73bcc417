"""Smoke checks (``verify --run``): run what the deck's Dockerfiles built.

A deck declares them in its front matter, per stage::

    checks:
      backend:
        http: {port: 80, path: /de/, status: 200, expect: "Hallo"}
      celery-worker:
        command: [report]          # replaces CMD; the ENTRYPOINT stays
        expect_output: 'celery:5\\.'
      chime-event-listener:
        exit_code: 0               # the image's own command must exit 0

A stage maps to one check or a list of them. Keys of a check:

- ``command``: list or string (split like a shell would) replacing the image's CMD;
  absent → the image's default command. ``entrypoint`` likewise replaces ENTRYPOINT.
- ``exit_code`` (default 0): the exit status that counts as success.
- ``expect_output``: a regular expression searched in stdout+stderr.
- ``http``: ``{port, path: /, status: 200, expect: regex}`` — starts the image's
  default command, publishes ``port`` on 127.0.0.1 and polls until it answers.
- ``timeout``: seconds (default 60 for commands, 60 for HTTP probes).
- ``file``: the Dockerfile the stage belongs to, for decks with several.

:func:`parse_checks` validates the mapping (pure); :func:`check_findings` reports
checks naming a stage no Dockerfile defines; :func:`run_checks` talks to Docker.
"""

from __future__ import annotations

import shlex
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


from slidekit import timed_regex
from slidekit.deck.model import Deck, KeyPath
from slidekit.errors import DeckError
from slidekit.verify.model import Finding, Severity, SmokeResult

#: Every container a smoke check starts carries this label (and is removed afterwards).
LABEL = "io.slidekit.smoke"
DEFAULT_TIMEOUT = 60.0
HTTP_POLL_INTERVAL = 0.25
OUTPUT_TAIL_LINES = 12
#: seconds an ``expect_output``/``expect`` regex may spend matching (catastrophic backtracking)
REGEX_TIMEOUT = 2.0
#: the longest a smoke check may wait (finite: `.inf` and `.nan` are refused)
MAX_TIMEOUT = 3600.0

_CHECK_KEYS = frozenset({"command", "entrypoint", "exit_code", "expect_output", "http", "timeout", "file"})
_HTTP_KEYS = frozenset({"port", "path", "status", "expect"})


@dataclass(frozen=True)
class HttpProbe:
    port: int
    path: str = "/"
    status: int = 200
    expect: str | None = None


@dataclass(frozen=True)
class SmokeCheck:
    """One validated check; ``line`` is its line in the deck's front matter."""

    stage: str
    line: int
    file: str | None = None
    command: tuple[str, ...] | None = None
    entrypoint: tuple[str, ...] | None = None
    exit_code: int = 0
    expect_output: str | None = None
    http: HttpProbe | None = None
    timeout: float = DEFAULT_TIMEOUT
    path: str = ""

    @property
    def kind(self) -> str:
        return "http" if self.http is not None else "command"

    def describe(self) -> str:
        if self.http is not None:
            return f"GET :{self.http.port}{self.http.path}"
        if self.command is None:
            return "default command"
        return shlex.join(self.command)


# --------------------------------------------------------------------------- parsing (pure)


def parse_checks(deck: Deck) -> tuple[SmokeCheck, ...]:
    """The deck's ``checks:`` front matter, validated; DeckError (path:line) when malformed."""
    raw = deck.meta.options.get("checks")
    if raw is None:
        return ()
    lines = deck.meta.key_lines
    checks: list[SmokeCheck] = []
    for stage, value in raw.items():  # type: ignore[attr-defined]  # meta.py validated `checks:` as a mapping
        stage_line = lines.get(("checks", str(stage)), lines.get(("checks",), 1))
        items = value if isinstance(value, list) else [value]
        if not items:
            raise DeckError(f"checks: stage `{stage}` has an empty list of checks", deck.path, stage_line)
        for index, item in enumerate(items):
            key = ("checks", str(stage), index) if isinstance(value, list) else ("checks", str(stage))
            line = lines.get(key, stage_line)
            checks.append(_parse_one(str(stage), item, deck.path, line, lines, key))
    return tuple(checks)


def _parse_one(
    stage: str, item: object, path: str, line: int, lines: Mapping[KeyPath, int], key: KeyPath
) -> SmokeCheck:
    def where(name: str) -> int:
        return lines.get((*key, name), line)

    def fail(message: str, name: str | None = None) -> DeckError:
        return DeckError(f"checks: `{stage}`: {message}", path, where(name) if name else line)

    if not isinstance(item, dict):
        raise fail("expected a mapping such as `command: [--version]` or `http: {port: 80}`")
    unknown = sorted(str(k) for k in item if k not in _CHECK_KEYS)
    if unknown:
        raise fail(f"unknown key `{unknown[0]}` (known: {', '.join(sorted(_CHECK_KEYS))})", unknown[0])
    http = _parse_http(item.get("http"), fail) if "http" in item else None
    if http is not None:
        clash = sorted(k for k in ("command", "entrypoint", "expect_output", "exit_code") if k in item)
        if clash:
            raise fail(f"`{clash[0]}` cannot be combined with `http` (one check per kind)", clash[0])
    timeout = item.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        raise fail(f"`timeout` must be a positive number of seconds up to {MAX_TIMEOUT:g}", "timeout")
    exit_code = item.get("exit_code", 0)
    if isinstance(exit_code, bool) or not isinstance(exit_code, int) or not 0 <= exit_code <= 255:
        raise fail("`exit_code` must be a number from 0 to 255", "exit_code")
    file = item.get("file")
    if file is not None and not isinstance(file, str):
        raise fail("`file` must be a Dockerfile name", "file")
    return SmokeCheck(
        stage=stage,
        line=line,
        file=file,
        command=_argv(item, "command", fail),
        entrypoint=_argv(item, "entrypoint", fail),
        exit_code=exit_code,
        expect_output=_regex(item.get("expect_output"), "expect_output", fail),
        http=http,
        timeout=float(timeout),
        path=path,
    )


def _argv(item: Mapping[str, object], name: str, fail: Callable[..., DeckError]) -> tuple[str, ...] | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError as exc:
            raise fail(f"`{name}`: {exc}", name) from None
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return tuple(str(v) for v in value)
    raise fail(f"`{name}` must be a list of arguments or a string", name)


def _regex(value: object, name: str, fail: Callable[..., DeckError]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(f"`{name}` must be a regular expression (a string)", name)
    try:
        timed_regex.compile_pattern(value)
    except timed_regex.error as exc:
        raise fail(f"`{name}` is not a valid regular expression: {exc}", name) from None
    return value


def _parse_http(value: object, fail: Callable[..., DeckError]) -> HttpProbe:
    if isinstance(value, (bool, int)):
        value = {"port": value}
    if not isinstance(value, dict):
        raise fail("`http` must be a mapping such as `{port: 80, path: /, status: 200}`", "http")
    unknown = sorted(str(k) for k in value if k not in _HTTP_KEYS)
    if unknown:
        raise fail(f"`http`: unknown key `{unknown[0]}` (known: {', '.join(sorted(_HTTP_KEYS))})", "http")
    port = value.get("port")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise fail("`http.port` must be a port number (1-65535)", "http")
    path = value.get("path", "/")
    if not isinstance(path, str) or not path.startswith("/"):
        raise fail("`http.path` must start with `/`", "http")
    status = value.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise fail("`http.status` must be an HTTP status code", "http")
    return HttpProbe(port, path, status, _regex(value.get("expect"), "http.expect", fail))


# --------------------------------------------------------------------------- matching checks to stages (pure)


def resolve_stage(check: SmokeCheck, stages: Iterable[tuple[str, str]]) -> tuple[tuple[str, str] | None, str]:
    """The (dockerfile, stage) a check targets, or None and why not."""
    candidates = [key for key in stages if key[1] == check.stage and (check.file is None or key[0] == check.file)]
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        where = f" in `{check.file}`" if check.file else ""
        return None, f"no stage `{check.stage}`{where}"
    files = ", ".join(sorted(key[0] for key in candidates))
    return None, f"stage `{check.stage}` is defined in several Dockerfiles ({files}); add `file:`"


def check_findings(checks: Iterable[SmokeCheck], stages: Iterable[tuple[str, str]]) -> list[Finding]:
    """Errors for checks that name no (or an ambiguous) stage of the deck's Dockerfiles."""
    known = list(stages)
    findings: list[Finding] = []
    for check in checks:
        target, why = resolve_stage(check, known)
        if target is None:
            names = ", ".join(dict.fromkeys(stage for _, stage in known)) or "none"
            findings.append(
                Finding("smoke-stage", Severity.ERROR, f"checks: {why} (stages: {names})", check.path, check.line)
            )
    return findings


def _evaluate(label: str, got: int, wanted: int, pattern: str | None, text: str, what: str) -> tuple[bool, str]:
    """The verdict shared by command and HTTP checks: status first, then the pattern."""
    if got != wanted:
        return False, f"{label}, expected {wanted}{_tail(text)}"
    try:
        matched_text = pattern is None or timed_regex.search(pattern, text, timeout=REGEX_TIMEOUT,
                                                            flags=timed_regex.MULTILINE)
    except TimeoutError:
        return False, f"{label}, but matching /{pattern}/ against the {what} took over {REGEX_TIMEOUT:g} s (gave up)"
    if not matched_text:
        return False, f"{label}, but the {what} does not match /{pattern}/{_tail(text)}"
    matched = f", {what} matches /{pattern}/" if pattern else ""
    return True, f"{label}{matched}"


def evaluate_command(check: SmokeCheck, status: int, output: str) -> tuple[bool, str]:
    """Did a finished command pass? (pure)"""
    return _evaluate(f"exit {status}", status, check.exit_code, check.expect_output, output, "output")


def evaluate_http(probe: HttpProbe, status: int, body: str) -> tuple[bool, str]:
    """Did an HTTP answer pass? (pure)"""
    return _evaluate(f"HTTP {status}", status, probe.status, probe.expect, body, "body")


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    return "\n" + "\n".join(f"  | {line}" for line in lines[-OUTPUT_TAIL_LINES:])


# --------------------------------------------------------------------------- running (Docker)


@dataclass
class _Run:
    """A started container: created, tracked by name so a finally can always remove it."""

    client: Any
    image: str
    labels: dict[str, str]
    name: str = field(default_factory=lambda: f"slidekit-smoke-{uuid.uuid4().hex[:12]}")
    container: Any = None

    def remove(self) -> None:
        try:
            target = self.container or self.client.containers.get(self.name)
            target.remove(force=True)
        except Exception:  # noqa: BLE001 - already gone, or never created
            pass


def run_checks(client: Any, deck: Deck, stage_images: Mapping[tuple[str, str], str],
               on_check: Callable[[SmokeCheck, str, SmokeResult | None], None] | None = None) -> list[SmokeResult]:
    """Run the deck's smoke checks against built images, one container at a time.

    ``stage_images`` maps (Dockerfile name, stage name) → image id of every stage
    that built. A check whose stage did not build fails ("not built"); one that
    names no stage at all fails like :func:`check_findings` says. ``on_check``
    (progress) is told (check, Dockerfile, None) before a container starts and
    (check, Dockerfile, result) after each check.
    """
    results: list[SmokeResult] = []
    for check in parse_checks(deck):
        target, why = resolve_stage(check, stage_images)
        if target is None:
            results.append(_result(check, check.file or "Dockerfile", False, f"{why}: nothing to run", 0.0))
        else:
            if on_check is not None:
                on_check(check, target[0], None)
            start = time.monotonic()
            runner = _RUNNERS[check.kind]
            passed, detail = runner(client, check, stage_images[target], deck.path)
            results.append(_result(check, target[0], passed, detail, time.monotonic() - start))
        if on_check is not None:
            on_check(check, results[-1].dockerfile, results[-1])
    return results


def _result(check: SmokeCheck, dockerfile: str, passed: bool, detail: str, seconds: float) -> SmokeResult:
    return SmokeResult(
        dockerfile=dockerfile,
        stage=check.stage,
        kind=check.kind,
        passed=passed,
        detail=f"{check.describe()}: {detail}",
        path=check.path,
        line=check.line,
        seconds=seconds,
    )


def _labels(check: SmokeCheck, deck_path: str) -> dict[str, str]:
    return {LABEL: "1", f"{LABEL}.deck": deck_path, f"{LABEL}.stage": check.stage}


def _run_command(client: Any, check: SmokeCheck, image: str, deck_path: str) -> tuple[bool, str]:
    import requests

    run = _Run(client, image, _labels(check, deck_path))
    try:
        run.container = client.containers.create(
            image,
            command=list(check.command) if check.command is not None else None,
            entrypoint=list(check.entrypoint) if check.entrypoint is not None else None,
            name=run.name,
            labels=run.labels,
            detach=True,
            stdin_open=False,
            tty=False,
        )
        run.container.start()
        try:
            status = int(run.container.wait(timeout=check.timeout).get("StatusCode", -1))
        except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
            output = _logs(run.container)
            return False, f"still running after {check.timeout:g}s (timeout){_tail(output)}"
        return evaluate_command(check, status, _logs(run.container))
    except Exception as exc:  # noqa: BLE001 - Docker API errors become a failed check
        return False, f"could not run the container: {_one_line(exc)}"
    finally:
        run.remove()


def _run_http(client: Any, check: SmokeCheck, image: str, deck_path: str) -> tuple[bool, str]:
    probe = check.http
    assert probe is not None
    run = _Run(client, image, _labels(check, deck_path))
    try:
        run.container = client.containers.create(
            image,
            name=run.name,
            labels=run.labels,
            detach=True,
            ports={f"{probe.port}/tcp": ("127.0.0.1", None)},
        )
        run.container.start()
        url = _published_url(run.container, probe)
        deadline = time.monotonic() + check.timeout
        last_error = "no answer"
        while time.monotonic() < deadline:
            run.container.reload()
            if run.container.status not in ("created", "running"):
                code = run.container.attrs.get("State", {}).get("ExitCode")
                return False, f"the container exited ({code}) before answering{_tail(_logs(run.container))}"
            if url is None:
                url = _published_url(run.container, probe)
            if url is not None:
                answer = _get(url, min(5.0, max(deadline - time.monotonic(), 0.5)))
                if isinstance(answer, tuple):
                    return evaluate_http(probe, *answer)
                last_error = answer
            time.sleep(HTTP_POLL_INTERVAL)
        return False, f"no HTTP answer within {check.timeout:g}s ({last_error}){_tail(_logs(run.container))}"
    except Exception as exc:  # noqa: BLE001 - Docker API errors become a failed check
        return False, f"could not run the container: {_one_line(exc)}"
    finally:
        run.remove()  # a forced removal kills the server: its state is of no interest


def _published_url(container: Any, probe: HttpProbe) -> str | None:
    container.reload()
    bindings = (container.attrs.get("NetworkSettings", {}).get("Ports") or {}).get(f"{probe.port}/tcp") or []
    for binding in bindings:
        port = binding.get("HostPort")
        if port:
            return f"http://127.0.0.1:{port}{probe.path}"
    return None


#: Direct connections only: an HTTP(S)_PROXY from the environment must not see 127.0.0.1 probes.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str, timeout: float) -> tuple[int, str] | str:
    """(status, body) of a GET, or why there was no answer yet."""
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(65536).decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return _one_line(reason)


def _logs(container: Any) -> str:
    try:
        return container.logs(stdout=True, stderr=True).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - logs are only context
        return ""


def _one_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_RUNNERS: dict[str, Callable[[Any, SmokeCheck, str, str], tuple[bool, str]]] = {
    "command": _run_command,
    "http": _run_http,
}
