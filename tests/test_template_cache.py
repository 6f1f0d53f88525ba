"""The theme's compiled templates are kept between builds: a rebuild shows the same pages, an
edited template shows at once, and a theme environment the cache cannot vouch for compiles as
MkDocs does."""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

import jinja2
import pytest
from mkdocs.theme import Theme

from mi_survey.render.environment import compiled_template_cache
from mi_survey.theme_templates import cache_theme_templates


@pytest.fixture(autouse=True)
def private_temp(tmp_path, monkeypatch):
    # Jinja keeps its cache in the user's temporary folder: each test gets one of its own.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


def cached_files(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("_jinja2-cache-*/*.cache"))


def material_env() -> jinja2.Environment:
    return Theme(name="material").get_env()


def test_the_theme_of_a_build_renders_the_same_from_the_cache(tmp_path):
    config = {"theme": {"language": "en", "features": []}, "extra": {}, "copyright": "© The editors"}
    page: dict[str, object] = {"config": config, "page": None, "nav": [], "base_url": "."}
    fresh = material_env().get_template("partials/footer.html").render(**page)
    assert "© The editors" in fresh

    first = material_env()
    cache_theme_templates(first)
    assert first.get_template("partials/footer.html").render(**page) == fresh
    written = cached_files(tmp_path)
    assert written, "the first build keeps the compiled templates"

    second = material_env()
    cache_theme_templates(second)
    assert second.get_template("partials/footer.html").render(**page) == fresh
    assert cached_files(tmp_path) == written  # read back, nothing compiled anew


def test_an_edited_template_shows_in_the_next_build(tmp_path):
    theme_dir = tmp_path / "overrides"
    theme_dir.mkdir()
    template = theme_dir / "main.html"

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dir), auto_reload=False)
        cache_theme_templates(env)
        assert env.bytecode_cache is not None
        return env.get_template("main.html").render(title="Cruxes")

    template.write_text("<h1>{{ title }}</h1>", encoding="utf-8")
    assert render() == "<h1>Cruxes</h1>"
    template.write_text("<h2>{{ title }}</h2>", encoding="utf-8")
    assert render() == "<h2>Cruxes</h2>"


def test_a_filter_of_another_plugin_turns_the_cache_off():
    # Jinja may run a filter while compiling (on constants): its code would be in the cache.
    env = material_env()
    env.filters["shout"] = lambda text: text.upper()
    cache_theme_templates(env)
    assert env.bytecode_cache is None


def test_an_environment_with_a_cache_of_its_own_keeps_it():
    env = material_env()
    own = jinja2.FileSystemBytecodeCache(directory=tempfile.gettempdir())
    env.bytecode_cache = own
    cache_theme_templates(env)
    assert env.bytecode_cache is own


def test_an_edited_filter_shows_in_the_next_build(tmp_path, monkeypatch):
    # Jinja runs a filter of constants while compiling: the filter's new code must not meet the
    # old compiled template.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "label.html").write_text('{{ "2024-05" | month }}', encoding="utf-8")
    module = tmp_path / "site_filters.py"
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # each import reads the edited source
    monkeypatch.setitem(sys.modules, "site_filters", None)  # so that it is gone after the test

    def render(body: str) -> str:
        module.write_text(f"def month(value):\n    return {body}\n", encoding="utf-8")
        sys.modules.pop("site_filters", None)
        filters = importlib.import_module("site_filters")
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), auto_reload=False)
        env.filters["month"] = filters.month
        env.bytecode_cache = compiled_template_cache(env)
        assert env.bytecode_cache is not None
        return env.get_template("label.html").render()

    assert render("value") == "2024-05"
    assert render("value") == "2024-05"  # from the cache
    assert render("'May 2024'") == "May 2024"
