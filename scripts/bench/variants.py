"""The three builds of one corpus: (a) our plugin, (b) its output pre-rendered, (c) mkdocs-macros.

Each variant is a docs folder and an ``mkdocs-<variant>.yml`` beside the corpus' ``content/data``.
The site configuration is the project's own ``mkdocs.yml`` (theme, Markdown extensions, assets);
only the docs folder, the navigation and the plugins differ.
"""

from __future__ import annotations

import html as html_lib
import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import yaml
from mkdocs.utils import get_relative_url

from mi_survey.load import KnowledgeBase, load, scan_pages
from mi_survey.model.common import CITATION_PATTERN, citation_keys
from mi_survey.render import RenderContext
from mi_survey.render.components import render_component
from mi_survey.render.exports import bibtex, knowledge_base_json, knowledge_base_schema, llms_txt
from mi_survey.render.pages import abbreviations, expand_nav, file_order, generated_pages, page_url

from .corpus import Corpus

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates" / "components"
OVERRIDES = ROOT / "templates" / "overrides"
ASSETS = ROOT / "content" / "docs" / "assets"
MACROS = Path(__file__).resolve().parent / "macros"
DATA_DIR = "content/data"
VARIANTS = {
    "a": "our plugin",
    "b": "export, MkDocs",
    "s": "pre-rendered, spliced",
    "c": "mkdocs-macros",
    "z": "Zensical, from export",
}

BLOCK = re.compile(r"^/// ([A-Za-z][\w-]*)\n(.*?)^///[ \t]*$", re.MULTILINE | re.DOTALL)
CITATION = re.compile(CITATION_PATTERN)
BACKLINKS = re.compile(r'<aside class="mi-backlinks".*?</aside>', re.DOTALL)
MARK = re.compile(r"<!--mi-survey:(\d+)-->")  # where (s) splices a chunk of HTML in


def site_settings() -> str:
    """The project's theme, assets and Markdown extensions, from its own mkdocs.yml."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = text.index("\ntheme:"), text.index("\nplugins:")
    section = text[start:end].replace("custom_dir: templates/overrides", f"custom_dir: {OVERRIDES}")
    assert f"custom_dir: {OVERRIDES}" in section and "\n  - abbr\n" in section, "mkdocs.yml changed shape"
    return section


def write_config(
    root: Path,
    variant: str,
    scale: str,
    nav: list,
    plugins: list,
    glossary: dict[str, str] | None = None,
    hooks: list[str] | None = None,
) -> Path:
    settings = site_settings()
    if glossary is not None:
        # What our plugin adds to the abbr extension at build time, written out for the others.
        settings = settings.replace(
            "\n  - abbr\n", "\n  - abbr:\n      glossary: " + json.dumps(glossary, ensure_ascii=False) + "\n", 1
        )
    text = (
        f"site_name: Benchmark survey ({scale}, {VARIANTS[variant]})\n"
        "site_description: A synthetic survey for the build benchmark.\n"
        "repo_url: https://github.com/mi-survey/mi-survey\n"
        "edit_uri: edit/main/content/docs/\n"
        f"docs_dir: docs-{variant}\nsite_dir: site-{variant}\nstrict: true\n"
        f"{settings}\n"
        + yaml.safe_dump({"plugins": plugins}, sort_keys=False)
        + (yaml.safe_dump({"hooks": hooks}) if hooks else "")
        + yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True)
    )
    path = root / f"mkdocs-{variant}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _docs(root: Path, variant: str) -> Path:
    docs = root / f"docs-{variant}"
    if docs.exists():
        shutil.rmtree(docs)
    (docs / "assets" / "vendor").mkdir(parents=True)
    for name in ("survey.css", "survey.js"):
        shutil.copy(ASSETS / name, docs / "assets" / name)
    tablesort = ASSETS / "vendor" / "tablesort"
    if not tablesort.is_dir():
        raise SystemExit(f"{tablesort} is missing: run `make assets` first")
    shutil.copytree(tablesort, docs / "assets" / "vendor" / "tablesort")
    return docs


def file_url(src: str) -> str:
    """What MkDocs' File.url is, which page links are made relative from: index.md -> ./"""
    return page_url(src) or "./" if src.endswith(".md") else src


