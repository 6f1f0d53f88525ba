"""Load layer: YAML files to one validated, immutable KnowledgeBase, and the content rules."""

from .knowledge_base import KnowledgeBase, Source
from .loader import load
from .pages import PageRef, PageScan, read_pages, scan_pages
from .problems import ContentError, Problem
from .rules import page_rules, uncited_reference_ids

__all__ = [
    "ContentError",
    "KnowledgeBase",
    "PageRef",
    "PageScan",
    "Problem",
    "Source",
    "load",
    "page_rules",
    "read_pages",
    "scan_pages",
    "uncited_reference_ids",
]
