"""Hostile pages and files from a pull request: what the policy in CONTRIBUTING.md refuses, each
with its page and line, and what it lets through as text. Record fields are attacked in
test_hostile.py; this file covers what content meets in the theme, the file system and the
Markdown pipeline."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from helpers import ROOT, build_with_pages, copy_fixture_site, run_build, validate

from mi_survey.load import scan_pages
from mi_survey.load.pages import leaked_placeholder, source_problems

BAD = "content/docs/bad"

# case -> (the whole page, the line named, the start of the message)
PAGE_RULES: dict[str, tuple[str, int, str]] = {
    # Silent breakage
    "block-not-closed": (
        "# T\n\n/// comparison\ncollection: approaches\n\nMore text.\n",
        3,
        "the component block 'comparison' is not closed; end it with a line '///'",
    ),
    "block-closing-nothing": ("# T\n\nText.\n\n///\n", 5, "'///' closes no component block"),
    "citation-in-heading": ("# T\n\n## Evidence [@alpha2024]\n\nText.\n", 3, "a citation in a heading"),
    "comparison-matches-nothing": (
        "# T\n\n/// comparison\ncollection: approaches\nwhere: {maturity: none-such}\n///\n",
        5,
        "comparison: no approaches record matches where: {maturity: none-such}",
    ),
    "timeline-matches-nothing": (
        "# T\n\n/// timeline\nfrom: 1900\nto: 1901\n///\n",
        4,
        "timeline: no milestone matches {from: 1900, to: 1901}",
    ),
    "references-tag-matches-nothing": (
        "# T\n\n/// references\ntag: no-such-tag\n///\n",
        4,
        "references: no reference has the tag 'no-such-tag'",
    ),
    # The second of two blocks that start alike: its own line, not the first block's.
    "error-in-the-second-of-two-blocks": (
        "# T\n\n/// comparison\ncollection: approaches\n///\n\n"
        "/// comparison\ncollection: approaches\ncolour: red\n///\n",
        9,
        "comparison: option colour: unknown field",
    ),
    "data-view-unknown-collection": (
        "# T\n\n/// data-view\ncollection: nope\n///\n",
        4,
        "data-view: option collection: unknown collection 'nope'",
    ),
    # Blow-ups
    "lists-nested-1000-deep": (
        "# T\n\n" + "- " * 1000 + "deep\n",
        3,
        "lists or quotes nested more than 20 levels deep",
    ),
    "quotes-nested-1000-deep": (
        "# T\n\n" + "> " * 1000 + "deep\n",
        3,
        "lists or quotes nested more than 20 levels deep",
    ),
    "page-over-1mb": ("# T\n\n" + "word " * 220_000 + "\n", 1, "the page is 1,100,006 bytes; at most 1,000,000 fit"),
    "control-character": ("# T\n\nA bell \x07 here.\n", 3, "control character U+0007; pages hold text only"),
    "front-matter-alias-bomb": (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\n# T\n",
        2,
        "a: front matter: YAML anchors and aliases are not supported",
    ),
    "front-matter-unknown-key": (
        "---\ntemplate: ../../etc/passwd\n---\n# T\n",
        2,
        "template: unknown front-matter key; expected one of: title, description, hide",
    ),
    "front-matter-title-not-text": ("---\ntitle: [a, b]\n---\n# T\n", 2, "title: expected text"),
    "front-matter-deep": ("---\ntitle: " + "[" * 5000 + "\n---\n# T\n", 2, "title"),
    # Script in a reader's browser, from the page body
    "script-element": ("# T\n\n<script>window.__pwned=1</script>\n", 3, "a <script> element"),
    "event-handler": ('# T\n\n<img src="x.png" onerror="window.__pwned=1">\n', 3, "the attribute onerror on <img>"),
    "svg-onload": ('# T\n\n<svg onload="window.__pwned=1"></svg>\n', 3, "the attribute onload on <svg>"),
    # A browser also takes "/" or a closing quote, not only a space, before an attribute's name.
    "handler-after-slash": (
        "# T\n\n<img/onerror=window.__pwned=1 loading=lazy src=x>\n",
        3,
        "the attribute onerror on <img>",
    ),
    "handler-after-quote": (
        '# T\n\n<details open=""ontoggle=window.__pwned=1>x</details>\n',
        3,
        "the attribute ontoggle",
    ),
    "javascript-link": ("# T\n\n[a](javascript:window.__pwned=1)\n", 3, "a javascript: URL in href"),
    "javascript-link-mixed-case": ("# T\n\n<a href='JaVaScRiPt:1'>a</a>\n", 3, "a JaVaScRiPt: URL in href"),
    "javascript-link-entities": ('# T\n\n<a href="&#106;avascript:1">a</a>\n', 1, "a javascript: URL in href"),
    "data-url-frame": ('# T\n\n<iframe src="data:text/html,x"></iframe>\n', 3, "a <iframe> element"),
    "protocol-relative-link": (
        '# T\n\n<a href="//evil.example/x">a</a>\n',
        3,
        "a link with no scheme to another host in href",
    ),
    "backslash-host-link": (
        '# T\n\n<a href="\\\\evil.example/x">a</a>\n',
        3,
        "a link with no scheme to another host in href",
    ),
    "form": ('# T\n\n<form action="https://evil.example/"><input name=q></form>\n', 3, "a <form> element"),
    "style-element": ("# T\n\n<style>body{display:none}</style>\n", 3, "a <style> element"),
    "base-element": ('# T\n\n<base href="https://evil.example/">\n', 3, "a <base> element"),
    "meta-refresh": (
        '# T\n\n<meta http-equiv="refresh" content="0;url=https://evil.example/">\n',
        3,
        "a <meta> element",
    ),
}


@pytest.fixture(scope="module")
def ruled_pages(tmp_path_factory) -> tuple[str, Path]:
    """One build of the fixture site with one page per rule broken: every problem is listed."""
    result = build_with_pages(
        tmp_path_factory.mktemp("rules"), {case: page for case, (page, _, _) in PAGE_RULES.items()}
    )
    assert result.returncode != 0
    return result.output, result.site


@pytest.mark.parametrize("case", list(PAGE_RULES))
def test_a_page_breaking_a_rule_is_named_with_its_line(ruled_pages, case: str) -> None:
    output, out = ruled_pages
    _, line, message = PAGE_RULES[case]
    assert "Traceback" not in output
    assert f"{BAD}/{case}.md:{line}: {message}" in output, output[-3000:]
    # Whatever was written of the page holds nothing that runs (`mkdocs serve` shows it).
    written = out / "bad" / case / "index.html"
    if written.exists():
        content = written.read_text(encoding="utf-8").split('<article class="md-content__inner', 1)[-1]
        content = content.split("</article>", 1)[0]
        assert not re.search(
            r"<(script|iframe|form|style|base|meta)\b|[\s/\"']on\w+=|href=['\"]?(javascript|//)", content, re.IGNORECASE
        ), case


# -- citations the renderer does not see are not counted ------------------------------------------


def test_citations_in_code_and_comments_are_not_citations() -> None:
    page = (
        "# T\n\nProse [@alpha2024].\n\n`[@inline]` and ``[@double]``\n\n<!-- [@comment]\n[@comment2] -->\n\n"
        "    [@indented]\n\n```\n[@fenced]\n```\n\n- a list item\n\n    [@in-list]\n\n"
        "!!! note\n\n    [@in-admonition]\n"
    )
    cited = set(scan_pages([("p.md", page)]).citations)
    assert cited == {"alpha2024", "in-list", "in-admonition"}


def test_a_citation_in_code_is_neither_reported_nor_counted(fixture_site: Path, build) -> None:
    page = fixture_site / "content/docs/nested/page.md"
    page.write_text(page.read_text() + "\n`[@nobody]` <!-- [@nobody2] -->\n\n    [@nobody3]\n")
    result = build()
    assert result.returncode == 0, result.output[-2000:]


# -- files outside the repository ----------------------------------------------------------------


def _with_link(tmp_path: Path, where: str, target: str | Path) -> tuple[Path, Path]:
    site = copy_fixture_site(tmp_path / "project")
    link = site / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return site, tmp_path / "out"


SECRET = "mi-survey-secret-4b1d"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET)
    (folder / "keys.yaml").write_text(f"id: {SECRET}\nname: x\n")
    (folder / "page.md").write_text(f"# {SECRET}\n")
    return folder


@pytest.mark.parametrize(
    ("where", "target"),
    [
        ("content/docs/env.txt", "/proc/self/environ"),
        ("content/docs/zero.txt", "/dev/zero"),
        ("content/docs/secret.txt", "OUTSIDE/secret.txt"),
        ("content/docs/more", "OUTSIDE"),
        ("content/docs/page.md", "OUTSIDE/page.md"),
        ("content/data/venues/keys.yaml", "OUTSIDE/keys.yaml"),
        ("content/data/more", "OUTSIDE"),
    ],
    ids=["environ", "dev-zero", "file-outside", "folder-outside", "page-outside", "yaml-outside", "data-folder"],
)
def test_a_link_out_of_the_repository_is_refused_by_path(tmp_path: Path, outside: Path, where: str, target: str):
    site, out = _with_link(tmp_path, where, target.replace("OUTSIDE", str(outside)))
    result = run_build(site / "mkdocs.yml", out)
    assert result.returncode != 0
    assert "Traceback" not in result.output
    # Refused before the build reads the data, or before it publishes the pages' files.
    assert (
        "files the build will not read:" if where.startswith("content/data") else "files the build will not publish:"
    ) in result.output
    assert re.search(
        rf"^{re.escape(where)}\S*:1: (links to \S+, outside the repository|is not a regular file)",
        result.output,
        re.MULTILINE,
    ), result.output[-2000:]
    published = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert not any(SECRET in p.read_text(errors="ignore") for p in published)
    assert SECRET not in result.output


def test_validate_refuses_a_data_file_linked_from_outside(tmp_path: Path, outside: Path) -> None:
    site, _ = _with_link(tmp_path, "content/data/venues/keys.yaml", outside / "keys.yaml")
    done = validate(site)
    assert done.returncode == 1
    assert "content/data/venues/keys.yaml:1: links to " in done.stderr and "outside the repository" in done.stderr
    assert SECRET not in done.stderr + done.stdout


def test_a_link_into_git_is_refused(tmp_path: Path) -> None:
    site = copy_fixture_site(tmp_path / "project")
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text(f"[remote]\n\ttoken = {SECRET}\n")
    (site / "content/docs/config.txt").symlink_to(site / ".git" / "config")
    result = run_build(site / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "content/docs/config.txt:1: links into .git; refused" in result.output


def test_the_real_site_does_not_enable_snippets() -> None:
    """No page uses snippets; enabled, `--8<-- ".git/config"` would publish the checkout's token."""
    assert "snippets" not in (ROOT / "mkdocs.yml").read_text()


