"""Reading YAML: the loader's cheaper tag resolution gives exactly the tags PyYAML's own resolver gives."""
from __future__ import annotations

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
"""


def tags(text: str, loader) -> list:
    """Return the (kind, tag, value) of every node of the document, depth first."""
    found, stack = [], [yaml.compose(text, Loader=loader)]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        found.append((type(node).__name__, node.tag, node.value if isinstance(node, yaml.ScalarNode) else None))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


def test_the_safe_loader_has_no_path_resolvers_to_track():
    assert not read._Loader.yaml_path_resolvers


def test_tricky_values_get_the_tags_pyyaml_gives():
    ours = tags(TRICKY, read._Loader)
    assert ours == tags(TRICKY, read._BaseLoader)
    assert ("ScalarNode", "tag:yaml.org,2002:bool", "no") in ours
    assert ("ScalarNode", "tag:yaml.org,2002:str", "no") in ours  # quoted: text


def test_every_shipped_content_file_gets_the_tags_pyyaml_gives():
    files = sorted((ROOT / "content").rglob("*.yaml")) + sorted((ROOT / "content").rglob("*.md"))
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = read.split_front_matter(text, str(path))[0]
        assert tags(text, read._Loader) == tags(text, read._BaseLoader), path


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab01-:.~ _eEnoyYxX+", min_size=0, max_size=8), min_size=1, max_size=6))
def test_plain_values_resolve_as_pyyaml_resolves_them(values):
    text = "".join(f"k{i}: {v}\n" for i, v in enumerate(values))
    try:
        expected = tags(text, read._BaseLoader)
    except yaml.YAMLError:
        return  # not a document; neither loader reads it
    assert tags(text, read._Loader) == expected
    assert tags(text, read._Loader) == expected  # a second time, from what was remembered
