"""Where a reference was published, and how much weight the survey gives that outlet."""

from .common import Credibility, HttpUrl, LabelledEnum, Markdown, Record, Text


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


class Venue(Record):
    name: Text
    kind: VenueKind
    # 1-5, the survey's editorial rating of the outlet's review process and track record.
    credibility: Credibility
    url: HttpUrl | None = None
    note: Markdown | None = None
