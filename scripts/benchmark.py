"""Build-time benchmark: our plugin against its own output pre-rendered and against mkdocs-macros.

Usage: python scripts/benchmark.py [--scales 1x,10x,100x] [--rounds 3] [--workdir DIR] [--keep] [--profile]

For each scale (about 1, 10 and 100 times the real content) it generates a synthetic corpus in a
temporary folder and builds it four ways, alternating the variants within each round:

  a  our plugin: the site's theme and Markdown extensions, plugins search and survey;
  b  the floor the targets use: the same site written by `mi-survey export` (every page rendered
     by our render layer, with the generated pages, exports, "what links here" and "Cite this
     page"), built by MkDocs and Material alone (search only);
  s  a stricter floor, for reference: the same HTML kept out of Python-Markdown and spliced in
     after it by a hook of a few lines, so the build renders and parses nothing of it;
  c  the generic approach: the same YAML read by mkdocs-macros-plugin, tables and lists made by
     Jinja loops in the pages (search and macros);
  z  the engine after MkDocs 1: the same export (its links as Zensical reads them), built by
     Zensical (the export itself is not timed, as for (b)).

Each build runs in its own process; the table shows the median wall time, CPU time and peak
memory of the rounds (3 at 100x, 6 at 10x, 9 at 1x by default). It times mi_survey.load.load on 10,000 records
in batches of five loads, each batch in a fresh interpreter: one batch before the first scale and
one after each scale, so a spell of slowness of the machine weighs on one batch, not on all
(median and best over every load, and each batch with the machine's speed). The last line is the
plugin/plain ratio (a/b wall time) at the largest scale. Before timing, it checks that (b) and (z)
build the same pages as (a). --profile adds a cProfile run of variant
(a) at the largest scale and where its time goes.
"""

from __future__ import annotations

import argparse
import compileall
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import measure, variants
from bench.corpus import LOAD_10K, SCALES, generate

import mi_survey
from mi_survey.load import load
from mi_survey.render.pages import generated_pages

