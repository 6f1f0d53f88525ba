"""The editors' JSON Schemas: up to date, and in agreement with the models on the real content."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from mi_survey.load.messages import describe
from mi_survey.model import COLLECTIONS
from mi_survey.model.common import ARXIV_PATTERN, DATE_PATTERN, DOI_PATTERN, ID_PATTERN, PATTERN_WORDS
from mi_survey.model.fields import field_type
from mi_survey.model.references import Reference
from mi_survey.tools.schemas import collection_of, render, sync

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "content" / "data"
SCHEMAS = ROOT / "content" / "schemas"
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "site" / "content" / "data"


def as_editor_reads(value):
    """YAML as a YAML 1.2 editor sees it: an unquoted 2024-05-21 is text, not a date."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: as_editor_reads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_reads(item) for item in value]
    return value


def validator(collection: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{collection}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def data_files(data_dir: Path) -> list[Path]:
    return [p for p in sorted(data_dir.rglob("*.yaml")) if collection_of(p, data_dir)]


def test_committed_schemas_and_schema_lines_are_up_to_date() -> None:
    stale = sync(ROOT, DATA, SCHEMAS, check=True)
    assert not stale, "run `mi-survey schema`:\n" + "\n".join(map(str, stale))
    for name, collection in COLLECTIONS.items():
        assert (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8") == render(collection)


@pytest.mark.parametrize("path", data_files(DATA), ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_data_file_matches_the_schema_its_first_line_names(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema_path = (path.parent / first[len(prefix) :]).resolve()
    collection = collection_of(path, DATA)
    assert collection is not None, path
    assert schema_path == (SCHEMAS / f"{collection.name}.schema.json").resolve()
    errors = sorted(validator(collection.name).iter_errors(as_editor_reads(yaml.safe_load(path.read_text()))), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("path", data_files(FIXTURE_DATA), ids=lambda p: p.relative_to(FIXTURE_DATA).as_posix())
def test_the_fixture_data_matches_the_schemas_too(path: Path) -> None:
    collection = collection_of(path, FIXTURE_DATA)
    assert collection is not None, path
    errors = list(validator(collection.name).iter_errors(as_editor_reads(yaml.safe_load(path.read_text()))))
    assert not errors, [e.message for e in errors]


def test_the_schemas_reject_what_the_models_reject() -> None:
    crux = as_editor_reads(yaml.safe_load((FIXTURE_DATA / "cruxes" / "deception.yaml").read_text()))
    check = validator("cruxes")
    assert check.is_valid(crux)
    assert not check.is_valid({**crux, "importance": "huge"})
    assert not check.is_valid({**crux, "colour": "red"})
    assert not check.is_valid({**crux, "positions": crux["positions"][:1]})
    assert not check.is_valid({key: value for key, value in crux.items() if key != "question"})
    milestones = validator("milestones")
    item = {"id": "m", "title": "T", "significance": "S"}
    assert milestones.is_valid([{**item, "date": 2024}, {**item, "date": "2024-05"}])
    assert not milestones.is_valid([{**item, "date": "May 2024"}])
    assert not milestones.is_valid({**item, "date": "2024"})  # a list file holds a list


def test_fields_carry_descriptions_for_editor_hovers() -> None:
    schema = json.loads((SCHEMAS / "references.schema.json").read_text(encoding="utf-8"))
    properties = schema["properties"]
    assert all(prop.get("description") for prop in properties.values())
    assert properties["venue"]["description"] == (
        "Where the work was published; the venue's credibility is shown with the reference. "
        "The id of a record in venues."
    )
    assert properties["authors"]["description"].startswith("As printed in the source, in order.")
    assert properties["doi"]["description"].endswith(
        "A DOI like '10.1007/s13194-024-00614-4' (without https://doi.org/)."
    )
    positions = json.loads((SCHEMAS / "cruxes.schema.json").read_text())["$defs"]["CruxPosition"]
    assert positions["properties"]["confidence"]["description"] == (
        "How confidently the answer is held. One of: low, medium, high."
    )


def models() -> list[type[BaseModel]]:
    """Every model of the content: the collections' and the records nested in them."""
    found: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [c.model for c in COLLECTIONS.values()]
    while todo:
        model = todo.pop(0)
        if model not in found:
            found.append(model)
            todo.extend(m for name in model.model_fields if (m := field_type(model, name).nested_model))
    return found


@pytest.mark.parametrize("model", models(), ids=lambda m: m.__name__)
def test_every_field_of_every_model_has_a_docstring(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        # Written under the field in the model's source; pydantic makes it the description.
        assert info.description, f"{model.__name__}.{name} has no docstring"
        text = " ".join(info.description.split())
        assert text[:1].isupper() and text.endswith("."), f"{model.__name__}.{name}: {text!r}"
        assert field_type(model, name).kind != "other", f"{model.__name__}.{name}: a type no reader knows"


def test_every_schema_property_starts_with_the_field_docstring() -> None:
    for name, collection in COLLECTIONS.items():
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        record = schema if collection.layout == "folder" else schema["items"]
        described = {collection.model.__name__: record, **schema.get("$defs", {})}
        for model in models():
            if model.__name__ not in described or "properties" not in described[model.__name__]:
                continue
            properties = described[model.__name__]["properties"]
            for field, info in model.model_fields.items():
                docstring = " ".join((info.description or "").split())
                assert properties[field]["description"].startswith(docstring + " "), (name, field)
    glossary = json.loads((SCHEMAS / "glossary.schema.json").read_text(encoding="utf-8"))
    assert glossary["items"]["properties"]["short"]["description"] == (
        "A one-sentence definition, plain text: it is also the tooltip wherever the term appears. Short text."
    )


def test_patterns_read_the_same_in_schemas_skeletons_and_errors() -> None:
    doi = PATTERN_WORDS[DOI_PATTERN]
    assert f"expected {doi.phrase}" == "expected a DOI like '10.1007/s13194-024-00614-4' (without https://doi.org/)"
    assert f"expected {PATTERN_WORDS[ID_PATTERN].phrase}" == (
        "expected a lowercase id of letters, digits and single hyphens, like 'sparse-autoencoder'"
    )
    assert f"expected {PATTERN_WORDS[DATE_PATTERN].phrase}" == "expected a date written YYYY, YYYY-MM or YYYY-MM-DD"
    assert f"expected {PATTERN_WORDS[ARXIV_PATTERN].phrase}" == "expected an arXiv id like '2404.14082'"
    for pattern, words in PATTERN_WORDS.items():
        assert re.match(pattern, words.example), words  # each example is a value the pattern accepts
    error = {"type": "string_pattern_mismatch", "input": "doi:x", "ctx": {"pattern": DOI_PATTERN}}
    assert describe(error, Reference) == f"expected {doi.phrase} (got 'doi:x')"
    assert field_type(Reference, "doi").kind == doi.kind


def test_every_problem_code_is_explained_for_contributors() -> None:
    """Each rule's code, as a problem prints it, has a line in CONTRIBUTING.md's table."""
    import re

    package = Path(__file__).resolve().parent.parent / "plugins" / "mi_survey"
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    used = set(
        re.findall(
            r'"((?:yaml|record|field|id|citation|reference|file|list|page|front|block|component|placeholder)'
            r'-[a-z]+(?:-[a-z]+)*)"',
            source,
        )
    )
    documented = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert len(used) > 30
    assert sorted(code for code in used if f"`{code}`" not in documented) == []
