"""Property-based: whatever the content files hold, the build reports problems, never crashes."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from conftest import base_files, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle import pipeline
from chronicle.problems import ContentErrors

FILES = base_files()
EDITABLE = sorted(p for p in FILES if not p.endswith(".txt"))
YAML_BITS = ["", ":", "- ", "[", "]", "{", "}", "'", '"', "\n", "  ", "\t", "---", "...", "&a", "*a", "!!python/object:os.system", "!!python/name:os.system x", "!!binary aGk=", "!custom 3",
             "!!set {a, b}", "[[[[[]]]]]", "{a: {b: {c: [1, {d: e}]}}}", "-1", "1.5", "true", "&a [1, 2]",
             "<<: *a", "~", "null", "no", "yes", "2024-12-14", "2024-13-45", "../..", "/", "1e9", "0x1F",
             "é", "\u202e", "\u200b", "\x00", "\ufeff", "\r\n", "{{ 7*7 }}", "<script>x</script>",
             "javascript:alert(1)", "../../etc/passwd", "citations:", "quote:", "source: art", "tags: [",
             "date: ", "title: ", "people: [john-kirby]", "occurrence: 0", "occurrence: 99"]


@st.composite
def mutated_tree(draw):
    """Return the base files with one to three of them mutated: cut, spliced, or byte-flipped."""
    files = {name: text.encode("utf-8") for name, text in FILES.items()}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(EDITABLE))
        data = files[name]
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["value", "value", "insert", "cut", "replace", "bytes"]))
        lines = data.split(b"\n")
        keyed = [i for i, line in enumerate(lines) if b": " in line]
        if how == "value" and keyed:  # give one field a hostile or mistyped value
            i = draw(st.sampled_from(keyed))
            key = lines[i].split(b": ", 1)[0]
            value = draw(st.one_of(st.sampled_from(YAML_BITS), st.text(max_size=30)))
            lines[i] = key + b": " + value.encode("utf-8")
            files[name] = b"\n".join(lines)
        elif how == "insert":
            files[name] = data[:at] + draw(st.sampled_from(YAML_BITS)).encode("utf-8") + data[at:]
        elif how == "cut":
            files[name] = data[:at] + data[at + draw(st.integers(1, 40)):]
        elif how == "replace":
            files[name] = data[:at] + draw(st.text(max_size=20)).encode("utf-8") + data[at + draw(st.integers(0, 10)):]
        else:
            files[name] = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return files


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_tree())
def test_broken_content_gives_located_problems_never_a_crash(files):
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
            return
        from chronicle.render import Site

        Site(graph).render()  # valid content must render
    finally:
        shutil.rmtree(folder, ignore_errors=True)
