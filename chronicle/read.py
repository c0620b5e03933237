"""Reading content files: UTF-8 text, YAML with line numbers, Markdown front matter."""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

import yaml

from . import characters
from .problems import Problem

# libyaml's loader and emitter, through PyYAML's documented API only (compose, parse, load, serialize);
# the pure-Python ones are the fallback. Composing resolves the tag of every node in Python: about a
# tenth of the instructions of loading a chronology, accepted rather than overriding the resolver.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_STR = "tag:yaml.org,2002:str"  # the tags of YAML's types (yaml.org/type), as PyYAML names them
_SCALAR, _MAPPING, _SEQUENCE = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_PLAIN = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")}

Path_ = tuple  # a key path into the data, e.g. ("citations", 0, "quote")

MAX_DEPTH = 32  # content needs four levels at most; libyaml's composer recurses, and crashes when deep
_DEEP_INDENT = re.compile(r"^[ \t]{%d}" % MAX_DEPTH, re.M)
_NESTING = re.compile(r"[\[{]|[-?](?=\s)")  # what can open a level: brackets, '- ' and '? ' indicators


@dataclass
class Document:
    """Parsed YAML data; the line of every key path and the raw text of every scalar on demand.

    Lines are only needed to report a problem, so they are worked out (by composing the text again)
    the first time one is asked for; a valid file never pays for them, and a Document stays small.
    """

    data: object
    text: str = ""
    first_line: int = 1
    _lines: dict | None = None
    _raw: dict | None = None

    @property
    def lines(self) -> dict:
        if self._lines is None:
            self._lines, self._raw = {}, {}
            node = yaml.compose(self.text, Loader=_Loader) if self.text else None
            if node is not None:
                _build(node, (), self, [], "", self.first_line, record=True)
        return self._lines

    @property
    def raw(self) -> dict:
        self.lines  # noqa: B018 - fills _raw too
        return self._raw

    def line_of(self, path: Path_) -> int:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def decode(data: bytes, path: str, evidence: bool = False) -> tuple[str | None, list[Problem]]:
    """Return the text of a UTF-8 file, or a problem naming the line of the first bad byte.

    A content file may not hold characters that XML or HTML forbid (`characters.FORBIDDEN`): each line
    holding one is a problem, and the text is returned with each replaced by U+FFFD, so that the file's
    other problems are found too. A source text (`evidence`) may hold them: its odd bytes came from the
    page, and its SHA-256 pins them; the text is kept as it is (the pages show it through
    `cite.SourceText`, which replaces them).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [
            Problem(path, line, f"file is not valid UTF-8 (byte 0x{data[err.start]:02x})",
                    "save it as UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    found = [] if evidence else characters.problem_lines(text)
    if not found:
        return text, []
    return characters.replaced(text), [_forbidden(path, line, what) for line, what in found]


def _forbidden(path: str, line: int, what: str, escaped: bool = False) -> Problem:
    """Return the problem of a line holding characters pages and feeds may not hold."""
    plural = "s" if "," in what or " more" in what else ""
    if escaped:
        return Problem(path, line, f"a '\\' escape in this value makes the invisible character{plural} {what}, "
                       "which web pages and feeds may not hold", "remove the escape")
    return Problem(path, line, f"invisible character{plural} {what}, which web pages and feeds may not hold",
                   f"delete {'them' if plural else 'it'}; tabs and line breaks are the only control "
                   "characters content may hold")


def _escaped_problems(data, key_path, doc: "Document", path: str, problems: list) -> None:
    """Add a problem for each string of `data` that a YAML escape (`"\\0"`, `"\\x07"`) gave
    characters pages and feeds may not hold; the raw text had none, or `decode` said so."""
    if isinstance(data, str):
        if not characters.clean(data):
            found = characters.FORBIDDEN.findall(data)
            what = ", ".join(characters.named(c) for c in list(dict.fromkeys(found))[:3])
            problems.append(_forbidden(path, doc.line_of(key_path), what, escaped=True))
    elif isinstance(data, dict):
        for key, value in data.items():
            _escaped_problems(value, key_path + (key,), doc, path, problems)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _escaped_problems(value, key_path + (i,), doc, path, problems)


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Document | None, list[Problem]]:
    """Return the YAML document in `text` with line numbers; duplicate keys are problems.

    `first_line` is the file line where `text` starts (front matter starts after `---`).
    """
    problems = _structure_problems(text, path, first_line)
    if problems:
        return None, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = first_line + (mark.line if mark else 0)
        what = err.problem or err.context or "invalid YAML"
        return None, [Problem(path, line, f"invalid YAML: {what}",
                              "check indentation, colons and quotes on this line")]
    except yaml.YAMLError as err:
        return None, [Problem(path, first_line, f"invalid YAML: {err}")]
    doc = Document(data=None, text=text, first_line=first_line)
    problems: list[Problem] = []
    if node is None:
        return doc, problems
    doc.data = _build(node, (), doc, problems, path, first_line)
    if "\\" in text:  # only a double-quoted value's escape can make a character the text does not hold
        _escaped_problems(doc.data, (), doc, path, problems)
    return doc, problems


def _structure_problems(text: str, path: str, first_line: int) -> list[Problem]:
    """Return problems of aliases and of nesting too deep, found without building the document.

    Aliases could expand a few lines into billions of values ("billion laughs"), and libyaml crashes on
    thousands of nested brackets; its event stream is read flat, so it can be checked safely. Most files
    hold no '*' and little nesting, and skip the check.
    """
    if "*" not in text and "!" not in text and _shallow(text):
        return []
    depth, tags = 0, []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = first_line + event.start_mark.line
            if getattr(event, "tag", None) is not None:  # written in the text: composing would drop `! x`
                tags.append(_tag_problem(event.tag, path, line))
            if isinstance(event, yaml.AliasEvent):
                return [Problem(path, line, f"YAML alias '*{event.anchor}' is not supported",
                                "write the value out in full where it is needed")]
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return [Problem(path, line, f"YAML nested more than {MAX_DEPTH} levels deep",
                                    "content needs a few levels at most, such as citations each with a "
                                    "source and a quote; check the brackets and indentation")]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return tags  # a syntax error: composing reports it with its line
    return tags


def _tag_problem(tag: str, path: str, line: int) -> Problem:
    """Return the problem of an explicit YAML tag: every one is refused, `!!str` too (quotes do what
    it does), since a tag makes a value something other than what the text shows, or nothing at all."""
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return Problem(path, line, f"unsupported YAML tag '{shown}'",
                   "content holds plain text, numbers, lists and mappings only; remove the tag, "
                   "and put a value in quotes to keep it as text")


def _shallow(text: str) -> bool:
    """Return whether `text` surely nests no more than MAX_DEPTH levels. Counting characters comes
    first: a file with few of those that can open a level needs no pattern search."""
    if sum(text.count(c) for c in "-?[{") > MAX_DEPTH \
            and sum(1 for _ in itertools.islice(_NESTING.finditer(text), MAX_DEPTH + 1)) > MAX_DEPTH:
        return False
    return ("\t" not in text and " " * MAX_DEPTH not in text) or not _DEEP_INDENT.search(text)


def _build(node, key_path, doc, problems, path, first_line, record=False):
    kind = type(node)
    if kind is _SCALAR and not record and (node.tag == _STR or node.tag == _TIMESTAMP):
        return node.value  # the usual case, first (dates stay text: see below)
    if record:
        doc._lines[key_path] = first_line + node.start_mark.line
    if kind is _MAPPING:
        result: dict = {}
        seen: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(path, first_line + key_node.start_mark.line,
                                        "a key must be a plain name, not a list or mapping"))
                continue
            key = key_node.value  # raw text: `no:` stays the key "no"
            key_line = first_line + key_node.start_mark.line
            if key in seen:
                problems.append(Problem(
                    path, key_line, f"duplicate key '{key}' (first at line {seen[key]})",
                    "YAML would silently keep only the last one; remove or merge one of them"))
                continue
            seen[key] = key_line
            result[key] = _build(value_node, key_path + (key,) if record else key_path, doc, problems, path,
                                 first_line, record)
            if record:
                doc._lines[key_path + (key,)] = key_line
        return result
    if kind is _SEQUENCE:
        if not record:
            return [_build(item, key_path, doc, problems, path, first_line) for item in node.value]
        return [_build(item, key_path + (i,), doc, problems, path, first_line, record)
                for i, item in enumerate(node.value)]
    if record:
        doc._raw[key_path] = node.value
    if node.tag == _TIMESTAMP:
        return node.value  # dates stay text: EDTF is parsed later, and `2024-12-14` is valid EDTF
    if node.tag == _STR:
        return node.value
    if node.tag not in _PLAIN:
        problems.append(Problem(path, first_line + node.start_mark.line,
                                f"unsupported YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}'",
                                "content holds plain text, numbers, lists and mappings only; remove the tag"))
        return node.value
    text = node.value
    try:
        if node.tag == _INT:
            if _DECIMAL.fullmatch(text):
                return int(text)  # the usual number: no YAML needed
            return Retyped(text, _constructed(node.tag, text))  # 0b11, 017, 1:30, 0x1F, 1_000, +5
        return _constructed(node.tag, text)
    except (yaml.YAMLError, ValueError, OverflowError) as err:
        problems.append(Problem(path, first_line + node.start_mark.line, f"unreadable value {node.value!r}: {err}",
                                "put it in quotes to keep it as text"))
        return node.value


_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)", re.ASCII)  # the only numbers content holds


class Retyped:
    """A number YAML 1.1 writes other than in decimal digits (`0b11` is 3, `017` is 15, `1:30` is 90):
    kept as this, which no field of the schema accepts, so that its message says how YAML read it."""

    __slots__ = ("text", "value")

    def __init__(self, text: str, value: int):
        self.text, self.value = text, value

    def __repr__(self) -> str:
        return repr(self.text)

    def __eq__(self, other) -> bool:
        return isinstance(other, Retyped) and (self.text, self.value) == (other.text, other.value)

    def __hash__(self) -> int:
        return hash(self.text)

    def __reduce__(self):  # sent between the reading processes as its two fields
        return Retyped, (self.text, self.value)

    @property
    def notation(self) -> str:
        """Return how YAML 1.1 reads the text: 'binary', 'octal', ..."""
        bare = self.text.lstrip("+-")
        if bare[:2] in ("0b", "0x"):
            return "binary" if bare[1] == "b" else "hexadecimal"
        if ":" in bare:
            return "base 60, as hours:minutes"
        if len(bare.replace("_", "")) > 1 and bare.startswith("0"):
            return "octal, for its leading zero"
        if "_" in bare:
            return "its underscores dropped"
        return "its '+' dropped"


@functools.lru_cache(maxsize=1024)  # words such as `no` and `true` recur; each costs 30 µs
def _constructed(tag: str, text: str):
    """Return the value PyYAML's safe loader makes of a scalar of `tag` (int, float, bool or null).

    PyYAML's documented API constructs values only while loading a stream, so the scalar is written
    out (with its tag where the text alone would not resolve to it) and loaded back."""
    return yaml.load(yaml.serialize(yaml.ScalarNode(tag, text), Dumper=_Dumper), Loader=_Loader)


def split_front_matter(text: str, path: str) -> tuple[str | None, int, str, int, list[Problem]]:
    """Return (front matter, its first line, body, body's first line, problems) of a Markdown file."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").strip() != "---":
        return None, 1, text, 1, [Problem(
            path, 1, "missing front matter",
            "start the file with a line '---', the YAML fields, then another '---'")]
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").strip() in ("---", "..."):
            front = "".join(lines[1:i])
            body = "".join(lines[i + 1:])
            return front, 2, body, i + 2, []
    return None, 1, text, 1, [Problem(
        path, 1, "front matter is not closed", "end the YAML fields with a line '---'")]
