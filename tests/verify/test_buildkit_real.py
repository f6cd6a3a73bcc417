"""Acceptance: real builds with BuildKit (POST /build?version=2) and the classic builder, on the busybox base image."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from slidekit.cli import main
from slidekit.deck.load import load_deck
from slidekit.verify.buildkit import supports_buildkit
from slidekit.verify.engine import connect
from slidekit.verify.model import Builder, StageStatus, VerifyReport
from slidekit.verify.run import VerifyOptions, verify
from slidekit.verify.vocab import ProgressEvent, ProgressKind

pytestmark = pytest.mark.docker


@pytest.fixture
def deck_dir(tmp_path: Path, docker_client) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A folder for a deck; afterwards the stage images slidekit tagged for it are removed."""
    yield tmp_path
    repo = "slidekit-verify/" + hashlib.sha256(str((tmp_path / "deck.md").resolve()).encode()).hexdigest()[:12]
    for image in docker_client.api.images(name=repo):
        for tag in image.get("RepoTags") or ():
            docker_client.api.remove_image(tag)


def _verify(folder: Path, body: str, builder: Builder | None, events: list[ProgressEvent] | None = None,
            front: str = "") -> VerifyReport:
    source = (f"---\n{front}---\n\n" if front else "") + "# t\n\n---\n\n" + body
    (folder / "deck.md").write_text(source)
    deck = load_deck(source, str(folder / "deck.md"))
    options = VerifyOptions(use_cache=False, hadolint=False, builder=builder)
    return verify(deck, options, progress=events.append if events is not None else None)


def _unique() -> str:
    return uuid.uuid4().hex[:12]


CACHE_MOUNT = (
    "```dockerfile\nFROM slidekit-test/busybox:latest AS deps\n"
    "RUN --mount=type=cache,target=/root/.cache echo {tag} > /root/.cache/seen && cat /root/.cache/seen\n```\n"
)


def test_engine_offers_buildkit_and_auto_picks_it(busybox_image, deck_dir: Path) -> None:  # type: ignore[no-untyped-def]
    engine = connect()
    assert engine.client is not None and supports_buildkit(engine.client.api)
    report = _verify(deck_dir, CACHE_MOUNT.format(tag=_unique()), None)
    assert report.builder is Builder.BUILDKIT
    assert [s.status for s in report.stages] == [StageStatus.BUILT] and report.exit_code == 0


def test_cache_mount_builds_with_buildkit(busybox_image, deck_dir: Path) -> None:  # type: ignore[no-untyped-def]
    tag = _unique()
    report = _verify(deck_dir, CACHE_MOUNT.format(tag=tag), Builder.BUILDKIT)
    assert report.exit_code == 0 and report.findings == ()
    (stage,) = report.stages
    assert stage.status is StageStatus.BUILT and stage.image_id
    # The FROM vertex may be missing from this build's trace when another build resolved that image at the same moment.
    steps = [(s.line, s.instruction.split()[0]) for s in stage.steps]
    assert steps[-1] == (7, "RUN") and set(steps) <= {(6, "FROM"), (7, "RUN")}
    assert all(s.seconds >= 0 for s in stage.steps)


def test_cache_mount_with_classic_is_requires_buildkit(busybox_image, deck_dir: Path) -> None:  # type: ignore[no-untyped-def]
    report = _verify(deck_dir, CACHE_MOUNT.format(tag=_unique()), Builder.CLASSIC)
    assert report.builder is Builder.CLASSIC and report.exit_code == 1
    assert [(f.rule, f.line) for f in report.findings] == [("RequiresBuildKit", 7)]


def test_front_matter_builder_classic(busybox_image, deck_dir: Path) -> None:  # type: ignore[no-untyped-def]
    report = _verify(deck_dir, CACHE_MOUNT.format(tag=_unique()), None, front="builder: classic\n")
    assert report.builder is Builder.CLASSIC and [f.rule for f in report.findings] == ["RequiresBuildKit"]


THREE_STAGES = (
    "```dockerfile\nFROM slidekit-test/busybox:latest AS one\nRUN echo {tag} > /one\n```\n\n---\n\n"
    "```dockerfile\nFROM one AS two\nENV X=1\nRUN echo two > /two\n```\n\n---\n\n"
    "```dockerfile\nFROM two AS three\nWORKDIR /w\nRUN echo failing-now && exit 7\nRUN echo never\n```\n"
)


@pytest.mark.parametrize("builder", [Builder.BUILDKIT, Builder.CLASSIC])
def test_failing_run_in_the_third_stage_at_its_deck_line(busybox_image, deck_dir: Path, builder: Builder) -> None:  # type: ignore[no-untyped-def]
    report = _verify(deck_dir, THREE_STAGES.format(tag=_unique()), builder)
    assert report.builder is builder and report.exit_code == 1
    by_stage = {s.stage: s for s in report.stages}
    assert by_stage["one"].status is StageStatus.BUILT and by_stage["two"].status is StageStatus.BUILT
    three = by_stage["three"]
    source = (deck_dir / "deck.md").read_text().splitlines()
    assert three.status is StageStatus.FAILED
    assert source[three.line - 1] == "RUN echo failing-now && exit 7"
    assert "failing-now" in three.log_tail and "7" in three.message


