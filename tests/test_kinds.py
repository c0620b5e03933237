"""One declaration per content kind (chronicle/kinds.py): a toy kind declared here, in the test alone,
gets its validation, links, pages, back-references and search facets; and what the site shows of
every kind (folders, labels, navigation) is what the declaration says."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Optional

import pytest
from conftest import problems_of
from pydantic import Field
from test_incremental import assert_same_as_full_build, edit

from chronicle import kinds, pipeline, schema, search
from chronicle.incremental import Preview


class Weapon(schema.Record):
    """The toy kind's model: a named thing, citing sources, naming places and other weapons."""

    name: schema.Text = Field(description="the name to show")
    description: schema.Text = Field(description="one neutral line")
    variant_of: Optional[schema.Id] = Field(None, description="id of the weapon it is a variant of")
    places: list[schema.Id] = Field(default_factory=list, description="ids of the places where it was used")
    citations: list[schema.Citation] = Field(min_length=1, description="the passages that report it")


WEAPONS = kinds.Kind("weapons", Weapon, "Weapon", "Weapons",
                     references={"variant_of": ("weapons",), "places": ("places",)}, citations="citations",
                     filter=kinds.Filter("weapon", 6), index_note="description", nav=kinds.Nav("Weapons", 9))
CITED = "citations:\n  - source: art\n    quote: killed near Plekhovo\n"
TOY = {
    "weapons/javelin.yaml": "name: Javelin\ndescription: An anti-tank missile.\nplaces: [plekhovo]\n" + CITED,
    "weapons/javelin-b.yaml": "name: Javelin B\ndescription: A later model.\nvariant_of: javelin\n" + CITED,
}
SHIPPED = kinds.KINDS


@pytest.fixture(autouse=True)
def table_restored():
    """Every test leaves the declared kinds as they were."""
    yield
    assert kinds.KINDS is SHIPPED


@pytest.fixture
def weapons():
    """The declared kinds and the toy kind, for the duration of a test."""
    with kinds.declared(kinds.KINDS.adding(WEAPONS)) as table:
        yield table


def main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def test_a_toy_kind_is_validated_with_file_and_line(make_content, weapons):
    root = make_content({**TOY,
                         "weapons/no-name.yaml": "description: Nameless.\n" + CITED,
                         "weapons/typo.yaml": "name: Typo\ndescripton: Misspelt.\n" + CITED,
                         "weapons/wrong.yaml": ("name: Wrong\ndescription: Wrong ids.\nvariant_of: javelim\n"
                                                "places: [plekovo]\n" + CITED)})
    assert sorted(problems_of(root)) == [
        "content/weapons/no-name.yaml:1: missing required field 'name' (the name to show)",
        "content/weapons/typo.yaml:1: missing required field 'description' (one neutral line)",
        "content/weapons/typo.yaml:2: unknown field 'descripton' (did you mean 'description'?)",
        "content/weapons/wrong.yaml:3: unknown weapon 'javelim' in variant_of (did you mean 'javelin' or 'javelin-b'?)",
        "content/weapons/wrong.yaml:4: unknown place 'plekovo' in places (did you mean 'plekhovo'?)",
    ]


def test_a_kind_not_declared_is_an_unexpected_folder(make_content, weapons):
    root = make_content(TOY)
    assert problems_of(root) == []
    with kinds.declared(SHIPPED):
        assert problems_of(root) == [
            "content/weapons: unexpected folder 'weapons' (content/ holds chronology.yaml, discrepancies, "
            "events, figures, organisations, people, places, sources, statements, tags)"]


