"""The PDF edition as a reader opens it: every page, crux and reference in it, diagrams as vector
graphics, fonts embedded, contents with page numbers, nothing fetched from elsewhere and nothing asked for that the site lacks."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from helpers import ROOT
from pypdf import PdfReader

from mi_survey.load import load
from mi_survey.render.print_page import anchor_links

pytestmark = pytest.mark.browser

sys.path.insert(0, str(ROOT / "scripts"))
from pdf import print_pdf  # noqa: E402 - a script of the project, imported as make pdf runs it


@pytest.fixture(scope="module")
def printed(built_site: Path, browser, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "survey.pdf"
    print_pdf(built_site, out, browser)  # raises on a request outside the site or a diagram not drawn
    return out


@pytest.fixture(scope="module")
def pdf(printed: Path) -> PdfReader:
    return PdfReader(printed)


@pytest.fixture(scope="module")
def words(printed: Path) -> str:
    """Every word of the PDF, as PDFium reads them."""
    document = pdfium.PdfDocument(printed)
    try:
        return _squeezed(" ".join(page.get_textpage().get_text_bounded() for page in document))
    finally:
        document.close()


def _squeezed(text: str) -> str:
    """Text without white space or hyphens, lowercased: a PDF breaks lines where a page did not."""
    return re.sub(r"[\s\u00ad-]+", "", text).casefold()


def test_the_pdf_holds_every_page_crux_and_reference(built_site: Path, words: str) -> None:
    titles = set()
    for page in built_site.rglob("index.html"):
        if page.parent.name in ("print_page", "404") or page.parent == built_site / "search":
            continue
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
        if heading:
            shown = re.sub(r'<a class="headerlink".*?</a>', "", heading.group(1))
            titles.add(re.sub(r"<[^>]+>", "", shown).strip())
    kb = load(ROOT / "content" / "data", ROOT)
    expected = titles | {c.question for c in kb.all("cruxes")} | {r.title for r in kb.all("references")}
    assert len(expected) >= 50
    missing = sorted(t for t in expected if _squeezed(_unescaped(t)) not in words)
    assert missing == []


def _unescaped(text: str) -> str:
    import html

    return html.unescape(text)


def test_the_contents_give_each_page_its_page_number(pdf: PdfReader) -> None:
    contents = pdf.pages[1].extract_text(extraction_mode="layout") or ""
    entries = [line.strip() for line in contents.splitlines() if line.strip() and line.strip() != "Contents"]
    entries = [e for e in entries if not re.fullmatch(r"\d+ / \d+", e)]  # the running page number
    numbered = re.findall(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", contents, re.M)
    assert len(numbered) >= 25 and len(numbered) == len(entries), [e for e in entries if not e[-1].isdigit()]
    debate = next(int(n) for title, n in numbered if title.strip() == "The debate")
    assert "The debate" in (pdf.pages[debate - 1].extract_text() or "")
    total = len(pdf.pages)
    for number in (3, total):  # the running numbers, in the page margin
        assert f"{number} / {total}" in (pdf.pages[number - 1].extract_text() or "")


def test_diagrams_are_vector_and_fonts_embedded(pdf: PdfReader) -> None:
    images = fonts = 0
    unembedded = set()
    for page in pdf.pages:
        resources = page.get("/Resources") or {}
        for xobject in (resources.get("/XObject") or {}).values():
            images += xobject.get_object().get("/Subtype") == "/Image"
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts += 1
            descriptor = font.get("/FontDescriptor") or (
                font["/DescendantFonts"][0].get_object().get("/FontDescriptor") if "/DescendantFonts" in font else None
            )
            descriptor = descriptor.get_object() if descriptor else {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                unembedded.add(str(font.get("/BaseFont")))
    assert images == 0  # the site has no raster image: every diagram was printed as paths
    assert fonts > 0 and unembedded == set()


def test_a_link_into_a_list_gets_its_anchor_inside_the_item_not_beside_it() -> None:
    """The print page keeps its lists whole: an anchor added for a link to a glossary term goes
    inside the term, where a definition list allows it."""
    page = (
        '<section class="print-page" id="glossary"><dl class="mi-glossary">'
        '<dt id="activation-patching"><dfn>Activation patching</dfn></dt><dd>…</dd></dl>'
        '<img id="figure" src="f.png"></section>'
        '<a href="#glossary-activation-patching">term</a> <a href="#glossary-figure">figure</a>'
    )
    anchored = anchor_links(page)
    assert '<dt id="activation-patching"><span id="glossary-activation-patching"></span><dfn>' in anchored
    assert '<span id="glossary-figure"></span><img id="figure"' in anchored


def test_the_print_page_holds_no_internal_mark(built_site: Path) -> None:
    """No build's "what links here" mark (a random number) is left in the print page, which was
    made from the pages before the marks were filled: the same content prints the same page."""
    page = (built_site / "print_page" / "index.html").read_text(encoding="utf-8")
    assert "section class='print-page" in page or 'section class="print-page' in page
    assert "<!-- mi-survey:" not in page
