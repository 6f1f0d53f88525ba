"""A copy of the fixture site with hostile text in every text field of every collection.

The records are generated from the models, so a field added to a model is attacked without
anyone writing a test for it. Every text field gets its own marker (``hx017q``) followed by
HTML, Markdown and Mermaid that would run a script or break out of its context if any layer
passed it through; ``window.__pwned`` is what a script that ran would set.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from mi_survey.model import COLLECTIONS
from mi_survey.model.fields import FieldType, field_type
from mi_survey.render.components import COMPONENTS

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"

# Mermaid first: diagram labels are cut after 40-60 characters.
MERMAID = '"]-->x%%{init:{"securityLevel":"loose"}}%% click c call alert() `b`'
HTML = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
    "\"'><svg onload=window.__pwned=1> </title><script>window.__pwned=1</script>"
    '<a href="javascript:window.__pwned=1">a</a>'
)
MARKDOWN = (
    "[j](javascript:window.__pwned=1) [k](JaVaScRiPt:window.__pwned=1) "
    "[e](&#106;avascript:window.__pwned=1) [d](data:text/html,<script>window.__pwned=1</script>) "
    "[p](//evil.example/x) <javascript:window.__pwned=1> ![i](https://evil.example/i.png)"
)
# (Control characters are refused by the loader: a test of their own in test_hostile.py.)
UNICODE = "\u202egnp.exe\u202c zero\u200bwidth \U0001f600 nel\x85 ls\u2028 bom\ufeff"


# A page title or description that would close the <title> or the meta tag if printed as it is.
META_ATTACK = '</title>"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def real_theme_features() -> list[str]:
    """The theme features the real site turns on, read from its mkdocs.yml."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = text.split("  features:\n", 1)[1]
    return re.findall(r"^    - ([\w.]+)$", block.split("\n  palette:", 1)[0], re.MULTILINE)


COMPONENT_OPTIONS = {
    "reference": ["id: hostile-references\n"],
    "crux": ["id: hostile-cruxes\n"],
    "disagreement-map": ["topic: hostile-topics\n"],
    "diagram": [f"kind: {kind}\n" for kind in ("requirements", "timeline", "crux-map")],
    "comparison": [f"collection: {name}\n" for name in COLLECTIONS],
    "data-view": [f"collection: {name}\n" for name in COLLECTIONS],
}


def payload(marker: str) -> str:
    return f"{marker} {MERMAID} {HTML} {MARKDOWN} {UNICODE}"


# Existing fixture records that hostile records point at, by collection.
TARGETS = {
    "references": "hostile-references",
    "venues": "arxiv",
    "organisations": "lab",
    "people": "chris-olah",
    "topics": "sufficiency",
    "cruxes": "deception",
    "glossary": "sparse-autoencoder",
}


@dataclass(frozen=True)
class TextField:
    collection: str
    path: str  # "positions.answer" for a field of a nested model
    markdown: bool

    @property
    def name(self) -> str:
        return f"{self.collection}.{self.path}"


class _Generator:
    """Builds one valid record per model, with a fresh marker in each text field."""

    def __init__(self) -> None:
        self.fields: dict[str, TextField] = {}  # by marker

    def record(self, collection: str, model: type[BaseModel], prefix: str = "") -> dict:
        return {
            name: self.value(collection, f"{prefix}{name}", name, field_type(model, name))
            for name in model.model_fields
        }

    def value(self, collection: str, path: str, name: str, typ: FieldType) -> Any:
        if typ.item is not None:
            count = 2 if typ.item.model is not None else 1
            return [self.value(collection, path, name, typ.item) for _ in range(count)]
        if typ.model is not None:
            return self.record(collection, typ.model, prefix=f"{path}.")
        if typ.vocabulary is not None:
            return next(iter(typ.vocabulary)).value
        if typ.kind == "number":
            return 3
        if typ.ref is not None:
            return TARGETS[typ.ref.collections[0]]
        if typ.kind == "url":
            # A valid http URL can still hold quotes and angle brackets.
            return "https://example.org/x?q=\"'><script>window.__pwned=1</script>"
        if typ.kind in ("id", "tag"):
            return f"hostile-{collection}" if name == "id" else "hostile"
        if typ.kind == "date":
            return "2024-05"
        if typ.kind == "doi":
            return '10.1234/"><script>window.__pwned=1</script>'
        if typ.kind == "arxiv":
            return "2404.14082"
        if typ.kind in ("text", "markdown"):
            marker = f"hx{len(self.fields):03d}q"
            self.fields[marker] = TextField(collection, path, typ.kind == "markdown")
            return payload(marker)
        raise AssertionError(f"no hostile value for {collection}.{path}: {typ}")


