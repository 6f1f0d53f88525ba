"""Building the fixture site: what each generated page and component shows a reader."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from helpers import MI_SURVEY, ROOT, enable_mermaid, run_build, validate
from mkdocs.config import load_config
from site_audit import broken_links

CRUX = """\
id: new-crux
question: Will automated interpretability keep pace with <b>capabilities</b>?
description: Whether tools like agents can do the analysis.
stakes: Human analysis does not scale.
current_state: Early agents exist [@alpha2024].
importance: medium
references: [alpha2024]
positions:
  - answer: Yes, agents will help
    confidence: low
    reasoning: Automation is improving.
    implication: Coverage can grow
  - answer: No, verification lags
    confidence: medium
    reasoning: Checking agents is itself hard.
    implication: A bottleneck remains
"""


def build_with_appended(fixture_site: Path, build, markdown: str):
    """Build the fixture site with ``markdown`` added at the end of its nested page."""
    page = fixture_site / "content/docs/nested/page.md"
    page.write_text(page.read_text() + markdown)
    return build()


def test_build_succeeds_strict_without_warnings(fixture_build) -> None:
    result = fixture_build
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output


def test_one_page_per_crux_titled_with_its_question(fixture_build) -> None:
    result = fixture_build
    page = result.page("cruxes/deception/index.html")
    assert "<title>Can a deceptive model hide from interpretability?" in page
    # Info box, both positions with confidence as words, related crux, sources.
    assert 'class="mi-infobox"' in page and "If yes, interpretability cannot certify safety." in page
    assert "Yes, through steganography" in page and "No, deception leaves traces" in page
    assert "Medium confidence" in page and "Low confidence" in page
    assert 'href="../scaling/">Will interpretability scale to frontier models?</a>' in page
    assert 'href="../../people/#chris-olah">Chris Olah</a>' in page
    assert "A demonstration of hidden goals found by probes." in page


def test_crux_index_lists_every_crux_with_importance(fixture_build) -> None:
    page = fixture_build.page("cruxes/index.html")
    rows = re.findall(r'<tr id="crux-([a-z-]+)">', page)
    assert rows == ["deception", "scaling"]
    assert ">Critical</span>" in page and ">High</span>" in page


def test_adding_one_crux_file_adds_page_index_entry_and_map_node(fixture_site: Path, build) -> None:
    (fixture_site / "content/data/cruxes/new-crux.yaml").write_text(CRUX)
    result = build()
    assert result.returncode == 0, result.output
    page = result.page("cruxes/new-crux/index.html")
    assert "Will automated interpretability keep pace with &lt;b&gt;capabilities&lt;/b&gt;?" in page
    assert "<b>capabilities</b>" not in page
    assert '<tr id="crux-new-crux">' in result.page("cruxes/index.html")
    assert "c_new_crux{{" in result.page("nested/page/index.html")  # node of the crux map
    assert "cruxes/new-crux.md" not in result.output


def test_comparison_table_rows_columns_order_and_citations(fixture_build) -> None:
    page = fixture_build.page("index.html")
    table = page[page.index('<table class="mi-table mi-sortable" data-collection="approaches">') :]
    table = table[: table.index("</table>")]
    assert re.findall(r"<th[^>]*>([^<]+)</th>", table) == ["Name", "How mature", "Sufficient alone", "References"]
    assert re.findall(r'<tr id="approaches-([a-z-]+)">', table) == ["interpretability", "red-teaming"]
    assert re.search(
        r'data-sort="2">(<span class="mi-table__label">How mature</span>)?<span class="mi-badge mi-badge--value mi-badge--research">Research</span>',
        table,
    )
    assert 'href="bibliography/#ref-alpha2024"' in table


def test_citation_renders_author_year_with_a_card(fixture_build) -> None:
    page = fixture_build.page("index.html")
    assert '<span class="mi-cite__label" role="button" tabindex="0" aria-expanded="false"' in page
    assert ">Alpha &amp; Olah 2024; Beta et al. 2023</span><small" in page
    assert 'aria-label="Credibility 4 of 5, the editors&#39; rating of the venue"' in page


def test_text_from_yaml_is_escaped_and_unsafe_links_dropped(fixture_build) -> None:
    page = fixture_build.page("bibliography/index.html")
    assert "<script>alert(1)</script>" not in page
    assert "A review of &lt;script&gt;alert(1)&lt;/script&gt; interpretability" in page
    assert "&lt;b&gt;raw html&lt;/b&gt;" in page and "<b>raw html</b>" not in page
    assert "javascript:" not in page.lower()
    assert "Lab &lt;Blog&gt;" in page


def test_bibliography_has_full_data_and_cited_by_backlinks(fixture_build) -> None:
    result = fixture_build
    page = result.page("bibliography/index.html")
    entry = page[page.index('id="ref-beta2023"') :]
    entry = entry[: entry.index("</li>\n</ol>") if 'id="ref-' not in entry[10:] else entry.index('id="ref-', 10)]
    assert "Bo Beta, Cy Gamma and Di Delta." in entry
    assert 'href="https://doi.org/10.1007/s13194-024-00614-4"' in entry
    assert 'href="https://arxiv.org/abs/2404.14082"' in entry
    assert 'href="../">Fixture home</a>' in entry  # a page citing it
    assert 'href="../cruxes/deception/">Can a deceptive model hide from interpretability?</a>' in entry
    bib = result.page("bibliography.bib")
    assert "@article{beta2023," in bib and "author = {Bo Beta and Cy Gamma and Di Delta}" in bib
    assert "eprint = {2404.14082}" in bib


def test_timeline_groups_by_year_in_date_order_and_filters(fixture_build) -> None:
    page = fixture_build.page("nested/page/index.html")
    timeline = page[page.index('class="mi-timeline"') :]
    timeline = timeline[: timeline.index('class="mi-component mi-disagreement-map"')]
    assert re.findall(r'id="milestone-([a-z-]+)"', timeline) == ["induction-heads", "scaling-monosemanticity"]
    assert re.findall(r'class="mi-timeline__heading" id="[^"]+">(\d{4})<', timeline) == ["2022", "2024"]
    assert 'href="../../organisations/#lab">The Lab</a>' in timeline


def test_disagreement_map_places_holders_by_stance_with_confidence(fixture_build) -> None:
    page = fixture_build.page("nested/page/index.html")
    strong = page[page.index("mi-map__column--strong-optimist") : page.index("mi-map__column--optimist")]
    skeptic = page[page.index("mi-map__column--skeptic") : page.index("</ol>", page.index("mi-map__column--skeptic"))]
    assert "Chris Olah" in strong and "High confidence" in strong
    assert "The Lab" in skeptic and "Low confidence" in skeptic
    assert "“We can understand these networks.”" in page


def test_people_and_organisations_pages_are_computed(fixture_build) -> None:
    result = fixture_build
    people = result.page("people/index.html")
    assert 'id="chris-olah"' in people
    assert "Scaling features to a large model" in people and "Induction heads" in people  # authored
    assert "Interpretability for safety</a>: Strong optimist" in people
    organisations = result.page("organisations/index.html")
    assert "Scaling monosemanticity" in organisations  # a milestone of the lab


def test_generated_pages_edit_the_yaml_they_come_from(fixture_build) -> None:
    result = fixture_build
    assert 'href="https://example.org/repo/edit/main/content/data/cruxes/deception.yaml"' in result.page(
        "cruxes/deception/index.html"
    )
    assert 'href="https://example.org/repo/edit/main/content/docs/nested/page.md"' in result.page(
        "nested/page/index.html"
    )


def test_exports_hold_every_record(fixture_build) -> None:
    result = fixture_build
    data = json.loads(result.page("data/survey.json"))
    counts = {name: len(records) for name, records in data["collections"].items() if records}
    assert counts == {
        "references": 3,
        "venues": 2,
        "organisations": 1,
        "people": 1,
        "topics": 1,
        "positions": 2,
        "cruxes": 2,
        "approaches": 2,
        "milestones": 3,
        "requirements": 1,
        "glossary": 1,
    }
    assert "Can a deceptive model hide from interpretability?" in result.page("llms.txt")
    schema = json.loads(result.page("data/survey.schema.json"))
    assert "cruxes" in schema["properties"]["collections"]["properties"]


def test_invalid_data_fails_the_build_listing_every_problem(fixture_site: Path, build) -> None:
    (fixture_site / "content/data/venues/bad.yaml").write_text("id: bad\nname: Bad\nkind: tabloid\ncredibility: 9\n")
    result = build()
    assert result.returncode != 0
    assert "content/data/venues/bad.yaml:3: kind: expected one of:" in result.output
    assert "content/data/venues/bad.yaml:4: credibility: expected a number no greater than 5 (got 9)" in result.output
    assert "Traceback" not in result.output


def test_every_page_ends_with_what_links_here(fixture_build) -> None:
    result = fixture_build
    crux = result.page("cruxes/scaling/index.html")
    block = crux[crux.index('id="what-links-here"') : crux.index("</aside>", crux.index('id="what-links-here"'))]
    # The related crux, the crux index and the bibliography ("cited by") all link here.
    assert 'href="../deception/">Can a deceptive model hide from interpretability?</a>' in block
    assert 'href="../">Key cruxes</a>' in block
    assert 'href="../../bibliography/">Bibliography</a>' in block
    home = result.page("index.html")
    assert 'id="what-links-here"' in home and "mi-survey: what links here" not in home


def test_an_uncited_reference_fails_the_build_and_validate_alike(fixture_site: Path, build) -> None:
    """A contributor's `mi-survey validate` and CI's build apply the same rule, with the same words."""
    (fixture_site / "content/data/references/orphan2020.yaml").write_text(
        "id: orphan2020\ntype: web\ntitle: Orphan\ndate: 2020\nvenue: arxiv\nsummary: Never cited.\n"
    )
    problem = "content/data/references/orphan2020.yaml:1: reference 'orphan2020' is cited by no page or record"
    result = build()
    assert result.returncode != 0
    assert problem in result.output
    checked = validate(fixture_site)
    assert checked.returncode == 1
    assert problem in checked.stderr
    # Citing it in a page satisfies both.
    page = fixture_site / "content/docs/index.md"
    page.write_text(page.read_text() + "\nAn orphan no more [@orphan2020].\n")
    checked = validate(fixture_site)
    assert checked.returncode == 0, checked.stderr
    assert build().returncode == 0


def test_the_same_unknown_citation_twice_is_reported_at_both_lines(fixture_site: Path, build) -> None:
    page = fixture_site / "content/docs/nested/page.md"
    page.write_text(
        page.read_text()
        .replace("A hand-written diagram:", "A claim [@nobody].\n\nAnother [@nobody].")
        .replace("A[Question]", "A[Question [@nobody]]")
    )
    result = build()
    assert result.returncode != 0
    assert "content/docs/nested/page.md:3: citation of unknown reference 'nobody'" in result.output
    assert "content/docs/nested/page.md:5: citation of unknown reference 'nobody'" in result.output
    assert result.output.count("citation of unknown reference 'nobody'") == 2  # not the one in the diagram


def test_links_to_anchors_in_component_html_are_checked_like_any_other(fixture_site: Path, build) -> None:
    result = build_with_appended(
        fixture_site,
        build,
        "\nSee [the term](../glossary.md#sparse-autoencoder) and [a missing one](../glossary.md#no-such-term).\n",
    )
    assert result.returncode == 0, result.output
    # Anchor problems are INFO in MkDocs' default validation: the build passes, the log tells.
    assert "does not contain an anchor '#no-such-term'" in result.output
    assert "'#sparse-autoencoder'" not in result.output


def test_what_links_here_follows_the_content_even_if_a_page_writes_its_mark(fixture_site: Path, build) -> None:
    result = build_with_appended(
        fixture_site, build, "\n<!-- mi-survey: what links here -->\n\nThe closing paragraph.\n"
    )
    assert result.returncode == 0, result.output
    html = result.page("nested/page/index.html")
    assert html.count('id="what-links-here"') == 1
    assert html.index("The closing paragraph.") < html.index('id="what-links-here"')


@pytest.mark.parametrize("survey_first", [False, True], ids=["mermaid2-first", "survey-first"])
def test_mermaid_loads_from_a_relative_path_on_root_and_nested_pages(fixture_site: Path, build, survey_first) -> None:
    # mermaid2 writes the path relative to the page: without "./" at the root, a browser would
    # take it for a bare module name and load no diagram. The survey plugin corrects it after
    # mermaid2 has run, whichever comes first in mkdocs.yml.
    enable_mermaid(fixture_site)
    if survey_first:
        config = fixture_site / "mkdocs.yml"
        text = config.read_text()
        survey = text[text.index("  - survey:") : text.index("nav:")]
        config.write_text(text.replace(survey, "").replace("plugins:\n", "plugins:\n" + survey, 1))
    index = fixture_site / "content/docs/index.md"
    index.write_text(index.read_text() + "\n```mermaid\ngraph LR\n  A --> B\n```\n")
    result = build()
    assert result.returncode == 0, result.output
    assert 'import mermaid from "./assets/vendor/mermaid/mermaid.esm.min.mjs"' in result.page("index.html")
    assert 'import mermaid from "../../assets/vendor/mermaid/mermaid.esm.min.mjs"' in result.page(
        "nested/page/index.html"
    )


def test_citation_card_shows_the_summary_as_words_without_markdown(fixture_site: Path, build) -> None:
    """A card's summary is cut to a length, so it shows the text's words: no emphasis marks,
    link syntax or tags, a citation as its labels; summaries may cite each other."""
    alpha = fixture_site / "content/data/references/alpha2024.yaml"
    alpha.write_text(
        alpha.read_text().replace(
            "summary: Extracts 34 million features; about 70% are judged interpretable.",
            "summary: Extracts *34 million* features with `SAEs`, [a method](https://example.org/m) "
            "reviewed in [@beta2023].",
        )
    )
    beta = fixture_site / "content/data/references/beta2023.yaml"
    beta.write_text(beta.read_text().replace("Reviews the field.", "Reviews the field, after [@alpha2024]."))
    result = build()
    assert result.returncode == 0, result.output
    page = result.page("index.html")
    summaries = re.findall(r'<span class="mi-card__summary">(.*?)</span>', page)
    assert "Extracts 34 million features with SAEs, a method reviewed in (Beta et al. 2023)." in summaries
    assert (
        "Reviews the field, after (Alpha &amp; Olah 2024). Has emphasis and &lt;b&gt;raw html&lt;/b&gt; "
        "and a bad link." in summaries
    ), summaries


def test_an_unsourced_attribution_fails_the_build_and_validate(fixture_site: Path, build) -> None:
    position = fixture_site / "content/data/positions/lab-sufficiency.yaml"
    position.write_text(position.read_text().replace("attributed_by: {source: alpha2024, locator: sec. 2}\n", ""))
    problem = "content/data/positions/lab-sufficiency.yaml:3: holder: naming 'lab' as a holder is a claim"
    result = build()
    assert result.returncode != 0 and problem in result.output
    checked = validate(fixture_site)
    assert checked.returncode == 1 and problem in checked.stderr


def test_an_attribution_shows_its_source_and_where_in_it(fixture_build) -> None:
    crux = fixture_build.page("cruxes/deception/index.html")
    held = crux[crux.index("Held by:") : crux.index("</p>", crux.index("Held by:"))]
    assert 'href="../../people/#chris-olah">Chris Olah</a>' in held
    assert ">Olah 2022<" in held and '<span class="mi-attribution__where">, p. 3</span>' in held
    debate = fixture_build.page("nested/page/index.html")
    assert debate.count('class="mi-position__attribution"') == 2


def test_editorial_fields_show_the_marker_and_are_flagged_in_the_export(fixture_build) -> None:
    """What the editors judge (a crux's importance, what would change minds, a venue's rating) is
    marked where it is shown, linking to the editorial policy, and listed in the JSON export."""
    marker = '<a class="mi-editorial" href="../../editorial-policy/"'
    crux = re.sub(r"<small.*?</small>", "", fixture_build.page("cruxes/deception/index.html"))  # not the cards
    assert crux.count(marker) == 2  # importance, what would change minds
    assert "Importance " + marker in crux and ">What would change minds " + marker in crux
    index = fixture_build.page("cruxes/index.html")
    assert '<th scope="col">Importance <a class="mi-editorial"' in index
    assert "the editors&#39; rating of the venue" in fixture_build.page("bibliography/index.html")
    editorial = json.loads(fixture_build.page("data/survey.json"))["editorial"]
    assert set(editorial) == {"cruxes", "venues"}
    assert set(editorial["cruxes"]) == {"importance", "would_change_minds"} and set(editorial["venues"]) == {
        "credibility"
    }


def test_a_corrected_record_shows_its_correction_and_a_sources_rating_wins(fixture_build) -> None:
    """A reference's departure from a source shows on its card and in its entry; the rating a
    source gives the work replaces the editors' rating of its venue, and says whose it is."""
    bibliography = fixture_build.page("bibliography/index.html")
    entry = bibliography[bibliography.index('id="ref-gamma2022"') :]
    entry = entry[: entry.index("</article>")]
    assert 'gives the <span class="mi-ref__field">title</span> as “Induction Heads &lt;b&gt;in full&lt;/b&gt;”' in entry
    assert 'aria-label="Credibility 4 of 5, as rated by Alpha &amp; Olah 2024"' in entry
    meta = entry[entry.index('<p class="mi-ref__meta">') :]
    meta = re.sub(r"<small.*?</small>", "", meta[: meta.index("</p>")])  # not the cited rater's card
    assert "which counts 1 citation<" in meta and "the editors&#39; rating of the venue" not in meta
    assert '<a href="https://www.example.org/induction-heads" rel="noopener">example.org</a> (title, date)' in entry
    cards = re.findall(r'<small class="mi-card".*?</small>', fixture_build.page("cruxes/deception/index.html"))
    card = next(c for c in cards if "Induction heads" in c)
    assert "Beta et al. 2023 gives the title as “Induction Heads &lt;b&gt;in full&lt;/b&gt;”" in card
    survey = json.loads(fixture_build.page("data/survey.json"))
    gamma = next(r for r in survey["collections"]["references"] if r["id"] == "gamma2022")
    assert gamma["rating"]["citations"] == 1 and gamma["corrections"][0]["source_says"].startswith("Induction")


