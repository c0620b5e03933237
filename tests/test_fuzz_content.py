"""Property-based: whatever the content files hold, the build reports problems, never crashes.

Content is the base chronology of conftest.py, mutated: YAML values and structure, Markdown bodies, EDTF
dates and citations. Valid results must render; invalid ones must give problems located at a file and a
line. A sample also runs the command line, which must exit 0 or 1 and never print a traceback.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

from conftest import ROOT, SOURCE_TEXT, base_files, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle import pipeline
from chronicle.problems import ContentErrors

FILES = base_files()
EDITABLE = sorted(p for p in FILES if not p.endswith(".txt"))
EVENT = "events/losses.md"
YAML_BITS = ["", ":", "- ", "[", "]", "{", "}", "'", '"', "\n", "  ", "\t", "---", "...", "&a", "*a", "!!python/object:os.system", "!!python/name:os.system x", "!!binary aGk=", "!custom 3",
             "!!set {a, b}", "[[[[[]]]]]", "{a: {b: {c: [1, {d: e}]}}}", "-1", "1.5", "true", "&a [1, 2]",
             "<<: *a", "~", "null", "no", "yes", "2024-12-14", "2024-13-45", "../..", "/", "1e9", "0x1F",
             "é", "\u202e", "\u200b", "\x00", "\ufeff", "\r\n", "{{ 7*7 }}", "<script>x</script>",
             "javascript:alert(1)", "../../etc/passwd", "citations:", "quote:", "source: art", "tags: [",
             "date: ", "title: ", "people: [john-kirby]", "occurrence: 0", "occurrence: 99", "[" * 200,
             "- " * 50, "9" * 5000, "? a", "!!str", "%YAML 1.1", "@", "`", "|\n  a", ">-\n  a"]
MARKDOWN_BITS = ["# ", "## x", "*", "**", "_", "`", "```", "```\n", "> " * 40, "- ", "1. ", "    ", "\\",
                 "[x](javascript:alert(1))", "[x](https://example.org)", "![i](x.png)", "<script>alert(1)</script>",
                 "<img src=x onerror=alert(1)>", "&#106;avascript:", "&amp;", "&", "<", "[", "](", "[x]: y",
                 "---", "***", "|a|b|\n|-|-|", "{{ 7*7 }}", "{% raw %}", "\n\n", "\r\n", "\x00", "\u202e",
                 "[" * 300, "*a " * 200, "<!--", "-->", "<![CDATA[", "]]>"]
EDTF_BITS = ["2024", "-12", "-14", "-XX", "X", "~", "?", "%", "/", "..", "-", "Y", "170000002", "E", "S", "2",
             "-21", "-24", "[", "]", "{", "}", ",", "T10:00:00", "Z", "+01:00", "0000", "-0001", "99999", " ", "u"]


def _value(draw) -> str:
    return draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=30)))


def _edtf(draw) -> str:
    """A date-like string: valid EDTF often, broken often."""
    return "".join(draw(st.lists(st.sampled_from(EDTF_BITS), min_size=1, max_size=6)))


def _quote(draw) -> str:
    """A quote: a passage of the source text, mutated or not, in either Unicode form."""
    start = draw(st.integers(0, len(SOURCE_TEXT) - 1))
    quote = SOURCE_TEXT[start:start + draw(st.integers(0, 60))]
    how = draw(st.sampled_from(["as is", "as is", "cut", "typo", "nfd", "spaces", "empty", "huge"]))
    if how == "cut" and quote:
        at = draw(st.integers(0, len(quote) - 1))
        quote = quote[:at] + quote[at + 1:]
    elif how == "typo":
        quote += draw(st.text(max_size=3))
    elif how == "nfd":
        quote = unicodedata.normalize("NFD", quote + "é")
    elif how == "spaces":
        quote = re.sub(" ", "\n   ", quote)
    elif how == "empty":
        quote = ""
    elif how == "huge":
        quote = quote * 200
    return quote


def _yaml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return '"' + "".join(c if c.isprintable() or c in "\\" else f"\\u{ord(c):04x}" for c in escaped) + '"' \
        if all(ord(c) <= 0xFFFF for c in text) else '"x"'


@st.composite
def mutated_tree(draw):
    """Return the base files with one to three of them mutated."""
    files = {name: text.encode("utf-8") for name, text in FILES.items()}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(EDITABLE))
        data = files[name]
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["value", "value", "insert", "cut", "replace", "bytes", "markdown", "date",
                                    "citation", "citation"]))
        lines = data.split(b"\n")
        keyed = [i for i, line in enumerate(lines) if b": " in line]
        if how == "value" and keyed:  # give one field a hostile or mistyped value
            i = draw(st.sampled_from(keyed))
            key = lines[i].split(b": ", 1)[0]
            lines[i] = key + b": " + _value(draw).encode("utf-8")
            files[name] = b"\n".join(lines)
        elif how == "insert":
            files[name] = data[:at] + draw(st.sampled_from(YAML_BITS)).encode("utf-8") + data[at:]
        elif how == "cut":
            files[name] = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif how == "replace":
            files[name] = data[:at] + draw(st.text(max_size=20)).encode("utf-8") + data[at + draw(st.integers(0, 10)):]
        elif how == "markdown":  # the event's summary
            body = files[EVENT].split(b"---\n", 2)
            pieces = draw(st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=10)), max_size=8))
            body[-1] = "".join(pieces).encode("utf-8") + draw(st.sampled_from([b"", b"\n", b"A summary.\n"]))
            files[EVENT] = b"---\n".join(body)
        elif how == "date":
            target = draw(st.sampled_from([EVENT, "sources/art.yaml"]))
            files[target] = re.sub(rb"(?m)^date: .*$", b"date: " + draw(st.sampled_from(["", '"', "'"])).encode()
                                   .join([b"", _edtf(draw).encode()] * 1 + [b""]), files[target], count=1)
        else:  # a citation: another source id, another quote, an occurrence
            quote = _yaml_string(_quote(draw))
            source = draw(st.sampled_from(["art", "art", "arts", "Art", "", "../art", "chronology"]))
            extra = draw(st.sampled_from(["", "", "\n    occurrence: 2", "\n    occurrence: 0", "\n    occurence: 1",
                                          "\n  - source: art\n    quote: Kirby said"]))
            files[EVENT] = re.sub(rb"  - source: art\n    quote: [^\n]*", f"  - source: {source}\n    quote: {quote}{extra}"
                                  .encode("utf-8").replace(b"\\", b"\\\\"), files[EVENT], count=1)
    return files


def check_tree(files: dict) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        root = write_tree(folder / "content", files)
        try:
            graph = pipeline.check(root)
        except ContentErrors as err:
            assert err.problems
            for problem in err.problems:
                assert problem.path and problem.message, problem
                assert problem.path.startswith(str(folder)), problem
                assert problem.line >= 1, problem  # every problem in a file's content has its line
            return
        from chronicle.render import Site

        Site(graph).render()  # valid content must render
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_tree())
def test_broken_content_gives_located_problems_never_a_crash(files):
    check_tree(files)


LOCATED = re.compile(r"^\S.*?:\d+: \S")  # path:line: what is wrong


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_tree())
def test_the_command_line_exits_1_with_located_problems_and_no_traceback(files):
    folder = Path(tempfile.mkdtemp())
    try:
        root = write_tree(folder / "content", files)
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(root)],
                                capture_output=True, text=True, timeout=60)
        assert "Traceback" not in result.stderr + result.stdout
        assert result.returncode in (0, 1), result.stderr
        if result.returncode == 1:
            *problems, summary = result.stderr.splitlines()
            assert re.fullmatch(r"\d+ problems? in \d+ files?; nothing was written\.", summary), summary
            assert problems and all(LOCATED.match(line) for line in problems), problems
        else:
            assert result.stdout.startswith("ok: ")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
