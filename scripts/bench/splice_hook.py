"""MkDocs hook of benchmark variant (b): puts each page's pre-rendered HTML where its comment is.

Not a survey plugin: it renders nothing. The HTML (components, citations, "what links here") was
rendered beforehand by the render layer and stored beside the docs as one JSON file per page.
"""

import json
import re
from pathlib import Path

MARK = re.compile(r"<!--mi-survey:(\d+)-->")
BACKLINKS = "\n<!-- mi-survey: what links here -->\n"
_backlinks: dict = {}


def on_page_content(html, page, config, files):
    path = Path(config.config_file_path).parent / "prerendered" / (page.file.src_uri + ".json")
    if not path.exists():
        return html
    chunks = json.loads(path.read_text(encoding="utf-8"))
    _backlinks[page.url] = chunks["backlinks"]
    return MARK.sub(lambda m: chunks["html"][int(m.group(1))], html) + BACKLINKS


def on_post_page(output, page, config):
    # As the plugin does: "what links here" goes in after the search plugin has read the page.
    block = _backlinks.pop(page.url, None)
    return output.replace(BACKLINKS, block, 1) if block is not None else output
