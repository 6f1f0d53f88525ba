"""Files published beside the pages so others can reuse the data."""

from __future__ import annotations

import json

from ..load import KnowledgeBase
from ..model import COLLECTIONS
from .context import RenderContext


def knowledge_base_json(kb: KnowledgeBase) -> str:
    """What ``json.dumps(..., ensure_ascii=False, indent=1)`` writes for every record by collection.

    Each record is dumped on its own and its dict let go: dumping all at once would hold a
    second copy of the knowledge base as dicts. Only structure puts a newline in JSON text (one
    inside a string is written ``\\n``), so a record's lines are indented to its depth."""
    collections = []
    for name in COLLECTIONS:
        records = [
            "   "
            + json.dumps(record.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=1).replace(
                "\n", "\n   "
            )
            for record in kb.all(name)
        ]
        collections.append(f"  {json.dumps(name)}: " + ("[\n" + ",\n".join(records) + "\n  ]" if records else "[]"))
    return '{\n "$schema": "survey.schema.json",\n "collections": {\n' + ",\n".join(collections) + "\n }\n}"


def knowledge_base_schema() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Survey knowledge base",
        "type": "object",
        "properties": {
            "collections": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    name: {"type": "array", "items": c.model.model_json_schema()} for name, c in COLLECTIONS.items()
                },
            }
        },
    }
    return json.dumps(schema, indent=1)


def bibtex(ctx: RenderContext) -> str:
    refs = sorted(ctx.kb.all("references"), key=lambda r: r.sort_key)
    return ctx.render("bibliography.bib", refs=refs)


def llms_txt(ctx: RenderContext, site_name: str, description: str, pages: list[tuple[str, str]]) -> str:
    return ctx.render("llms.txt", site_name=site_name, description=description, pages=pages)
