"""Reading YAML: parse_yaml gives the values PyYAML's safe loader gives, except that dates stay text,
numbers not written in decimal digits are kept as `Retyped` (their text and what YAML makes of them),
and every explicit tag is refused."""
from __future__ import annotations

import datetime
import math

import pytest
import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle import read

TRICKY = """\
a: no
b: "no"
c: 2024-12-14
d: '2024-12-14'
e: 1_000
f: 0x1F
g: .inf
h: ~
i: ''
j: 3.5
k: -12
l: On
m: null
n: 2024-12~
o: [yes, "yes", 'x', 1, 1.0, ~]
p: {q: r, 's': t}
u: |
  block text
v: >
  folded text
w: 12:30
x: 1e3
y:
"""


def data(text: str):
    doc, problems = read.parse_yaml(text, "x.yaml")
    assert problems == []
    return doc.data


def assert_as_pyyaml_reads(ours, theirs):
    """Assert that `ours` is what PyYAML's safe loader read (`theirs`), with dates kept as their text
    and YAML 1.1's other ways of writing a whole number (0x1F, 1_000, 12:30) kept as Retyped."""
    if isinstance(ours, read.Retyped):
        assert type(theirs) is int and ours.value == theirs
    elif isinstance(theirs, (datetime.date, datetime.datetime)):
        assert isinstance(ours, str) and yaml.load(ours, Loader=yaml.SafeLoader) == theirs
    elif isinstance(theirs, dict):
        assert list(ours) == list(theirs)
        for key in theirs:
            assert_as_pyyaml_reads(ours[key], theirs[key])
    elif isinstance(theirs, list):
        assert len(ours) == len(theirs)
        for mine, other in zip(ours, theirs):
            assert_as_pyyaml_reads(mine, other)
    elif isinstance(theirs, float) and math.isnan(theirs):
        assert isinstance(ours, float) and math.isnan(ours)
    else:
        assert type(ours) is type(theirs) and ours == theirs


def test_tricky_values_read_as_yaml_reads_them_with_dates_as_text():
    assert data(TRICKY) == {
        "a": False, "b": "no", "c": "2024-12-14", "d": "2024-12-14", "e": read.Retyped("1_000", 1000),
        "f": read.Retyped("0x1F", 31), "g": math.inf,
        "h": None, "i": "", "j": 3.5, "k": -12, "l": True, "m": None, "n": "2024-12~",
        "o": [True, "yes", "x", 1, 1.0, None], "p": {"q": "r", "s": "t"}, "u": "block text\n",
        "v": "folded text\n", "w": read.Retyped("12:30", 750), "x": "1e3", "y": None,
    }
    assert_as_pyyaml_reads(data(TRICKY), yaml.load(TRICKY, Loader=yaml.SafeLoader))


def test_every_shipped_content_file_reads_as_yaml_reads_it():
    files = sorted((ROOT / "content").rglob("*.yaml")) + sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = read.split_front_matter(text, str(path))[0]
        assert_as_pyyaml_reads(data(text), yaml.load(text, Loader=yaml.SafeLoader))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab01-:.~ _eEnoyYxX+", min_size=0, max_size=8), min_size=1, max_size=6))
def test_plain_values_read_as_yaml_reads_them(values):
    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(values))
    try:
        expected = yaml.load(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError):
        return  # not a document, or a date PyYAML cannot construct (ValueError), such as 0000-00-00
    doc, problems = read.parse_yaml(text, "x.yaml")
    assert problems == []
    assert_as_pyyaml_reads(doc.data, expected)



@pytest.mark.parametrize("text, tag", [
    ('a: !!int "12"\n', "!!int"), ("a: !!str 12\n", "!!str"), ("a: ! x\n", "!"), ("a: !custom [x]\n", "!custom"),
    ('a: [!!python/object/apply:os.system ["touch x"]]\n', "!!python/object/apply:os.system"),
    ("a: !!map {b: c}\n", "!!map"), ("a: !x\n  b: c\n", "!x"),
])
def test_every_explicit_tag_is_refused_on_its_line(text, tag):
    doc, problems = read.parse_yaml("z: 1\n" + text, "x.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [
        f"x.yaml:2: unsupported YAML tag '{tag}' (content holds plain text, numbers, lists and mappings only; "
        "remove the tag, and put a value in quotes to keep it as text)"]


def test_an_exclamation_mark_in_text_is_no_tag():
    assert data('a: "Stop!"\nb: Go!\nc: [x!]\n') == {"a": "Stop!", "b": "Go!", "c": ["x!"]}


@pytest.mark.parametrize("text, value, notation", [
    ("0b11", 3, "binary"), ("017", 15, "octal, for its leading zero"), ("00", 0, "octal, for its leading zero"),
    ("1:30", 90, "base 60, as hours:minutes"), ("0x1F", 31, "hexadecimal"),
    ("1_000", 1000, "its underscores dropped"), ("+5", 5, "its '+' dropped"), ("-0x1", -1, "hexadecimal"),
])
def test_numbers_not_in_decimal_digits_are_kept_with_what_yaml_makes_of_them(text, value, notation):
    retyped = data(f"a: {text}\n")["a"]
    assert isinstance(retyped, read.Retyped)
    assert (retyped.text, retyped.value, retyped.notation) == (text, value, notation)


def test_decimal_numbers_are_numbers():
    assert data("a: 0\nb: 1215\nc: -12\nd: 1e3\n") == {"a": 0, "b": 1215, "c": -12, "d": "1e3"}


def test_an_integer_too_long_for_python_is_a_problem_not_a_crash():
    doc, problems = read.parse_yaml("a: " + "9" * 5000 + "\n", "x.yaml")
    assert doc.data == {"a": "9" * 5000}
    assert [(p.line, p.message[:20], p.hint) for p in problems] == [
        (1, "unreadable value '99", "put it in quotes to keep it as text")]
    assert "Exceeds the limit (4300 digits) for integer string conversion" in problems[0].message
