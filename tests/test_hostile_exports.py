"""Hostile input against the exports (bibliography.bib, llms.txt) and the URL fields.

A contributor's pull request can put anything in a record's text and URLs. The loader refuses a
URL that would read differently in a browser or in BibTeX, at file:line with the field; the
BibTeX parses back to exactly what was written, each value in its own field and each author whole;
llms.txt is plain text whose only links are ours. The exports are made from loaded records, as the
build makes them, without a whole site build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import bibtexparser
import pytest
import yaml
from helpers import FIXTURE_SITE, ROOT
from hostile_content import write_hostile_site

from mi_survey.load import ContentError, KnowledgeBase, load
from mi_survey.render import RenderContext
from mi_survey.render.exports import OutsideFolderError, bibtex, bibtex_entries, llms_txt, write_text_files

TEMPLATES = ROOT / "templates" / "components"
V = "content/data/venues/odd.yaml"
VENUE = "id: odd\nname: Odd\nkind: news\ncredibility: 3\n"

# -- the URL fields ------------------------------------------------------------------------------

# URLs as written in a double-quoted YAML string (its escapes: \t, \0, \e, \u202e...), each
# with the start of the problem the loader prints for it.
REFUSED_URLS = {
    "userinfo": (
        "https://arxiv.org@evil.example/abs/2404.14082",
        "url: must not contain a user name or password before the host",
    ),
    "userinfo-and-password": ("https://user:secret@example.org/", "url: must not contain a user name or password"),
    "userinfo-empty": ("https://@example.org/", "url: must not contain a user name or password"),
    "space-inside": ("https://example.org/a b", "url: must not contain white space"),
    "tab-inside": ("https://example.org/a\\tb", "url: must not contain white space"),
    "newline-inside": ("https://example.org/a\\nb", "url: must not contain white space"),
    "trailing-space": ("https://example.org/ ", "url: must not contain white space"),
    "leading-newline": ("\\nhttps://example.org/", "url: must not contain white space"),
    "non-breaking-space": ("https://example.org/a\\u00a0b", "url: must not contain white space"),
    "nul": ("https://example.org/\\0", "url: must not contain control or invisible characters"),
    "escape": ("https://example.org/\\e[31m", "url: must not contain control or invisible characters"),
    "delete": ("https://example.org/\\x7f", "url: must not contain control or invisible characters"),
    "right-to-left-override": (
        "https://example.org/\\u202egnp.exe",
        "url: must not contain control or invisible characters",
    ),
    "zero-width-space": ("https://exa\\u200bmple.org/", "url: must not contain control or invisible characters"),
    "backslash-before-at": ("https://arxiv.org\\\\@evil.example/", "url: must not contain a backslash"),
    "too-long": (
        "https://example.org/" + "a" * 1981,
        "url: is 2001 characters long; expected a URL of at most 2000 characters",
    ),
    "ftp": ("ftp://example.org/file", "url: must be an absolute http:// or https:// URL"),
    "file": ("file:///etc/passwd", "url: must be an absolute http:// or https:// URL"),
    "mailto": ("mailto:someone@example.org", "url: must be an absolute http:// or https:// URL"),
    "site-relative": ("/bibliography/", "url: must be an absolute http:// or https:// URL"),
    "no-host": ("https:///path", "url: must be an absolute http:// or https:// URL"),
    "unclosed-ipv6-host": ("https://[::1/", "url: must be an absolute http:// or https:// URL"),
}
ACCEPTED_URLS = [
    "https://arxiv.org/abs/2404.14082",
    "http://example.org/a?b=c&d=%20e#f",
    "HTTPS://Example.org/Path",
    "https://de.wikipedia.org/wiki/Käse",
    "https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture)",
    "http://localhost:8000/x",
    "https://example.org/" + "a" * 1980,  # 2,000 characters: the longest accepted
]


def _data_copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_SITE / "content", tmp_path / "content")
    return tmp_path / "content" / "data"


def _problems(tmp_path: Path) -> list[str]:
    try:
        load(tmp_path / "content" / "data", tmp_path)
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return []


@pytest.mark.parametrize("case", list(REFUSED_URLS))
def test_hostile_url_is_refused_at_file_line_with_field(case: str, tmp_path: Path) -> None:
    url, expected = REFUSED_URLS[case]
    (_data_copy(tmp_path) / "venues" / "odd.yaml").write_text(VENUE + f'url: "{url}"\n', encoding="utf-8")
    problems = _problems(tmp_path)
    assert any(p.startswith(f"{V}:5: {expected}") for p in problems), problems
    # The message says what was expected, in our words, and stays readable however long the URL.
    assert all(
        ("expected" in p or p.endswith("http:// or https:// URL [field-value]")) and len(p) < 400 for p in problems
    )


def test_probe_url_in_a_reference_is_refused_at_its_line(tmp_path: Path) -> None:
    reference = _data_copy(tmp_path) / "references" / "beta2023.yaml"
    lines = reference.read_text(encoding="utf-8").splitlines()
    lines.insert(3, 'url: "https://arxiv.org@evil.example/"')
    reference.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(tmp_path)
    assert any(
        p.startswith("content/data/references/beta2023.yaml:4: url: must not contain a user name or password")
        and "'evil.example'" in p  # the host a browser would go to
        for p in problems
    ), problems


@pytest.mark.parametrize("url", ACCEPTED_URLS, ids=range(len(ACCEPTED_URLS)))
def test_ordinary_url_is_accepted_as_written(url: str, tmp_path: Path) -> None:
    (_data_copy(tmp_path) / "venues" / "odd.yaml").write_text(VENUE + f'url: "{url}"\n', encoding="utf-8")
    assert _problems(tmp_path) == []
    venue = load(tmp_path / "content" / "data", tmp_path).get("venues", "odd")
    assert venue is not None and venue.url == url


# -- bibliography.bib ------------------------------------------------------------------------------

# What BibTeX and LaTeX would read differently from the text, in records as a pull request could
# write them. Each reference id is also its bibliography key.
# The probe's URL, but for its backslash (the URL type refuses one; see REFUSED_URLS).
HOSTILE_URL = "https://example.org/x},note={/input{/etc/passwd}}"
LONE_BRACE_TITLE = "A } lone brace { and \\input{/etc/passwd} with 50% of $x_1$ & #2 ~ ^ -- ``q'' <b>|"
HOSTILE_REFERENCES = [
    {
        "id": "zz-lone-brace",
        "type": "paper",
        "title": LONE_BRACE_TITLE,
        "authors": ["Ada Lovelace", "Tom and Jerry", "Anthropic Interpretability Team", "et al."],
        "date": "2024-05",
        "venue": "arxiv",
        "venue_detail": "vol. 1}, note = {injected",
        "url": HOSTILE_URL,
        "doi": "10.1234/}x{y\\z",
        "arxiv": "2404.14082",
        "summary": "S [@zz-lone-brace].",
    },
    {
        "id": "zz-names",
        "type": "article",
        "title": "Names \\ BibTeX reads {differently}",
        "authors": ["Smith, John", "Tom AND Jerry", "others", "Dr.\u00a0Ada\tByron\u202e King"],
        "date": "2020",
        "venue": "lab-blog",
        "doi": "10.1234/[x](javascript:alert(1))<b>",
        "summary": "S.",
    },
]
# The fields each reference's entry must keep, no more and no fewer.
EXPECTED_FIELDS = {
    "zz-lone-brace": [
        "title",
        "author",
        "year",
        "month",
        "howpublished",
        "note",
        "doi",
        "eprint",
        "archiveprefix",
        "url",
    ],
    "zz-names": ["title", "author", "year", "howpublished", "doi"],
}


def _with_hostile_references(root: Path) -> None:
    data = root / "content" / "data"
    (data / "organisations" / "anthropic-interpretability-team.yaml").write_text(
        "id: anthropic-interpretability-team\nname: Anthropic interpretability team\nkind: team\n", encoding="utf-8"
    )
    folder = data / "references"
    for record in HOSTILE_REFERENCES:
        (folder / f"{record['id']}.yaml").write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory) -> KnowledgeBase:
    """The fixture site with hostile text in every field of every collection, and the references above."""
    root = tmp_path_factory.mktemp("hostile-exports") / "project"
    write_hostile_site(root)
    _with_hostile_references(root)
    return load(root / "content" / "data", root)


@pytest.fixture(params=["real", "fixture", "hostile"])
def any_kb(request) -> KnowledgeBase:
    if request.param == "hostile":
        return request.getfixturevalue("hostile_kb")
    root = ROOT if request.param == "real" else FIXTURE_SITE
    return load(root / "content" / "data", root)


def _bibtex(kb: KnowledgeBase) -> str:
    return bibtex(RenderContext(kb, TEMPLATES))


def _fields(entry) -> list[tuple[str, str]]:
    return [(field.key, field.value) for field in entry.fields]


def _braces_balanced(value: str) -> bool:
    """As BibTeX counts braces: every one, a backslash before it or not."""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_parses_back_to_the_entries_written(any_kb: KnowledgeBase) -> None:
    text = _bibtex(any_kb)
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and not parsed.comments
    written = bibtex_entries(any_kb)
    assert [(e.entry_type, e.key, _fields(e)) for e in parsed.entries] == [
        (e.entry_type, e.key, _fields(e)) for e in written
    ]
    assert sorted(e.key for e in parsed.entries) == sorted(r.id for r in any_kb.all("references"))
    for entry in parsed.entries:
        for key, value in _fields(entry):
            assert _braces_balanced(value), (entry.key, key, value)
            # No command of its own: every backslash starts one of the escapes we write.
            assert not re.search(r"\\(?!text[a-z]+\{\}|[&%$#_])", value), (entry.key, key, value)


# Our escapes, read back: what LaTeX prints for each.
_PRINTED = {
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
}
_ESCAPE = re.compile(r"\\(text[a-z]+)\{\}|\\([&%$#_])|\{\}")


def _printed(value: str) -> str:
    return _ESCAPE.sub(lambda m: _PRINTED[m.group(1)] if m.group(1) else m.group(2) or "", value)


def _as_read(text: str) -> str:
    """A record's text as BibTeX reads it: white space one space; control characters and
    bidirectional overrides are no part of it."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "", " ".join(text.split()))


