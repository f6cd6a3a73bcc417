"""Turn a :class:`VerifyReport` into text: human, JSON, JUnit XML, GitHub annotations.

All pure functions (report in, string out); the ``verify`` command decides
where the strings go.

JSON schema ``slidekit.verify/1`` (fields are only ever added, never renamed)::

    {"schema": "slidekit.verify/1", "deck": str, "ok": bool, "exit_code": int,
     "engine": {"available": bool, "message": str, "name": str}, "static_only": bool, "from_cache": bool, "seconds": float,
     "dockerfiles": [str],
     "summary": {"errors": int, "warnings": int, "info": int,
                 "stages": {"built": int, "failed": int, "not reached": int,
                            "base image missing": int, "not verified": int},
                 "smoke": {"passed": int, "failed": int}},
     "findings": [{"rule", "severity" (error|warning|info), "message", "path", "line",
                   "dockerfile", "source" (slidekit|hadolint)}],
     "stages": [{"dockerfile", "stage", "status", "path", "line", "slide" (1-based),
                 "seconds", "image_id" (str|null), "message", "log_tail": [str]}],
     "smoke": [{"dockerfile", "stage", "kind", "passed", "detail", "path", "line", "seconds"}],
     "console": [{"path", "line" (first differing line, else the fence), "block_line", "slide", "target",
                  "status" (checked|differs|error|not run|not checked), "message", "diff", "seconds",
                  "from_cache", "image_id", "outputs": [{"command", "output", "status" (int|null)}]}]}
    (``summary.console``: a count per console status.)

``engine.name`` is the engine used (``CONTEXT (URL)``, or the URL; "" when none was
selected).

Several decks (more than one DECK, or a DIR) give one combined document, schema
``slidekit.verify/2``; each entry of ``decks`` is one deck's ``slidekit.verify/1`` object::

    {"schema": "slidekit.verify/2", "ok": bool, "exit_code": int (the worst deck's),
     "seconds": float (wall clock), "jobs": int,
     "summary": {"decks": int, "verified": int, "failed": int, "base image missing": int,
                 "no engine": int},
     "decks": [<slidekit.verify/1>, ...]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from slidekit.errors import EXIT_DOCKER_UNAVAILABLE, EXIT_FAILED
from slidekit.sanitize import clean
from slidekit.verify.console_result import ConsoleResult, ConsoleStatus
from slidekit.verify.model import EXIT_BASE_MISSING, Finding, Severity, SmokeResult, StageResult, StageStatus, VerifyReport

if TYPE_CHECKING:  # JUnit only: xml.etree is imported when a JUnit report is written
    from xml.etree import ElementTree as ET

JSON_SCHEMA = "slidekit.verify/1"
JSON_SCHEMA_MANY = "slidekit.verify/2"
LOG_TAIL_LINES = 20
GITHUB_LIMIT = 10  # annotations of each kind GitHub shows per step
_BAD = (StageStatus.FAILED, StageStatus.BASE_MISSING)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _location(path: str, line: int) -> str:
    return f"{os.path.basename(path) if path == '-' else path}:{line}"


# --------------------------------------------------------------------------- human text


def _stage_table(stages: tuple[StageResult, ...]) -> list[str]:
    rows = [("DOCKERFILE", "STAGE", "STATUS", "TIME", "DECK LINE")]
    rows += [(s.dockerfile, s.stage, s.status.value, f"{s.seconds:.1f}s", _location(s.path, s.line)) for s in stages]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines: list[str] = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        stage = stages[index - 1] if index else None
        if stage is not None and (stage.status in _BAD or stage.message):
            if stage.message:
                lines.append(f"    {stage.message}")
            lines.extend(f"    | {line}" for line in stage.log_tail[-LOG_TAIL_LINES:])
    return lines


def _smoke_lines(smoke: tuple[SmokeResult, ...]) -> list[str]:
    return [
        f"{_location(s.path, s.line)}: {'ok' if s.passed else 'FAILED'}: {s.stage} {s.kind} check: {s.detail} ({s.seconds:.1f}s)"
        for s in smoke
    ]


def _console_lines(results: tuple[ConsoleResult, ...]) -> list[str]:
    lines: list[str] = []
    for c in results:
        where = f" ({c.target})" if c.target else ""
        took = f" ({c.seconds:.1f}s{', cached' if c.from_cache else ''})" if c.target and c.status is not ConsoleStatus.NOT_RUN else ""
        message = f": {c.message}" if c.message and c.status is not ConsoleStatus.CHECKED else ""
        lines.append(f"{_location(c.path, c.line)}: console block{where}: {c.status.label}{message}{took}")
        lines.extend(f"    {line}" for line in c.diff.splitlines())
    return lines


def _console_summary(results: tuple[ConsoleResult, ...]) -> str:
    counts = Counter(c.status for c in results)
    checkable = len(results) - counts[ConsoleStatus.NOT_CHECKED]
    text = f"{counts[ConsoleStatus.CHECKED]}/{checkable} console blocks checked"
    extra = ", ".join(f"{n} {status.value}" for status, n in counts.items() if status is not ConsoleStatus.CHECKED)
    return f"{text} ({extra})" if extra else text


def summary(report: VerifyReport) -> str:
    """One line: counts and the verdict."""
    severities = Counter(f.severity for f in report.findings)
    statuses = Counter(s.status for s in report.stages)
    parts = [
        _plural(severities[Severity.ERROR], "error"),
        _plural(severities[Severity.WARNING], "warning"),
    ]
    if report.stages:
        detail = ", ".join(f"{n} {status.value}" for status, n in statuses.items())
        parts.append(f"{_plural(len(report.stages), 'stage')} ({detail})")
    if report.smoke:
        parts.append(f"{sum(s.passed for s in report.smoke)}/{len(report.smoke)} smoke checks passed")
    if report.console:
        parts.append(_console_summary(report.console))
    verdict = {EXIT_FAILED: "FAILED", EXIT_BASE_MISSING: "NOT VERIFIED (base image missing)",
               EXIT_DOCKER_UNAVAILABLE: "not verified (no Docker engine)"}.get(report.exit_code, "verified")
    if report.static_only and report.exit_code == 0:
        verdict = "static checks passed (nothing built)"
    cached = ", cached" if report.from_cache else ""
    return f"{verdict}: {'; '.join(parts)} in {report.seconds:.1f}s{cached}"


def to_text(report: VerifyReport) -> str:
    """The human report: findings, the stage table (with failing output), a summary line."""
    lines = [str(f) if f.source == "slidekit" else f"{f} ({f.source})" for f in report.findings]
    if not report.engine_available:
        message = f": {report.engine_message}" if report.engine_message else ""
        lines.append(f"Docker engine unavailable{message}; only static checks ran")
    if report.stages:
        lines += ([""] if lines else []) + _stage_table(report.stages)
    if report.smoke:
        lines += [""] + _smoke_lines(report.smoke)
    if report.console:
        lines += [""] + _console_lines(report.console)
    lines += [""] if lines else []
    if report.engine_name:
        lines.append(f"engine: {report.engine_name}")
    lines.append(summary(report))
    return clean("\n".join(lines)) + "\n"  # build output and deck text never reach the terminal raw


# --------------------------------------------------------------------------- JSON


def _finding_json(f: Finding) -> dict[str, object]:
    return {"rule": f.rule, "severity": f.severity.value, "message": f.message, "path": f.path,
            "line": f.line, "dockerfile": f.dockerfile, "source": f.source}


def _stage_json(s: StageResult) -> dict[str, object]:
    return {"dockerfile": s.dockerfile, "stage": s.stage, "status": s.status.value, "path": s.path,
            "line": s.line, "slide": s.slide_index + 1, "seconds": round(s.seconds, 6),
            "image_id": s.image_id, "message": s.message, "log_tail": list(s.log_tail),
            "steps": [{"line": t.line, "instruction": t.instruction, "seconds": round(t.seconds, 6), "cached": t.cached,
                       "started": t.started}
                      for t in s.steps]}


def _smoke_json(s: SmokeResult) -> dict[str, object]:
    return {"dockerfile": s.dockerfile, "stage": s.stage, "kind": s.kind, "passed": s.passed,
            "detail": s.detail, "path": s.path, "line": s.line, "seconds": round(s.seconds, 6)}


def _console_json(c: ConsoleResult) -> dict[str, object]:
    return {"path": c.path, "line": c.line, "block_line": c.block_line, "slide": c.slide_index + 1, "target": c.target,
            "status": c.status.value, "message": c.message, "diff": c.diff, "seconds": round(c.seconds, 6),
            "from_cache": c.from_cache, "image_id": c.image_id,
            "outputs": [{"command": o.command, "output": o.output, "status": o.status} for o in c.outputs]}


def to_dict(report: VerifyReport) -> dict[str, object]:
    severities = Counter(f.severity.value for f in report.findings)
    return {
        "schema": JSON_SCHEMA,
        "deck": report.deck_path,
        "ok": not report.failed,
        "exit_code": report.exit_code,
        "engine": {"available": report.engine_available, "message": report.engine_message, "name": report.engine_name},
        "builder": report.builder.value if report.builder is not None else None,
        "static_only": report.static_only,
        "from_cache": report.from_cache,
        "seconds": round(report.seconds, 3),
        "dockerfiles": list(report.dockerfiles),
        "summary": {
            "errors": severities.get("error", 0),
            "warnings": severities.get("warning", 0),
            "info": severities.get("info", 0),
            "stages": {status.value: sum(s.status is status for s in report.stages) for status in StageStatus},
            "smoke": {"passed": sum(s.passed for s in report.smoke), "failed": sum(not s.passed for s in report.smoke)},
            "console": {status.value: sum(c.status is status for c in report.console) for status in ConsoleStatus},
        },
        "findings": [_finding_json(f) for f in report.findings],
        "stages": [_stage_json(s) for s in report.stages],
        "smoke": [_smoke_json(s) for s in report.smoke],
        "console": [_console_json(c) for c in report.console],
    }


def to_json(report: VerifyReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


_VERDICT_KEYS = {EXIT_FAILED: "failed", EXIT_BASE_MISSING: "base image missing", EXIT_DOCKER_UNAVAILABLE: "no engine"}


def _deck_counts(reports: Sequence[VerifyReport]) -> dict[str, int]:
    codes = Counter(r.exit_code for r in reports)
    counts = {"decks": len(reports), "verified": codes.get(0, 0)}
    counts.update({key: codes.get(code, 0) for code, key in _VERDICT_KEYS.items()})
    return counts


def to_dict_many(reports: Sequence[VerifyReport], exit_code: int, seconds: float, jobs: int) -> dict[str, object]:
    """Several decks: schema ``slidekit.verify/2`` (see the module docstring)."""
    return {"schema": JSON_SCHEMA_MANY, "ok": exit_code == 0, "exit_code": exit_code, "seconds": round(seconds, 3),
            "jobs": jobs, "summary": _deck_counts(reports), "decks": [to_dict(r) for r in reports]}


def to_json_many(reports: Sequence[VerifyReport], exit_code: int, seconds: float, jobs: int) -> str:
    return json.dumps(to_dict_many(reports, exit_code, seconds, jobs), indent=2, ensure_ascii=False) + "\n"


def to_text_many(reports: Sequence[VerifyReport], exit_code: int, seconds: float, jobs: int) -> str:
    """Several decks: each deck's report under a ``== DECK`` heading, then one line for all."""
    parts = [f"== {r.deck_path}\n{to_text(r)}" for r in reports]
    counts = _deck_counts(reports)
    detail = ", ".join(f"{n} {key}" for key, n in counts.items() if key != "decks" and n)
    verdict = {EXIT_FAILED: "FAILED", EXIT_BASE_MISSING: "NOT VERIFIED (base image missing)",
               EXIT_DOCKER_UNAVAILABLE: "not verified (no Docker engine)"}.get(exit_code, "verified")
    engines = sorted({r.engine_name for r in reports if r.engine_name})
    on = f" on {', '.join(engines)}" if engines else ""
    total = f"{verdict}: {_plural(len(reports), 'deck')} ({detail or 'none'}){on} in {seconds:.1f}s (-j {jobs})"
    return "\n".join(parts) + ("\n" if parts else "") + total + "\n"


