"""The PDF edition: the site's print page (mkdocs-print-site-plugin) printed by Chromium.

Usage: python scripts/pdf.py [SITE_DIR] [PDF]   (defaults: site, SITE_DIR/survey.pdf)

The print page holds every page in navigation order, with a cover and a table of contents. It is
printed twice: the first print's outline (Chromium writes one from the headings) says on which
page each entry of the contents begins, and the second print has those page numbers. Diagrams
are drawn by Mermaid before printing and stay vector graphics; the site's print CSS numbers every
page and keeps table rows and figures whole. The
print makes no request outside the site: one that does fails, and so does a diagram that did not
draw.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from served_site import BROKEN_DIAGRAM, CHROMIUM, CHROMIUM_ARGS, DIAGRAMS_DRAWN, new_context, requests_elsewhere, serve

from mi_survey.render.print_page import PRINT_PAGE
from mi_survey.render.scholarly import PDF_NAME

# The print page is the plugin's PRINT_PAGE (print_page/index.html); the PDF is where pages cite it.
PRINT_URL = PRINT_PAGE.parent.as_posix() + "/"
# Page size, margins and the running page numbers are the site's print CSS (@page in survey.css).
PDF_OPTIONS: dict[str, Any] = {"prefer_css_page_size": True, "print_background": True, "outline": True, "tagged": True}


class PrintError(Exception):
    pass


def print_pdf(site: Path, out: Path, browser: Browser | None = None) -> dict[str, float]:
    """Print ``site``'s print page to ``out`` (in ``browser``, or a Chromium of its own); give
    the time each step took, in seconds."""
    if not (site / PRINT_PAGE).is_file():
        raise PrintError(f"{site / PRINT_PAGE} is missing: build the site first (make build)")
    if browser is None:
        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return print_pdf(site, out, own)
            finally:
                own.close()
    timings: dict[str, float] = {}
    with serve(site) as base:
        # A PDF has no search box: the page need not build the search index (see new_context).
        context = new_context(browser, viewport={"width": 1100, "height": 1400})
        page = context.new_page()
        try:
            foreign = requests_elsewhere(page, base)
            missing: list[str] = []
            page.on("response", lambda r: missing.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
            start = time.perf_counter()
            page.goto(base + PRINT_URL, wait_until="networkidle", timeout=120_000)
            _wait_for_diagrams(page)
            timings["load and draw"] = time.perf_counter() - start

            start = time.perf_counter()
            first = page.pdf(**PDF_OPTIONS)
            page.evaluate(_NUMBER_CONTENTS, _contents_page_numbers(page, first))
            final = page.pdf(**PDF_OPTIONS)
            if len(PdfReader(io.BytesIO(final)).pages) != len(PdfReader(io.BytesIO(first)).pages):
                # The numbers moved the text: number again from this print.
                page.evaluate(_NUMBER_CONTENTS, _contents_page_numbers(page, final))
                final = page.pdf(**PDF_OPTIONS)
            timings["print"] = time.perf_counter() - start
            if foreign:
                raise PrintError("printing made requests outside the site: " + ", ".join(sorted(set(foreign))))
            if missing:
                raise PrintError("the print page asked for files the site lacks: " + ", ".join(sorted(set(missing))))
        finally:
            context.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(final)
    return timings


def _wait_for_diagrams(page: Page) -> None:
    page.wait_for_function(DIAGRAMS_DRAWN, timeout=60_000)
    broken = page.locator(BROKEN_DIAGRAM).count()
    if broken:
        raise PrintError(f"{broken} diagram(s) did not draw on the print page")


def _contents_page_numbers(page: Page, pdf: bytes) -> list[int | None]:
    """The page each entry of the contents begins on, from the PDF's outline, in contents order."""
    titles: list[str] = page.evaluate(_CONTENTS_TITLES)
    reader = PdfReader(io.BytesIO(pdf))
    outline: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                number = reader.get_destination_page_number(item)
                if number is not None:
                    # A heading broken over two lines may come out without its space: compare without.
                    outline.append(("".join(str(item.title).split()), number + 1))

    walk(reader.outline)
    numbers: list[int | None] = []
    at = 0
    for title in titles:
        squeezed = "".join(title.split())
        found = next((i for i in range(at, len(outline)) if outline[i][0] == squeezed), None)
        numbers.append(None if found is None else outline[found][1])
        if found is not None:
            at = found + 1
    return numbers


# Each entry of the contents, as the heading of the section it links to reads.
_CONTENTS_TITLES = """() => [...document.querySelectorAll('#print-page-toc a[href^="#"]')].map(a => {
  const target = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
  const heading = target && (target.matches('h1,h2,h3') ? target : target.querySelector('h1,h2,h3'));
  return (heading ? heading.textContent : a.textContent).replace(/¶/g, '').replace(/\\s+/g, ' ').trim();
})"""

_NUMBER_CONTENTS = """(numbers) => {
  document.querySelectorAll('#print-page-toc a[href^="#"]').forEach((a, i) => {
    let n = a.querySelector('.mi-toc-page');
    if (!n) { n = document.createElement('span'); n.className = 'mi-toc-page'; a.append(n); }
    n.textContent = numbers[i] == null ? '' : String(numbers[i]);
  });
}"""


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else site / PDF_NAME
    try:
        timings = print_pdf(site, out)
    except PrintError as error:
        print(f"make pdf: {error}", file=sys.stderr)
        return 1
    pages = len(PdfReader(out).pages)
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(f"{out}: {pages} pages, {out.stat().st_size / 1e6:.1f} MB ({steps})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
