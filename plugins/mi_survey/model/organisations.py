"""Labs, universities, teams and communities that hold positions or produce results."""

from .common import HttpUrl, LabelledEnum, Markdown, Record, Text


class OrganisationKind(LabelledEnum):
    lab = "lab"
    team = "team"
    university = "university"
    nonprofit = "nonprofit"
    community = "community"


class Organisation(Record):
    name: Text
    kind: OrganisationKind
    description: Markdown | None = None
    url: HttpUrl | None = None