# --------------------------------------------------------------------------- JUnit XML


def _case(suite: ET.Element, classname: str, name: str, path: str, line: int, seconds: float) -> ET.Element:
    from xml.etree import ElementTree as ET

    return ET.SubElement(suite, "testcase", classname=classname, name=name, file=path, line=str(line), time=f"{seconds:.3f}")


def _suite(root: ET.Element, name: str, report: VerifyReport) -> ET.Element:
    """A testsuite, its properties naming the deck and the engine used."""
    from xml.etree import ElementTree as ET

    suite = ET.SubElement(root, "testsuite", name=name)
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="deck", value=report.deck_path)
    ET.SubElement(properties, "property", name="engine", value=report.engine_name)
    return suite


def _finish_suite(suite: ET.Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    suite.set("errors", "0")
    suite.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))
    suite.set("time", f"{sum(float(c.get('time', '0')) for c in cases):.3f}")


def _stage_cases(report: VerifyReport, root: ET.Element) -> None:
    from xml.etree import ElementTree as ET

    for name in dict.fromkeys([s.dockerfile for s in report.stages] + [s.dockerfile for s in report.smoke]):
        suite = _suite(root, f"{report.deck_path}:{name}", report)
        for stage in (s for s in report.stages if s.dockerfile == name):
            case = _case(suite, f"{report.deck_path}:{name}", f"stage {stage.stage}", stage.path, stage.line, stage.seconds)
            if stage.status in _BAD:
                failure = ET.SubElement(case, "failure", message=stage.message or stage.status.value, type=stage.status.value)
                failure.text = "\n".join(stage.log_tail)
            elif not stage.status.succeeded:
                ET.SubElement(case, "skipped", message=stage.message or stage.status.value)
        for smoke in (s for s in report.smoke if s.dockerfile == name):
            case = _case(suite, f"{report.deck_path}:{name}", f"smoke {smoke.stage} {smoke.kind}", smoke.path, smoke.line, smoke.seconds)
            if not smoke.passed:
                ET.SubElement(case, "failure", message=smoke.detail, type="smoke")
        _finish_suite(suite)


