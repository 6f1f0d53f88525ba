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
    """The organisation's name as it is usually written."""
    kind: OrganisationKind
    """What sort of organisation it is, shown as a badge."""
    description: Markdown | None = None
    """What the organisation is and does, shown under its name."""
    url: HttpUrl | None = None
    """The organisation's website."""