def test_a_toy_kind_gets_its_pages_links_and_back_references(make_content, weapons, tmp_path):
    root = make_content(TOY)
    pipeline.build(root, tmp_path / "site", index=False)
    site = tmp_path / "site"
    page = main((site / "weapons/javelin.html").read_text())
    assert '<p class="kind">Weapon</p>\n  <h1>Javelin</h1>' in page
    assert "<dt>Description</dt><dd>An anti-tank missile.</dd>" in page
    assert '<dt>Places</dt><dd><a href="../places/plekhovo.html">Plekhovo</a></dd>' in page
    assert '<blockquote cite="../sources/art.html#q-weapons-javelin-0"><p>killed near Plekhovo</p></blockquote>' in page
    # back-references: the weapon naming this one as its original, and the place's page listing the weapon
    assert '<h2 id="by-weapons-h">Weapons</h2>\n    <ul>\n<li><a href="javelin-b.html">Javelin B</a></li>' in page
    assert '<dt>Variant of</dt><dd><a href="javelin.html">Javelin</a></dd>' in (site / "weapons/javelin-b.html").read_text()
    place = (site / "places/plekhovo.html").read_text()
    assert '<li><span class="kind-label">Weapon</span> <a href="../weapons/javelin.html">Javelin</a></li>' in place
    assert 'In this chronology <span class="count">(2)</span>' in place  # the event and the weapon
    source = (site / "sources/art.html").read_text()
    assert '<li><span class="kind-label">Weapon</span> <a href="../weapons/javelin.html">Javelin</a></li>' in source
    index = main((site / "weapons/index.html").read_text())
    assert "<h1>Weapons</h1>" in index
    assert '<li><a href="javelin.html">Javelin</a>\n<span class="meta-inline"> · An anti-tank missile.</span>' in index
    assert '<li><a href="weapons/index.html">Weapons</a></li>\n      <li><a href="about.html"' in \
        (site / "index.html").read_text()
    records = json.loads((site / "data/chronology.json").read_text())["records"]
    assert [(r["id"], r["referenced_by"]) for r in records["weapons"] if "referenced_by" in r] == \
        [("javelin", {"weapons": ["javelin-b"]})]
    assert records["weapons"][0]["citations"][0]["exact"] == "killed near Plekhovo"


def test_a_toy_kind_gets_its_search_facets(make_content, weapons, tmp_path):
    root = make_content(TOY)
    graph = pipeline.check(root)
    facets = search.page_facets(graph, "weapons/javelin-b.html")
    assert (facets.kind, facets.date, facets.sort) == ("Weapon", "", "")
    assert facets.filter_spans == (' <span data-pagefind-filter="weapon">Javelin B</span>'
                                   ' <span data-pagefind-filter="weapon">Javelin</span>'
                                   ' <span data-pagefind-filter="source">Test article</span>')
    assert search.page_facets(graph, "weapons/index.html") is None
    assert search.filters()[-1] == ("weapon", "Weapon")
    pipeline.build(root, tmp_path / "site", index=False)
    page = (tmp_path / "site/weapons/javelin.html").read_text()
    assert ('<span data-pagefind-filter="kind">Weapon</span> <span data-pagefind-filter="weapon">Javelin</span>'
            ' <span data-pagefind-filter="place">Plekhovo</span> <span data-pagefind-filter="source">Test article'
            '</span>') in page
    search_page = (tmp_path / "site/search.html").read_text()
    assert '<select id="search-weapon" name="weapon" data-filter="weapon">' in search_page


def test_the_preview_of_a_toy_kind_equals_a_full_build(make_content, weapons, tmp_path):
    root = make_content(TOY)
    preview = Preview(root, tmp_path / "preview")
    assert not preview.build().problems
    steps = [("place", "places/plekhovo.yaml", "name: Plekhovo", "name: Plekhovo village", "weapons/javelin.html"),
             ("weapon", "weapons/javelin.yaml", "name: Javelin", "name: Javelin A", "weapons/javelin-b.html"),
             ("variant", "weapons/javelin-b.yaml", "name: Javelin B", "name: Javelin B2", "weapons/javelin.html")]
    for step, path, old, new, shows_it in steps:
        report = preview.update([edit(root / path, old, new)])
        assert not report.problems, [str(p) for p in report.problems]
        assert shows_it in preview.last_rendered, step
        assert_same_as_full_build(root, preview, tmp_path, step)


