"""Load layer: YAML files to one validated, immutable KnowledgeBase, and the content rules.

The render layer, the tools and the scripts use what this module exports, nothing else of load/.
"""

from .edition import CITATION_FILE, Edition, read_edition
from .files import refused_files, refused_in
from .history import History, Records, Snapshot, read_history
from .knowledge_base import KnowledgeBase, Source
from .loader import load
from .messages import describe
from .pages import (
    BLOCK_CLOSE,
    BLOCK_OPEN,
    PageRef,
    PageScan,
    blocks_rendering,
    front_matter,
    html_problems,
    leaked_placeholder,
    placeholder_problem,
    prose,
    read_pages,
    scan_pages,
    source_problems,
)
from .problems import ContentError, Problem, RefusedFilesError, dotted
from .rules import page_rules, uncited_reference_ids
from .yaml_source import parse

__all__ = [
    "BLOCK_CLOSE",
    "BLOCK_OPEN",
    "CITATION_FILE",
    "ContentError",
    "Edition",
    "History",
    "KnowledgeBase",
    "PageRef",
    "PageScan",
    "Problem",
    "Records",
    "RefusedFilesError",
    "Snapshot",
    "Source",
    "blocks_rendering",
    "describe",
    "dotted",
    "front_matter",
    "html_problems",
    "leaked_placeholder",
    "load",
    "page_rules",
    "parse",
    "placeholder_problem",
    "prose",
    "read_edition",
    "read_history",
    "read_pages",
    "refused_files",
    "refused_in",
    "scan_pages",
    "source_problems",
    "uncited_reference_ids",
]
