"""Where a reference was published, and how much weight the survey gives that outlet."""

from typing import Annotated

from .common import Credibility, Editorial, HttpUrl, LabelledEnum, Markdown, Record, Text


class VenueKind(LabelledEnum):
    journal = "journal"
    conference = "conference"
    workshop = "workshop"
    preprint = "preprint"
    research_publication = "research-publication"
    lab_blog = "lab-blog"
    news = "news"
    personal_site = "personal-site"
    wiki = "wiki"
    manuscript = "manuscript"


class Venue(Record):
    name: Text
    """The venue's name as it is usually written."""
    kind: VenueKind
    """What sort of outlet it is."""
    credibility: Annotated[Credibility, Editorial("the rating of the outlet, by the editors' rubric")]
    """The survey's editorial rating of the outlet's review process and track record, shown as stars
    with every reference published there. Justify it in the pull request."""
    url: HttpUrl | None = None
    """The venue's website."""
    note: Markdown | None = None
    """What the outlet is, and what its credibility rating rests on."""
