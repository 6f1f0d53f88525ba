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

from .render.environment import compiled_template_cache

# Whose filters, tests and extensions the cache can vouch for, by their versions in its key.
_PROVIDERS = ("jinja2.", "mkdocs.")


def cache_theme_templates(env: Environment) -> None:
    """Give the theme's environment a cache of its compiled templates.

    Only where the compiled code can be told from the cache's key: no other cache set, and every
    filter, test and extension Jinja's or MkDocs'. A plugin's filter may compute a different
    result for the same template (Jinja runs a filter of constants while compiling), so with one
    the templates compile as without the cache."""
    if env.bytecode_cache is not None or not isinstance(env.autoescape, bool):
        return
    if not (
        all(_provided(f, DEFAULT_FILTERS.get(name)) for name, f in env.filters.items())
        and all(_provided(t, DEFAULT_TESTS.get(name)) for name, t in env.tests.items())
        and all(_provided(x, None) for x in env.extensions.values())
    ):
        return
    env.bytecode_cache = compiled_template_cache(env, depends_on=f"MkDocs {mkdocs.__version__}")


def _provided(obj: Any, default: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return obj is default or module.startswith(_PROVIDERS)
