"""Compiled templates are kept between builds, the theme's and ours: a rebuild shows the same
pages without compiling again, an edited template or filter shows in the next build, and an
environment the cache cannot vouch for compiles as MkDocs does."""

from __future__ import annotations

import importlib.util
import marshal
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2
import pytest
from helpers import MKDOCS, ROOT, copy_fixture_site
from jinja2.bccache import bc_magic
from mkdocs.theme import Theme

from mi_survey.theme_templates import cache_theme_templates


@pytest.fixture(autouse=True)
def private_temp(tmp_path, monkeypatch):
    # Jinja keeps its cache in the user's temporary folder: each test gets one of its own.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def cached_files(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("_jinja2-cache-*/*.cache"))


# What Material's footer reads of the configuration.
FOOTER_CONFIG = {"theme": {"language": "en", "features": []}, "extra": {}, "copyright": "© The editors"}


def material_env() -> jinja2.Environment:
    return Theme(name="material").get_env()


def test_the_theme_of_a_build_renders_the_same_from_the_cache(tmp_path):
    page: dict[str, object] = {"config": FOOTER_CONFIG, "page": None, "nav": [], "base_url": "."}
    fresh = material_env().get_template("partials/footer.html").render(**page)
    assert "© The editors" in fresh

    first = material_env()
    cache_theme_templates(first)
    assert first.get_template("partials/footer.html").render(**page) == fresh
    assert cached_files(tmp_path), "the first build keeps the compiled templates"

    second = material_env()
    cache_theme_templates(second)

    def compile_again(*args, **kwargs):
        raise AssertionError("compiled again instead of read from the cache")

    second.compile = compile_again  # type: ignore[method-assign]
    assert second.get_template("partials/footer.html").render(**page) == fresh


def test_an_edited_template_shows_in_the_next_build(tmp_path):
    theme_dir = tmp_path / "overrides"
    theme_dir.mkdir()
    template = theme_dir / "main.html"

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dir), auto_reload=False)
        cache_theme_templates(env)
        return env.get_template("main.html").render(title="Cruxes")

    template.write_text("<h1>{{ title }}</h1>", encoding="utf-8")
    assert render() == "<h1>Cruxes</h1>"
    assert cached_files(tmp_path)
    template.write_text("<h2>{{ title }}</h2>", encoding="utf-8")
    assert render() == "<h2>Cruxes</h2>"


def test_a_filter_another_plugin_adds_later_turns_the_cache_off(tmp_path):
    # Jinja may run a filter while compiling (on constants): its code would be in the cache, and
    # a plugin's filter has no version the cache can tell. It may come after our plugin's turn.
    env = material_env()
    cache_theme_templates(env)
    env.filters["shout"] = lambda text: text.upper()
    assert "© The editors" in env.get_template("partials/footer.html").render(config=FOOTER_CONFIG, page=None)
    assert cached_files(tmp_path) == []


def test_an_environment_with_a_cache_of_its_own_keeps_it():
    env = material_env()
    own = jinja2.FileSystemBytecodeCache(directory=tempfile.gettempdir())
    env.bytecode_cache = own
    cache_theme_templates(env)
    assert env.bytecode_cache is own


# A build of one template whose filter lives in the module site_filters.py beside it: a process of
# its own, as each `mkdocs build` is. With "serve", the filter's file is edited after its import
# and the template built again in the same process, as `mkdocs serve` rebuilds without importing
# the edited module again.
_BUILD = """
import sys
from pathlib import Path
import jinja2
from mi_survey.render.template_cache import compiled_template_cache

def build():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(sys.argv[1]), auto_reload=False)
    env.filters["month"] = site_filters.month
    env.bytecode_cache = compiled_template_cache()
    print(env.get_template("label.html").render())

sys.path.insert(0, sys.argv[1])
import site_filters
build()
if sys.argv[2:]:
    Path(sys.argv[1], "site_filters.py").write_text(sys.argv[2], encoding="utf-8")
    build()
"""


def _month_returns(text: str) -> str:
    return f"def month(value):\n    return {text}\n"


def test_an_edited_filter_shows_in_the_next_build(tmp_path):
    # Jinja runs a filter of constants while compiling: the filter's new code must not meet the
    # old compiled template, nor may a rebuild by `mkdocs serve`, still running the old code,
    # leave the old result under the new code's name for the next build.
    (tmp_path / "label.html").write_text('{{ "2024-05" | month }}', encoding="utf-8")
    filters = tmp_path / "site_filters.py"
    environ = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}

    def builds(*serve_edit: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _BUILD, str(tmp_path), *serve_edit],
            env=environ,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.splitlines()

    filters.write_text(_month_returns("value"), encoding="utf-8")
    assert builds() == ["2024-05"]
    assert builds() == ["2024-05"]  # from the cache
    filters.write_text(_month_returns("'May 2024'"), encoding="utf-8")
    assert builds() == ["May 2024"]
    assert builds(_month_returns("'Mai 2024'")) == ["May 2024", "May 2024"]  # serve: the old code runs
    assert builds() == ["Mai 2024"]


def test_a_build_of_the_site_keeps_the_themes_compiled_templates(tmp_path):
    site = copy_fixture_site(tmp_path / "project")
    temp = tmp_path / "temp"
    temp.mkdir()
    environ = {**os.environ, "TMPDIR": str(temp), "NO_MKDOCS_2_WARNING": "1"}

    def build() -> dict[Path, int]:
        args = [MKDOCS, "build", "--strict", "-f", str(site / "mkdocs.yml"), "-d", str(tmp_path / "out")]
        subprocess.run(args, env=environ, capture_output=True, timeout=300, check=True)
        return {f: f.stat().st_mtime_ns for f in cached_files(temp)}

    first = build()
    material = importlib.util.find_spec("material")
    assert material is not None and material.origin is not None
    theme = Path(material.origin).parent / "templates"
    compiled_from = set()
    for entry in first:
        with entry.open("rb") as f:  # Jinja's format: a magic number, the source's checksum, the code
            assert f.read(len(bc_magic)) == bc_magic
            pickle.load(f)
            compiled_from.add(Path(marshal.load(f).co_filename))
    assert any(p.is_relative_to(theme) for p in compiled_from), "the theme's templates"
    assert any(p.is_relative_to(ROOT / "templates" / "components") for p in compiled_from), "ours"
    assert build() == first  # the second build read every template back, wrote none