def _bibtex_authors(value: str) -> list[str]:
    """Split as BibTeX does: at the word "and", in any case, outside braces."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value, re.IGNORECASE):
        token = match.group()
        if token in "{}":
            depth += 1 if token == "{" else -1
        elif depth == 0:
            names.append(value[start : match.start()])
            start = match.end()
    return names + [value[start:]]


def _entry(kb: KnowledgeBase, key: str):
    parsed = bibtexparser.parse_string(_bibtex(kb))
    return next(e for e in parsed.entries if e.key == key)


@pytest.mark.parametrize("key", list(EXPECTED_FIELDS))
def test_hostile_reference_keeps_its_fields_and_no_more(hostile_kb: KnowledgeBase, key: str) -> None:
    entry = _entry(hostile_kb, key)
    assert [k for k, _ in _fields(entry)] == EXPECTED_FIELDS[key]


def test_hostile_text_reads_back_as_written(hostile_kb: KnowledgeBase) -> None:
    entry = _entry(hostile_kb, "zz-lone-brace")
    fields = dict(_fields(entry))
    # The title keeps its case in a second pair of braces; inside, LaTeX prints the title as written.
    assert fields["title"].startswith("{") and fields["title"].endswith("}")
    assert _printed(fields["title"][1:-1]) == LONE_BRACE_TITLE
    assert "\\input" not in fields["title"]
    assert _printed(fields["note"]) == "vol. 1}, note = {injected"
    # URL and DOI are printed verbatim (\url): the characters BibTeX would read percent-encoded.
    assert fields["url"] == "https://example.org/x%7D,note=%7B/input%7B/etc/passwd%7D%7D"
    assert fields["doi"] == "10.1234/%7Dx%7By%5Cz"
    assert fields["year"] == "2024" and fields["month"] == "5" and fields["eprint"] == "2404.14082"


def test_every_hostile_text_field_of_a_reference_reads_back(hostile_kb: KnowledgeBase) -> None:
    """The reference generated with hostile text in every field (HTML, Markdown, control characters)."""
    reference = hostile_kb.get("references", "hostile-references")
    assert reference is not None
    fields = dict(_fields(_entry(hostile_kb, "hostile-references")))
    assert _printed(fields["title"][1:-1]) == _as_read(reference.title)
    assert _printed(fields["note"]) == _as_read(reference.venue_detail or "")
    names = _bibtex_authors(fields["author"])
    assert len(names) == len(reference.authors)
    assert [_printed(n.removeprefix("{").removesuffix("}")) for n in names] == [_as_read(a) for a in reference.authors]


def test_corporate_author_stays_one_author(hostile_kb: KnowledgeBase) -> None:
    # "Anthropic Interpretability Team" is the name of an organisation record ("Anthropic
    # interpretability team"): BibTeX must not read it as Team, A. I.
    authors = _bibtex_authors(dict(_fields(_entry(hostile_kb, "zz-lone-brace")))["author"])
    assert authors == ["Ada Lovelace", "{Tom and Jerry}", "{Anthropic Interpretability Team}", "others"]
    authors = _bibtex_authors(dict(_fields(_entry(hostile_kb, "zz-names")))["author"])
    assert authors == ["{Smith, John}", "{Tom AND Jerry}", "{others}", "Dr. Ada Byron King"]


def test_real_organisation_author_stays_whole(tmp_path: Path) -> None:
    """The real content's organisations: an author spelled as one of them is one author."""
    shutil.copytree(ROOT / "content" / "data", tmp_path / "content" / "data")
    reference = tmp_path / "content" / "data" / "references" / "olah-2020-zoom-in.yaml"
    record = yaml.safe_load(reference.read_text(encoding="utf-8"))
    record["authors"] = ["Chris Olah", "Google DeepMind", "anthropic  interpretability TEAM"]
    reference.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = load(tmp_path / "content" / "data", tmp_path)
    authors = _bibtex_authors(dict(_fields(_entry(kb, "olah-2020-zoom-in")))["author"])
    assert authors == ["Chris Olah", "{Google DeepMind}", "{anthropic interpretability TEAM}"]