# -- (a) our plugin --------------------------------------------------------------------------


def write_plugin(root: Path, corpus: Corpus) -> Path:
    corpus.write_pages(_docs(root, "a"))
    plugins = ["search", {"survey": {"data_dir": DATA_DIR, "templates_dir": str(TEMPLATES)}}]
    return write_config(root, "a", corpus.scale.name, corpus.nav, plugins)


# -- (b) and (s): the plugin's output, pre-rendered -----------------------------------------

# (b), the floor the targets are measured against, is plain Markdown: each page with the
# plugin's HTML written into it, built by MkDocs and Material alone. Python-Markdown then parses
# that HTML as any raw HTML in a page. (s) skips even that: a page holds a comment where the HTML
# goes and a hook of a few lines puts it back once Markdown is done, as the plugin's own stash
# does; it is the cost of a build that renders nothing at all.


def _prerender(page_ctx: RenderContext, text: str) -> tuple[str, list[str]]:
    """A page with each component and citation replaced by a mark, and the HTML of each mark."""
    chunks: list[str] = []

    def keep(html: str) -> str:
        chunks.append(html)
        return f"<!--mi-survey:{len(chunks) - 1}-->"

    def cite(match: re.Match[str]) -> str:
        return keep(page_ctx.cite(match.group(1)))

    out, last = [], 0
    for block in BLOCK.finditer(text):
        out.append(CITATION.sub(cite, text[last : block.start()]))
        options = yaml.safe_load(block.group(2)) if block.group(2).strip() else {}
        rendered = render_component(page_ctx, block.group(1), options)
        out.append(keep(f'<div class="mi-component mi-{block.group(1)}">{rendered}</div>'))
        last = block.end()
    out.append(CITATION.sub(cite, text[last:]))
    return "".join(out), chunks


def write_spliced(root: Path, corpus: Corpus, plugin_site: Path) -> Path:
    """The configuration of (s): every page with its components and citations rendered by our
    render layer beforehand, kept out of Markdown and spliced in by a hook; the generated pages,
    the exports and the "what links here" blocks (taken from a build with the plugin) too. It
    does not use our plugin."""
    kb = load(root / DATA_DIR, root)
    ctx = RenderContext(kb, TEMPLATES)
    spliced = _docs(root, "s")
    store = root / "prerendered"
    if store.exists():
        shutil.rmtree(store)

    scan = scan_pages(sorted(corpus.pages.items(), key=lambda item: file_order(item[0])))
    ctx.page_citations = scan.citations

    sources = dict(corpus.pages)
    for page in generated_pages(kb, DATA_DIR):
        sources[page.path] = page.markdown
    for src, text in sources.items():
        here = file_url(src)

        def linker(path: str, here=here) -> str:
            target, _, fragment = path.partition("#")
            url = get_relative_url(file_url(target), here)
            return f"{url}#{fragment}" if fragment else url

        marked, chunks = _prerender(ctx.for_page(linker), text)
        built = plugin_site / here / "index.html"
        found = BACKLINKS.search(built.read_text(encoding="utf-8")) if built.exists() else None
        backlinks = found.group(0) if found else ""
        _write(spliced / src, marked)
        _write(store / f"{src}.json", json.dumps({"html": chunks, "backlinks": backlinks}, ensure_ascii=False))

    exports = {
        "bibliography.bib": bibtex(ctx),
        "data/survey.json": knowledge_base_json(kb),
        "data/survey.schema.json": knowledge_base_schema(),
        "llms.txt": llms_txt(
            ctx,
            "Benchmark survey",
            "A synthetic survey for the build benchmark.",
            [(p.title, page_url(p.src_uri)) for p in scan.pages],
        ),
    }
    for path, content in exports.items():
        _write(spliced / path, content)
    shutil.copy(Path(__file__).resolve().parent / "splice_hook.py", root / "splice_hook.py")
    nav = expand_nav(corpus.nav, [p.path for p in generated_pages(kb, DATA_DIR)])
    glossary = abbreviations(kb)
    return write_config(root, "s", corpus.scale.name, nav, ["search"], glossary=glossary, hooks=["splice_hook.py"])


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# -- (z) Zensical, building `mi-survey export` ----------------------------------------------


