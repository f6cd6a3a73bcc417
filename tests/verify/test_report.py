from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from slidekit.verify.model import Finding, Severity, SmokeResult, StageResult, StageStatus, VerifyReport
from slidekit.verify.report import JSON_SCHEMA, escape_data, escape_property, to_github, to_json, to_junit, to_text


def stage(name: str, status: StageStatus, line: int, **kw: object) -> StageResult:
    return StageResult("Dockerfile", name, status, line, "talk.md", **kw)  # type: ignore[arg-type]


REPORT = VerifyReport(
    "talk.md",
    findings=(
        Finding("FromAsCasing", Severity.WARNING, "'as' and 'FROM' keywords' casing do not match", "talk.md", 81),
        Finding("UndefinedStage", Severity.ERROR, "`COPY --from=buidler`: no stage (did you mean builder?)", "talk.md", 90),
    ),
    stages=(
        stage("base", StageStatus.BUILT, 25, seconds=1.25, image_id="sha256:abc", slide_index=1),
        stage("app", StageStatus.FAILED, 44, seconds=0.5, message="RUN exited with 127",
              log_tail=("sh: make: not found",), slide_index=4),
        stage("final", StageStatus.NOT_REACHED, 60, slide_index=5),
    ),
    smoke=(SmokeResult("Dockerfile", "base", "command", True, "exit 0", "talk.md", 25, 0.2),),
    seconds=3.5,
    dockerfiles=("Dockerfile",),
)


def test_text_report_has_findings_table_log_tail_and_summary() -> None:
    text = to_text(REPORT)
    lines = text.splitlines()
    assert lines[0] == "talk.md:81: warning: 'as' and 'FROM' keywords' casing do not match [FromAsCasing]"
    assert lines[1].startswith("talk.md:90: error: ")
    header = next(line for line in lines if line.startswith("DOCKERFILE"))
    assert header.split() == ["DOCKERFILE", "STAGE", "STATUS", "TIME", "DECK", "LINE"]
    app = next(i for i, line in enumerate(lines) if " app " in line)
    assert lines[app].split()[2:] == ["failed", "0.5s", "talk.md:44"]
    assert lines[app + 1:app + 3] == ["    RUN exited with 127", "    | sh: make: not found"]
    assert lines[-1].startswith("FAILED: 1 error; 1 warning; 3 stages (1 built, 1 failed, 1 not reached)")


def test_text_report_without_engine_says_so() -> None:
    report = VerifyReport("talk.md", engine_available=False, engine_message="cannot connect")
    text = to_text(report)
    assert "Docker engine unavailable: cannot connect" in text
    assert text.splitlines()[-1].startswith("not verified (no Docker engine)")


def test_json_schema() -> None:
    data = json.loads(to_json(REPORT))
    assert data["schema"] == JSON_SCHEMA and data["ok"] is False and data["exit_code"] == 1
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 1
    assert data["summary"]["stages"]["failed"] == 1 and data["summary"]["stages"]["built"] == 1
    assert data["findings"][1] == {
        "rule": "UndefinedStage", "severity": "error", "message": "`COPY --from=buidler`: no stage (did you mean builder?)",
        "path": "talk.md", "line": 90, "dockerfile": "Dockerfile", "source": "slidekit",
    }
    assert data["stages"][1]["slide"] == 5 and data["stages"][1]["log_tail"] == ["sh: make: not found"]
    assert data["stages"][0]["image_id"] == "sha256:abc"
    assert data["smoke"][0]["passed"] is True


def test_junit_shape() -> None:
    root = ET.fromstring(to_junit(REPORT))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "2", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"talk.md:static checks", "talk.md:Dockerfile"}
    cases = {c.get("name"): c for c in suites["talk.md:Dockerfile"].findall("testcase")}
    assert set(cases) == {"stage base", "stage app", "stage final", "smoke base command"}
    app = cases["stage app"]
    assert (app.get("classname"), app.get("file"), app.get("line"), app.get("time")) == ("talk.md:Dockerfile", "talk.md", "44", "0.500")
    failure = app.find("failure")
    assert failure is not None and failure.get("message") == "RUN exited with 127" and failure.text == "sh: make: not found"
    assert cases["stage final"].find("skipped") is not None
    assert cases["stage base"].find("failure") is None
    (static,) = suites["talk.md:static checks"].findall("testcase")
    assert static.get("line") == "90" and static.find("failure").get("type") == "UndefinedStage"  # type: ignore[union-attr]


def test_junit_static_suite_passes_without_errors() -> None:
    root = ET.fromstring(to_junit(VerifyReport("talk.md", findings=REPORT.findings[:1])))
    (case,) = root.find("testsuite").findall("testcase")  # type: ignore[union-attr]
    assert case.get("name") == "static checks" and case.find("failure") is None
    assert root.get("failures") == "0"


def test_github_annotations() -> None:
    lines = to_github(REPORT)
    assert lines[0] == "::warning file=talk.md,line=81,title=FromAsCasing::'as' and 'FROM' keywords' casing do not match"
    assert lines[2] == "::error file=talk.md,line=44,title=Dockerfile%3A stage app failed::RUN exited with 127%0Ash: make: not found"
    assert len(lines) == 3


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("100% done", "100%25 done", "100%25 done"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("x: y, z", "x: y, z", "x%3A y%2C z"),
])
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data and escape_property(raw) == prop


def test_github_caps_each_kind_at_ten_with_a_notice() -> None:
    many = tuple(Finding("R", Severity.ERROR, f"e{i}", "a,b.md", i) for i in range(13)) + tuple(
        Finding("W", Severity.WARNING, f"w{i}", "t.md", i) for i in range(4))
    lines = to_github(VerifyReport("t.md", findings=many))
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 4
    assert lines[0].startswith("::error file=a%2Cb.md,line=0,")
    assert lines[-1].startswith("::notice ") and "3 errors not annotated" in lines[-1]


def test_junit_testcase_names_are_unique() -> None:
    twice = tuple(Finding("CopySourceMissing", Severity.ERROR, f"source {n}", "t.md", 7) for n in "ab")
    root = ET.fromstring(to_junit(VerifyReport("t.md", findings=twice)))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == ["CopySourceMissing at line 7", "CopySourceMissing at line 7 (2)"]


@pytest.mark.parametrize(
    ("extra", "engine", "code", "verdict"),
    [
        ((), True, 4, "NOT VERIFIED (base image missing)"),
        ((stage("app", StageStatus.FAILED, 44),), True, 1, "FAILED"),
        ((), False, 4, "NOT VERIFIED (base image missing)"),
    ],
)
def test_base_image_missing_has_its_own_exit_code(extra: tuple[StageResult, ...], engine: bool, code: int,
                                                   verdict: str) -> None:
    report = VerifyReport("talk.md", stages=(stage("base", StageStatus.BASE_MISSING, 25), *extra), engine_available=engine)
    assert report.exit_code == code and json.loads(to_json(report))["ok"] is False
    assert to_text(report).splitlines()[-1].startswith(verdict + ": ")
    assert VerifyReport("talk.md", findings=(REPORT.findings[1],), stages=report.stages).exit_code == 1


def test_several_decks_worst_exit() -> None:
    from slidekit.verify.many import worst_exit

    assert worst_exit([0, 3, 4]) == 4 and worst_exit([4, 1]) == 1 and worst_exit([0, 3]) == 3 and worst_exit([]) == 0