# -- llms.txt --------------------------------------------------------------------------------------

HOSTILE_PAGES = [
    ("<script>alert(1)</script> **Bold** <em>words</em> and [a link](javascript:alert(1))", "hostile/"),
    ('Title"><img src=x onerror=alert(1)> [x](data:text/html,<b>x</b>) <https://evil.example/>', "javascript:x/"),
    ("[@beta2023] cites ![i](https://evil.example/i.png) `code` and &lt;tag&gt; and &#106;avascript:alert(1)", ""),
    ("[[nested](https://evil.example/)](javascript:alert(1)) x](javascript:alert(2)) [y", "//elsewhere.example/"),
]
_LINK = re.compile(r"\]\(([^()\s]*)\)")


def _llms_txt(kb: KnowledgeBase) -> str:
    return llms_txt(
        RenderContext(kb, TEMPLATES),
        "Survey <script>alert(1)</script>",
        "About [it](javascript:alert(1)) <b>now</b>",
        HOSTILE_PAGES,
    )


def test_llms_txt_of_hostile_records_has_no_markup_and_only_our_links(hostile_kb: KnowledgeBase) -> None:
    text = _llms_txt(hostile_kb)
    assert "<" not in text
    assert "javascript:" not in text.lower() and "data:text" not in text.lower()
    assert "evil.example" not in text
    assert not re.search(r"^\s*\[[^\]]*\]:", text, re.MULTILINE), "a link reference definition"
    record_urls = [r.url for r in hostile_kb.all("references") if r.url]
    links = _LINK.findall(text)
    # One link for each page and for each reference with a URL: no other.
    assert len(links) == len(HOSTILE_PAGES) + len(record_urls)
    assert text.count("](") == len(links) and text.count("[") == len(links)
    for target in links:
        parts = urlsplit(target)
        if parts.scheme:
            assert parts.scheme in ("http", "https") and parts.netloc, target
            assert "evil" not in target
        else:  # a page of the site, relative to llms.txt at its root
            assert not parts.netloc and not target.startswith(("/", "\\")), target
    # Every http(s) URL in the file is a link to a record's own URL.
    assert len(re.findall(r"https?://", text)) == len(record_urls)


