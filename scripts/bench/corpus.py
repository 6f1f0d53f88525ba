"""A synthetic survey: valid YAML records for every collection, and written pages using components.

Everything is drawn from a seeded random generator, so a scale always produces the same corpus.
Ids are unique, every cross-reference and citation points at a record that exists, and the
text varies (Markdown emphasis, code, links, citations, entities) so the renderers do real work.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mi_survey.model import COLLECTIONS

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Scale:
    name: str
    counts: dict[str, int]  # records per collection
    pages: int  # written pages (the plugin adds its generated pages)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


# 1x is the size of the real content; the others grow it about 10 and 100 times (references,
# cruxes, positions and milestones grow most, the short curated lists least).
SCALES = [
    Scale(
        "1x",
        dict(
            references=27,
            venues=13,
            organisations=6,
            people=14,
            topics=1,
            positions=6,
            cruxes=4,
            approaches=6,
            milestones=10,
            results=4,
            **{"scale-gap": 4},
            challenges=6,
            requirements=5,
            **{"risk-models": 4},
            glossary=27,
        ),
        pages=11,
    ),
    Scale(
        "10x",
        dict(
            references=250,
            venues=40,
            organisations=30,
            people=120,
            topics=8,
            positions=60,
            cruxes=40,
            approaches=15,
            milestones=80,
            results=30,
            **{"scale-gap": 20},
            challenges=30,
            requirements=12,
            **{"risk-models": 10},
            glossary=90,
        ),
        pages=60,
    ),
    Scale(
        "100x",
        dict(
            references=2000,
            venues=150,
            organisations=150,
            people=800,
            topics=60,
            positions=400,
            cruxes=400,
            approaches=60,
            milestones=600,
            results=200,
            **{"scale-gap": 100},
            challenges=150,
            requirements=40,
            **{"risk-models": 30},
            glossary=300,
        ),
        pages=500,
    ),
]

# The loader benchmark: 10,000 records, 6,000 of them one file each and 4,000 in list files.
LOAD_10K = Scale(
    "load-10k",
    dict(
        references=3000,
        venues=300,
        organisations=200,
        people=1000,
        topics=100,
        positions=1000,
        cruxes=400,
        approaches=200,
        milestones=1500,
        results=500,
        **{"scale-gap": 300},
        challenges=300,
        requirements=100,
        **{"risk-models": 100},
        glossary=1000,
    ),
    pages=0,
)

assert set(LOAD_10K.counts) == set(COLLECTIONS) and LOAD_10K.records == 10_000
for _scale in SCALES:
    assert set(_scale.counts) == set(COLLECTIONS), _scale.name

WORDS = """
activation activations attention autoencoder behaviour benchmark capability causal circuit circuits
coherent concept concepts dictionary deception detection direction dimension evaluation evidence
faithful feature features frontier gradient head heads hidden hypothesis induction internal
intervention latent layer layers linear mechanism mechanisms model models monosemantic network
neuron neurons objective optimisation patching polysemantic probe probing reasoning representation
representations residual reward safety scalable scaling sparse steering stream superposition
training transformer universality verification weights alignment oversight audit robustness
interpretable transparency goal goals agent agents evaluator signal signals proxy tokens context
embedding embeddings subspace basis bases compression attribution graph graphs replacement
""".split()
FILLER = """
the a of in to and that with for from by on as which whether across between under more less
most not only also often rarely still yet both each every some many few this these those its
""".split()
FIRST = """Ada Bo Cy Di Eve Finn Gia Hal Ines Jon Kai Lea Max Nia Oto Pia Quin Rae Sam Tia Uma Vic
Wes Xia Yan Zoe Alma Bram Cleo Dag Elin Femi Gus Hana Ivo Jada Kofi Lior Mira Nils""".split()
LAST = """Abe Baker Cheng Diaz Egan Fischer Garcia Haddad Ito Jensen Kowalski Laurent Moreau Novak
Okafor Petrov Quist Rossi Sato Tanaka Ueda Vargas Weber Xu Yilmaz Zhou Amato Berg Costa Dahl
Eriksen Fontaine Grant Holm Iqbal Juarez Kim Lindqvist Murphy Nakamura""".split()
ENUMS = {
    "reference_type": ["paper", "article", "web", "blog", "book", "report", "dataset", "software"],
    "venue_kind": [
        "journal",
        "conference",
        "workshop",
        "preprint",
        "research-publication",
        "lab-blog",
        "news",
        "personal-site",
        "wiki",
    ],
    "org_kind": ["lab", "team", "university", "nonprofit", "community"],
    "confidence": ["low", "medium", "high"],
    "level": ["low", "medium", "high", "critical"],
    "stance": ["strong-optimist", "optimist", "cautious-optimist", "pessimist", "skeptic"],
    "maturity": ["conceptual", "theoretical", "research", "production"],
    "verdict": ["yes", "unclear", "unlikely", "no"],
    "requirement_status": ["unsolved", "largely-unsolved", "partial", "solved"],
    "gap": ["partially-addressed", "large", "very-large", "fundamental"],
}
YEARS = range(1996, 2026)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Writer:
    """Varied sentences and paragraphs; ``cite`` picks existing reference ids."""

    def __init__(self, rng: random.Random, reference_ids: list[str]) -> None:
        self.rng = rng
        self.refs = reference_ids

    def words(self, low: int, high: int) -> list[str]:
        rng = self.rng
        return [rng.choice(WORDS) if rng.random() < 0.6 else rng.choice(FILLER) for _ in range(rng.randint(low, high))]

    def title(self, low: int = 3, high: int = 8) -> str:
        words = [w for w in self.words(low, high)]
        return " ".join(words)[:1].upper() + " ".join(words)[1:]

    def citation(self, most: int = 3) -> str:
        keys = self.rng.sample(self.refs, k=min(len(self.refs), self.rng.randint(1, most)))
        return "[" + "; ".join(f"@{k}" for k in keys) + "]"

    def sentence(self, cite: float = 0.3, markup: bool = True) -> str:
        rng = self.rng
        words = self.words(7, 18)
        if markup:
            roll = rng.random()
            at = rng.randrange(len(words))
            if roll < 0.10:
                words[at] = f"*{words[at]}*"
            elif roll < 0.16:
                words[at] = f"**{words[at]}**"
            elif roll < 0.22:
                words[at] = f"`{words[at]}_{rng.randint(1, 99)}`"
            elif roll < 0.27:
                words[at] = f"[{words[at]}](https://example.org/{slug(words[at])}/{rng.randint(1, 999)})"
            elif roll < 0.30:
                words[at] = f"{words[at]} & {rng.choice(WORDS)}"
            elif roll < 0.32:
                words[at] = f"{words[at]} (p < 0.{rng.randint(1, 9)})"
        text = " ".join(words)
        text = text[:1].upper() + text[1:]
        if rng.random() < cite:
            text += " " + self.citation()
        return text + "."

    def paragraph(self, low: int = 2, high: int = 5, cite: float = 0.3, markup: bool = True) -> str:
        return " ".join(self.sentence(cite, markup) for _ in range(self.rng.randint(low, high)))

    def plain(self, low: int = 1, high: int = 2) -> str:
        """Short text without Markdown or citations (titles, table cells, tooltips)."""
        return self.paragraph(low, high, cite=0.0, markup=False)


@dataclass
class Corpus:
    scale: Scale
    records: dict[str, list[dict]]
    pages: dict[str, str] = field(default_factory=dict)  # written pages: path below docs -> Markdown
    nav: list = field(default_factory=list)  # the site's nav before the plugin expands it

    def write_data(self, data_dir: Path) -> None:
        for name, collection in COLLECTIONS.items():
            records = self.records[name]
            if collection.layout == "folder":
                folder = data_dir / name
                folder.mkdir(parents=True, exist_ok=True)
                for record in records:
                    (folder / f"{record['id']}.yaml").write_text(_dump(record), encoding="utf-8")
            else:
                data_dir.mkdir(parents=True, exist_ok=True)
                (data_dir / collection.path).write_text(_dump(records), encoding="utf-8")

    def write_pages(self, docs_dir: Path) -> None:
        for path, text in self.pages.items():
            target = docs_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def generate(scale: Scale, seed: int = 20240521) -> Corpus:
    rng = random.Random(f"{seed}-{scale.name}")
    n = scale.counts

    # Ids first, so any record can point at any other.
    ids: dict[str, list[str]] = {}
    people_names = _unique_names(rng, n["people"])
    ids["people"] = [slug(name) for name in people_names]
    ids["venues"] = [f"venue-{i:04d}-{slug(rng.choice(WORDS))}" for i in range(n["venues"])]
    ids["organisations"] = [f"org-{i:04d}-{slug(rng.choice(WORDS))}" for i in range(n["organisations"])]
    ids["topics"] = [f"topic-{i:03d}-{slug(rng.choice(WORDS))}" for i in range(n["topics"])]
    ref_meta = []
    for i in range(n["references"]):
        year = rng.choice(YEARS)
        ref_meta.append((year, f"{slug(rng.choice(LAST))}-{year}-{slug(rng.choice(WORDS))}-{i:04d}"))
    ids["references"] = [r for _, r in ref_meta]
    for name in (
        "positions",
        "cruxes",
        "approaches",
        "milestones",
        "results",
        "scale-gap",
        "challenges",
        "requirements",
        "risk-models",
        "glossary",
    ):
        ids[name] = [f"{name[:4].strip('-')}-{i:04d}-{slug(rng.choice(WORDS))}" for i in range(n[name])]

    w = Writer(rng, ids["references"])
    tags = [f"{slug(rng.choice(WORDS))}-{i}" for i in range(max(5, n["references"] // 12))]
    milestone_tags = [f"{slug(rng.choice(WORDS))}-{i}" for i in range(max(3, n["milestones"] // 10))]
    holders = ids["people"] + ids["organisations"]
    records: dict[str, list[dict]] = {name: [] for name in COLLECTIONS}

    def some(pool: list[str], low: int, high: int) -> list[str]:
        return rng.sample(pool, k=min(len(pool), rng.randint(low, high)))

    def maybe(probability: float, value):
        return value if rng.random() < probability else None

    def add(collection: str, record: dict) -> None:
        records[collection].append({k: v for k, v in record.items() if v is not None and v != []})

    for vid in ids["venues"]:
        add(
            "venues",
            dict(
                id=vid,
                name=w.title(1, 4),
                kind=rng.choice(ENUMS["venue_kind"]),
                credibility=rng.randint(1, 5),
                url=maybe(0.6, f"https://example.org/venues/{vid}"),
                note=maybe(0.3, w.paragraph(1, 2, cite=0.2)),
            ),
        )
    for oid in ids["organisations"]:
        add(
            "organisations",
            dict(
                id=oid,
                name=w.title(1, 3) + " Lab",
                kind=rng.choice(ENUMS["org_kind"]),
                description=maybe(0.7, w.paragraph(1, 3)),
                url=maybe(0.6, f"https://example.org/orgs/{oid}"),
            ),
        )
    for pid, name in zip(ids["people"], people_names, strict=True):
        first, last = name.split()
        add(
            "people",
            dict(
                id=pid,
                name=name,
                also_known_as=[f"{first[0]}. {last}"] if rng.random() < 0.4 else [],
                affiliation=maybe(0.7, rng.choice(ids["organisations"])),
                role=maybe(0.6, w.title(1, 3)),
                description=maybe(0.5, w.paragraph(1, 3)),
                url=maybe(0.4, f"https://example.org/people/{pid}"),
            ),
        )
    for tid in ids["topics"]:
        add(
            "topics",
            dict(id=tid, title=w.title(2, 5), question=w.title(5, 10) + "?", description=maybe(0.8, w.paragraph(1, 3))),
        )
    for year, rid in ref_meta:
        authors = []
        for _ in range(rng.randint(1, 5)):
            authors.append(
                rng.choice(people_names) if rng.random() < 0.3 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            )
        authors = list(dict.fromkeys(authors))
        if rng.random() < 0.15:
            authors.append("et al.")
        month = rng.random()
        date = (
            str(year)
            if month < 0.3
            else (
                f"{year}-{rng.randint(1, 12):02d}"
                if month < 0.7
                else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            )
        )
        add(
            "references",
            dict(
                id=rid,
                type=rng.choice(ENUMS["reference_type"]),
                title=w.title(4, 11),
                authors=authors,
                date=date,
                venue=rng.choice(ids["venues"]),
                venue_detail=maybe(0.3, f"vol. {rng.randint(1, 40)}"),
                organisation=maybe(0.3, rng.choice(ids["organisations"])),
                url=maybe(0.8, f"https://example.org/papers/{rid}"),
                doi=maybe(0.3, f"10.{rng.randint(1000, 99999)}/{rid}"),
                arxiv=maybe(0.4, f"{rng.randint(1500, 2599)}.{rng.randint(10000, 99999)}"),
                summary=w.paragraph(1, 3, cite=0.15),
                key_points=[w.paragraph(1, 2, cite=0.1) for _ in range(rng.randint(0, 4))],
                tags=some(tags, 1, 3),
                annotation=maybe(0.4, w.paragraph(3, 7, cite=0.2)),
            ),
        )
    for gid in ids["glossary"]:
        term = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {gid.split('-')[1]}"
        add(
            "glossary",
            dict(
                id=gid,
                term=term,
                abbreviation=maybe(0.3, "".join(p[0] for p in term.split()[:2]).upper() + gid.split("-")[1]),
                short=w.plain(1, 1),
                definition=w.paragraph(1, 3),
                related=[g for g in some(ids["glossary"], 0, 3) if g != gid],
                references=some(ids["references"], 0, 2),
            ),
        )
    for mid in ids["milestones"]:
        year = rng.choice(YEARS)
        add(
            "milestones",
            dict(
                id=mid,
                date=str(year) if rng.random() < 0.3 else f"{year}-{rng.randint(1, 12):02d}",
                title=w.title(3, 8),
                significance=w.paragraph(1, 3),
                organisations=some(ids["organisations"], 0, 2),
                people=some(ids["people"], 0, 2),
                tags=some(milestone_tags, 1, 2),
                references=some(ids["references"], 1, 3),
            ),
        )
    for rid in ids["results"]:
        add(
            "results",
            dict(
                id=rid,
                organisation=rng.choice(ids["organisations"]),
                achievement=w.title(2, 5),
                date=f"{rng.choice(YEARS)}-{rng.randint(1, 12):02d}",
                model=w.title(1, 3),
                features=f"{rng.randint(1, 900)} million features",
                interpretability=w.plain(1, 1),
                description=maybe(0.6, w.paragraph(1, 3)),
                references=some(ids["references"], 1, 3),
            ),
        )
    for sid in ids["scale-gap"]:
        add(
            "scale-gap",
            dict(
                id=sid,
                model=w.title(1, 3),
                parameters=f"{rng.randint(1, 999)}B",
                features_extracted=f"{rng.randint(1, 99)}M features",
                features_needed=f"≈{rng.randint(1, 9)}–{rng.randint(10, 99)}B",
                gap=rng.choice(ENUMS["gap"]),
                references=some(ids["references"], 1, 2),
            ),
        )
    for aid in ids["approaches"]:
        add(
            "approaches",
            dict(
                id=aid,
                name=w.title(1, 3),
                verifies=w.plain(1, 1),
                deception_detection=w.title(1, 3),
                scalability=w.title(1, 3),
                maturity=rng.choice(ENUMS["maturity"]),
                sufficient_alone=rng.choice(ENUMS["verdict"]),
                sufficiency_note=maybe(0.4, w.plain(1, 1)),
                strengths=[w.sentence(0.1) for _ in range(rng.randint(1, 4))],
                weaknesses=[w.sentence(0.1) for _ in range(rng.randint(1, 4))],
                best_for=w.sentence(0.0),
                description=maybe(0.7, w.paragraph(2, 4)),
                references=some(ids["references"], 1, 3),
            ),
        )
    for cid in ids["challenges"]:
        add(
            "challenges",
            dict(
                id=cid,
                name=w.title(2, 5),
                status=w.plain(1, 1),
                impact=w.plain(1, 1),
                description=maybe(0.7, w.paragraph(1, 3)),
                references=some(ids["references"], 1, 3),
            ),
        )
    for qid in ids["requirements"]:
        add(
            "requirements",
            dict(
                id=qid,
                title=w.title(3, 7),
                needs=[w.sentence(0.1) for _ in range(rng.randint(1, 4))],
                status=rng.choice(ENUMS["requirement_status"]),
                status_note=maybe(0.5, w.sentence(0.2)),
                references=some(ids["references"], 1, 3),
            ),
        )
    for kid in ids["risk-models"]:
        add(
            "risk-models",
            dict(
                id=kid,
                risk=w.title(2, 4),
                priority=rng.choice(ENUMS["level"]),
                role=w.paragraph(1, 3),
                points=[w.plain(1, 1) for _ in range(rng.randint(0, 4))],
                references=some(ids["references"], 1, 3),
            ),
        )
    for index, pid in enumerate(ids["positions"]):
        quote_source = rng.choice(ids["references"]) if rng.random() < 0.5 else None
        add(
            "positions",
            dict(
                id=pid,
                topic=ids["topics"][index % len(ids["topics"])],
                attributed_by=dict(source=rng.choice(ids["references"]), locator=f"p. {rng.randint(1, 300)}"),
                holder=rng.choice(holders),
                stance=rng.choice(ENUMS["stance"]),
                confidence=rng.choice(ENUMS["confidence"]),
                summary=w.sentence(0.2),
                reasoning=w.paragraph(2, 5, cite=0.4),
                evidence=[w.sentence(0.5) for _ in range(rng.randint(0, 3))],
                quote=w.plain(1, 1) if quote_source else None,
                quote_source=quote_source,
                references=some(ids["references"], 1, 4),
            ),
        )
    for cid in ids["cruxes"]:
        positions = [
            dict(
                answer=w.title(2, 6),
                confidence=rng.choice(ENUMS["confidence"]),
                reasoning=w.paragraph(1, 4, cite=0.4),
                implication=w.sentence(0.0),
                holders=[
                    dict(id=h, attributed_by=dict(source=rng.choice(ids["references"]))) for h in some(holders, 0, 3)
                ],
                references=some(ids["references"], 0, 3),
            )
            for _ in range(rng.randint(2, 4))
        ]
        add(
            "cruxes",
            dict(
                id=cid,
                question=w.title(5, 11) + "?",
                description=w.paragraph(2, 5, cite=0.4),
                stakes=w.paragraph(1, 2),
                current_state=w.paragraph(1, 3, cite=0.5),
                importance=rng.choice(ENUMS["level"]),
                positions=[{k: v for k, v in p.items() if v != []} for p in positions],
                related=[c for c in some(ids["cruxes"], 0, 3) if c != cid],
                would_change_minds=[w.sentence(0.2) for _ in range(rng.randint(0, 3))],
                topic=maybe(0.6, rng.choice(ids["topics"])),
                references=some(ids["references"], 1, 4),
            ),
        )

    # Every reference supports some claim (the plugin fails the build on an uncited one).
    cited = {key for items in records.values() for record in items for key in _citations(record)}
    citing = records["milestones"] + records["positions"] + records["results"]
    for rid in ids["references"]:
        if rid not in cited:
            record = rng.choice(citing)
            record.setdefault("references", []).append(rid)

    corpus = Corpus(scale, records)
    if scale.pages:
        _write_pages(corpus, rng, w, ids, tags, milestone_tags)
    return corpus


_CITATION = re.compile(r"\[(@[^\]]*)\]")


def _citations(value) -> set[str]:
    """Reference ids a record cites: in a ``references`` field or as ``[@id]`` in its text."""
    found: set[str] = set()
    if isinstance(value, str):
        for match in _CITATION.finditer(value):
            found.update(part.strip().lstrip("@") for part in match.group(1).split(";"))
    elif isinstance(value, dict):
        found.update(value.get("references") or [])
        found.update((value.get("quote_source") and [value["quote_source"]]) or [])
        for item in value.values():
            found |= _citations(item)
    elif isinstance(value, list):
        for item in value:
            found |= _citations(item)
    return found


def _unique_names(rng: random.Random, count: int) -> list[str]:
    pool = [f"{first} {last}" for first in FIRST for last in LAST]
    if count > len(pool):
        pool += [f"{first} {last}{i}" for i in range(2, 2 + count // len(pool) + 1) for first in FIRST for last in LAST]
    return rng.sample(pool, k=count)


def _block(name: str, options: dict | None = None) -> str:
    """A component block as a page author writes it: one ``option: value`` line per option."""
    lines = [f"/// {name}"]
    for key, value in (options or {}).items():
        text = yaml.safe_dump(value, default_flow_style=True, width=10**6).strip()
        lines.append(f"{key}: {text.removesuffix('...').strip()}")
    return "\n".join(lines + ["///"])


def _write_pages(
    corpus: Corpus, rng: random.Random, w: Writer, ids: dict[str, list[str]], tags: list[str], milestone_tags: list[str]
) -> None:
    """Written pages: prose with citations, lists, an admonition, links, and 1 to 3 components."""
    records = corpus.records
    count = corpus.scale.pages
    per_part = 10
    paths = ["index.md"] + [
        f"part-{1 + (i - 1) // per_part:02d}/{slug(w.title(2, 4))}-{i:03d}.md" for i in range(1, count)
    ]
    # Components that show a whole collection appear once, as on the real site.
    singletons = [
        ("requirements", None),
        ("risk-models", None),
        ("approach-details", None),
        ("diagram", {"kind": "timeline"}),
        ("diagram", {"kind": "requirements"}),
        (
            "comparison",
            {
                "collection": "approaches",
                "columns": ["name", "verifies", "maturity", "sufficient_alone"],
                "caption": "Every approach compared.",
            },
        ),
        ("comparison", {"collection": "challenges", "columns": ["name", "status", "impact", "references"]}),
    ]
    years = sorted({int(m["date"][:4]) for m in records["milestones"]})
    # A comparison's `where` names a value some record holds: one that matches nothing fails the build.
    used_tags = sorted({t for r in records["references"] for t in r.get("tags", [])}) or tags
    used_milestone_tags = sorted({t for m in records["milestones"] for t in m.get("tags", [])}) or milestone_tags
    used_gaps = sorted({r["gap"] for r in records["scale-gap"] if "gap" in r}) or ENUMS["gap"]

    def bounded() -> tuple[str, dict]:
        roll = rng.random()
        if roll < 0.22:
            return "comparison", {
                "collection": "references",
                "columns": ["title", "authors", "date", "venue", "type"],
                "where": {"tags": rng.choice(used_tags)},
                "sort": "-date",
                "caption": w.title(3, 6),
            }
        if roll < 0.32:
            return "comparison", {
                "collection": "milestones",
                "columns": ["date", "title", "organisations", "references"],
                "where": {"tags": rng.choice(used_milestone_tags)},
                "sort": "date",
            }
        if roll < 0.42:
            org = rng.choice(records["results"])["organisation"]
            return "comparison", {
                "collection": "results",
                "columns": ["achievement", "model", "features", "date", "references"],
                "where": {"organisation": org},
            }
        if roll < 0.47:
            return "comparison", {
                "collection": "scale-gap",
                "columns": ["model", "parameters", "gap", "references"],
                "where": {"gap": rng.choice(used_gaps)},
                "sort": "model",
            }
        if roll < 0.62:
            year = rng.choice(years)
            return "timeline", {"from": year, "to": year + rng.randint(0, 1)}
        if roll < 0.74:
            return "disagreement-map", {"topic": rng.choice(ids["topics"])}
        if roll < 0.90:
            return "references", {
                "ids": rng.sample(ids["references"], k=min(len(ids["references"]), rng.randint(2, 6)))
            }
        return "reference", {"id": rng.choice(ids["references"])}

    def link(here: str, target: str, text: str) -> str:
        import posixpath

        rel = posixpath.relpath(target, posixpath.dirname(here) or ".")
        return f"[{text}]({rel})"

    for index, path in enumerate(paths):
        components: list[tuple[str, Any]] = [bounded() for _ in range(rng.randint(1, 2))]
        if index < len(singletons):
            components.insert(0, singletons[index])
        out = [f"# {w.title(3, 7)}", "", w.paragraph(3, 6, cite=0.6), ""]
        for number, (name, options) in enumerate(components):
            out += [
                f"## {w.title(2, 5)}",
                "",
                w.paragraph(2, 5, cite=0.5),
                "",
                _block(name, options),
                "",
                w.paragraph(1, 3, cite=0.5),
                "",
            ]
            if number == 0:
                out += [f"- **{w.title(1, 2)}.** {w.sentence(0.5)}" for _ in range(rng.randint(2, 4))] + [""]
                out += ['!!! note "' + w.title(2, 4) + '"', "    " + w.paragraph(1, 3, cite=0.4), ""]
        others = rng.sample(paths, k=min(len(paths), 3))
        crux = rng.choice(ids["cruxes"])
        related = ", ".join(link(path, o, w.title(2, 4)) for o in others if o != path)
        out += [
            "## See also",
            "",
            f"Related pages: {related or 'none'}; the crux "
            f"{link(path, f'cruxes/{crux}.md', w.title(3, 5))}, the {link(path, 'bibliography.md', 'bibliography')} "
            f"and the {link(path, 'glossary.md', 'glossary')}.",
            "",
        ]
        corpus.pages[path] = "\n".join(out)
    # As on the real site: the page the editorial markers link to.
    corpus.pages["editorial-policy.md"] = "# Editorial policy\n\n" + w.paragraph(3, 5, cite=0.0) + "\n"

    nav: list = [{"Home": "index.md"}, {"Editorial policy": "editorial-policy.md"}]
    parts: dict[str, list[str]] = {}
    for path in paths[1:]:
        parts.setdefault(path.split("/")[0], []).append(path)
    for part, members in parts.items():
        nav.append({f"Part {int(part.split('-')[1])}": members})
    nav += [
        {"Cruxes": "cruxes/index.md"},
        {"Reference": ["bibliography.md", "glossary.md", "people.md", "organisations.md", {"Data": "data/index.md"}]},
    ]
    corpus.nav = nav
