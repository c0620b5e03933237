"""Reading YAML: parse_yaml gives the values PyYAML's safe loader gives, except that dates stay text."""
from __future__ import annotations

import datetime
import math

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
    """Assert that `ours` is what PyYAML's safe loader read (`theirs`), with dates kept as their text."""
    if isinstance(theirs, (datetime.date, datetime.datetime)):
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
        "a": False, "b": "no", "c": "2024-12-14", "d": "2024-12-14", "e": 1000, "f": 31, "g": math.inf,
        "h": None, "i": "", "j": 3.5, "k": -12, "l": True, "m": None, "n": "2024-12~",
        "o": [True, "yes", "x", 1, 1.0, None], "p": {"q": "r", "s": "t"}, "u": "block text\n",
        "v": "folded text\n", "w": 750, "x": "1e3", "y": None,
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



def test_explicitly_tagged_values_are_constructed_as_tagged():
    assert data('a: !!int "12"\nb: !!bool "yes"\nc: !!null ""\nd: !!float "1e3"\ne: !!str 12\n') == {
        "a": 12, "b": True, "c": None, "d": 1000.0, "e": "12"}


def test_a_value_its_tag_cannot_make_is_a_problem_on_its_line():
    doc, problems = read.parse_yaml("a: 1\nb: !!int abc\n", "x.yaml")
    assert doc.data == {"a": 1, "b": "abc"}
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (2, "unreadable value 'abc': invalid literal for int() with base 10: 'abc'", "put it in quotes to keep it as text")]


def test_decimal_and_octal_integers_read_as_yaml_1_1_reads_them():
    assert data("a: 0\nb: 012\nc: 1215\nd: +5\ne: 1_0\nf: !!int '7'\n") == {
        "a": 0, "b": 10, "c": 1215, "d": 5, "e": 10, "f": 7}


def test_an_integer_too_long_for_python_is_a_problem_not_a_crash():
    doc, problems = read.parse_yaml("a: " + "9" * 5000 + "\n", "x.yaml")
    assert doc.data == {"a": "9" * 5000}
    assert [(p.line, p.message[:20], p.hint) for p in problems] == [
        (1, "unreadable value '99", "put it in quotes to keep it as text")]
    assert "Exceeds the limit (4300 digits) for integer string conversion" in problems[0].message