def _console_cases(report: VerifyReport, root: ET.Element) -> None:
    """One testcase per console block: a failure with the diff when it differs, skipped when not run/checked."""
    from xml.etree import ElementTree as ET

    if not report.console:
        return
    suite = _suite(root, f"{report.deck_path}:console", report)
    for c in report.console:
        name = f"console block at line {c.block_line}" + (f" ({c.target})" if c.target else "")
        case = _case(suite, f"{report.deck_path}:console", name, c.path, c.line, c.seconds)
        if c.status.failing:
            failure = ET.SubElement(case, "failure", message=f"{c.path}:{c.line}: {c.message}", type=c.status.value)
            failure.text = c.diff
        elif c.status is not ConsoleStatus.CHECKED:
            ET.SubElement(case, "skipped", message=c.message or c.status.value)
    _finish_suite(suite)


def _finding_cases(report: VerifyReport, root: ET.Element) -> None:
    from xml.etree import ElementTree as ET

    suite = _suite(root, f"{report.deck_path}:static checks", report)
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    seen: Counter[str] = Counter()
    for f in errors:
        name = f"{f.rule} at line {f.line}"
        seen[name] += 1  # GitLab keeps only the first of several testcases with one name
        name = name if seen[name] == 1 else f"{name} ({seen[name]})"
        case = _case(suite, f"{report.deck_path}:{f.dockerfile}", name, f.path, f.line, 0.0)
        failure = ET.SubElement(case, "failure", message=f.message, type=f.rule)
        failure.text = str(f)
    if not errors:
        _case(suite, f"{report.deck_path}:static checks", "static checks", report.deck_path, 1, 0.0)
    _finish_suite(suite)


