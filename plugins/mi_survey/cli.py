"""``mi-survey``: content tools for contributors and maintainers.

Every command works on the project at ``--root`` (default: the current folder). A problem is one
line on standard error and a non-zero exit status: 1 when the content (or the check) fails, 2 when
the command cannot do what was asked (an unknown collection, an id that is taken, a missing file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import ContentError, load, page_rules, read_pages, refused_in, scan_pages, source_problems
from .model import COLLECTIONS
from .tools import ToolError

EPILOG = """commands:
  validate                     check every record; list every problem as path:line: field: message
  new COLLECTION ID            start a record with every field explained (--set field=value to fill some)
  schema [--check]             write the editors' JSON Schemas and the schema line of every data file
  import-bibtex FILE           reference records from BibTeX (Google Scholar, arXiv), duplicates skipped
  stats                        records per collection, uncited references, cruxes without sources
  export DIR                   the whole site as plain Markdown and HTML, for Zensical (or MkDocs) to build

Run `mi-survey COMMAND --help` for a command's options."""


def _paths(args: argparse.Namespace) -> tuple[Path, Path]:
    root = Path(args.root).resolve()
    if not root.is_dir():
        raise ToolError(f"--root {args.root}: no such folder")
    return root, root / args.data


def _validate(args: argparse.Namespace) -> int:
    """The build's content rules: every record, then the rules over records and pages together."""
    root, data = _paths(args)
    try:
        refused = refused_in(root, data) + refused_in(root, root / args.docs)
        if refused:  # read nothing through a link out of the repository
            raise ContentError(refused)
        kb = load(data, root)
        written = read_pages(root / args.docs)
        pages = scan_pages(written)
        docs = args.docs.rstrip("/")
        problems = [p for src, text in written for p in source_problems(f"{docs}/{src}", text)]
        problems += page_rules(kb, pages)
        if problems:
            raise ContentError(problems)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    print(
        f"{kb.count()} records in {sum(1 for n in kb.records if kb.records[n])} collections and "
        f"{len(pages.pages)} pages: all valid."
    )
    return 0


def _new(args: argparse.Namespace) -> int:
    from .tools.skeleton import collection_named, new_record

    root, data = _paths(args)
    collection = collection_named(args.collection)
    written = new_record(root, data, collection.name, args.id, args.set or [], schemas_dir=root / args.schemas)
    where = f"{written.path}:{written.line}"
    if collection.layout == "list":
        print(
            f"appended {collection.name} record '{args.id}' at {where} (the list's order is the site's: "
            f"move it if needed)"
        )
    else:
        print(f"created {where}")
    if written.to_fill:
        print(f"fill in: {', '.join(written.to_fill)}")
        print("then run `mi-survey validate`: it names each field still empty by file and line")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .tools.schemas import sync

    root, data = _paths(args)
    changes = sync(root, data, root / args.schemas, check=args.check)
    for change in changes:
        print(change, file=sys.stderr if args.check else sys.stdout)
    if args.check:
        if changes:
            print(f"{len(changes)} stale: run `mi-survey schema` and commit the result", file=sys.stderr)
            return 1
        print(f"schemas and schema lines are up to date ({len(COLLECTIONS)} collections)")
        return 0
    print(
        f"{len(changes)} file{'s' if len(changes) != 1 else ''} updated"
        if changes
        else "schemas and schema lines were already up to date"
    )
    return 0


def _import_bibtex(args: argparse.Namespace) -> int:
    from .tools.bibtex_import import import_bibtex

    root, data = _paths(args)
    bib = Path(args.file)
    result = import_bibtex(root, data, bib, venue=args.venue, dry_run=args.dry_run, schemas_dir=root / args.schemas)
    shown = args.file
    for outcome in result.outcomes:
        print(outcome.report(shown, args.dry_run))
    for failure in result.failures:
        print(failure, file=sys.stderr)
    written = result.written
    skipped = len(result.outcomes) - len(written)
    verb = "would import" if args.dry_run else "imported"
    summary = f"{verb} {len(written)} of {len(result.outcomes)} entries"
    if skipped:
        summary += f"; {skipped} not written (see above)"
    if result.failures:
        summary += f"; {len(result.failures)} unreadable"
    print(summary + ".")
    if any(o.to_fill for o in written) and not args.dry_run:
        print("Fill in the fields listed above, then run `mi-survey validate`, which names each one by file and line.")
    return 1 if result.failures else 0


