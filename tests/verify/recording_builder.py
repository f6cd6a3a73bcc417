"""A real docker SDK builder that records what the engine was asked for (test helper)."""

from __future__ import annotations

from slidekit.verify.build import DockerSdkBuilder


class RecordingBuilder(DockerSdkBuilder):
    """The real SDK builder, recording base-image look-ups and builds."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        super().__init__(client)
        self.calls: list[str] = []

    def resolve_base(self, ref: str) -> str | None:
        self.calls.append(f"resolve {ref}")
        return super().resolve_base(ref)

    def build(self, request, on_step=None):  # type: ignore[no-untyped-def]
        self.calls.append("build")
        return super().build(request, on_step)
