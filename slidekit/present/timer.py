"""The talk's countdown (``--duration 20m``), pure: the notes view and the presenter's footer read it.

It counts down from the duration; it turns ``warning`` in the last 5 minutes and ``over`` at 0 (then it
counts the overtime). ``p`` pauses and resumes it, ``r`` resets it (in the notes view, where these keys
mean nothing else). The per-slide budget is the duration shared evenly by the slides: on slide N (1-based)
the talk should have used (N - 1) budgets; :meth:`Countdown.pace` says how far ahead or behind that is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.style import Style as RichStyle

from slidekit.render.style import to_rich
from slidekit.theme.schema import Style, Theme

WARNING_AT = 5 * 60


def clock(seconds: float) -> str:
    """``M:SS`` (``H:MM:SS`` from an hour on), a ``-`` in front of a negative time."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"


@dataclass(frozen=True)
class Countdown:
    duration: float
    started: float
    paused_at: float | None = None
    paused_for: float = 0.0

    def elapsed(self, now: float) -> float:
        end = self.paused_at if self.paused_at is not None else now
        return max(end - self.started - self.paused_for, 0.0)

    def remaining(self, now: float) -> float:
        return self.duration - self.elapsed(now)

    def toggle(self, now: float) -> Countdown:
        """Pause a running countdown, resume a paused one."""
        if self.paused_at is None:
            return replace(self, paused_at=now)
        return replace(self, paused_at=None, paused_for=self.paused_for + now - self.paused_at)

    def reset(self, now: float) -> Countdown:
        return Countdown(self.duration, now, now if self.paused_at is not None else None)

    def phase(self, now: float) -> str:
        """``normal``, ``warning`` (the last 5 minutes) or ``over``."""
        left = self.remaining(now)
        return "over" if left <= 0 else "warning" if left <= WARNING_AT else "normal"

    def pace(self, now: float, slide: int, slides: int) -> float:
        """Seconds ahead (> 0) or behind (< 0) the even per-slide budget, on ``slide`` (0-based) of ``slides``."""
        budget = self.duration / max(slides, 1)
        return slide * budget - self.elapsed(now)

    def label(self, now: float, slide: int, slides: int) -> str:
        left = self.remaining(now)
        text = f"⏳ {clock(left)} left" if left > 0 else f"⏳ over by {clock(-left)}"
        pace = self.pace(now, slide, slides)
        text += f"  {clock(abs(pace))} {'ahead' if pace >= 0 else 'behind'}"
        return text + ("  (paused)" if self.paused_at is not None else "")


#: the timer's colours by phase when the theme has no ``slidekit_timer*`` elements
DEFAULT_STYLES = {"normal": "bold green", "warning": "bold yellow", "over": "bold white on red"}
_ELEMENTS = {"normal": "slidekit_timer", "warning": "slidekit_timer_warning", "over": "slidekit_timer_over"}


def timer_style(theme: Theme | None, phase: str) -> RichStyle | str:
    """The timer's style in ``phase``: the theme's ``slidekit_timer``/``_warning``/``_over`` element
    (slidekit's extensions), else :data:`DEFAULT_STYLES`."""
    own = theme.get(_ELEMENTS[phase]) if theme is not None else Style()
    if own == Style():
        return DEFAULT_STYLES[phase]
    return to_rich(own)
