"""Questions on which positions are mapped (a disagreement map shows one topic)."""

from .common import Markdown, Record, Text


class Topic(Record):
    title: Text
    """The topic's short name, used in lists and links."""
    question: Text
    """The question positions answer: the caption of the topic's disagreement map."""
    description: Markdown | None = None
    """What the question covers and why it matters."""