def test_a_correction_of_a_field_the_record_lacks_is_refused_with_its_line(fixture_site: Path) -> None:
    gamma = fixture_site / "content/data/references/gamma2022.yaml"
    gamma.write_text(gamma.read_text().replace("  - field: title", "  - field: subtitle"))
    checked = validate(fixture_site)
    assert checked.returncode == 1
    assert "content/data/references/gamma2022.yaml:14: corrections[0].field:" in checked.stderr
    assert "subtitle" in checked.stderr


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_export_links_resolve_with_either_kind_of_url(
    fixture_site: Path, tmp_path: Path, directory_urls: bool
) -> None:
    """`mi-survey export` writes each page's links as the site writes them, folder URLs or not."""
    config = fixture_site / "mkdocs.yml"
    config.write_text(config.read_text() + f"\nuse_directory_urls: {str(directory_urls).lower()}\n")
    done = subprocess.run(
        [MI_SURVEY, "export", str(tmp_path / "export"), "--engine", "mkdocs"],
        cwd=fixture_site,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    built = run_build(tmp_path / "export" / "mkdocs.yml", tmp_path / "out")
    assert built.returncode == 0, built.output
    assert (tmp_path / "out" / ("bibliography/index.html" if directory_urls else "bibliography.html")).is_file()
    assert broken_links(tmp_path / "out") == []


def test_serve_watches_every_folder_the_real_site_is_made_from() -> None:
    """`make serve` rebuilds on a change to any source it can show without a restart: MkDocs watches
    the pages and mkdocs.yml, and the folders in its `watch` option; the survey plugin adds the
    data and the component templates. (The generator's Python code runs as imported at start.)"""
    config = load_config(str(ROOT / "mkdocs.yml"))
    watched = {Path(config.docs_dir).resolve(), *(Path(p).resolve() for p in config.watch)}

    class Server:
        def watch(self, path: str) -> None:
            watched.add(Path(path).resolve())

    server: Any = Server()  # the one method of MkDocs' LiveReloadServer the plugin calls
    config.plugins["survey"].on_serve(server, config=config, builder=lambda: None)
    sources = ["content/docs", "content/data", "templates/components", "templates/overrides"]
    unwatched = [s for s in sources if not any((ROOT / s).resolve().is_relative_to(w) for w in watched)]
    assert unwatched == []


def test_a_build_leaves_no_temporary_folder_behind(fixture_site: Path, tmp_path: Path, monkeypatch) -> None:
    # The exports wait in a temporary folder until MkDocs copies them. A build in a process that
    # ends without its interpreter's clean-up (the tests' builds are forked) must remove it itself;
    # a failed build too. (Jinja's compiled templates are kept there on purpose, in their own folder.)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    assert run_build(fixture_site / "mkdocs.yml", tmp_path / "out").returncode == 0
    (fixture_site / "content/docs/nested/page.md").write_text("# Page\n\nCites [@no-such-reference].\n")
    assert run_build(fixture_site / "mkdocs.yml", tmp_path / "out").returncode != 0
    assert sorted(p.name for p in scratch.iterdir() if not p.name.startswith("_jinja2-cache")) == []