RELABELLED = kinds.Kinds([replace(k, label=k.label + " record", plural="All " + k.plural.lower(),
                                  nav=replace(k.nav, label=k.nav.label.upper(), order=-k.nav.order) if k.nav else None)
                          for k in SHIPPED.values()])


@pytest.mark.parametrize("table", [SHIPPED, RELABELLED], ids=["shipped", "relabelled"])
def test_the_site_shows_each_kind_as_declared(make_content, tmp_path, table):
    """The folders, the labels of index pages, entity pages, lists and search facets, and the main
    menu are the declaration's (the pages of one kind, such as event.html or figures.html, word their own)."""
    root = make_content({"statements/expendable.yaml": (
        "speaker: john-kirby\nform: spoken\ndate: 2024-12-17\ntags: [casualties]\n"
        "renderings:\n  - source: art\n    quote: expendable\n")})
    with kinds.declared(table):
        pipeline.build(root, tmp_path / "site", index=False)
    site = tmp_path / "site"
    folders = {p.name for p in site.iterdir() if p.is_dir()} - {"assets", "data"}
    assert folders == {kind for kind in table if table[kind].index or any((root / kind).iterdir())}
    home = (site / "index.html").read_text()
    menu = re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', home[home.index('<nav aria-label="Main">'):])
    assert menu[:len(table.navigation) + 1] == [*table.navigation, ("about.html", "About")]
    for kind, declared in table.items():
        if declared.index == "index":
            assert f"<h1>{declared.plural}</h1>" in (site / kind / "index.html").read_text(), kind
        for path in (root / kind).glob("*" + declared.suffix):
            page = (site / kind / (path.stem + ".html")).read_text()
            assert f'<span data-pagefind-filter="kind">{declared.label}</span>' in page, path
            if declared.page == "entity_page":
                assert f'<p class="kind">{declared.label}' in page, path
    people = table["people"]
    assert f'<span class="kind-label">{table["statements"].label}</span>' in \
        (site / "people/john-kirby.html").read_text()
    assert f"<dt>{table['places'].plural}</dt>" in (site / "events/losses.html").read_text()
    assert people.nav.label in home


def test_a_declaration_naming_what_is_not_there_is_refused():
    with pytest.raises(ValueError, match=r"^kind 'weapons': field 'places' refers to kind 'depots', not declared$"):
        SHIPPED.adding(replace(WEAPONS, references={"places": ("depots",)}))
    with pytest.raises(ValueError, match=r"^kind 'weapons': its model Weapon has no field 'date'$"):
        SHIPPED.adding(replace(WEAPONS, dated="date"))
    with pytest.raises(ValueError, match=r"^kind 'people' is declared twice$"):
        SHIPPED.adding(SHIPPED["people"])
    with pytest.raises(ValueError, match=r"^kind 'data': the name must be an id and not one of assets, data"):
        SHIPPED.adding(replace(WEAPONS, name="data"))
    with pytest.raises(ValueError, match=r"^kind 'weapons': its menu entry leads to its index page, and it has none$"):
        SHIPPED.adding(replace(WEAPONS, index=None))
    with pytest.raises(TypeError, match=r"^a kinds table is not changed: make a new one with adding\(\)$"):
        SHIPPED["weapons"] = WEAPONS
    assert list(SHIPPED) == ["sources", "events", "statements", "figures", "people", "organisations",
                             "places", "tags", "discrepancies"]


def test_no_module_keeps_a_copy_of_the_table():
    """Modules read `kinds.KINDS` when they need it, so that a table declared for a while reaches them."""
    package = Path(kinds.__file__).parent
    copies = [p.name for p in package.glob("*.py") if re.search(r"from \.kinds import .*\bKINDS\b", p.read_text())]
    assert copies == []
