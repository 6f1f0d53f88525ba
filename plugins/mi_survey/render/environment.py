"""The Jinja2 environment: autoescaped HTML templates, plain-text ones for exports."""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS

from ..model.common import date_label


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build (a rebuild makes a new one), so a template never changes under
        # it: no need to stat the file on every include and import, some 100,000 times a build.
        auto_reload=False,
    )
    env.filters.update(
        date_label=date_label,
        stars=_stars,
        bibtex=_bibtex,
        mermaid_label=mermaid_label,
        authors=authors_short,
        authors_full=authors_full,
        host=_host,
    )
    # Compiling the templates is a tenth of a second of every build: Jinja keeps the code.
    env.bytecode_cache = compiled_template_cache(env)
    return env


class _BytecodeCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, in a private folder of the user's temporary directory.

    A cache that cannot be read or written is no cache: the template is compiled, as without one."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compiled_template_cache(env: Environment, depends_on: str = "") -> FileSystemBytecodeCache | None:
    """A cache of ``env``'s compiled templates that lasts from build to build, or None.

    Jinja checks an entry against the template's source only. The compiled code also depends on
    the environment: its syntax options and extensions, how each filter and test is called, and,
    where Jinja computes a filter of constants while compiling, the filter's own code. The entries'
    names hold a fingerprint of the options, of the filters and tests by name and origin, of
    Jinja's version, of the source of this module (which sets our environment's options) and of
    each module defining a filter or test that is not Jinja's own, and of ``depends_on``: the
    versions of whoever provides the filters."""
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
        env.autoescape if isinstance(env.autoescape, bool) else "by template name (make_environment)",
        sorted(env.extensions),
        _callables(env.filters),
        _callables(env.tests),
    )
    try:
        key = f"{jinja2.__version__}\n{depends_on}\n{options!r}\n".encode() + _defining_sources(env)
        fingerprint = hashlib.sha256(key).hexdigest()[:16]
        return _BytecodeCache(pattern=f"__mi_survey_{fingerprint}_%s.cache")
    except (OSError, RuntimeError):  # a source unreadable, or no private temporary folder: no cache
        return None


def _defining_sources(env: Environment) -> bytes:
    modules = {__name__}
    for defaults, named in ((DEFAULT_FILTERS, env.filters), (DEFAULT_TESTS, env.tests)):
        modules.update(getattr(f, "__module__", None) or "" for name, f in named.items() if f is not defaults.get(name))
    files = (getattr(sys.modules.get(m), "__file__", None) for m in sorted(modules))
    return b"".join(Path(f).read_bytes() for f in files if f)


def _callables(named: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """Each filter or test by name, what it is, and how Jinja passes it the context."""
    return sorted(
        (
            name,
            getattr(f, "__module__", None) or "",
            getattr(f, "__qualname__", None) or type(f).__qualname__,
            str(getattr(f, "jinja_pass_arg", "")),
        )
        for name, f in named.items()
    )


def _host(url: str) -> str:
    """The site a URL points at, as a reader names it ("arxiv.org")."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _stars(value: int) -> str:
    return "★" * value + "☆" * (5 - value)


ET_AL = "et al."


def authors_short(authors: list[str]) -> str:
    """Author-year label style: "Olah", "Bereska & Gavves", "Templeton et al."."""
    # A final "et al." entry stands for authors the record does not list.
    truncated = bool(authors) and authors[-1].strip().casefold() == ET_AL
    surnames = [a.split()[-1] for a in (authors[:-1] if truncated else authors)]
    if not surnames:
        return ""
    if len(surnames) > 2 or truncated:
        return f"{surnames[0]} et al."
    return " & ".join(surnames)


def authors_full(authors: list[str]) -> str:
    """ "A, B and C"; a final "et al." entry stays at the end without a comma."""
    truncated = bool(authors) and authors[-1].strip().casefold() == ET_AL
    names = list(authors[:-1] if truncated else authors)
    if truncated:
        return ", ".join(names) + " et al."
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _bibtex(value: str) -> str:
    """Text safe inside a braced BibTeX field: braces balanced by escaping, specials escaped."""
    out = []
    for ch in str(value):
        if ch in "{}" or ch in "&%$#_":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        else:
            out.append(ch)
    return "".join(out)


def mermaid_label(value: str) -> str:
    """Text for a quoted Mermaid label: Mermaid's entity codes for quotes and markup characters.

    The whole text, never shortened: a diagram wraps a long label onto more lines (a label cut
    with "…" hides the words the reader came for)."""
    text = " ".join(str(value).split())
    # "#" first: the codes that follow contain it.
    for ch, code in (
        ("#", "#35;"),
        ('"', "#quot;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("&", "#amp;"),
        ("`", "#96;"),
        ("[", "#91;"),
        ("]", "#93;"),
        ("{", "#123;"),
        ("}", "#125;"),
        ("|", "#124;"),
        ("(", "#40;"),
        (")", "#41;"),
    ):
        text = text.replace(ch, code)
    return text
