"""The survey plugin's options in mkdocs.yml, as MkDocs validates them (beside the adapter, as
Material for MkDocs keeps each plugin's options beside the plugin)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .render.scholarly import INDEX_PAGES


class SurveyConfig(Config):
    data_dir = c.Type(str, default="content/data")
    templates_dir = c.Type(str, default="templates/components")
    # Prefix, relative to repo_url, of an edit link for any file of the project (not only docs).
    edit_root = c.Type(str, default="edit/main/")
    # Every reference must be cited by a page or a record: an uncited one is a claim-less source.
    require_citations = c.Type(bool, default=True)
    # Pages that list rather than argue: no "Cite this page" and no scholarly meta tags. A path
    # ending in "/" stands for every page below it.
    index_pages = c.ListOfItems(c.Type(str), default=list(INDEX_PAGES))
