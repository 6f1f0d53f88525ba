"""Questions on which positions are mapped (a disagreement map shows one topic)."""

from .common import Markdown, Record, Text


class Topic(Record):
    title: Text
    question: Text
    description: Markdown | None = None
