"""Content rules that span the records and the pages, run by the build and ``mi-survey validate``
alike (rules about one record live in its model; rules across records in the loader)."""

from __future__ import annotations

from .knowledge_base import KnowledgeBase
from .pages import PageScan
from .problems import Problem


def uncited_reference_ids(kb: KnowledgeBase, pages: PageScan) -> list[str]:
    """References that no page cites and no record points at or cites."""
    return [ref.id for ref in kb.all("references") if not pages.cited(ref.id) and not kb.links_to("references", ref.id)]


def uncited_references(kb: KnowledgeBase, pages: PageScan) -> list[Problem]:
    """Every reference must be cited by a page or a record: an uncited one supports no claim."""
    problems = []
    for ref_id in uncited_reference_ids(kb, pages):
        source = kb.source("references", ref_id)
        problems.append(
            Problem(
                source.path,
                source.line,
                "",
                f"reference '{ref_id}' is cited by no page or record; "
                f"cite it with [@{ref_id}] where it supports a claim",
                "reference-uncited",
            )
        )
    return problems


def page_rules(kb: KnowledgeBase, pages: PageScan) -> list[Problem]:
    """Every rule over the knowledge base and the written pages together."""
    return uncited_references(kb, pages)
