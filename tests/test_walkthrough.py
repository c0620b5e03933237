"""README's "Start your own chronology", walked as a user would: init, import a real saved page, new,
cite, check, build; each step's command as the README gives it."""
from __future__ import annotations

import shutil
import zipfile

import pytest
import yaml

from conftest import run_build
from test_import import POLYGRAPH, needs_pages


@needs_pages
def test_from_an_empty_folder_to_a_site(tmp_path):
    def step(*args, code=0):
        done = run_build(*args, cwd=tmp_path)
        assert done.returncode == code, (args, done.stdout, done.stderr)
        return done.stdout

    page = tmp_path / "al-tanf-fact-check.html.gz"
    shutil.copyfile(POLYGRAPH, page)  # a page as a browser saved it (this one gzipped)
    step("init", "mine")
    printed = step("import", page.name, "--content", "mine", "--id", "al-tanf")
    assert "wrote mine/sources/al-tanf.capture.html.gz: the capture, byte for byte as al-tanf-fact-check.html.gz" \
        in printed
    printed = step("new", "events", "pentagon-rejects-accusations", "--content", "mine")
    assert printed.startswith("wrote mine/events/pentagon-rejects-accusations.md")
    step("check", "--content", "mine", code=1)  # the blank event is not filled in yet

    printed = step("cite", "The Pentagon rejected these accusations", "--content", "mine")
    [citation] = yaml.safe_load(printed)  # ready to paste: it parses as it is
    assert citation == {"source": "al-tanf", "quote": "The Pentagon rejected these accusations"}
    event = tmp_path / "mine/events/pentagon-rejects-accusations.md"
    event.write_text(
        "---\n"
        "date: 2019-10-25\n"
        "date_note: The joint statement was \"published Oct. 25\"; the year is that of the article.\n"
        "title: The Pentagon rejects Russian and Syrian accusations about al-Tanf\n"
        "citations:\n" + printed + "---\n"
        "The Pentagon rejected the accusations, according to Polygraph.info.\n")
    assert step("check", "--content", "mine").startswith("ok: 1 sources, 1 events")
    step("--content", "mine", "--out", "mysite")

    site = tmp_path / "mysite"
    source = (site / "sources/al-tanf.html").read_text()
    assert "Capture record" in source and '<a href="al-tanf.capture.zip" download>' in source
    assert 'href="https://www.polygraph.info/a/fact-check-russia-us-al-tanf-rukban/30279001.html"' in source
    with zipfile.ZipFile(site / "sources/al-tanf.capture.zip") as archive:
        assert archive.read("al-tanf.capture.html.gz") == POLYGRAPH.read_bytes()
    assert "The Pentagon rejected these accusations" in \
        (site / "events/pentagon-rejects-accusations.html").read_text()


@pytest.mark.parametrize("name", ["README.md"])
def test_the_readme_gives_these_steps(name):
    from conftest import ROOT

    text = (ROOT / name).read_text()
    walk = text[text.index("## Start your own chronology"):]
    walk = walk[:walk.index("\n## ", 3)]
    for command in ("python build.py init mine", "python build.py import", "python build.py new events",
                    "python build.py cite", "python build.py check --content mine",
                    "python build.py serve --content mine", "python build.py --content mine"):
        assert command in walk, command