def test_llms_txt_shows_markup_as_plain_words(hostile_kb: KnowledgeBase) -> None:
    text = _llms_txt(hostile_kb)
    assert text.startswith("# Survey alert(1)\n\n> About it now\n")
    assert "- [alert(1) Bold words and a link](hostile/)" in text
    assert "(javascript%3Ax/)" in text  # a page path, not a scheme
    assert "- [(Beta et al. 2023) cites i code and ‹tag› and javascript :alert(1)](./)" in text
    assert "- [nested x)(javascript :alert(2)) (y](elsewhere.example/)" in text
    # A DOI is text, not a link: the hostile one, as its URL form.
    assert "doi:10.1234/%5Bx%5D(javascript :alert(1))%3Cb%3E" in text
    # The hostile reference's title, in its link, as the words it holds: its marker, no markup.
    reference = hostile_kb.get("references", "hostile-references")
    assert reference is not None and reference.url
    line = next(line for line in text.splitlines() if line.startswith(f"- [{reference.title.split()[0]} "))
    words = line[: line.index("](")]
    assert "window.__pwned=1" in words and "script" not in words
    assert line.count("](https://example.org/x?q=%22'%3E%3Cscript%3Ewindow.__pwned=1%3C/script%3E)") == 1


def test_llms_txt_of_the_real_site_lists_pages_cruxes_and_references() -> None:
    kb = load(ROOT / "content" / "data", ROOT)
    text = llms_txt(RenderContext(kb, TEMPLATES), "Site", "Summary.", [("Home", ""), ("Timeline", "timeline/")])
    assert text.startswith("# Site\n\n> Summary.\n")
    assert "- [Home](./)\n- [Timeline](timeline/)\n" in text
    assert "- [Concrete Problems in AI Safety](https://arxiv.org/abs/1606.06565): Dario Amodei" in text
    assert all(f"- {crux.question} (" in text for crux in kb.all("cruxes"))


@pytest.mark.parametrize("path", ["../escaped.txt", "cite/../../escaped.txt", "{tmp}/escaped.txt"])
def test_a_published_file_is_never_written_outside_the_sites_folder(path: str, tmp_path: Path) -> None:
    folder = tmp_path / "site-files"
    folder.mkdir()
    with pytest.raises(OutsideFolderError, match="outside"):
        write_text_files(folder, {"cite/page.bib": "@misc{x}", path.format(tmp=tmp_path): "escaped"})
    assert list(tmp_path.rglob("*.txt")) == [] and list(folder.iterdir()) == []  # nothing written, not even the rest
