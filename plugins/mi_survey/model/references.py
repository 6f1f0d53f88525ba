"""Sources: every factual claim on the site points at one of these."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .common import (
    ARXIV_PATTERN,
    DOI_PATTERN,
    Credibility,
    HttpUrl,
    Id,
    LabelledEnum,
    Markdown,
    PartialDate,
    Record,
    Ref,
    Tag,
    Text,
)


class ReferenceType(LabelledEnum):
    paper = "paper"
    article = "article"
    web = "web"
    blog = "blog"
    book = "book"
    report = "report"
    dataset = "dataset"
    software = "software"


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_attribute_docstrings=True)


class SourceRating(_Part):
    """A rating that a source gives this one work: shown, with that source named, instead of the
    editors' rating of the venue."""

    stars: Credibility
    """The rating the source gives the work, one to five stars, as the source gives it."""
    citations: Annotated[int, Field(ge=0)] | None = None
    """The citation count the source reports beside the rating, if it reports one."""
    source: Annotated[Id, Ref("references")]
    """The reference that gives the rating."""
    locator: Text | None = None
    """Where in that source the rating is given (e.g. "sec. Limitations")."""


class CorrectedField(LabelledEnum):
    """The fields of a reference that restate a source, and so can depart from it."""

    type = "type"
    title_ = "title"  # str has a method "title"
    authors = "authors"
    date = "date"
    venue = "venue"
    venue_detail = "venue_detail"
    url = "url"
    doi = "doi"
    arxiv = "arxiv"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Correction(_Part):
    """A deliberate departure from a source, said openly: the card of the reference shows it."""

    field: CorrectedField
    """The field of this record that differs from the source."""
    source: Annotated[Id, Ref("references")]
    """The reference whose version the record departs from."""
    locator: Text | None = None
    """Where in that source its version is (e.g. "ref. 4")."""
    source_says: Text
    """What the source has, as it has it (e.g. "Maxime Méroux et al.")."""
    reason: Markdown
    """Why the record says otherwise, and what that was checked against."""


class Check(_Part):
    """A stored public copy of the work that this record's facts were checked against."""

    against: HttpUrl
    """The copy: the arXiv abstract, the publisher's page, the lab's post."""
    facts: Text
    """Which of the record's facts it confirms (e.g. "authors, date, the findings in the summary")."""


class Reference(Record):
    type: ReferenceType
    """What kind of work it is, shown as a badge with the reference."""
    title: Text
    """The title as printed in the source."""
    authors: Annotated[list[Text], Field(default_factory=list)]
    """As printed in the source, in order. People records link to the references they authored
    by matching these names."""
    date: PartialDate
    """When the work was published, as precisely as the source says."""
    venue: Annotated[Id, Ref("venues")]
    """Where the work was published; the venue's credibility is shown with the reference."""
    venue_detail: Text | None = None
    """Volume, issue, pages, proceedings acronym: whatever locates the work inside the venue."""
    organisation: Annotated[Id | None, Ref("organisations")] = None
    """The organisation the work comes from, if any; the organisation's page lists it."""
    url: HttpUrl | None = None
    """Where the work can be read online; the title links to it."""
    doi: Annotated[str, StringConstraints(pattern=DOI_PATTERN)] | None = None
    """The work's DOI, if it has one; it is linked through doi.org."""
    arxiv: Annotated[str, StringConstraints(pattern=ARXIV_PATTERN)] | None = None
    """The work's arXiv id, if it has one, with a version (v2) or without; it is linked to arxiv.org."""
    summary: Markdown
    """What the work says, in the survey's own words rather than its abstract."""
    key_points: Annotated[list[Markdown], Field(default_factory=list)]
    """The work's points that matter here, one per item, listed in its bibliography entry."""
    tags: Annotated[list[Tag], Field(default_factory=list)]
    """Tags a page can pick references by (the references component's `tag` option); shown
    with the reference."""
    annotation: Markdown | None = None
    """The survey's own reading of the work, shown in the literature review."""
    rating: SourceRating | None = None
    """The rating a source gives this work, which wins over the venue's: without one, the work
    shows the editors' rating of its venue, marked editorial."""
    corrections: Annotated[list[Correction], Field(default_factory=list)]
    """Where this record departs from a source on purpose (a misspelt name, a shortened title, a
    different type): each is shown on the reference's card and in its entry."""
    checked: Annotated[list[Check], Field(default_factory=list)]
    """The public copies of the work its summary, key points and bibliographic data were checked
    against: what a reader can open to check them again."""

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Bibliography order: first author's surname, then date, then title."""
        first = self.authors[0].split()[-1].casefold() if self.authors else self.title.casefold()
        return (first, self.date, self.title.casefold())
