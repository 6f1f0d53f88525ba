"""Generator for the survey site "Is mechanistic interpretability sufficient for AI safety?".

Layers, each unaware of the one above it: ``model`` (pydantic records), ``load`` (YAML to a
validated, cross-linked knowledge base), ``render`` (knowledge base to HTML through Jinja2
templates) and ``mkdocs_plugin`` (the thin MkDocs adapter).
"""

__version__ = "0.1.0"