def _stats(args: argparse.Namespace) -> int:
    from .tools.stats import collect

    root, data = _paths(args)
    try:
        kb = load(data, root)
    except ContentError as error:
        count = len(error.problems)
        raise ToolError(
            f"the content does not validate ({count} problem{'s' if count != 1 else ''}); "
            f"run `mi-survey validate` first",
            status=1,
        ) from None
    print(collect(kb, root / args.docs).report(args.docs.rstrip("/")))
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export import ExportError, export

    root = Path(args.root).resolve()
    if not root.is_dir():
        raise ToolError(f"--root {args.root}: no such folder")
    try:
        result = export(root, Path(args.dir), args.config, engine=args.engine)
    except ExportError as error:
        raise ToolError(str(error)) from None
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    print(f"exported {result.pages} pages ({result.files} files) to {result.folder}")
    print(f"build it with: {args.engine} build -f {result.folder / 'mkdocs.yml'}")
    return 0


def _parser() -> argparse.ArgumentParser:
    # --root and --data are accepted before or after the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help="project root (default: the current folder)")
    common.add_argument("--data", default=argparse.SUPPRESS, help="data folder below the root (default: content/data)")

    parser = argparse.ArgumentParser(
        prog="mi-survey",
        description="Content tools for contributors and maintainers of the survey.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--root", default=".", help="project root (default: the current folder)")
    parser.add_argument("--data", default="content/data", help="data folder below the root (default: content/data)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", parents=[common], help="check every record and the rules the build applies to records and pages"
    )
    validate.add_argument("--docs", default="content/docs", help="pages folder below the root (default: content/docs)")

    new = commands.add_parser(
        "new",
        parents=[common],
        help="start a record with every field explained",
        description="Write a skeleton record: required fields empty under a comment "
        "saying what they expect (validate lists them until filled), "
        "optional fields commented out.",
    )
    new.add_argument(
        "collection",
        metavar="COLLECTION",
        help=f"one of: {', '.join(COLLECTIONS)} (or the singular: crux, person, ...)",
    )
    new.add_argument("id", metavar="ID", help="the new record's id (lowercase letters, digits, hyphens)")
    new.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="fill a field now (repeatable; lists as comma-separated values)",
    )
    new.add_argument("--schemas", default="content/schemas", help=argparse.SUPPRESS)

    schema = commands.add_parser(
        "schema",
        parents=[common],
        help="write JSON Schemas and schema lines",
        description="Write content/schemas/<collection>.schema.json from the models "
        "and make every data file start with its schema line.",
    )
    schema.add_argument(
        "--check", action="store_true", help="change nothing; list what is stale and exit 1 if anything is (for CI)"
    )
    schema.add_argument("--schemas", default="content/schemas", help="schema folder below the root")

    bib = commands.add_parser(
        "import-bibtex",
        parents=[common],
        help="reference records from a BibTeX file",
        description="Write a reference record per BibTeX entry; report duplicates "
        "(same DOI or arXiv id) and the fields left to fill.",
    )
    bib.add_argument("file", metavar="FILE", help="a .bib file")
    bib.add_argument("--venue", metavar="ID", help="venue id for entries whose journal/booktitle matches no venue")
    bib.add_argument("--dry-run", action="store_true", help="report what would be written; write nothing")
    bib.add_argument("--schemas", default="content/schemas", help=argparse.SUPPRESS)

    stats = commands.add_parser(
        "stats", parents=[common], help="records per collection, uncited references, cruxes without sources"
    )
    stats.add_argument("--docs", default="content/docs", help="pages folder below the root (default: content/docs)")
    exported = commands.add_parser(
        "export",
        parents=[common],
        help="the whole site as plain Markdown and HTML, for Zensical (or MkDocs) to build",
        description="Write DIR/mkdocs.yml and DIR/docs/: every page rendered (components, citations, "
        "what links here, how to cite it), the generated pages, the exports and the assets, which an "
        "engine builds without the survey plugin: `zensical build -f DIR/mkdocs.yml`. DIR must be new, "
        "empty or an earlier export, and outside content/ and the MkDocs site.",
    )
    exported.add_argument("dir", metavar="DIR", help="the folder to write (an earlier export there is replaced)")
    exported.add_argument("--config", default="mkdocs.yml", help="the site's MkDocs configuration below the root")
    exported.add_argument(
        "--engine",
        choices=("zensical", "mkdocs"),
        default="zensical",
        help="the engine that will build it: Zensical reads a page's links from its Markdown file, "
        "MkDocs from its URL (default: zensical)",
    )
    return parser


COMMANDS = {
    "validate": _validate,
    "new": _new,
    "schema": _schema,
    "import-bibtex": _import_bibtex,
    "stats": _stats,
    "export": _export,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ToolError as error:
        print(f"mi-survey {args.command}: error: {error}", file=sys.stderr)
        return error.status
    except OSError as error:
        print(
            f"mi-survey {args.command}: error: {error.strerror or error}: {error.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
