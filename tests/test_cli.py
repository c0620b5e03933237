"""The command line as a user runs it: exit codes, output, and what it writes."""
import re
import sys
from pathlib import Path

from conftest import EVENT_TITLE_LINE, ROOT, run_build

sys.path.insert(0, str(ROOT))


def test_check_prints_counts_and_writes_nothing(make_content, tmp_path):
    root = make_content()
    result = run_build("check", "--content", root, "--out", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("ok: 1 sources, 1 events, 0 statements, 0 renderings, 0 figures, 1 people, "
                             "1 organisations, 1 places, 1 tags, 0 discrepancies\n")
    assert not (tmp_path / "site").exists()


def test_errors_exit_1_without_traceback(make_content, tmp_path):
    root = make_content({"tags/casualties.yaml": "name: Casualties\n"})
    result = run_build("check", "--content", root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "casualties.yaml:1: missing required field 'description'" in result.stderr
    assert result.stderr.strip().endswith("1 problem in 1 file; nothing was written.")


def test_bad_usage_exits_2(tmp_path):
    assert run_build("publish").returncode == 2
    assert run_build("--no-such-option").returncode == 2


def test_build_writes_the_site_and_reports_pages(make_content, tmp_path):
    out = tmp_path / "site"
    result = run_build("--content", make_content(), "--out", out)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    files = [p for p in out.rglob("*") if p.is_file()]
    assert result.stdout.startswith(f"built {len(pages)} pages ({len(files)} files) into {out} in ")
    assert "events/losses.html" in pages and "sources/art.html" in pages
    html = (out / "index.html").read_text()
    assert "Losses near Plekhovo" in html
    assert '<time datetime="2024-12-14">14 December 2024</time>' in html


def test_failed_build_leaves_previous_site_untouched(make_content, tmp_path):
    out = tmp_path / "site"
    root = make_content()
    assert run_build("--content", root, "--out", out).returncode == 0
    before = (out / "index.html").read_bytes()
    (root / "events" / "losses.md").write_text((root / "events" / "losses.md").read_text()
                                                .replace(EVENT_TITLE_LINE, "title: no"))
    assert run_build("--content", root, "--out", out).returncode == 1
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no temporary leftovers


def test_two_builds_are_identical(make_content, tmp_path):
    root = make_content()
    run_build("--content", root, "--out", tmp_path / "a")
    run_build("--content", root, "--out", tmp_path / "b")
    assert (tmp_path / "a" / "index.html").read_bytes() == (tmp_path / "b" / "index.html").read_bytes()


def test_content_is_escaped(make_content, tmp_path):
    root = make_content()
    event = root / "events" / "losses.md"
    event.write_text(event.read_text().replace(EVENT_TITLE_LINE, "title: <script>alert(1)</script>"))
    assert run_build("--content", root, "--out", tmp_path / "site").returncode == 0
    html = (tmp_path / "site" / "index.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_help_lists_every_command_with_its_line():
    import build

    result = run_build("--help")
    assert result.returncode == 0
    listed = re.findall(r"^    (\w+) +(.+(?:\n {20,}.+)*)", result.stdout, flags=re.M)
    assert [name for name, _ in listed] == list(build.COMMANDS) == ["build", "check", "serve", "init", "import", "new", "cite"]
    for name, text in listed:
        assert " ".join(text.split()) == build.COMMANDS[name].help


def test_options_go_before_or_after_the_command(tmp_path):
    from build import HERE, parse_args

    for argv in (["--content", "x", "check"], ["check", "--content", "x"]):
        args = parse_args(argv)
        assert (args.command, args.content, args.content_option) == ("check", Path("x"), " --content x")
    args = parse_args([])
    assert (args.command, args.content, args.out, args.base_url) == (None, HERE / "content", HERE / "site", None)
    assert parse_args(["--out", "o"]).out == parse_args(["build", "--out", "o"]).out == Path("o")
    assert parse_args(["--out", "o", "build"]).out == Path("o")
    serve = parse_args(["serve", "--port", "9000", "--host", "0.0.0.0", "--open", "--base-url", "https://a.org/"])
    assert (serve.port, serve.host, serve.open, serve.base_url) == (9000, "0.0.0.0", True, "https://a.org/")
    assert parse_args(["check", "--out", "o", "--base-url", "https://a.org/"]).command == "check"  # as before
    assert parse_args(["new", "events", "x"]).kind == "events"
    assert parse_args(["cite", "w", "--source", "s"]).source == "s"
    assert parse_args(["init", "d"]).dir == "d" and parse_args(["init"]).dir is None


def test_the_content_option_is_every_commands(tmp_path):
    import build

    for name in build.COMMANDS:
        extra = {"new": ["events", "x"], "cite": ["w"], "import": ["page.html"]}.get(name, [])
        assert build.parse_args([name, *extra, "--content", "elsewhere"]).content == Path("elsewhere"), name


def test_commands_usage_errors_exit_2():
    assert run_build("new", "events").returncode == 2
    assert run_build("serve", "--port", "eighty").returncode == 2
    assert run_build("check", "--base-url", "ftp://x").returncode == 2
