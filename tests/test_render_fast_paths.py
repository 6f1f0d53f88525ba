"""RenderContext.markdown skips or reuses Markdown conversions: its HTML must be the converter's."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from mi_survey.load import ContentError, load
from mi_survey.model.common import citation_keys
from mi_survey.model.fields import strings_in
from mi_survey.render import RenderContext
from mi_survey.render.safe_markdown import SafeMarkdown

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"

EDGE_CASES = [
    "Plain words",
    "Labour-intensive",
    "Yes",
    "No",
    "A",
    "x",
    "Über naïve café",
    "Deep – and “quoted”",
    "34 million features",
    "1. Not a list?",
    "2024. A year",
    "- a list",
    "+ plus",
    "* star",
    "# heading",
    "> quote",
    "Pipes | in a table",
    "a | b",
    "Tab\there",
    "Two  spaces",
    "Trailing space ",
    " Leading",
    "Line\nbreak",
    "Ends with colon:",
    "Term: definition",
    "Semi; colon",
    "Percent 70%",
    "Slash a/b",
    "Parens (like this)",
    "Question?",
    "Quote 'single'",
    'Quote "double"',
    "Dash - inside",
    "Dash--double",
    "Bang!",
    "![image](https://example.org/x.png)",
    "under_score",
    "snake_case_word",
    "*em*",
    "**strong**",
    "`code`",
    "a < b",
    "a > b",
    "AT&T",
    "&amp;",
    "&#106;",
    "<b>html</b>",
    "[link](https://example.org)",
    "[@alpha2024]",
    "[@alpha2024; @beta2023]",
    "See [@alpha2024].",
    "[@alpha2024] and more",
    "[@alpha2024][@beta2023]",
    "Back\\slash",
    "Underline\n===",
    "Setext\n---",
    "    indented code",
    "ǅ title-case letter",
    "Ⅻ roman numeral",
    "½ fraction",
    "٣ arabic digit",
    "Mixed ١٢ digits",
    "Zero\u200bwidth",
    "Non\u00a0breaking",
    "Line\u2028separator",
    "Em—dash",
    "Curly ’apostrophe",
    "https://example.org/plain",
    "mailto:someone@example.org",
    "someone@example.org",
    "~~strike~~",
    "==mark==",
    "^sup^",
    ":smile:",
    "H~2~O",
    "Foot[^1]",
    "*[HTML]: abbreviation",
    "{: .class }",
]


@pytest.fixture(scope="module")
def context() -> RenderContext:
    kb = load(FIXTURE / "content" / "data", FIXTURE)
    return RenderContext(kb, ROOT / "templates" / "components")


def _texts(context: RenderContext) -> list[str]:
    texts = list(EDGE_CASES)
    for records in context.kb.records.values():
        for record in records:
            texts += [text for _, text in strings_in(record)]
    try:  # the real content's text too, when it validates
        content = load(ROOT / "content" / "data", ROOT)
    except ContentError:
        content = None
    for records in content.records.values() if content else ():
        for record in records:
            texts += [text for _, text in strings_in(record)]
    # Random strings over the characters the fast paths care about.
    rng = random.Random(7)
    alphabet = "aZé9 ,.;:'\"?!%()/-–—’*_`[]<>&\\#|+~=^{}\t\n@"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    # Mostly plain text, sometimes with one character that means something to Markdown.
    plain = "abcXYZéß 0123456789,.;:'\"?%()/-–—’"
    for _ in range(3000):
        chars = [rng.choice("aZéß")] + [rng.choice(plain) for _ in range(rng.randint(0, 20))]
        if rng.random() < 0.5:
            chars.insert(rng.randint(0, len(chars)), rng.choice(alphabet))
        texts.append("".join(chars))
    return texts


def test_markdown_matches_the_converter_block_and_inline(context: RenderContext) -> None:
    page = context.for_page(lambda path: path)
    reference = context.for_page(lambda path: path)
    converter = SafeMarkdown(reference.cite)
    texts = _texts(context)
    # Twice: the second time every text comes from the cache, its citations rendered afresh.
    for text in texts + texts:
        for inline in (False, True):
            expected_error = got_error = None
            try:
                expected = converter.inline(text) if inline else converter.block(text)
            except Exception as error:
                expected, expected_error = None, type(error)
            try:
                got = page.markdown(text, inline=inline)
            except Exception as error:
                got, got_error = None, type(error)
            assert (got, got_error) == (expected, expected_error), (text, inline)


def test_cached_text_is_shared_by_pages_but_citations_render_per_page(context: RenderContext) -> None:
    first = context.for_page(lambda path: "first/" + path)
    second = context.for_page(lambda path: "second/" + path)
    assert first.markdown("Some *text*") == second.markdown("Some *text*") == "<p>Some <em>text</em></p>"
    assert 'href="first/bibliography.md#ref-alpha2024"' in first.markdown("[@alpha2024]", inline=True)
    assert 'href="second/bibliography.md#ref-alpha2024"' in second.markdown("[@alpha2024]", inline=True)
    # Each citation gets its own card id, in order, as when the converter renders it.
    again = first.markdown("[@alpha2024]", inline=True)
    assert 'id="mi-card-2"' in again


def _linker_in(folder: str):
    """Links as a page in ``folder`` writes them: up to the root, then down to the path."""
    return lambda path: "../" * folder.count("/") + path


def test_citations_reused_across_pages_only_where_their_links_are_the_same(context: RenderContext) -> None:
    """Each page's citations are what rendering cite.html for that page gives."""
    folders = ["", "a/", "a/", "b/c/", "", "a/", "b/c/", "d/"]
    citations = ["@alpha2024", "@alpha2024; @beta2023", "@gamma2022", "@alpha2024"]
    for number, folder in enumerate(folders):
        linker = _linker_in(folder)
        page = context.for_page(linker)
        plain = context.for_page(linker)  # renders the template directly, every time

        def cite(inner: str, plain=plain) -> str:
            # Every part rendered afresh for this page, nothing reused.
            macros = plain.env.get_template("macros.html").make_module(plain._helpers())
            refs = [plain.kb.get("references", key) for key in citation_keys(inner) or ()]
            return plain.render(
                "cite.html", labels=[macros.cite_label(r) for r in refs], entries=[macros.cite_entry(r) for r in refs]
            ).strip()

        for inner in citations * 2:
            assert page.cite(inner) == cite(inner), (number, folder, inner)
        text = "Two [@alpha2024] and [@beta2023; @gamma2022] in *one* text."
        assert page.markdown(text) == SafeMarkdown(cite).block(text)
    # The project's cite.html only places the parts: citations take the pre-rendered frame.
    assert context.shared.citation_frames and None not in context.shared.citation_frames.values()