def hostile_records() -> tuple[dict[str, dict], dict[str, TextField]]:
    generator = _Generator()
    records = {name: generator.record(name, c.model) for name, c in COLLECTIONS.items()}
    # A quote is only accepted with its source.
    records["positions"]["quote_source"] = "hostile-references"
    return records, generator.fields


# Records whose Markdown tries to get raw HTML or a dangerous link past the renderer.
MARKDOWN_INJECTIONS = {
    "inline-html": '<b onclick="window.__pwned=1">bold</b> <span style="x">s</span>',
    "html-block": '<div onclick="window.__pwned=1">\n<script>window.__pwned=1</script>\n</div>',
    "img-onerror": '<img src=x onerror="window.__pwned=1"> <IMG SRC=x OnError=window.__pwned=1>',
    "script-tag": "<script>window.__pwned=1</script> <ScRiPt>window.__pwned=1</sCrIpT>",
    "raw-anchor": '<a href="javascript:window.__pwned=1">x</a>',
    "comment-and-cdata": "<!-- x --><script>window.__pwned=1</script> <![CDATA[<script>window.__pwned=1</script>]]>",
    "autolink-javascript": "<javascript:window.__pwned=1> <JaVaScRiPt:window.__pwned=1>",
    "automail-javascript": "<javascript:window.__pwned=1@evil.example>",
    "link-javascript": "[a](javascript:window.__pwned=1) [b](JaVaScRiPt:window.__pwned=1)",
    "link-javascript-whitespace": "[a](java\tscript:window.__pwned=1) [b]( javascript:window.__pwned=1)",
    "link-entity-encoded": (
        "[a](&#106;avascript:window.__pwned=1) [b](&#x6A;avascript&#x3A;window.__pwned=1) "
        "[c](javascript&colon;window.__pwned=1) [d](javascript&#58;window.__pwned=1)"
    ),
    "link-data-and-vbscript": (
        "[a](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+) [b](vbscript:msgbox(1))"
    ),
    "link-protocol-relative": "[a](//evil.example/x) [b](\\\\evil.example/x) [c](/\\evil.example/x)",
    "reference-link-javascript": "[a][r] and [b][s]\n\n[r]: javascript:window.__pwned=1\n[s]: &#106;avascript:window.__pwned=1",
    "link-title-quotes": (
        '[a](https://example.org/ "t\\" onmouseover=\\"window.__pwned=1") '
        "[b](https://example.org/ 't\\' onfocus=window.__pwned=1 autofocus x=\\'')"
    ),
    "image-tracking": "![alt](https://evil.example/i.png) ![x](javascript:window.__pwned=1)",
    "code-span-html": "`<script>window.__pwned=1</script>`\n\n    <script>window.__pwned=1</script>",
    "table-with-html": "| a | b |\n|---|---|\n| <script>window.__pwned=1</script> | [x](javascript:window.__pwned=1) |",
    "escaped-angle": "\\<script>window.__pwned=1\\</script> &lt;script&gt; &#60;script&#62;",
    # Deeper than Python-Markdown can recurse: shown as written.
    "lists-nested-1000-deep": "\n\n" + "- " * 1000 + "<script>window.__pwned=1</script>",
    "ordered-lists-nested-1000-deep": "\n\n" + "1. " * 1000 + "<img src=x onerror=window.__pwned=1>",
    "most-brackets-allowed": "[" * 100 + "<script>window.__pwned=1</script>" + "x" * 15_000,
}

# Records shown in generated diagrams, each trying to break out of its Mermaid label.
MERMAID_INJECTIONS = {
    "quotes": 'He said "stop"]; x["pwned"',
    "arrow": "a --> b ==> c -.- d",
    "click": 'x"]\n  click c_deception call alert(1)\n  click c_scaling href "javascript:alert(1)"',
    "init-directive": '%%{init: {"securityLevel": "loose", "startOnLoad": true}}%%',
    "backticks": "`**markdown** string` and ``double``",
    "brackets-and-pipes": "a [b] {c} (d) |e| <f> #g; &h",
    "newlines": "first line\n  click c_deception call alert(1)\nthird %% comment",
}


