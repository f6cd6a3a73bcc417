"""Parse the Graph::Easy text language into a :class:`Graph`.

Written from the language's documentation: ``[ node ]`` (``[ A | B ]`` splits a node into
fields), edges ``->`` ``==>`` ``..>`` ``- >`` ``= >`` ``.->`` ``..->`` ``~~>`` with an
optional ``<`` (both ways), a label between matching halves (``-- car -->``) or no arrow
(``--``); ``{ key: value; }`` after a node, a group or an edge operator; ``graph|node|edge|
group(.class) { ... }`` class attributes; ``[A], [B]`` lists; ``( Name: ... )`` groups;
``# comments``. Errors carry ``line:col``.
"""

from __future__ import annotations

import re

from slidekit.diagram.model import Attrs, DiagramError, Edge, Graph, Group, Node

_SELECTOR = r"(?:graph|node|edge|group)?(?:\.[A-Za-z0-9_-]+)?"
_CLASS_RE = re.compile(rf"({_SELECTOR}(?:\s*,\s*{_SELECTOR})*)\s*\{{")
_STOP_EDGE = "[{(\n"
_SPLIT_RE = re.compile(r"(?<!\\)\|")


def _strip_comments(text: str) -> str:
    """Blank out ``#`` comments (a ``#`` at a line start or after blanks, followed by a blank or the end)."""
    out: list[str] = []
    for line in text.split("\n"):
        cut = len(line)
        for m in re.finditer(r"(?<!\\)#", line):
            i = m.start()
            before = line[:i]
            if (before.strip() == "" or before[-1:] in " \t") and not _inside_braces(before):
                cut = i
                break
        out.append(line[:cut] + " " * (len(line) - cut))
    return "\n".join(out)


def _inside_braces(before: str) -> bool:
    return before.count("{") > before.count("}") or before.count("[") > before.count("]")


def _decode(m: re.Match[str]) -> str:
    """A %-encoded character; control and non-ASCII bytes are dropped."""
    code = int(m.group(1), 16)
    return chr(code) if 0x20 <= code < 0x7F else ""


def unescape(text: str) -> str:
    """A name or label with its escapes resolved; line breaks (``\\n``, ``\\l``, ``\\r``, ``\\c``) become newlines."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nlrc" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _attr_value(key: str, value: str) -> str:
    """A value without its surrounding double quotes; a label's runs of blanks become one blank."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return re.sub(r"\s+", " ", value) if key == "label" else value


def _norm_name(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.strip())


_STYLE_TOKENS = (
    ("..-", "dot-dot-dash"),
    (".-", "dot-dash"),
)


def _style_of(token: str, spaced: bool) -> str | None:
    tok = token.strip()
    if not tok:
        return None
    for pat, style in _STYLE_TOKENS:
        if re.fullmatch(f"(?:{re.escape(pat)})+", tok) or tok == pat:
            return style
    if re.fullmatch(r"-+", tok):
        return "dashed" if spaced else "solid"
    if re.fullmatch(r"=+", tok):
        return "double-dash" if spaced else "double"
    if re.fullmatch(r"\.+", tok):
        return "dotted"
    if re.fullmatch(r"~+", tok):
        return "wave"
    if re.fullmatch(r"(- )+-?", tok + " "):
        return "dashed"
    if re.fullmatch(r"(= )+=?", tok + " "):
        return "double-dash"
    return None


def parse_edge_op(op: str) -> tuple[str, bool, bool, str] | None:
    """(style, directed, bidirectional, label) of an edge operator such as ``<-- text -->``, or None."""
    text = op.strip()
    left = text.startswith("<")
    right = text.endswith(">")
    body = text[1 if left else 0 : len(text) - 1 if right else len(text)]
    if not body:
        return None
    spaced = body.endswith(" ")
    style = _style_of(body, spaced)
    label = ""
    if style is None:
        m = re.fullmatch(r"([-=.~]+)\s+(.*?)\s+([-=.~ ]*[-=.~])(\s?)", body)
        if m is None:
            return None
        style = _style_of(m.group(3), bool(m.group(4)))
        first = _style_of(m.group(1), False)
        if style is None or first is None:
            return None
        label = re.sub(r"\s+", " ", m.group(2).strip())
    elif len(body.strip()) == 1 and not (left or right) and not spaced:
        return None
    directed = left or right
    return style, directed, left and right, label