def write_export(root: Path, engine: str) -> Path:
    """The corpus exported by ``mi-survey export`` (from (a)'s configuration) into ``export-b``
    (links as MkDocs reads them) or ``export-z`` (as Zensical does), built into its ``site``."""
    from mi_survey.export import export

    folder = root / f"export-{'z' if engine == 'zensical' else 'b'}"
    export(root, folder, "mkdocs-a.yml", engine=engine)
    return folder / "mkdocs.yml"


# -- (c) mkdocs-macros-plugin ----------------------------------------------------------------

_MACRO_NAMES = {
    "disagreement-map": "disagreement_map",
    "risk-models": "risk_models",
    "approach-details": "approach_details",
}
_ARGUMENTS = {"from": "start", "to": "end"}


def _literal(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _macro_call(name: str, options: dict | None) -> str:
    options = dict(options or {})
    if "columns" in options:
        options["columns"] = [c["field"] if isinstance(c, dict) else c for c in options["columns"]]
    args = ", ".join(f"{_ARGUMENTS.get(k, k)}={_literal(v)}" for k, v in options.items())
    return f"{{{{ s.{_MACRO_NAMES.get(name, name)}({args}) }}}}"


def _macro_citations(text: str) -> str:
    return CITATION.sub(lambda m: "{{ cite(" + _literal(citation_keys(m.group(1))) + ") }}", text)


def write_macros(root: Path, corpus: Corpus, kb: KnowledgeBase) -> Path:
    docs = _docs(root, "c")
    header = '{% import "survey.j2" as s with context %}\n'
    for src, text in corpus.pages.items():
        out, last = [], 0
        for block in BLOCK.finditer(text):
            out.append(_macro_citations(text[last : block.start()]))
            options = yaml.safe_load(block.group(2)) if block.group(2).strip() else {}
            out.append(_macro_call(block.group(1), options))
            last = block.end()
        out.append(_macro_citations(text[last:]))
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        (docs / src).write_text(header + "".join(out), encoding="utf-8")

    def stub(path: str, title: str, body: str) -> None:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(f"{header}# {title}\n\n{body}\n", encoding="utf-8")

    stub(
        "cruxes/index.md",
        "Key cruxes",
        'The questions on which the debate turns.\n\n{{ s.crux_index() }}\n\n{{ s.diagram("crux-map") }}',
    )
    stub("bibliography.md", "Bibliography", "Every source the survey cites.\n\n{{ s.bibliography() }}")
    stub("glossary.md", "Glossary", "Terms used across the survey.\n\n{{ s.glossary() }}")
    stub("people.md", "People", "Researchers the survey discusses.\n\n{{ s.people() }}")
    stub("organisations.md", "Organisations", "Labs, teams and communities.\n\n{{ s.organisations() }}")
    for crux in kb.all("cruxes"):
        stub(f"cruxes/{crux.id}.md", html_lib.escape(crux.question), f'{{{{ s.crux("{crux.id}") }}}}')
    views = [p.path for p in generated_pages(kb, DATA_DIR) if p.path.startswith("data/") and p.path != "data/index.md"]
    listing = "\n".join(
        f"- [{posixpath.basename(v)[:-3]}]({posixpath.basename(v)}): "
        f'{{{{ data["{posixpath.basename(v)[:-3]}"]|length }}}} records'
        for v in views
    )
    stub("data/index.md", "Data", "Every record behind the survey, one page per collection.\n\n" + listing)
    for view in views:
        name = posixpath.basename(view)[:-3]
        stub(view, name.replace("-", " ").capitalize(), f'{{{{ s.data_view("{name}") }}}}')

    shutil.copy(MACROS / "main.py", root / "macros_main.py")
    include = root / "macros-templates"
    include.mkdir(exist_ok=True)
    shutil.copy(MACROS / "survey.j2", include / "survey.j2")
    plugins = [
        "search",
        {"macros": {"module_name": "macros_main", "include_dir": "macros-templates", "on_error_fail": True}},
    ]
    return write_config(
        root,
        "c",
        corpus.scale.name,
        expand_nav(corpus.nav, [p.path for p in generated_pages(kb, DATA_DIR)]),
        plugins,
        glossary=abbreviations(kb),
    )


# -- checking that (b), (s) and (z) are the same site ----------------------------------------

_ARTICLE = re.compile(r"<article\b.*?</article>", re.DOTALL)
_NORMALISE = [
    # A citation card's number follows the order its page rendered citations in.
    (re.compile(r"mi-card-\d+"), "mi-card-N"),
    # A generated page's edit link goes to its YAML source; written out for (b), to the page.
    (re.compile(r'href="[^"]*/edit/main/[^"]*"'), 'href="EDIT"'),
    # The page's git dates (MkDocs' git-revision-date-localized plugin; no other engine has them).
    (re.compile(r'<aside class="md-source-file">.*?</aside>', re.DOTALL), ""),
    # Zensical's target for the "skip to content" link.
    (re.compile(r'<a id="__skip" tabindex="-1"></a>'), ""),
    # The day a citation was accessed is the build's: two builds either side of midnight differ.
    (re.compile(r'<time class="mi-accessed" datetime="[^"]*">[^<]*</time>'), "<time>ACCESSED</time>"),
]


class _Canonical(HTMLParser):
    """HTML as a list of tags (name and sorted attributes) and text with its white space
    collapsed: the same page whoever serialised it (mkdocs-mermaid2 re-serialises a page with a
    diagram through BeautifulSoup, which reorders attributes and writes entities its own way)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.base = f"http://site/{page.removesuffix('index.html')}"

    def handle_starttag(self, tag, attrs) -> None:
        # A link as the address it leads to: "..", "../" and "../index.md" made "../" are one.
        attrs = [(k, urljoin(self.base, v) if k in ("href", "src") and v else v) for k, v in attrs]
        # Zensical's search reads data-search-exclude and drops it from the page it writes.
        shown = " ".join(f"{k}={v or ''!r}" for k, v in sorted(attrs) if k != "data-search-exclude")
        self.out.append(f"<{tag} {shown}>")

    def handle_endtag(self, tag) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data) -> None:
        text = " ".join(data.split())
        if text:
            self.out.append(text)


def canonical_article(page: str, path: str = "index.html") -> str:
    """The article of a page (``path`` below the site), as compared between builds of one site."""
    found = _ARTICLE.search(page)
    text = found.group(0) if found else ""
    for pattern, replacement in _NORMALISE:
        text = pattern.sub(replacement, text)
    parser = _Canonical(path)
    parser.feed(text)
    parser.close()
    return "\n".join(parser.out)


def differing_pages(site_a: Path, site_b: Path) -> list[str]:
    """Pages whose article differs between two builds, once card numbers, edit links, git dates
    and the serialisation of the HTML are set aside; a page missing from either build differs."""

    def article(path: Path, page: str) -> str | None:
        return canonical_article(path.read_text(encoding="utf-8"), page) if path.exists() else None

    pages = {p.relative_to(site_a).as_posix() for p in site_a.rglob("index.html")}
    pages |= {p.relative_to(site_b).as_posix() for p in site_b.rglob("index.html")}
    differing = []
    for page in sorted(pages):
        first = article(site_a / page, page)
        if first is None or first != article(site_b / page, page):
            differing.append(page)
    return differing
