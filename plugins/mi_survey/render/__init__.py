"""Render layer: the knowledge base plus a component request, to HTML through Jinja2 templates.

Nothing here imports MkDocs: the adapter hands in a ``Linker`` that turns a page path of the
site into a URL relative to the page being rendered.
"""

from .context import ComponentError, Linker, RenderContext
from .markdown_ext import SurveyExtension

__all__ = ["ComponentError", "Linker", "RenderContext", "SurveyExtension"]