class _Parser:
    def __init__(self, text: str) -> None:
        self.src = text
        self.text = _strip_comments(text.replace("\r\n", "\n").replace("\t", " "))
        self.pos = 0
        self.graph = Graph()
        self.group_stack: list[Group] = []
        self.group_starts: list[int] = []
        self.anon = 0
        self.edge_order = 0

    # -- positions and errors --------------------------------------------------------------
    def where(self, pos: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, pos) + 1
        col = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return line, col

    def error(self, message: str, pos: int | None = None) -> DiagramError:
        line, col = self.where(self.pos if pos is None else pos)
        return DiagramError(message, line, col)

    def skip_ws(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \n\t":
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def read_until(self, close: str, what: str) -> str:
        """Text up to the unescaped ``close`` (consumed)."""
        start = self.pos
        i = self.pos
        while i < len(self.text):
            ch = self.text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == close:
                self.pos = i + 1
                return self.text[start:i]
            i += 1
        raise self.error(f"unclosed {what}: missing '{close}'", start - 1)

    # -- pieces ------------------------------------------------------------------------------
    def attrs(self) -> Attrs:
        start = self.pos
        self.pos += 1
        body = self.read_until("}", "attribute block")
        out: Attrs = {}
        for part in re.split(r"(?<!\\);", body):
            if not part.strip():
                continue
            key, sep, value = part.partition(":")
            if not sep or not key.strip() or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", key.strip()):
                offset = body.find(part.strip())
                raise self.error(f"bad attribute {part.strip()!r} (expected 'name: value')", start + 1 + offset)
            # attribute values may %-encode characters with a meaning in the syntax (%3b is ';')
            name = key.strip().lower()
            out[name] = _attr_value(name, re.sub(r"%([0-9a-fA-F]{2})", _decode, value.strip()))
        return out

    def node(self) -> list[Node]:
        start = self.pos
        self.pos += 1
        raw = self.read_until("]", "node")
        parts = re.split(r"(?<!\\)\|\|?", raw)
        self.split_literal = len(parts) > 1
        if len(parts) > 1:
            return self.split_node(raw, parts)
        name = _norm_name(raw)
        if not name:
            self.anon += 1
            node = Node(f"#anon{self.anon}", order=len(self.graph.nodes), anonymous=True)
            self.graph.nodes[node.name] = node
            self.add_to_group(node)
            return [node]
        del start
        return [self.get_node(name)]

    def split_node(self, raw: str, parts: list[str]) -> list[Node]:
        """``[ A | B || C ]``: one node per field, ``|`` the next column, ``||`` the next row."""
        base = "".join(_norm_name(p) for p in parts)
        nodes: list[Node] = []
        rows = re.split(r"(?<!\\)\|\|", raw)
        i = 0
        for y, row in enumerate(rows):
            for x, part in enumerate(_SPLIT_RE.split(row)):
                fresh = f"{base}.{i}" not in self.graph.nodes
                node = self.get_node(f"{base}.{i}")
                if fresh and len(part) <= 1 and not part.strip():  # ``||`` or ``| |``: an invisible field
                    node.attrs["shape"] = "invisible"
                label = _norm_name(part)
                node.attrs.setdefault("_label", label if label else " ")  # below a class's label
                node.attrs["basename"] = base
                node.attrs["_split"] = f"{x},{y}"
                if i:
                    node.attrs.setdefault("origin", f"{base}.0")
                    node.attrs.setdefault("offset", f"{x},{y}")
                nodes.append(node)
                i += 1
        for node in nodes:
            self.split_parts[node] = nodes
        return nodes

    def apply_attrs(self, nodes: list[Node], attrs: Attrs, literal: set[Node]) -> None:
        """Attributes after a node list; on an autosplit node a value ``a|b|c`` gives each field
        its own (an empty one: none), ``basename`` renames the fields, ``origin``/``offset`` place the first."""
        done: set[Node] = set()
        for node in nodes:
            parts = self.split_parts.get(node) if node in literal else None
            if parts is None:
                node.attrs.update(attrs)
                continue
            if parts[0] in done:
                continue
            done.add(parts[0])
            for key, value in attrs.items():
                if key == "basename":
                    self.rename_parts(parts, value.strip())
                    continue
                values = _SPLIT_RE.split(value) if _SPLIT_RE.search(value) else None
                for i, part in enumerate(parts):
                    if values is None:
                        if i == 0 or key not in ("origin", "offset"):
                            part.attrs[key] = value
                    elif i < len(values) and values[i].strip():
                        part.attrs[key] = values[i].strip()
        origin = " ".join(attrs.get("origin", "").split())
        if origin and origin not in self.graph.nodes:  # a node named only as an origin exists too
            self.get_node(origin)

    def rename_parts(self, parts: list[Node], base: str) -> None:
        if not base:
            return
        first = parts[0].name
        for i, part in enumerate(parts):
            if i and part.attrs.get("origin") == first:
                part.attrs["origin"] = f"{base}.0"
            name = f"{base}.{i}"
            if name in self.graph.nodes and self.graph.nodes[name] is not part:
                continue
            del self.graph.nodes[part.name]
            part.name = name
            part.attrs["basename"] = base
            self.graph.nodes[name] = part

    def get_node(self, name: str) -> Node:
        node = self.graph.nodes.get(name)
        if node is None:
            node = Node(name, order=len(self.graph.nodes))
            self.graph.nodes[name] = node
            self.add_to_group(node)
        elif self.group_stack and node.group is not self.group_stack[-1]:  # a later mention in a group moves it there
            if node.group is not None:
                node.group.nodes.remove(node)
            node.group = None
            self.add_to_group(node)
        return node

    def add_to_group(self, node: Node) -> None:
        if self.group_stack and node.group is None:
            node.group = self.group_stack[-1]
            self.group_stack[-1].nodes.append(node)

    def edge_op(self) -> tuple[str, bool, bool, str]:
        start = self.pos
        i = self.pos
        while i < len(self.text) and self.text[i] not in _STOP_EDGE:
            if self.text[i] == "\\":
                i += 1
            i += 1
        op = self.text[start:i]
        parsed = parse_edge_op(op)
        if parsed is None:
            raise self.error(f"cannot parse edge {op.strip()!r}", start)
        self.pos = i
        return parsed

    def add_edges(self, sources: list[Node], targets: list[Node], spec: tuple[str, bool, bool, str], attrs: Attrs) -> None:
        style, directed, both, label = spec
        for s in sources:
            for t in targets:
                self.edge_order += 1
                edge_attrs = dict(attrs)
                edge = Edge(s, t, style, directed, both, label, edge_attrs, self.edge_order)
                if "label" in edge_attrs:
                    edge.label = edge_attrs["label"]
                if "style" in edge_attrs:
                    edge.style = edge_attrs["style"]
                self.graph.edges.append(edge)

    def group_open(self) -> None:
        self.group_starts.append(self.pos)
        self.pos += 1
        m = re.compile(r"[^\[\(\)]*").match(self.text, self.pos)
        assert m is not None
        raw = m.group(0)
        self.pos = m.end()
        name = _norm_name(raw)  # its label keeps escapes (``\n``) and a trailing ':'
        if name.endswith(":") and not raw.rstrip().endswith(":"):
            name = name[:-1]
        group = Group(name or f"#group{len(self.graph.groups)}", parent=self.group_stack[-1] if self.group_stack else None)
        for old in [g for g in self.graph.groups if name and g.name == group.name]:  # a group named again replaces it
            for node in old.nodes:
                node.group = None
            old.nodes.clear()
            self.graph.groups.remove(old)
        self.graph.groups.append(group)
        self.group_stack.append(group)

    # -- statements --------------------------------------------------------------------------
    def endpoint_list(self) -> list[Node]:
        """``[A] {..}, [B]`` -> the nodes."""
        nodes: list[Node] = []
        literal: set[Node] = set()  # fields of autosplit nodes written here
        while True:
            self.skip_ws()
            ch = self.peek()
            if ch == "[":
                got = self.node()
                self.skip_ws()
                nodes += got
                if self.split_literal:
                    literal.update(got)
                if self.peek() == "{":  # attributes after a list apply to the whole list so far
                    self.apply_attrs(nodes, self.attrs(), literal)
            elif ch == "(":
                return nodes
            else:
                raise self.error("expected a node '[ ... ]'")
            self.skip_ws()
            if self.peek() == ",":
                self.pos += 1
                continue
            return nodes

    def parse(self) -> Graph:
        last: list[Node] = []
        after_group = False
        while True:
            after_group_now, after_group = after_group, False
            self.skip_ws()
            if self.pos >= len(self.text):
                break
            ch = self.peek()
            m = _CLASS_RE.match(self.text, self.pos)
            if m:
                self.pos = m.end() - 1
                attrs = self.attrs()
                for sel in m.group(1).split(","):
                    sel = sel.strip()
                    kinds = ("node", "edge", "group") if sel.startswith(".") else ("",)
                    for kind in kinds:
                        self.graph.add_class(kind + sel, attrs)
                last = []
            elif ch == "[":
                last = self.endpoint_list()
            elif ch == "(":
                self.group_open()
                last = []
            elif ch == ")":
                if not self.group_stack:
                    raise self.error("')' without an open group")
                self.pos += 1
                group = self.group_stack.pop()
                self.group_starts.pop()
                self.skip_ws()
                if self.peek() == "{":
                    group.attrs.update(self.attrs())
                last = list(group.nodes)
                after_group = True
                continue
            elif ch in "<-=.~":
                if not last and not after_group_now:
                    raise self.error("edge without a node before it")
                spec = self.edge_op()
                self.skip_ws()
                edge_attrs: Attrs = {}
                if self.peek() == "{":
                    edge_attrs = self.attrs()
                    self.skip_ws()
                if self.peek() == "(":
                    # an edge to a group: connect to the group's first node once it is parsed
                    self.group_open()
                    pending = (last, spec, edge_attrs, self.group_stack[-1])
                    self._pending.append(pending)
                    last = []
                    continue
                targets = self.endpoint_list()
                self.add_edges(last, targets, spec, edge_attrs)
                last = targets
            else:
                raise self.error(f"unexpected {ch!r}")
        if self.group_stack:
            raise self.error("unclosed group: missing ')'", self.group_starts[-1])
        for edge in self.graph.edges:  # a label from the edge's class or the edge defaults
            if not edge.label:
                edge.label = self.graph.edge_attr(edge, "label")
        for sources, spec, attrs, group in self._pending:
            if group.nodes:
                self.add_edges(sources, group.nodes[:1], spec, attrs)
        return self.graph

    _pending: list[tuple[list[Node], tuple[str, bool, bool, str], Attrs, Group]]
    split_parts: dict[Node, list[Node]]  # a field of an autosplit node -> all its fields
    split_literal = False  # the last node read was an autosplit node


def parse(text: str) -> Graph:
    """The graph ``text`` describes; :class:`DiagramError` (with ``line:col``) when it is not Graph::Easy."""
    parser = _Parser(text)
    parser._pending = []
    parser.split_parts = {}
    return parser.parse()