def write_hostile_site(dest: Path) -> dict[str, TextField]:
    """A fixture-site copy in ``dest`` with hostile records, and a page showing every component."""
    shutil.copytree(FIXTURE_SITE, dest)
    data = dest / "content" / "data"
    records, fields = hostile_records()
    for name, record in records.items():
        _add(data, name, record)
    for case, text in MARKDOWN_INJECTIONS.items():
        _add(
            data,
            "risk-models",
            {
                "id": f"md-{case}",
                "risk": f"Markdown {case}",
                "priority": "low",
                "role": f"mdx-{case} {text}",
                "references": ["hostile-references"],
            },
        )
    for index, (case, text) in enumerate(MERMAID_INJECTIONS.items()):
        _add(
            data,
            "cruxes",
            {
                "id": f"mermaid-{case}",
                "question": f"mmq-{case} {text}",
                "description": "d",
                "stakes": "s",
                "current_state": "c",
                "importance": "low",
                "related": ["deception"],
                "positions": [
                    {
                        "answer": f"mma-{case} {text}",
                        "confidence": "low",
                        "reasoning": "r",
                        "implication": f"mmi-{case} {text}",
                    },
                    {"answer": "no", "confidence": "high", "reasoning": "r", "implication": "i"},
                ],
            },
        )
        _add(
            data,
            "requirements",
            {"id": f"mermaid-{case}", "title": f"mmr-{case} {text}", "needs": ["n"], "status": "partial"},
        )
        _add(
            data,
            "milestones",
            {"id": f"mermaid-{case}", "date": f"{2001 + index}", "title": f"mmt-{case} {text}", "significance": "s"},
        )

    # A glossary term a page uses, whose definition is what a tooltip shows when a reader hovers
    # the word; and a link title in record text (a title is a tooltip too).
    _add(data, "glossary", {"id": "hovertrap", "term": "hovertrap", "short": f"tooltip {HTML}", "definition": "d"})
    _add(
        data,
        "risk-models",
        {
            "id": "link-title-tooltip",
            "risk": "A link whose title is a tooltip",
            "priority": "low",
            "role": f'[hover me](https://example.org/ "{HTML.replace(chr(34), chr(39))}")',
            "references": ["hostile-references"],
        },
    )
    docs = dest / "content" / "docs"
    # Every component of the registry, with each of its required options pointing at hostile
    # records: a component added later is attacked too (one that needs options missing here
    # fails the build, and the test says so).
    components = [f"/// {name}\n{options}///" for name in COMPONENTS for options in COMPONENT_OPTIONS.get(name, [""])]
    (docs / "hostile.md").write_text(
        "# Every component\n\nA hovertrap, and a Hovertrap.\n\n" + "\n\n".join(components) + "\n", encoding="utf-8"
    )
    # What a page may say of itself reaches the head, the navigation and search as text.
    (docs / "hostile-meta.md").write_text(
        f"---\ntitle: {json.dumps(META_ATTACK)}\ndescription: {json.dumps(META_ATTACK)}\n---\n\nText.\n",
        encoding="utf-8",
    )
    (docs / "hostile-heading.md").write_text(f"# {html.escape(META_ATTACK)}\n\nText.\n", encoding="utf-8")

    config = dest / "mkdocs.yml"
    text = config.read_text().replace("../../../templates/", str(ROOT / "templates") + "/")
    text = text.replace(
        "  - nested/page.md\n", "  - nested/page.md\n  - hostile.md\n  - hostile-meta.md\n  - hostile-heading.md\n"
    )
    # The real site's theme: its overrides (the fixture's too) and features (tooltips among them,
    # if it turns them on).
    text = text.replace(
        "  features:\n    - content.action.edit\n",
        "  features:\n" + "".join(f"    - {feature}\n" for feature in real_theme_features()),
    )
    # Search and Mermaid as on the real site: both turn page text into markup in the browser.
    text = text.replace(
        "plugins:\n",
        "plugins:\n  - search\n  - mermaid2:\n"
        "      javascript: assets/vendor/mermaid/mermaid.esm.min.mjs\n"
        "      arguments:\n        securityLevel: strict\n        startOnLoad: true\n",
    )
    assets = ROOT / "content" / "docs" / "assets"
    if (assets / "vendor").is_dir():
        shutil.copytree(assets, docs / "assets")
        text += (
            "extra_css:\n  - assets/survey.css\nextra_javascript:\n"
            "  - assets/vendor/tablesort/tablesort.min.js\n  - assets/survey.js\n"
        )
    config.write_text(text, encoding="utf-8")
    return fields


def _add(data: Path, collection: str, record: dict) -> None:
    spec = COLLECTIONS[collection]
    if spec.layout == "folder":
        path = data / collection / f"{record['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    else:
        path = data / f"{collection}.yaml"
        items = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
        items.append(record)
        path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