def test_a_cite_template_that_reworks_its_parts_is_rendered_per_citation(tmp_path: Path) -> None:
    """A template may filter or repeat the labels; then no frame is used, and the output is
    still the template's."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "components", templates)
    (templates / "cite.html").write_text(
        '{% set a = next_id("c") %}{% set b = next_id("c") %}<span id="{{ a }}" data-other="{{ b }}">'
        '{{ labels|join(" & ")|upper }} / {{ labels|first }}</span>{{ entries|join }}\n',
        encoding="utf-8",
    )
    kb = load(FIXTURE / "content" / "data", FIXTURE)
    page = RenderContext(kb, templates).for_page(lambda path: path)
    html = page.cite("@alpha2024; @beta2023")
    assert html.startswith('<span id="c-1" data-other="c-2">') and " &AMP; " in html, html
    assert page.cite("@alpha2024").startswith('<span id="c-3" data-other="c-4">')


@pytest.mark.parametrize("site", ["fixture", "hostile"])
def test_json_export_is_what_dumping_all_records_at_once_writes(site: str, tmp_path: Path) -> None:
    """The export dumps record by record; the text must be json.dumps of the whole, byte for byte."""
    import json

    from hostile_content import write_hostile_site

    from mi_survey.model import COLLECTIONS
    from mi_survey.render.exports import knowledge_base_json

    root = FIXTURE
    if site == "hostile":  # texts with newlines, quotes, backslashes, U+2028 and the like
        write_hostile_site(tmp_path / "site")
        root = tmp_path / "site"
    kb = load(root / "content" / "data", root)
    from mi_survey.render.exports import editorial_fields_by_collection

    whole = {
        "$schema": "survey.schema.json",
        "editorial": editorial_fields_by_collection(),
        "collections": {
            name: [r.model_dump(mode="json", exclude_none=True) for r in kb.all(name)] for name in COLLECTIONS
        },
    }
    if site == "hostile":  # newlines and NEL (U+0085) inside strings, which must not be indented
        assert "\\n" in json.dumps(whole) and "\x85" in json.dumps(whole, ensure_ascii=False)
    assert knowledge_base_json(kb) == json.dumps(whole, ensure_ascii=False, indent=1)