# -- front matter and headings reach the page as text ---------------------------------------------

TITLE_ATTACK = "</title><script>window.__pwned=1</script>"


def test_front_matter_and_heading_text_cannot_become_markup(fixture_site: Path, build) -> None:
    docs = fixture_site / "content/docs"
    (docs / "front.md").write_text(
        f'---\ntitle: "{TITLE_ATTACK}"\ndescription: "x\\"><script>window.__pwned=1</script>"\n---\n\nText.\n'
    )
    (docs / "heading.md").write_text("# &lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;\n\nText.\n")
    config = fixture_site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - index.md\n", "  - index.md\n  - front.md\n  - heading.md\n")
    )  # the fixture's theme has the real site's overrides
    result = build()
    assert result.returncode == 0, result.output[-2000:]
    for page in ("front/index.html", "heading/index.html", "index.html"):
        text = result.page(page)
        assert "<script>window.__pwned" not in text, page
        title = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
        assert title and "<" not in title.group(1), (page, title)
    front = result.page("front/index.html")
    assert f"<title>{html.escape(TITLE_ATTACK)} - Fixture survey</title>" in front
    assert re.search(
        r'<meta name="description" content="x&#34;&gt;&lt;script&gt;|'
        r'<meta name="description" content="x&quot;&gt;&lt;script&gt;',
        front,
    )
    assert f"<title>{html.escape(TITLE_ATTACK)} - Fixture survey</title>" in result.page("heading/index.html")


# -- placeholders -----------------------------------------------------------------------------------


def test_a_placeholder_left_in_a_page_is_caught() -> None:
    assert leaked_placeholder("<p>\x02wzxhzdk:3\x03</p>")
    assert leaked_placeholder("<p>\x000\x00</p>")
    assert not leaked_placeholder("<p>plain text, tabs\tand\nnewlines</p>")


def test_page_rules_run_in_validate_too(fixture_site: Path) -> None:
    """`mi-survey validate` applies the page rules the build applies, with the same words."""
    page = fixture_site / "content/docs/nested/page.md"
    page.write_text(page.read_text() + "\n/// comparison\ncollection: approaches\n")
    line = page.read_text().splitlines().index("/// comparison") + 1
    done = validate(fixture_site)
    assert done.returncode == 1
    assert f"content/docs/nested/page.md:{line}: the component block 'comparison' is not closed" in done.stderr


def test_source_rules_are_quick_on_hostile_pages() -> None:
    """A page of 200,000 nested markers is refused by the rule, not by a stack overflow."""
    problems = source_problems("p.md", "- " * 200_000 + "x\n")
    assert [p.code for p in problems] == ["page-nesting"]
