"""What the tests share: the fixture site, copied and built as a maintainer builds it.

Fixtures live in conftest.py; plain functions here, imported by name. Nothing here imports
Playwright: only the browser tests need it.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.context
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
MI_SURVEY = str(Path(sys.executable).parent / "mi-survey")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def run_build(config: Path, site_dir: Path, strict: bool = True) -> BuildResult:
    """`mkdocs build` of ``config`` into ``site_dir``, as a maintainer runs it, in a process of its
    own: its exit code and everything it printed (stdout and stderr)."""
    args = ["build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        args.append("--strict")
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "output"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        child = _mkdocs_processes().Process(target=_mkdocs_in_child, args=(args, env, os.getcwd(), str(output)))
        child.start()
        child.join(300)
        if child.exitcode is None:
            child.kill()
            child.join()
            raise TimeoutError(f"mkdocs {' '.join(args)} took over 300 s")
        return BuildResult(child.exitcode, output.read_text(encoding="utf-8", errors="replace"), site_dir)


# Each build runs in a process forked from multiprocessing's fork server (one per test worker),
# which has imported MkDocs, Material and the plugins but never builds: the child is a fresh
# process, as from a shell, without the half second of imports that was three quarters of a
# fixture-site build.
_PRELOAD = [
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "material.plugins.search.plugin",
    "mermaid2.plugin",
    "mi_survey.mkdocs_plugin",
]


@functools.cache
def _mkdocs_processes() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _mkdocs_in_child(args: list[str], env: dict[str, str], cwd: str, output: str) -> None:
    """In the child: MkDocs's own command line, its output sent to ``output``; its exit code
    becomes the child's, and an exception prints its traceback and exits 1, as from a shell."""
    from mkdocs.__main__ import cli

    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.argv = ["mkdocs", *args]
    try:
        cli.main(args=args, prog_name="mkdocs")
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def copy_fixture_site(dest: Path) -> Path:
    """A writable copy of tests/fixtures/site whose plugin options point at the real templates."""
    shutil.copytree(FIXTURE_SITE, dest)
    config = dest / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../templates/", str(ROOT / "templates") + "/"))
    return dest


def enable_mermaid(site: Path, arguments: str = "") -> None:
    """Turn on mermaid2 in a copy of the fixture site, with the real site's Mermaid as served."""
    # A copy, not a link: the build refuses files that lie outside the project.
    shutil.copytree(ROOT / "content/docs/assets/vendor/mermaid", site / "content/docs/assets/vendor/mermaid")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "plugins:\n",
            "plugins:\n  - mermaid2:\n      javascript: assets/vendor/mermaid/mermaid.esm.min.mjs\n" + arguments,
            1,
        )
    )


def validate(root: Path) -> subprocess.CompletedProcess[str]:
    """`mi-survey validate` on a project, as a contributor runs it."""
    return subprocess.run([MI_SURVEY, "validate", "--root", str(root)], capture_output=True, text=True)


# -- components rendered in-process, as a page of the fixture site ------------------------------


class PageRenderer:
    """Renders a page's Markdown through the survey's Markdown extension over the fixture site's
    knowledge base, without MkDocs: what a component or citation shows, and the problems it
    reports with their lines, in milliseconds. The page sits at ``nested/page.md``."""

    PAGE = "nested/page.md"

    def __init__(self) -> None:
        from datetime import date

        from mi_survey.load import load, read_edition, read_pages, scan_pages
        from mi_survey.render import RenderContext
        from mi_survey.render.scholarly import SurveyCitations

        site = FIXTURE_SITE
        self.kb = load(site / "content" / "data", site)
        # A fixed day of reading: the golden files do not change with the calendar.
        citations = SurveyCitations(read_edition(site), date(2026, 12, 1))
        self.context = RenderContext(self.kb, ROOT / "templates" / "components", citations=citations)
        self.context.page_citations = scan_pages(read_pages(site / "content" / "docs")).citations

    def render(self, markdown: str) -> tuple[str, list[str]]:
        """The page's HTML, and its problems as ``line: message [code]``."""
        import markdown as python_markdown

        from mi_survey.render import SurveyExtension
        from mi_survey.render.backlinks import relative_url
        from mi_survey.render.pages import page_url

        here = page_url(self.PAGE)

        def linker(path: str) -> str:
            target, _, fragment = path.partition("#")
            url = relative_url(page_url(target), here) if target.endswith(".md") else target
            return f"{url}#{fragment}" if fragment else url

        page_context = self.context.for_page(linker, here)
        extension = SurveyExtension(context=lambda: page_context)
        md = python_markdown.Markdown(extensions=[extension, "abbr", "admonition", "attr_list", "tables"])
        html, located = extension.finish_page(md.convert(markdown), markdown)
        problems = [f"{line}: {p.message}" + (f" [{p.code}]" if p.code else "") for line, p in located]
        return html, problems


def finish_page(pages, src: str, source: str, extensions=("attr_list",), title: str = "") -> str:
    """Page ``src`` of Markdown ``source`` (titled ``title``) through a ``SurveyPages``' steps:
    start, the Markdown converted as an engine converts it with ``extensions``, finish. Its
    content as finished."""
    import markdown as python_markdown

    from mi_survey.render.backlinks import relative_url
    from mi_survey.render.pages import page_url

    url = page_url(src)

    def linker(path: str) -> str:
        return relative_url(page_url(path), url) if path.endswith(".md") else path

    pages.start(src, url, linker, {})
    md = python_markdown.Markdown(extensions=[pages.extension, *extensions])
    content, _ = pages.finish(src, url, md.convert(source), source, title or src)
    return content


def build_with_pages(base: Path, pages: dict[str, str]) -> BuildResult:
    """One build of a fixture-site copy below ``base`` with a page ``content/docs/bad/NAME.md``
    for each name and whole Markdown text: one build reports every page's problems."""
    site = copy_fixture_site(base / "project")
    bad = site / "content" / "docs" / "bad"
    bad.mkdir()
    for name, text in pages.items():
        (bad / f"{name}.md").write_text(text, encoding="utf-8")
    return run_build(site / "mkdocs.yml", base / "out")
