"""The theme's compiled templates, kept from one build to the next.

MkDocs makes the theme's Jinja environment anew and compiles every page template of the theme in
each build and each rebuild of ``mkdocs serve``: about a tenth of a second, a tenth of a build of
the survey. Jinja's bytecode cache keeps the compiled code, as it does for our own templates.
"""

from __future__ import annotations

from typing import Any

import mkdocs
from jinja2 import Environment
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS

from .render.template_cache import compiled_template_cache

# Whose filters, tests and extensions the cache can vouch for, by their versions in its key.
_PROVIDERS = ("jinja2.", "mkdocs.")


def cache_theme_templates(env: Environment) -> None:
    """Give the theme's environment a cache of its compiled templates, unless it has one."""
    if env.bytecode_cache is None:
        env.bytecode_cache = compiled_template_cache(_versions)


def _versions(env: Environment) -> str | None:
    """What the theme's compiled templates depend on besides the key's own parts: MkDocs'
    version. None, and no cache, where a plugin has added a filter, a test or an extension: the
    cache cannot tell its version (Jinja runs a filter of constants while compiling)."""
    if not (
        all(_provided(f, DEFAULT_FILTERS.get(name)) for name, f in env.filters.items())
        and all(_provided(t, DEFAULT_TESTS.get(name)) for name, t in env.tests.items())
        and all(_provided(x, None) for x in env.extensions.values())
    ):
        return None
    return f"MkDocs {mkdocs.__version__}"


def _provided(obj: Any, default: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return obj is default or module.startswith(_PROVIDERS)
