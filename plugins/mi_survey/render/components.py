"""The components a page can ask for, each an options model plus a template.

A page writes a component as a block whose body is YAML options::

    /// comparison
    collection: approaches
    columns: [name, verifies, maturity]
    ///
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..load import describe, dotted
from ..model import COLLECTIONS
from ..model.common import Attribution, Id, LabelledEnum, date_key
from ..model.fields import field_kind
from ..model.positions import Stance
from ..model.references import SourceRating
from . import diagrams
from .context import ComponentError, RenderContext


def _one_value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        kind = "a mapping" if isinstance(value, dict) else "a list"
        raise ValueError(f"expected one value to match (text, a number or true/false), not {kind}")
    return value


def _known_collection(value: str) -> str:
    if value not in COLLECTIONS:
        raise ValueError(f"unknown collection '{value}'; expected one of: {', '.join(COLLECTIONS)}")
    return value


CollectionName = Annotated[str, AfterValidator(_known_collection)]


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(Options):
    field: str
    label: str | None = None


class ComparisonOptions(Options):
    collection: CollectionName
    columns: list[str | Column] | None = None
    # A row matches when each field is the value given, holds it (a list) or names it (a choice).
    where: dict[str, Annotated[Any, AfterValidator(_one_value)]] = Field(default_factory=dict)
    sort: str | None = None
    caption: str | None = None


class TimelineOptions(Options):
    from_: int | None = Field(default=None, alias="from")
    to: int | None = None
    tag: str | None = None


class TopicOptions(Options):
    topic: Id


class NoOptions(Options):
    pass


class DiagramOptions(Options):
    kind: Literal["crux-map", "requirements", "timeline"]


class ReferenceOptions(Options):
    id: Id


class ReferencesOptions(Options):
    ids: list[Id] | None = None
    tag: str | None = None


class RecordOptions(Options):
    id: Id


class CollectionOptions(Options):
    collection: CollectionName


@dataclass(frozen=True)
class Component:
    options: type[Options]
    render: Callable[[RenderContext, Any], str]


# -- renderers ---------------------------------------------------------------------------------


def _get(ctx: RenderContext, collection: str, record_id: str):
    record = ctx.kb.get(collection, record_id)
    if record is None:
        raise ComponentError(f"unknown {collection} id '{record_id}'", record_id, "id-unknown")
    return record


def _comparison(ctx: RenderContext, o: ComparisonOptions) -> str:
    collection = COLLECTIONS[o.collection]
    fields = collection.model.model_fields
    columns = [c if isinstance(c, Column) else Column(field=c) for c in (o.columns or _default_columns(o.collection))]
    for name in [c.field for c in columns] + list(o.where) + ([o.sort.lstrip("-")] if o.sort else []):
        if name not in fields:
            raise ComponentError(f"'{o.collection}' has no field '{name}'; its fields are: {', '.join(fields)}", name)
    rows = _matching(ctx, o.collection, o.where)
    if o.where and not rows:
        raise ComponentError(
            f"comparison: no {o.collection} record matches where: {_shown(o.where)}", "where", "component-no-match"
        )
    if o.sort:
        name = o.sort.lstrip("-")
        rows.sort(key=lambda r: _sort_key(getattr(r, name)), reverse=o.sort.startswith("-"))
    return ctx.render(
        "comparison.html",
        collection=o.collection,
        columns=columns,
        rows=rows,
        caption=o.caption,
        labels={c.field: c.label or _label(c.field) for c in columns},
        cell=lambda record, name: _cell(ctx, o.collection, record, name),
    )


def _shown(options: dict[str, Any]) -> str:
    """Options as a contributor wrote them, for a message: ``{maturity: research}``."""
    return "{" + ", ".join(f"{key}: {value}" for key, value in options.items()) + "}"


def _default_columns(collection: str) -> list[str]:
    skip = {"id", "references", "description"}
    return [name for name in COLLECTIONS[collection].model.model_fields if name not in skip][:6]


def _matching(ctx: RenderContext, collection: str, where: dict[str, Any]) -> list:
    """The collection's records, in its order, whose every field in ``where`` matches.

    The first field is looked up in an index of the collection by that field, built once per
    build; scanning every record for every table would cost pages times records."""
    records = ctx.kb.all(collection)
    if not where:
        return list(records)
    (name, wanted), *others = where.items()
    index = ctx.derived(("index", collection, name), lambda: _index(records, name))
    if index is not None:
        rows = list(index.get(wanted, ()))
    else:
        rows = [r for r in records if _matches(getattr(r, name), wanted)]
    return [r for r in rows if all(_matches(getattr(r, k), v) for k, v in others)]


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return wanted in value
    if isinstance(value, LabelledEnum):
        return value.value == wanted
    return value == wanted


def _index(records, name: str) -> dict[Any, list] | None:
    """Records by each value ``_matches`` finds them by: a list's items, a choice's name, or the
    value itself; None if a value cannot be a dict key (nested records), which leaves a scan."""
    index: dict[Any, list] = {}
    try:
        for record in records:
            value = getattr(record, name)
            keys = value if isinstance(value, (list, tuple)) else (value,)
            for key in dict.fromkeys(k.value if isinstance(k, LabelledEnum) else k for k in keys):
                index.setdefault(key, []).append(record)
    except TypeError:
        return None
    return index


def _sort_key(value: Any):
    if isinstance(value, LabelledEnum):
        return (value.rank, "")
    return (0, str(value))


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Cell:
    """What the cell template needs: the value, how to show it, and the key tablesort uses.
    (An object rather than a dict: Jinja reads ``cell.kind`` as an attribute first, and a dict
    would make each of the many lookups per cell fail over to an item.)"""

    value: Any
    field: str
    kind: str
    targets: tuple[str, ...]
    sort: str | None


def _cell(ctx: RenderContext, collection: str, record, name: str) -> Cell:
    value = getattr(record, name)
    kind, targets = field_kind(COLLECTIONS[collection].model, name)
    if isinstance(value, LabelledEnum):
        sort = str(value.rank)
    elif name == "date":
        year, month, day = date_key(value)
        sort = f"{year:04d}{month:02d}{day:02d}"
    else:
        sort = None
    if kind == "list":
        # Nested records (a crux's positions) show as their first text: the cell lists text.
        value = [_first_text(item) if isinstance(item, BaseModel) else item for item in value]
    elif isinstance(value, Attribution):
        kind = "attribution"
    elif isinstance(value, SourceRating):
        kind = "rating"
    return Cell(value, name, kind, targets, sort)


def _first_text(record: BaseModel) -> str:
    return next((v for v in record.__dict__.values() if isinstance(v, str)), "")


def _timeline(ctx: RenderContext, o: TimelineOptions) -> str:
    by_date = ctx.derived(
        ("milestones by date",), lambda: sorted(ctx.kb.all("milestones"), key=lambda m: date_key(m.date))
    )
    items = [
        m
        for m in by_date
        if (o.from_ is None or int(m.date[:4]) >= o.from_)
        and (o.to is None or int(m.date[:4]) <= o.to)
        and (o.tag is None or o.tag in m.tags)
    ]
    if not items:
        raise ComponentError(
            f"timeline: no milestone matches {_shown(o.model_dump(exclude_none=True, by_alias=True))}",
            code="component-no-match",
        )
    years: dict[str, list] = {}
    for m in items:
        years.setdefault(m.date[:4], []).append(m)
    return ctx.render("timeline.html", years=years)


def _disagreement_map(ctx: RenderContext, o: TopicOptions) -> str:
    topic = _get(ctx, "topics", o.topic)
    positions = sorted(
        _matching(ctx, "positions", {"topic": o.topic}), key=lambda p: (p.stance.rank, -p.confidence.rank)
    )
    return ctx.render("disagreement_map.html", topic=topic, positions=positions, stances=list(Stance))


def _crux(ctx: RenderContext, o: RecordOptions) -> str:
    return ctx.render("crux.html", crux=_get(ctx, "cruxes", o.id))


def _reference(ctx: RenderContext, o: ReferenceOptions) -> str:
    return ctx.render("reference_list.html", refs=[_get(ctx, "references", o.id)])


def _references(ctx: RenderContext, o: ReferencesOptions) -> str:
    if o.ids is not None:
        refs = [_get(ctx, "references", i) for i in o.ids]
    else:
        refs = _matching(ctx, "references", {"tags": o.tag} if o.tag is not None else {})
        if not refs:
            raise ComponentError(f"references: no reference has the tag '{o.tag}'", "tag", "component-no-match")
        refs.sort(key=lambda r: r.sort_key)  # the bibliography's order
    return ctx.render("reference_list.html", refs=refs)


def _diagram(ctx: RenderContext, o: DiagramOptions) -> str:
    source = {"crux-map": diagrams.crux_map, "requirements": diagrams.requirements, "timeline": diagrams.timeline}[
        o.kind
    ](ctx)
    return ctx.render("diagram.html", source=source, kind=o.kind, title=diagrams.TITLES[o.kind])


def _simple(template: str, collection: str) -> Callable[[RenderContext, NoOptions], str]:
    return lambda ctx, o: ctx.render(template, records=ctx.kb.all(collection))


def _data_view(ctx: RenderContext, o: CollectionOptions) -> str:
    collection = COLLECTIONS[o.collection]
    return ctx.render(
        "data_view.html",
        collection=collection,
        records=ctx.kb.all(o.collection),
        fields=[f for f in collection.model.model_fields if f != "id"],
        label=_label,
        cell=lambda record, name: _cell(ctx, o.collection, record, name),
    )


COMPONENTS: dict[str, Component] = {
    "comparison": Component(ComparisonOptions, _comparison),
    "timeline": Component(TimelineOptions, _timeline),
    "disagreement-map": Component(TopicOptions, _disagreement_map),
    "requirements": Component(NoOptions, _simple("requirements.html", "requirements")),
    "risk-models": Component(NoOptions, _simple("risk_models.html", "risk-models")),
    "approach-details": Component(NoOptions, _simple("approach_details.html", "approaches")),
    "diagram": Component(DiagramOptions, _diagram),
    "reference": Component(ReferenceOptions, _reference),
    "references": Component(ReferencesOptions, _references),
    # Used by the generated pages; available to written pages too.
    "crux": Component(RecordOptions, _crux),
    "crux-index": Component(NoOptions, _simple("crux_index.html", "cruxes")),
    "bibliography": Component(NoOptions, _simple("bibliography.html", "references")),
    "glossary": Component(NoOptions, _simple("glossary.html", "glossary")),
    "people": Component(NoOptions, _simple("people.html", "people")),
    "organisations": Component(NoOptions, _simple("organisations.html", "organisations")),
    "data-view": Component(CollectionOptions, _data_view),
}


def render_component(ctx: RenderContext, name: str, options: Any) -> str:
    component = COMPONENTS.get(name)
    if component is None:
        raise ComponentError(
            f"unknown component '{name}'; expected one of: {', '.join(COMPONENTS)}", code="component-unknown"
        )
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ComponentError(f"the options of '{name}' must be a YAML mapping of option: value")
    try:
        parsed = component.options.model_validate(options)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = dotted(tuple(error["loc"])) or name
        needle = f"{error['loc'][0]}:" if error["loc"] and error["type"] != "missing" else None
        raise ComponentError(f"{name}: option {where}: {describe(error, component.options)}", needle) from None
    return component.render(ctx, parsed)
