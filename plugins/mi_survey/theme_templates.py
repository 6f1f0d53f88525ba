"""The theme's compiled templates, kept from one build to the next.

MkDocs makes the theme's Jinja environment anew and compiles every page template of the theme in
each build and each rebuild of ``mkdocs serve``: about a tenth of a second, a tenth of a build of
the survey. Jinja's bytecode cache keeps the compiled code, as it does for our own templates.
"""

from __future__ import annotations

import mkdocs
from jinja2 import Environment

from .render.template_cache import added_callables, compiled_template_cache

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
    providers = (getattr(x, "__module__", None) or "" for x in (*added_callables(env), *env.extensions.values()))
    if not all(module.startswith(_PROVIDERS) for module in providers):
        return None
    return f"MkDocs {mkdocs.__version__}"