TARGETS = {
    "ratio": 1.10,  # a/b at every scale
    "per_record": 1.20,  # a's cost per record, largest scale over smallest
    "load_10k": 1.0,  # seconds
    "memory": 1.20,  # a's peak memory over b's
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales",
        default=",".join(s.name for s in SCALES),
        help="comma-separated, from " + ", ".join(s.name for s in SCALES),
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="builds per variant at 100x; twice as many at 10x, three times at 1x (the median is taken)",
    )
    parser.add_argument("--workdir", help="where corpora and sites go (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--profile", action="store_true", help="also profile variant (a) at the largest scale")
    args = parser.parse_args()
    try:
        import mkdocs_macros  # noqa: F401 - imported to learn whether the bench extra is installed
    except ImportError:
        print("mkdocs-macros-plugin is missing: pip install -e '.[bench]' (make bench does)", file=sys.stderr)
        return 2
    if not measure.ZENSICAL.exists():
        print(f"{measure.ZENSICAL} is missing: install the lock (make setup does)", file=sys.stderr)
        return 2
    scales = [s for s in SCALES if s.name in args.scales.split(",")]
    if not scales:
        parser.error(f"no known scale in {args.scales!r}")
    # Every library a variant runs was compiled to bytecode when pip installed it. Our package is
    # installed editable: where the environment writes no bytecode (PYTHONDONTWRITEBYTECODE), each
    # build of (a) would compile its modules from source (0.04 s), which no installed package pays.
    compileall.compile_dir(Path(mi_survey.__file__).parent, quiet=1)
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="mi-survey-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"Work folder: {work}")
    try:
        load_root = write_load_corpus(work / LOAD_10K.name)
        load_batches = [time_load(load_root, "before the builds")]
        results = {}
        for scale in scales:
            # Small builds take a second or two and vary more from run to run: they get more rounds.
            results[scale.name] = run_scale(scale, work / scale.name, args.rounds * _round_factor(scale))
            load_batches.append(time_load(load_root, f"after {scale.name}"))
        report(scales, results, load_batches)
        if args.profile:
            profile(scales[-1], work / scales[-1].name)
        print(f"\nBenchmark took {(time.perf_counter() - started) / 60:.1f} minutes.")
        largest = results[scales[-1].name]
        ratio = largest["a"].seconds / largest["b"].seconds
        print(f"plugins/plain ratio at largest scale: {ratio:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _round_factor(scale) -> int:
    return 3 if scale.records < 500 else 2 if scale.records < 2000 else 1


class Summary:
    """The medians of one variant's rounds at one scale."""

    def __init__(self, runs: list[measure.Run], records: int, pages: int) -> None:
        self.runs = runs
        self.seconds = statistics.median(r.seconds for r in runs)
        self.cpu = statistics.median(r.cpu for r in runs)
        self.peak_mb = statistics.median(r.peak_mb for r in runs)
        self.records = records
        self.pages = pages

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / self.pages

    @property
    def ms_per_record(self) -> float:
        return 1000 * self.seconds / self.records


def run_scale(scale, root: Path, rounds: int) -> dict[str, Summary]:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    step = time.perf_counter()
    corpus = generate(scale)
    corpus.write_data(root / variants.DATA_DIR)
    # The survey's edition, which "Cite this page" and the meta tags need (the build requires it).
    shutil.copy(variants.ROOT / "CITATION.cff", root / "CITATION.cff")
    kb = load(root / variants.DATA_DIR, root)
    pages = len(corpus.pages) + len(generated_pages(kb, variants.DATA_DIR))
    configs = {"a": variants.write_plugin(root, corpus), "c": variants.write_macros(root, corpus, kb)}
    print(
        f"\n[{scale.name}] {kb.count()} records, {len(corpus.pages)} written pages, {pages} pages built; "
        f"corpus written in {time.perf_counter() - step:.1f} s",
        flush=True,
    )

    # The floors need "what links here" as the plugin computed it: from a build of (a) first.
    _build(scale, configs["a"], root / "build-a-first.log")
    step = time.perf_counter()
    configs["s"] = variants.write_spliced(root, corpus, root / "site-a")
    print(f"  pre-rendered the plugin's output for (s) in {time.perf_counter() - step:.1f} s", flush=True)
    step = time.perf_counter()
    configs["b"] = variants.write_export(root, "mkdocs")
    configs["z"] = variants.write_export(root, "zensical")
    print(f"  exported the corpus for (b) and (z) with mi-survey export in {time.perf_counter() - step:.1f} s")
    # (s) splices the plugin's components and citations in, but not the pages' "Cite this page"
    # and meta tags (which need a CITATION.cff): it times rendering nothing, and is not compared.
    sites = {"b": root / "export-b" / "site", "z": root / "export-z" / "site"}
    for floor in ("b", "z"):
        _build(scale, configs[floor], root / f"build-{floor}-first.log")
        differing = variants.differing_pages(root / "site-a", sites[floor])
        if differing:
            raise SystemExit(
                f"[{scale.name}] ({floor}) is not the same site as (a): {len(differing)} pages "
                f"differ, first {differing[0]}"
            )
    print(f"  (b) and (z) build the same {pages} pages as (a)", flush=True)

    runs: dict[str, list[measure.Run]] = {variant: [] for variant in variants.VARIANTS}
    order = list(variants.VARIANTS)
    for number in range(rounds):
        # Each variant takes each position in turn, so none always runs first or after another.
        for variant in order[number % len(order) :] + order[: number % len(order)]:
            run = _build(scale, configs[variant], root / f"build-{variant}-{number}.log")
            runs[variant].append(run)
            print(
                f"  round {number + 1} ({variant}) {variants.VARIANTS[variant]:<22} {run.seconds:7.1f} s wall "
                f"{run.cpu:7.1f} s cpu {run.peak_mb:7.0f} MB",
                flush=True,
            )
    return {v: Summary(r, kb.count(), pages) for v, r in runs.items()}


def _build(scale, config: Path, log: Path) -> measure.Run:
    run = measure.build(config, log, engine="zensical" if config.parent.name == "export-z" else "mkdocs")
    if run.returncode != 0:
        print(run.log.read_text(encoding="utf-8", errors="replace")[-4000:], file=sys.stderr)
        raise SystemExit(f"[{scale.name}] build {config.name} failed; see above")
    return run


@dataclass(frozen=True)
class LoadBatch:
    when: str
    records: int
    times: list[float]
    speed: float  # measure.machine_speed() just after the batch


def write_load_corpus(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    generate(LOAD_10K).write_data(root / variants.DATA_DIR)
    return root


def time_load(root: Path, when: str) -> LoadBatch:
    records, times = measure.load_times(root)
    batch = LoadBatch(when, records, times, measure.machine_speed())
    print(
        f"\nload {records} records, {when}: median {statistics.median(times):.2f} s of {len(times)}; machine speed "
        f"{batch.speed:.2f} s for a fixed Python loop (lower is faster)",
        flush=True,
    )
    return batch


def report(scales, results: dict[str, dict[str, Summary]], load_batches: list[LoadBatch]) -> None:
    print("\nscale  variant                    records  pages  median s  cpu s  peak MB  ms/page  ms/record  a/this")
    for scale in scales:
        summaries = results[scale.name]
        for variant, s in summaries.items():
            ratio = summaries["a"].seconds / s.seconds
            print(
                f"{scale.name:<6} ({variant}) {variants.VARIANTS[variant]:<22} {s.records:7d} {s.pages:6d} "
                f"{s.seconds:9.2f} {s.cpu:6.1f} {s.peak_mb:8.0f} {s.ms_per_page:8.1f} {s.ms_per_record:10.2f} "
                f"{ratio:7.2f}"
            )

    smallest, largest = results[scales[0].name], results[scales[-1].name]
    print("\nscale  a/b wall  a/b cpu  a/c wall  a/c cpu  peak a/b  a/s wall  peak a/s")
    checks: list[tuple[str, bool]] = []
    for scale in scales:
        v = results[scale.name]  # the variants' summaries at this scale
        ab, ac, mem = v["a"].seconds / v["b"].seconds, v["a"].seconds / v["c"].seconds, v["a"].peak_mb / v["b"].peak_mb
        print(
            f"{scale.name:<6} {ab:8.2f} {v['a'].cpu / v['b'].cpu:8.2f} {ac:9.2f} {v['a'].cpu / v['c'].cpu:8.2f} "
            f"{mem:9.2f} {v['a'].seconds / v['s'].seconds:9.2f} {v['a'].peak_mb / v['s'].peak_mb:9.2f}"
        )
        checks.append((f"a/b <= {TARGETS['ratio']:.2f} at {scale.name} ({ab:.2f})", ab <= TARGETS["ratio"]))
        checks.append((f"(a) faster than (c) at {scale.name} (a/c {ac:.2f})", ac < 1))
        checks.append(
            (f"peak memory a/b <= {TARGETS['memory']:.2f} at {scale.name} ({mem:.2f})", mem <= TARGETS["memory"])
        )
    print(
        f"\nper-record cost, {scales[-1].name} over {scales[0].name}: "
        + ", ".join(f"({v}) {largest[v].ms_per_record / smallest[v].ms_per_record:.2f}" for v in largest)
    )
    per_record = largest["a"].ms_per_record / smallest["a"].ms_per_record
    checks.append(
        (
            f"(a) per-record cost {scales[-1].name}/{scales[0].name} <= {TARGETS['per_record']:.2f} ({per_record:.2f})",
            per_record <= TARGETS["per_record"],
        )
    )
    load_times = [t for batch in load_batches for t in batch.times]
    load_records = load_batches[0].records
    load_seconds = statistics.median(load_times)
    print("\nload batch           median s  best s  machine speed s")
    for batch in load_batches:
        print(f"{batch.when:<20} {statistics.median(batch.times):8.2f} {min(batch.times):7.2f} {batch.speed:16.2f}")
    # The best run shows the cost with the least interference from the machine; the target is
    # judged on the median of every load.
    print(
        f"load+validate {load_records} records with mi_survey.load.load: {load_seconds:.2f} s "
        f"(median of {len(load_times)} in {len(load_batches)} batches; best {min(load_times):.2f} s; "
        f"{1000 * load_seconds / load_records:.3f} ms/record)"
    )
    checks.append(
        (
            f"load {load_records} records < {TARGETS['load_10k']:.0f} s ({load_seconds:.2f} s)",
            load_seconds < TARGETS["load_10k"],
        )
    )
    print("\ntargets:")
    for text, ok in checks:
        print(f"  {'met    ' if ok else 'NOT met'}  {text}")


# Where the time of a build goes: cumulative time of these functions, as a share of the whole.
_BUCKETS = [
    ("whole build", "mkdocs/commands/build.py", "build"),
    ("theme: page templates (Material)", "material/templates/base.html", "root"),
    ("  of which the navigation", "material/templates/partials/nav.html", "root"),
    ("search plugin: indexing pages", "material/plugins/search/plugin.py", "on_page_context"),
    ("Markdown of every page (incl. components)", "markdown/core.py", "convert"),
    ("survey: load + validate (on_config)", "mi_survey/load/loader.py", "load"),
    ("survey: on_files (generated pages, exports)", "mi_survey/mkdocs_plugin.py", "on_files"),
    ("survey: components", "mi_survey/render/components.py", "render_component"),
    ("  record text to HTML (SafeMarkdown)", "mi_survey/render/safe_markdown.py", "block"),
    ("  citations (cite.html)", "mi_survey/render/context.py", "cite"),
    ("survey: per-page context (for_page)", "mi_survey/render/context.py", "for_page"),
    ("survey: links of each page (links_from)", "mi_survey/render/backlinks.py", "links_from"),
    ("survey: what links here", "mi_survey/render/backlinks.py", "render"),
    ("survey: on_post_page", "mi_survey/mkdocs_plugin.py", "on_post_page"),
    ("survey: each page's search view", "mi_survey/render/survey_pages.py", "view_for_search"),
    ("survey: on_post_build (_finish)", "mi_survey/mkdocs_plugin.py", "_finish"),
]


def profile(scale, root: Path) -> None:
    out = root / "plugin.prof"
    print(f"\nProfiling (a) at {scale.name} with cProfile (times are inflated by the profiler)...", flush=True)
    run = measure.build(root / "mkdocs-a.yml", root / "build-a-profile.log", profile=out)
    if run.returncode != 0:
        print(run.log.read_text(encoding="utf-8", errors="replace")[-4000:], file=sys.stderr)
        return
    stats = pstats.Stats(str(out))
    table = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table in an attribute its stubs omit
    total = next((v[3] for k, v in table.items() if k[0].endswith("mkdocs/commands/build.py") and k[2] == "build"), 0)
    print(f"{'where':<46} {'seconds':>8} {'share':>6}")
    for label, path, name in _BUCKETS:
        found = [v for k, v in table.items() if k[0].endswith(path) and k[2] == name]
        seconds = max((v[3] for v in found), default=0.0)
        print(f"{label:<46} {seconds:8.1f} {100 * seconds / total if total else 0:5.1f}%")
    print("\ntop functions by own time:")
    stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    sys.exit(main())
