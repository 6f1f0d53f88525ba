"""Compiled Jinja templates kept from one build to the next (Jinja's bytecode cache), under a key
that holds everything the compiled code depends on besides the template's own source.

Jinja checks a cached entry against the template's source only. The compiled code also depends on
the environment: its syntax options, extensions and policies, how each filter and test is called,
and, where Jinja runs a filter or test of constants while compiling, that function's code. So the
entries' names hold a fingerprint of all that, taken when the environment compiles its first
template (by then whoever sets the environment up, MkDocs' plugins included, has done so).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS

from .kept_text import source_as_imported


def compiled_template_cache(
    depends_on: Callable[[Environment], str | None] = lambda env: "",
) -> FileSystemBytecodeCache | None:
    """A cache of an environment's compiled templates, in a private folder of the user's
    temporary directory; None where there is no such folder.

    ``depends_on(env)`` names what else the compiled code depends on: the versions of whoever
    provides the environment's extensions, and of the filters' helpers; or None where that cannot
    be told, and then the templates compile as without a cache."""
    try:
        return _BytecodeCache(depends_on)
    except (OSError, RuntimeError):  # no private temporary folder to be had: compile every build
        return None


class _BytecodeCache(FileSystemBytecodeCache):
    """A cache that cannot be read or written is no cache: the template compiles, as without one."""

    def __init__(self, depends_on: Callable[[Environment], str | None]) -> None:
        super().__init__(pattern="__mi_survey_%s.cache")
        self._depends_on = depends_on
        self._fingerprint: str | None = None
        self._taken = False

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        if not self._taken:
            self._taken = True
            extra = self._depends_on(environment)
            self._fingerprint = None if extra is None else _fingerprint(environment, extra)
        return super().get_bucket(environment, name, filename, source)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self._fingerprint}|{name}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        if self._fingerprint is None:
            return
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if self._fingerprint is None:
            return
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _fingerprint(env: Environment, depends_on: str) -> str | None:
    if type(env) is not Environment or env.is_async or env.finalize is not None:
        return None  # compiled differently, and rare enough not to be worth a key
    if env.code_generator_class is not CodeGenerator:
        return None
    options = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        _described(env.autoescape),
        sorted(env.extensions),
        getattr(env, "newstyle_gettext", None),  # set by the i18n extension, read as it compiles
        sorted((name, _described(value)) for name, value in env.policies.items()),
        _callables(env.filters),
        _callables(env.tests),
    )
    text = repr(options)
    if " at 0x" in text:
        return None  # a value known by its address, which differs in every process
    try:
        sources = _defining_sources(env)
    except OSError:
        return None
    key = f"{jinja2.__version__}\n{depends_on}\n{text}\n".encode() + sources
    return hashlib.sha256(key).hexdigest()[:16]


def _described(value: Any, closure: bool = True) -> str:
    """A value as the same text in every process: a function by its name and what its closure
    holds (select_autoescape's settings, the function an async variant wraps), one level deep (a
    recursive function holds itself)."""
    if not callable(value):
        return repr(value)
    cells = [_described(c.cell_contents, False) for c in getattr(value, "__closure__", None) or ()] if closure else []
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"{getattr(value, '__module__', None)}.{name}({', '.join(cells)})"


def _callables(named: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Each filter or test by name, what it is, and how Jinja passes it the context."""
    return sorted((name, _described(f), str(getattr(f, "jinja_pass_arg", ""))) for name, f in named.items())


def added_callables(env: Environment) -> list[Any]:
    """The filters and tests of ``env`` that are not Jinja's own."""
    return [
        f
        for defaults, named in ((DEFAULT_FILTERS, env.filters), (DEFAULT_TESTS, env.tests))
        for name, f in named.items()
        if f is not defaults.get(name)
    ]


def _defining_sources(env: Environment) -> bytes:
    """The source of this module and of each one defining a filter or test not Jinja's own."""
    modules = sorted({__name__} | {getattr(f, "__module__", None) or "" for f in added_callables(env)})
    return b"".join(source_as_imported(m) for m in modules)
