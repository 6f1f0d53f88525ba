"""Markdown for text written in YAML records: rendered, but never a way to inject HTML.

Raw HTML is not parsed (it comes out as visible, escaped text) and every link or image whose
URL is not http(s), site-relative or a fragment loses it.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from ..model.common import CITATION_PATTERN


def is_safe_url(url: str) -> bool:
    """http(s), a fragment, or a relative path; never a scheme such as javascript: or data:."""
    # The serializer keeps character references ("&#106;avascript:") and Python-Markdown writes
    # "&" as a placeholder (its mailto: links are all references): judge what a browser decodes.
    decoded = html.unescape(url.replace(markdown.util.AMP_SUBSTITUTE, "&"))
    # Browsers ignore ASCII white space and control characters inside a scheme ("java\tscript:").
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", decoded)
    if cleaned.startswith(("//", "\\", "/\\")):
        return False  # protocol-relative: a third-party host
    head = re.split(r"[/?#]", cleaned, maxsplit=1)[0]
    if ":" in head:
        return head.split(":", 1)[0].lower() in ("http", "https")
    return True


class _LinkGuard(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not is_safe_url(value):
                    del element.attrib[attribute]
            if element.tag == "img":
                # Images in record text would be third-party requests; keep the alt text only.
                element.tag = "span"
                element.text = element.attrib.pop("alt", "")
                element.attrib.clear()


class _Citations(InlineProcessor):
    def __init__(self, md: markdown.Markdown, render: Callable[[str], str]) -> None:
        super().__init__(CITATION_PATTERN, md)
        self._render = render

    def handleMatch(self, m, data):  # type: ignore[override]  # noqa: N802 - Python-Markdown's names; its stubs say Element, a stash key is a str
        return self.md.htmlStash.store(self._render(m.group(1))), m.start(0), m.end(0)


class SafeTextExtension(Extension):
    def __init__(self, cite: Callable[[str], str]) -> None:
        super().__init__()
        self._cite = cite

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's method name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_Citations(md, self._cite), "survey_citation", 175)
        md.treeprocessors.register(_LinkGuard(md), "survey_link_guard", 0)


class SafeMarkdown:
    """One converter per build; ``cite`` turns a citation's inner text into HTML."""

    def __init__(self, cite: Callable[[str], str]) -> None:
        self._cite = cite
        self._md = self._converter()

    def _converter(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=[SafeTextExtension(self._cite), "tables", "sane_lists"])

    def block(self, text: str) -> str:
        try:
            return self._md.reset().convert(text)
        except RecursionError:
            # Lists or quotes nested hundreds deep exhaust Python-Markdown's recursion: show the
            # text as written, and start afresh (the parser's state is left half-way).
            self._md = self._converter()
            return "<p>" + html.escape(text, quote=False) + "</p>"

    def inline(self, text: str) -> str:
        html = self.block(text)
        # A single paragraph loses its <p> so the text can sit in a table cell or a sentence.
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html