BRANCHES = (
    "```dockerfile\nFROM slidekit-test/busybox:latest AS base\nRUN echo {tag} > /base\n```\n\n---\n\n"
    "```dockerfile\nFROM base AS left\nRUN sleep 2 && echo left\n```\n\n---\n\n"
    "```dockerfile\nFROM base AS right\nRUN sleep 2 && echo right\n```\n"
)


def test_independent_branches_build_concurrently(busybox_image, deck_dir: Path) -> None:  # type: ignore[no-untyped-def]
    events: list[ProgressEvent] = []
    report = _verify(deck_dir, BRANCHES.format(tag=_unique()), Builder.BUILDKIT, events)
    assert report.exit_code == 0
    by_stage = {s.stage: s for s in report.stages}
    assert {s.status for s in report.stages} == {StageStatus.BUILT}
    # From BuildKit's trace timestamps: the two branches' `sleep 2` steps ran at the same time.
    (left,) = [s for s in by_stage["left"].steps if s.instruction.startswith("RUN")]
    (right,) = [s for s in by_stage["right"].steps if s.instruction.startswith("RUN")]
    assert left.seconds >= 2 and right.seconds >= 2
    overlap = min(left.started + left.seconds, right.started + right.seconds) - max(left.started, right.started)
    assert overlap > 1.0, (left, right)
    # Both builds were requested before either finished, and every stage got its image tag.
    kinds = [(e.kind, e.stage) for e in events if e.kind in (ProgressKind.BUILD, ProgressKind.STAGE)]
    assert kinds[:2] == [(ProgressKind.BUILD, "left"), (ProgressKind.BUILD, "right")] or \
        kinds[:2] == [(ProgressKind.BUILD, "right"), (ProgressKind.BUILD, "left")]
    assert all(s.image_id for s in report.stages)


UNSUPPORTED = (
    "```dockerfile\nFROM slidekit-test/busybox:latest AS secret\nRUN --mount=type=secret,id=tok cat /run/secrets/tok\n"
    "FROM secret AS after\nRUN echo after\n"
    "FROM slidekit-test/busybox:latest AS heredoc\nRUN <<EOT\necho hello\nEOT\n"
    "FROM slidekit-test/busybox:latest AS fine\nRUN echo {tag}\n```\n"
)


def test_what_buildkit_cannot_do_here_is_unsupported_not_failed(busybox_image, deck_dir: Path) -> None:  # type: ignore[no-untyped-def]
    report = _verify(deck_dir, UNSUPPORTED.format(tag=_unique()), Builder.BUILDKIT)
    statuses = {s.stage: s.status for s in report.stages}
    assert statuses == {"secret": StageStatus.UNSUPPORTED, "after": StageStatus.UNSUPPORTED,
                        "heredoc": StageStatus.UNSUPPORTED, "fine": StageStatus.BUILT}
    messages = {s.stage: s.message for s in report.stages}
    assert "needs a client session" in messages["secret"] and "heredocs" in messages["heredoc"]
    assert report.exit_code == 0 and not any(f.rule == "HeredocNeedsBuildKit" for f in report.findings)


def test_cli_builder_option_and_json(busybox_image, deck_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (deck_dir / "deck.md").write_text("# t\n\n---\n\n" + CACHE_MOUNT.format(tag=_unique()))
    assert main(["verify", "--no-hadolint", "--no-cache", "--builder", "buildkit", "--format", "json", str(deck_dir / "deck.md")]) == 0
    out = capsys.readouterr().out
    assert '"builder": "buildkit"' in out
    assert main(["verify", "--no-hadolint", "--builder", "classic", str(deck_dir / "deck.md")]) == 1
    assert "RequiresBuildKit" in capsys.readouterr().out


def test_smoke_check_runs_on_a_buildkit_image(busybox_image, deck_dir: Path) -> None:  # type: ignore[no-untyped-def]
    front = "checks:\n  app:\n    command: [cat, /hello]\n    expect_output: '^hello-{tag}'\n"
    tag = _unique()
    body = f"```dockerfile\nFROM slidekit-test/busybox:latest AS app\nRUN echo hello-{tag} > /hello\n```\n"
    source = f"---\n{front.format(tag=tag)}---\n\n# t\n\n---\n\n{body}"
    (deck_dir / "deck.md").write_text(source)
    deck = load_deck(source, str(deck_dir / "deck.md"))
    report = verify(deck, VerifyOptions(hadolint=False, run_checks=True, builder=Builder.BUILDKIT))
    assert report.builder is Builder.BUILDKIT
    assert [(s.stage, s.passed) for s in report.smoke] == [("app", True)], report.smoke