def to_junit_many(reports: Sequence[VerifyReport], seconds: float) -> str:
    """Several decks: one testsuite per deck (named after it; its properties name the deck
    and the engine), holding the deck's static-check, stage and smoke testcases (their
    ``classname`` is ``DECK:DOCKERFILE``)."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="slidekit verify")
    for report in reports:
        scratch = ET.Element("testsuites")
        _finding_cases(report, scratch)
        _stage_cases(report, scratch)
        _console_cases(report, scratch)
        suite = _suite(root, report.deck_path, report)
        for part in scratch.findall("testsuite"):
            suite.extend(part.findall("testcase"))
        _finish_suite(suite)
        suite.set("time", f"{report.seconds:.3f}")
    return _document(root, seconds)


def _document(root: ET.Element, seconds: float) -> str:
    """The XML text of ``root``, its totals summed over its testsuites."""
    from xml.etree import ElementTree as ET

    suites = root.findall("testsuite")
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_junit(report: VerifyReport) -> str:
    """JUnit XML (Ant/Surefire shape GitLab, Jenkins and GitHub reporters read):
    a testcase per stage (and smoke check), plus error findings as failing testcases."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="slidekit verify")
    _finding_cases(report, root)
    _stage_cases(report, root)
    _console_cases(report, root)
    return _document(root, report.seconds)


