"""BuildKit's Dockerfile shell lexer, in Python: word splitting, quotes and ``$VAR`` expansion.

A port of the semantics of ``frontend/dockerfile/shell/lex.go`` (moby/buildkit):
single and double quotes, the escape token (``\\`` or `````), ``$NAME``,
``${NAME}``, ``${NAME:-word}``, ``${NAME-word}``, ``${NAME:+word}``,
``${NAME+word}``, ``${NAME:?msg}``, ``${NAME?msg}``, ``${NAME#pattern}``,
``${NAME##pattern}``, ``${NAME%pattern}``, ``${NAME%%pattern}`` and
``${NAME/pattern/replacement}`` (``//`` for all). Like BuildKit it records which
variables were found (``matched``) and which were not (``unmatched``): that is
what BuildKit's UndefinedVar and UndefinedArgInFrom checks look at.

Also here: :func:`suggest`, BuildKit's "did you mean" (Levenshtein distance < 3).
Pure functions only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

_EOF = ""
_SPECIAL_PARAMS = frozenset("@*#?-$!0")


class LexError(ValueError):
    """The word cannot be processed (BuildKit fails the build with this message)."""


@dataclass
class WordResult:
    result: str
    words: list[str]
    matched: dict[str, None] = field(default_factory=dict)  # ordered sets
    unmatched: dict[str, None] = field(default_factory=dict)


@dataclass
class Lex:
    """Options as in BuildKit's ``shell.Lex``."""

    escape: str = "\\"
    raw_quotes: bool = False
    raw_escapes: bool = False
    skip_process_quotes: bool = False
    skip_unset_env: bool = False
    #: slidekit's own: an unset ``$NAME``/``${NAME}`` stays as written, while the forms with
    #: a modifier still apply it (``${NAME:-x}`` gives ``x``), to resolve what can be resolved.
    keep_unset_plain: bool = False

    def process_word(self, word: str, env: Mapping[str, str]) -> WordResult:
        """Expand ``word`` (quotes removed, variables substituted); raises :class:`LexError`."""
        return _Word(self, word, env).process()

    def process_words(self, word: str, env: Mapping[str, str]) -> list[str]:
        return _Word(self, word, env).process().words


class _Words:
    def __init__(self) -> None:
        self.buf: list[str] = []
        self.words: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if ch.isspace() and self.in_word:
            if self.buf:
                self.words.append("".join(self.buf))
                self.buf = []
                self.in_word = False
        elif not ch.isspace():
            self.add_raw_char(ch)

    def add_raw_char(self, ch: str) -> None:
        self.buf.append(ch)
        self.in_word = True

    def add_string(self, text: str) -> None:
        for ch in text:
            self.add_char(ch)

    def add_raw_string(self, text: str) -> None:
        self.buf.append(text)
        self.in_word = True

    def get(self) -> list[str]:
        if self.buf:
            self.words.append("".join(self.buf))
            self.buf = []
            self.in_word = False
        return self.words


