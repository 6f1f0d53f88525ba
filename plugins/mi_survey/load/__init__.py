"""Load layer: YAML files to one validated, immutable KnowledgeBase."""

from .knowledge_base import KnowledgeBase, Source
from .loader import load
from .problems import ContentError, Problem

__all__ = ["ContentError", "KnowledgeBase", "Problem", "Source", "load"]
