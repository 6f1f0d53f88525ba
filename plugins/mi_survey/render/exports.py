"""Files published beside the pages so others can reuse the data."""

from __future__ import annotations

import json

from ..load import KnowledgeBase
from ..model import COLLECTIONS
from .context import RenderContext


def knowledge_base_json(kb: KnowledgeBase) -> str:
    data = {
        "$schema": "survey.schema.json",
        "collections": {
            name: [record.model_dump(mode="json", exclude_none=True) for record in kb.all(name)]
            for name in COLLECTIONS
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


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
                    name: {"type": "array", "items": c.model.model_json_schema()}
                    for name, c in COLLECTIONS.items()
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
