"""The content rules across records, and across records and pages: run by the build and by
``mi-survey validate`` alike. (A rule about one record lives in its model; a page's in pages.py.)

The rules across records run inside the loader, once per record, and note each link they find
as a backlink ("what links here", "cited by") on the way: one pass for both.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Record
from ..model.common import CITATION_FORMS, CITATION_PATTERN, citation_keys
from ..model.fields import references_in
from ..model.people import Person
from ..model.references import Reference
from .knowledge_base import Key, KnowledgeBase
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


# report(where in the record, message, code); suggest(id, collections) -> " (did you mean ...)"
Report = Callable[[tuple, str, str], None]
Suggest = Callable[[str, tuple[str, ...]], str]
_CITATION = re.compile(CITATION_PATTERN)


def ids_point_at_records(
    record: Record,
    here: Key,
    ids: dict[str, set[str]],
    known: dict[str, set[str]],
    backlinks: dict[Key, list[Key]],
    report: Report,
    suggest: Suggest,
) -> None:
    """Every id a record holds names a record of a collection the field may point into, and
    only one of them. (``known`` adds the ids of records that failed validation: pointing at
    one is not a second problem.)"""
    for loc, marker, target in references_in(record):
        if len(marker.collections) == 1 and target in ids[marker.collections[0]]:
            backlinks[(marker.collections[0], target)].append(here)  # the usual case, found at once
            continue
        holders = [c for c in marker.collections if target in known[c]]
        if not holders:
            expected = " or ".join(marker.collections)
            report(
                loc,
                f"unknown id '{target}'; expected the id of a record in {expected}{suggest(target, marker.collections)}",
                "id-unknown",
            )
        elif len(holders) > 1:
            # A holder may be a person or an organisation: one id in both is ambiguous.
            report(
                loc,
                f"ambiguous id '{target}': both {holders[0]} and {holders[1]} have a record with this id; "
                "rename one of them",
                "id-ambiguous",
            )
        elif target in ids[holders[0]]:
            backlinks[(holders[0], target)].append(here)


def citations_name_references(
    cited: list[tuple[tuple, str]],
    here: Key,
    ids: dict[str, set[str]],
    invalid: dict[str, set[str]],
    backlinks: dict[Key, list[Key]],
    report: Report,
    suggest: Suggest,
) -> None:
    """Every citation in a record's text is well formed and names a reference."""
    for loc, text in cited:
        for match in _CITATION.finditer(text):
            keys = citation_keys(match.group(1))
            if keys is None:
                report(loc, f"malformed citation '{match.group(0)}'; expected {CITATION_FORMS}", "citation-malformed")
                continue
            for key in keys:
                if key in ids["references"]:
                    backlinks[("references", key)].append(here)
                elif key not in invalid["references"]:
                    report(
                        loc, f"citation of unknown reference '{key}'{suggest(key, ('references',))}", "citation-unknown"
                    )


def authored_references(
    people: list[Person], references: list[Reference], backlinks: dict[Key, list[Key]]
) -> dict[str, list[str]]:
    """Person id -> the references listing the person (by name or another name) among authors."""
    by_name: dict[str, str] = {}
    for person in people:
        for name in (person.name, *person.also_known_as):
            by_name[name.casefold()] = person.id
    authored: dict[str, list[str]] = {}
    for reference in references:
        for author in reference.authors:
            person_id = by_name.get(author.casefold())
            if person_id:
                authored.setdefault(person_id, []).append(reference.id)
                backlinks[("people", person_id)].append(("references", reference.id))
    return authored