class _Word:
    def __init__(self, lex: Lex, text: str, env: Mapping[str, str]) -> None:
        self.lex = lex
        self.text = text
        self.pos = 0
        self.env = env
        self.raw_escapes = lex.raw_escapes
        self.matched: dict[str, None] = {}
        self.unmatched: dict[str, None] = {}

    # scanner
    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else _EOF

    def next(self) -> str:
        ch = self.peek()
        if ch:
            self.pos += 1
        return ch

    def process(self) -> WordResult:
        try:
            result, words = self.process_stop_on(_EOF, self.raw_escapes)
        except LexError as exc:
            raise LexError(f"failed to process {self.text!r}: {exc}") from None
        return WordResult(result, words, self.matched, self.unmatched)

    def process_stop_on(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        result: list[str] = []
        words = _Words()
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            while self.peek() != _EOF:
                ch = self.peek()
                if stop and ch == stop:
                    self.next()
                    return "".join(result), words.get()
                handler = self._special(ch)
                if handler is not None:
                    tmp = handler()
                    result.append(tmp)
                    if ch == "$":
                        words.add_string(tmp)
                    else:
                        words.add_raw_string(tmp)
                    continue
                ch = self.next()
                if ch == self.lex.escape:
                    if self.raw_escapes:
                        words.add_raw_char(ch)
                        result.append(ch)
                    ch = self.next()
                    if ch == _EOF:
                        break
                    words.add_raw_char(ch)
                else:
                    words.add_char(ch)
                result.append(ch)
            if stop:
                raise LexError(f"unexpected end of statement while looking for matching {stop}")
            return "".join(result), words.get()
        finally:
            self.raw_escapes = saved

    def _special(self, ch: str) -> Callable[[], str] | None:
        if ch == "$":
            return self.process_dollar
        if ch == "<":
            return self.process_possible_heredoc
        if not self.lex.skip_process_quotes:
            if ch == "'":
                return self.process_single_quote
            if ch == '"':
                return self.process_double_quote
        return None

    def process_single_quote(self) -> str:
        # Everything up to the next ' is literal (a ' cannot be escaped).
        return self._quoted("'", "single-quote", lambda out: out.append(self.next()))

    def process_double_quote(self) -> str:
        return self._quoted('"', "double-quote", self._double_quoted_char)

    def _quoted(self, quote: str, name: str, step: Callable[[list[str]], None]) -> str:
        out: list[str] = []
        ch = self.next()
        if self.lex.raw_quotes:
            out.append(ch)
        while True:
            peek = self.peek()
            if peek == _EOF:
                raise LexError(f"unexpected end of statement while looking for matching {name}")
            if peek == quote:
                ch = self.next()
                if self.lex.raw_quotes:
                    out.append(ch)
                return "".join(out)
            step(out)

    def _double_quoted_char(self, out: list[str]) -> None:
        """Inside "...": ``$`` expands; the escape token escapes only ``"``, ``$`` and itself."""
        if self.peek() == "$":
            out.append(self.process_dollar())
            return
        ch = self.next()
        if ch == self.lex.escape:
            if self.raw_escapes:
                out.append(ch)
            nxt = self.peek()
            if nxt == _EOF:
                return
            if nxt in ('"', "$", self.lex.escape):
                ch = self.next()
        out.append(ch)

    def process_possible_heredoc(self) -> str:
        self.next()
        if self.peek() != "<":
            return "<"
        self.next()
        space: list[str] = []
        while self.peek() in ("\t", "\r", " ") and self.peek() != _EOF:
            space.append(self.next())
        return "<<" + "".join(space)

    def process_name(self) -> str:
        name: list[str] = []
        while self.peek() != _EOF:
            ch = self.peek()
            if not name and ch.isdigit():
                while self.peek() != _EOF and self.peek().isdigit():
                    name.append(self.next())
                return "".join(name)
            if not name and ch in _SPECIAL_PARAMS:
                return self.next()
            if not (ch.isalpha() or ch.isdigit() or ch == "_"):
                break
            name.append(self.next())
        return "".join(name)

    def get_env(self, name: str) -> tuple[str, bool]:
        if name in self.env:
            self.matched[name] = None
            return self.env[name], True
        self.unmatched[name] = None
        return "", False

    def _until(self, stop: str, raw_escapes: bool, missing: str) -> str:
        """The text up to ``stop`` (expanded); ``missing`` when the word ends first."""
        try:
            return self.process_stop_on(stop, raw_escapes)[0]
        except LexError:
            if self.peek() == _EOF:
                raise LexError(missing) from None
            raise

    def process_dollar(self) -> str:  # one branch per ${} form, as in BuildKit
        self.next()
        if self.peek() != "{":
            name = self.process_name()
            if name == "":
                return "$"
            value, found = self.get_env(name)
            if not found and (self.lex.skip_unset_env or self.lex.keep_unset_plain):
                return "$" + name
            return value
        self.next()
        if self.peek() == _EOF:
            raise LexError("syntax error: missing '}'")
        if self.peek() in "{}:":
            raise LexError("syntax error: bad substitution")
        name = self.process_name()
        ch = self.next()
        chs = ch
        null_is_unset = False
        if ch == "}":
            value, found = self.get_env(name)
            if not found and (self.lex.skip_unset_env or self.lex.keep_unset_plain):
                return f"${{{name}}}"
            return value
        if ch == ":":
            null_is_unset = True
            ch = self.next()
            chs += ch
        if ch in ("+", "-", "?", "#", "%"):
            raw = ch in ("#", "%")
            if null_is_unset and raw:
                raise LexError(f"unsupported modifier ({chs}) in substitution")
            word = self._until("}", raw, "syntax error: missing '}'")
            value, found = self.get_env(name)
            if self.lex.skip_unset_env and not found:
                return f"${{{name}{chs}{word}}}"
            unset = not found or (null_is_unset and value == "")
            if ch == "-":
                return word if unset else value
            if ch == "+":
                return "" if unset else word
            if ch == "?":
                if not found:
                    raise LexError(f"{name}: {word or 'is not allowed to be unset'}")
                if null_is_unset and value == "":
                    raise LexError(f"{name}: {word or 'is not allowed to be empty'}")
                return value
            greedy = bool(word) and word[0] == ch
            if greedy:
                word = word[1:]
            return _trim_suffix(word, value, greedy) if ch == "%" else _trim_prefix(word, value, greedy)
        if ch == "/" and not null_is_unset:
            replace_all = self.peek() == "/"
            if replace_all:
                self.next()
            pattern = self._until("/", True, "syntax error: missing '/' in ${}")
            replacement = self._until("}", True, "syntax error: missing '}'")
            value, found = self.get_env(name)
            if self.lex.skip_unset_env and not found:
                return f"${{{name}/{pattern}/{replacement}}}"
            regex = _shell_pattern(pattern, greedy=True, anchored=False)
            if replace_all:
                return regex.sub(lambda _m: replacement, value)
            match = regex.search(value)
            return value if match is None else value[: match.start()] + replacement + value[match.end():]
        raise LexError(f"unsupported modifier ({chs}) in substitution")


def _shell_pattern(pattern: str, *, greedy: bool, anchored: bool) -> re.Pattern[str]:
    """``*`` and ``?`` wildcards (no bracket expressions) as a regex, as BuildKit converts them."""
    out = ["^"] if anchored else []
    star = ".*" if greedy else ".*?"
    i = 0
    while i < len(pattern):
        tok = pattern[i]
        i += 1
        if tok == "*":
            out.append(star)
        elif tok == "?":
            out.append(".")
        elif tok == "\\":
            nxt = pattern[i] if i < len(pattern) else ""
            if nxt in ("}", "/"):
                continue
            i += 1
            if nxt not in ("*", "?", "\\"):
                raise LexError(f"invalid pattern ({pattern}) in substitution: invalid escape '\\{nxt}'")
            out.append(re.escape(nxt))
        else:
            out.append(re.escape(tok))
    return re.compile("".join(out), re.DOTALL)


def _trim_prefix(word: str, value: str, greedy: bool) -> str:
    match = _shell_pattern(word, greedy=greedy, anchored=True).search(value)
    return value[match.end():] if match else value


def _reverse_pattern(pattern: str) -> str:
    chars = list(pattern)
    out = [""] * len(chars)
    last = len(chars) - 1
    i = 0
    while i <= last:
        tok = chars[i]
        if tok == "\\" and i != last:
            out[last - i - 1] = tok
            out[last - i] = chars[i + 1]
            i += 2
        else:
            out[last - i] = tok
            i += 1
    return "".join(out)


def _trim_suffix(pattern: str, value: str, greedy: bool) -> str:
    return _trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)[::-1]


# --------------------------------------------------------------------------- suggestions


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggest(value: str, options: list[str] | tuple[str, ...], case_sensitive: bool = True) -> str:
    """BuildKit's ``suggest.Search``: the closest option at distance < 3, or ""."""
    needle = value if case_sensitive else value.lower()
    match, best = "", 3
    for option in options:
        candidate = option if case_sensitive else option.lower()
        if candidate == needle:
            return ""
        distance = levenshtein(needle, candidate)
        if distance < best:
            match, best = (candidate if case_sensitive else _match_case(candidate, value)), distance
    return match


def _match_case(value: str, original: str) -> str:
    if original == original.lower():
        return value.lower()
    if original == original.upper():
        return value.upper()
    return value