# --------------------------------------------------------------------------- GitHub Actions


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as actions/toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, path: str, line: int, title: str, message: str) -> str:
    props = f"file={escape_property(path)},line={line},title={escape_property(title)}"
    return f"::{kind} {props}::{escape_data(message)}"


_GITHUB_KIND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _annotations(report: VerifyReport) -> list[tuple[str, str]]:
    """(kind, command) for every annotation, in report order."""
    out = [(_GITHUB_KIND[f.severity], _command(_GITHUB_KIND[f.severity], f.path, f.line, f.rule, f.message))
           for f in report.findings]
    for s in report.stages:
        if s.status in _BAD:
            text = "\n".join([s.message or s.status.value, *s.log_tail[-LOG_TAIL_LINES:]])
            out.append(("error", _command("error", s.path, s.line, f"{s.dockerfile}: stage {s.stage} {s.status.value}", text)))
    for m in report.smoke:
        if not m.passed:
            out.append(("error", _command("error", m.path, m.line, f"{m.stage}: {m.kind} check failed", m.detail)))
    for c in report.console:
        if c.status.failing:
            title = f"console block{f' ({c.target})' if c.target else ''} {c.status.value}"
            out.append(("error", _command("error", c.path, c.line, title, "\n".join(filter(None, [c.message, c.diff])))))
    return out


def to_github(report: VerifyReport) -> list[str]:
    """GitHub Actions workflow commands (at most 10 per kind, then one notice
    saying how many were left out, since GitHub drops the rest anyway)."""
    shown: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    lines: list[str] = []
    for kind, command in _annotations(report):
        if shown[kind] < GITHUB_LIMIT:
            shown[kind] += 1
            lines.append(command)
        else:
            hidden[kind] += 1
    if hidden:
        left = ", ".join(_plural(n, kind) for kind, n in hidden.items())
        lines.append(f"::notice title=slidekit verify::{escape_data(f'{left} not annotated (GitHub shows {GITHUB_LIMIT} per kind); see the job log')}")
    return lines
