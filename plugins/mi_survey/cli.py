"""``mi-survey``: content tools for contributors and maintainers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .load import ContentError, load


def _validate(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    try:
        kb = load(root / args.data, root)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    print(f"{kb.count()} records in {sum(1 for n in kb.records if kb.records[n])} collections: all valid.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mi-survey", description=__doc__)
    parser.add_argument("--root", default=".", help="project root (default: the current folder)")
    parser.add_argument("--data", default="content/data", help="data folder below the root")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("validate", help="check every record; list every problem as path:line: field: message")
    args = parser.parse_args(argv)
    return {"validate": _validate}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
